// Speed in headless Chromium: vipps-auth against jose and oauth4webapi on the same RS256
// tokens and keys, plus cold start. Writes a JSON result file.
// Usage: node bench/browser.mjs <pkg-dir> <out.json>
// Env: BENCH_TOKENS (64), BENCH_ROUNDS (5), BENCH_ROUND_MS (600), BENCH_WARM_MS (400),
//      BENCH_COLD_SAMPLES (9), CHROMIUM (/usr/bin/chromium)
import { createServer } from "node:http";
import { readFile, readdir, writeFile, mkdtemp, rm } from "node:fs/promises";
import { createHash, randomUUID, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { SignJWT, generateKeyPair, exportJWK } from "jose";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
// playwright-core comes from the root package (devDependency there), not from bench/.
const { chromium } = createRequire(path.join(root, "package.json"))("playwright-core");

const [pkgDir, outFile] = process.argv.slice(2);
if (!pkgDir || !outFile) {
  console.error("usage: node bench/browser.mjs <pkg-dir> <out.json>");
  process.exit(2);
}
const env = (k, d) => Number(process.env[k] ?? d);
const N = env("BENCH_TOKENS", 64);
const cfg = { rounds: env("BENCH_ROUNDS", 5), roundMs: env("BENCH_ROUND_MS", 600), warmMs: env("BENCH_WARM_MS", 400) };
const coldSamples = env("BENCH_COLD_SAMPLES", 9);

// --- tokens and keys: Vipps-like ID tokens, signed with jose in Node -------------------------
const issuer = "https://apitest.vipps.no/access-management-1.0/access/";
const clientId = randomUUID();
const b64url = (b) => Buffer.from(b).toString("base64url");
async function rsaJwk() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const kid = `public:${randomUUID()}`;
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}
const signing = await rsaJwk();
const other = await rsaJwk(); // a second key in the set, as Vipps publishes more than one
const jwks = { keys: [other.jwk, signing.jwk] };
const iat = Math.floor(Date.now() / 1000);
const tokens = [];
const nonces = [];
for (let i = 0; i < N; i++) {
  const nonce = b64url(randomBytes(24));
  const accessToken = b64url(randomBytes(48));
  const atHash = b64url(createHash("sha256").update(accessToken).digest().subarray(0, 16));
  const jwt = await new SignJWT({
    nonce,
    at_hash: atHash,
    auth_time: iat,
    sid: randomUUID(),
    rat: iat - 5,
    amr: [],
  })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: signing.kid })
    .setIssuer(issuer)
    .setAudience([clientId])
    .setSubject(randomUUID())
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(signing.privateKey);
  tokens.push(jwt);
  nonces.push(nonce);
}
const verifiers = Array.from({ length: N }, () => b64url(randomBytes(32))); // 43 chars, RFC 7636
const data = JSON.stringify({ issuer, clientId, jwks, tokens, nonces, verifiers });

// --- bundles for the page: the same esbuild flags as the size table ----------------------------
const tmp = await mkdtemp(path.join(os.tmpdir(), "vipps-bench-browser-"));
const entries = ["page-jose", "page-oauth4webapi", "jose-local"];
await esbuild.build({
  entryPoints: entries.map((e) => path.join(here, "entries", `${e}.js`)),
  outdir: tmp,
  bundle: true,
  minify: true,
  format: "esm",
  logLevel: "warning",
});

// --- loopback server ----------------------------------------------------------------------------
const types = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".json": "application/json" };
const pageHtml = `<!doctype html><meta charset="utf-8"><title>vipps-auth bench</title><script type="module" src="/page.js"></script>`;
const server = createServer(async (req, res) => {
  const p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let body;
  let file;
  try {
    if (p === "/") body = pageHtml;
    else if (p === "/blank.html") body = "<!doctype html><title>blank</title>";
    else if (p === "/data.json") body = data;
    else if (p === "/page.js") file = path.join(here, "page.js");
    else if (p.startsWith("/pkg/")) file = path.join(pkgDir, path.normalize(p.slice(5)).replace(/^(\.\.[/\\])+/, ""));
    else if (p.startsWith("/bundles/")) file = path.join(tmp, path.basename(p));
    else throw new Error("not found");
    if (file) body = await readFile(file);
    const ext = file ? path.extname(file) : p === "/data.json" ? ".json" : ".html";
    res.writeHead(200, { "content-type": types[ext] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const wasmFiles = (await readdir(pkgDir)).filter((f) => f.endsWith(".wasm"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Each cold sample runs in a fresh browser context (its own renderer process, no module map,
// no compilation cache; the server sends no-store), on a blank page of the same origin.
async function cold(fn, arg) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(`${base}/blank.html`);
    return await page.evaluate(fn, arg);
  } finally {
    await ctx.close();
  }
}
const coldCases = {
  // import the package's entry and call init(): fetch + compile + instantiate of the wasm
  "vipps-auth: import + init()": [async () => {
    const t0 = performance.now();
    const m = await import("/pkg/vipps_auth.js");
    await m.default();
    return performance.now() - t0;
  }],
  "jose (jwtVerify + createLocalJWKSet bundle): import": [async () => {
    const t0 = performance.now();
    await import("/bundles/jose-local.js");
    return performance.now() - t0;
  }],
  "jose (jwtVerify + createLocalJWKSet bundle): evaluate, source already fetched": [async () => {
    const src = await (await fetch("/bundles/jose-local.js")).text();
    const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
    const t0 = performance.now();
    await import(url);
    return performance.now() - t0;
  }],
};
if (wasmFiles.length === 1) {
  coldCases["vipps-auth: init() only, wasm bytes already fetched (compile + instantiate)"] = [async (wasm) => {
    const m = await import("/pkg/vipps_auth.js");
    const bytes = await (await fetch(`/pkg/${wasm}`)).arrayBuffer();
    const t0 = performance.now();
    await m.default({ module_or_path: bytes });
    return performance.now() - t0;
  }, wasmFiles[0]];
}

let result;
try {
  const version = browser.version();
  const coldSamplesMs = Object.fromEntries(Object.keys(coldCases).map((k) => [k, []]));
  for (let s = 0; s < coldSamples; s++) {
    for (const [name, [fn, arg]] of Object.entries(coldCases)) coldSamplesMs[name].push(await cold(fn, arg));
  }
  const coldResults = Object.entries(coldSamplesMs).map(([name, xs]) => ({ name, medianMs: median(xs), minMs: Math.min(...xs), maxMs: Math.max(...xs) }));

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.__ready === true, null, { timeout: 30000 }).catch(() => {
    throw new Error(`the bench page did not load: ${errors.join("; ")}`);
  });
  const speed = await page.evaluate((c) => window.runBench(c), cfg);
  await ctx.close();
  result = { chromium: version, config: { ...cfg, coldSamples }, cold: coldResults, ...speed };
} finally {
  await browser.close();
  server.close();
  await rm(tmp, { recursive: true, force: true });
}
await writeFile(outFile, JSON.stringify(result, null, 2) + "\n");
for (const r of result.results) console.error(`[browser] ${r.name}: ${Math.round(r.median)} ops/s`);
for (const r of result.cold) console.error(`[browser] cold ${r.name}: ${r.medianMs.toFixed(2)} ms`);
