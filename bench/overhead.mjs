// The package's own work around WebCrypto in a verification, for comparing builds: Node,
// `crypto.subtle.verify` replaced by one that resolves `true` at once (the wasm still decides
// everything), `validateIdToken` on 64 RS256 ID tokens one after another, and the CPU time of
// the process per call (process.cpuUsage: less disturbed by other work on shared cores than
// wall time). Packages are measured in interleaved rounds; prints the median per package and
// the per-round ratio of each to the first.
// Usage: node bench/overhead.mjs <pkg-dir> [<pkg-dir> ...]   (ROUNDS, default 25)
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { generateKeyPairSync, createSign, randomUUID, randomBytes } from "node:crypto";

const dirs = process.argv.slice(2).map((d) => path.resolve(d));
if (dirs.length === 0) {
  console.error("usage: node bench/overhead.mjs <pkg-dir> [<pkg-dir> ...]");
  process.exit(2);
}
const packages = [];
for (const dir of dirs) {
  const m = await import(`${pathToFileURL(path.join(dir, "vipps_auth.js")).href}?${dir}`);
  m.initSync({ module: readFileSync(path.join(dir, "vipps_auth_bg.wasm")) });
  packages.push(m);
}
const b64 = (b) => Buffer.from(b).toString("base64url");
function rsaKey(kid) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}
const signing = rsaKey(`public:${randomUUID()}`), other = rsaKey(`public:${randomUUID()}`);
const issuer = "https://apitest.vipps.no/access-management-1.0/access/", clientId = randomUUID();
const now = Math.floor(Date.now() / 1000);
const tokens = [], nonces = [];
for (let i = 0; i < 64; i++) {
  const nonce = b64(randomBytes(24));
  const claims = { iss: issuer, aud: [clientId], sub: randomUUID(), exp: now + 3600, iat: now, auth_time: now, nonce,
    sid: randomUUID(), jti: randomUUID(), at_hash: b64(randomBytes(16)), rat: now - 5, amr: [] };
  const input = `${b64(JSON.stringify({ alg: "RS256", typ: "JWT", kid: signing.kid }))}.${b64(JSON.stringify(claims))}`;
  tokens.push(`${input}.${b64(createSign("RSA-SHA256").update(input).sign(signing.privateKey))}`);
  nonces.push(nonce);
}
crypto.subtle.verify = async () => true;
const sets = packages.map((m) => m.KeySet.fromJwks({ keys: [other.jwk, signing.jwk] }));

/** Calls per CPU-second of package `i` over `ms` of wall time. */
async function round(i, ms) {
  const m = packages[i], keys = sets[i];
  let n = 0;
  const t0 = performance.now(), c0 = process.cpuUsage();
  while (performance.now() - t0 < ms) {
    for (let k = 0; k < 16; k++, n++) await m.validateIdToken(tokens[n % 64], { issuer, clientId, nonce: nonces[n % 64], keys });
  }
  const cpu = process.cpuUsage(c0);
  return (n / (cpu.user + cpu.system)) * 1e6;
}
for (let i = 0; i < packages.length; i++) await round(i, 300);
const rounds = packages.map(() => []);
for (let r = 0; r < Number(process.env.ROUNDS ?? 25); r++) for (let i = 0; i < packages.length; i++) rounds[i].push(await round(i, 400));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
rounds.forEach((xs, i) => console.log(`${dirs[i]}: ${Math.round(median(xs))} calls per CPU-second, ${(1e6 / median(xs)).toFixed(1)} us each`));
for (let i = 1; i < packages.length; i++) {
  const ratios = rounds[i].map((x, r) => x / rounds[0][r]);
  console.log(`${dirs[i]} / ${dirs[0]}: median of per-round ratios ${median(ratios).toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(" ")})`);
}
