// Sizes: the vipps-auth browser package and worker bundle beside esbuild bundles of jose and
// oauth4webapi (bench/entries/). gzip is `gzip -9` (as scripts/check-size.sh), brotli is
// Node's zlib at quality 11 with a 16 MiB window (generic mode for wasm, text mode for JS).
// Usage: node bench/size.mjs <pkg-dir> <worker-build-dir> <out.json>
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { constants, brotliCompressSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const [pkgDir, workerBuild, outFile] = process.argv.slice(2);
if (!pkgDir || !workerBuild || !outFile) {
  console.error("usage: node bench/size.mjs <pkg-dir> <worker-build-dir> <out.json>");
  process.exit(2);
}

const gzip = (buf) => execFileSync("gzip", ["-9c"], { input: buf, maxBuffer: 1 << 28 }).length;
const brotli = (buf, text) =>
  brotliCompressSync(buf, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
      [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  }).length;

/** Sizes of a list of {name, buf, text} parts, each compressed on its own (as served). */
function measure(parts) {
  const sum = (f) => parts.reduce((a, p) => a + f(p), 0);
  return {
    files: parts.map((p) => p.name),
    raw: sum((p) => p.buf.length),
    gzip: sum((p) => gzip(p.buf)),
    brotli: sum((p) => brotli(p.buf, p.text)),
    wasmGzip: sum((p) => (p.text ? 0 : gzip(p.buf))),
    jsGzip: sum((p) => (p.text ? gzip(p.buf) : 0)),
  };
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "vipps-bench-size-"));
async function bundle(entry) {
  const out = path.join(tmp, `${path.basename(entry, ".js")}.${Date.now()}.js`);
  await esbuild.build({ entryPoints: [entry], outfile: out, bundle: true, minify: true, format: "esm", logLevel: "warning" });
  return readFileSync(out);
}
const file = (dir, f) => ({ name: f, buf: readFileSync(path.join(dir, f)), text: !f.endsWith(".wasm") });
function walk(dir, rel = "") {
  return readdirSync(path.join(dir, rel)).flatMap((f) => {
    const r = path.join(rel, f);
    return statSync(path.join(dir, r)).isDirectory() ? walk(dir, r) : [r];
  });
}

const rows = [];
try {
  // The browser package: every wasm file in it, plus its JS. "As shipped": the JS files of
  // the package as published (build-pkg.sh minifies whitespace/syntax only, names kept).
  // "Bundled": the package entry run through the same esbuild flags as jose and oauth4webapi.
  const pkgFiles = readdirSync(pkgDir);
  const wasm = pkgFiles.filter((f) => f.endsWith(".wasm")).map((f) => file(pkgDir, f));
  // The browser entry only: the Node and Workers entries never reach a browser.
  const shippedJs = [file(pkgDir, "vipps_auth.js")];
  rows.push({
    id: "vipps-browser-shipped",
    what: "vipps-auth browser package, as published",
    includes: "the whole API (PKCE, state/nonce, authorize URL, callback, decodeJwt, KeySet local/remote, verifyJwt, validateIdToken, discover, endpoints): the wasm + the JS glue as shipped",
    ...measure([...wasm, ...shippedJs]),
  });
  const entry = path.join(tmp, "vipps-entry.js");
  const glue = JSON.stringify(path.resolve(pkgDir, "vipps_auth.js"));
  writeFileSync(entry, `export * from ${glue};\nexport { default } from ${glue};\n`);
  rows.push({
    id: "vipps-browser-bundled",
    what: "vipps-auth browser package, glue through esbuild `--minify`",
    includes: "the same wasm; the JS glue bundled and fully minified like the rows below (a wasm module cannot be tree-shaken: every export is in it)",
    ...measure([...wasm, { name: "vipps_auth.js (esbuild)", buf: await bundle(entry), text: true }]),
  });
  // The worker: what worker-build --release leaves in build/ (wasm + JS, shim included).
  const workerFiles = walk(workerBuild).filter((f) => /\.(wasm|m?js)$/.test(f)).sort();
  rows.push({
    id: "worker",
    what: "vipps-auth worker bundle (worker-build --release)",
    includes: "the whole worker: router, Access Token API / miami / Login code exchange, ID-token validation, JWKS cache, two Durable Objects; wasm + JS (" + workerFiles.join(", ") + ")",
    ...measure(workerFiles.map((f) => file(workerBuild, f))),
  });
  const libs = [
    ["jose-local", "jose `jwtVerify` + `createLocalJWKSet`", "JWT signature and claims check against a JWK set in hand (= KeySet.fromJwks + validateIdToken, without nonce/at_hash)"],
    ["jose-remote", "jose `jwtVerify` + `createRemoteJWKSet`", "the same against a fetched, cached JWK set (= KeySet.remote + validateIdToken)"],
    ["oauth4webapi-spa", "oauth4webapi, SPA code flow + PKCE", "discoveryRequest/processDiscoveryResponse, generateRandomCodeVerifier/State/Nonce, calculatePKCECodeChallenge, validateAuthResponse, authorizationCodeGrantRequest, processAuthorizationCodeResponse, getValidatedIdTokenClaims, None; no authorize-URL builder, no JWKS signature check of an ID token that came through a server"],
    ["oauth4webapi-jose", "oauth4webapi (SPA path) + jose (jwtVerify, local and remote JWK sets, decodeJwt)", "the nearest equivalent of the whole vipps-auth browser package"],
  ];
  for (const [id, what, includes] of libs) {
    rows.push({ id, what, includes, ...measure([{ name: `entries/${id}.js (esbuild)`, buf: await bundle(path.join(here, "entries", `${id}.js`)), text: true }]) });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
writeFileSync(outFile, JSON.stringify({ rows }, null, 2) + "\n");
for (const r of rows) console.error(`[size] ${r.what}: ${r.raw} B raw, ${r.gzip} B gzip, ${r.brotli} B brotli`);
