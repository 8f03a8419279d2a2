// Shared helpers of the Node suites: load the built package, sign RS256 tokens with
// node:crypto, and serve a JWKS / discovery document from a local HTTP server.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { generateKeyPairSync, createSign } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const pkgDir = process.env.VIPPS_AUTH_PKG ?? path.join(here, "../../pkg");

export async function loadPackage() {
  const mod = await import(pathToFileURL(path.join(pkgDir, "vipps_auth.js")).href);
  mod.initSync({ module: readFileSync(path.join(pkgDir, "vipps_auth_bg.wasm")) });
  return mod;
}

const b64url = (buf) => Buffer.from(buf).toString("base64url");

export function rsaKey(kid) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  return {
    kid,
    jwk,
    sign(claims) {
      const input = `${b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }))}.${b64url(JSON.stringify(claims))}`;
      const sig = createSign("RSA-SHA256").update(input).sign(privateKey);
      return `${input}.${b64url(sig)}`;
    },
  };
}

/** A local server; `routes[path]` is a function (req, res) or a JSON-able value. Counts hits per path. */
export async function serve(routes) {
  const hits = {};
  const server = createServer((req, res) => {
    const p = new URL(req.url, "http://x").pathname;
    hits[p] = (hits[p] ?? 0) + 1;
    const route = routes[p];
    if (typeof route === "function") return route(req, res);
    if (route === undefined) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(typeof route === "object" && route.get ? route.get() : route));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return { base, hits, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
