// Turns the JSON results of one `make bench` run into the section "Benchmarks against jose
// and oauth4webapi" of BENCHMARKS.md (between the marker comments; the rest of the file is
// left alone; the section is appended when the markers are absent) and prints it.
// Usage: node bench/report.mjs <results-dir> <BENCHMARKS.md>
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";

const [dir, mdFile] = process.argv.slice(2);
const load = (f) => JSON.parse(readFileSync(path.join(dir, f), "utf8"));
const meta = load("meta.json");
const size = load("size.json");
const speed = load("browser.json");
const worker = load("worker.json");

const n = (x) => Math.round(x).toLocaleString("en-US");
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const kb = (b) => (b / 1024).toFixed(1);
const ratio = (a, b) => `${f2(a / b)}x`;
const lines = [];
const out = (s = "") => lines.push(s);

out("## Benchmarks against jose and oauth4webapi");
out();
out(`Written by \`make bench\` (\`scripts/bench.sh\`, harness in \`bench/\`); everything between the`);
out("marker comments is regenerated on each run, so edit the scripts rather than this text.");
out();
out(`- Date: ${meta.date}; command: \`${meta.command}\` (git ${meta.git})`);
out(`- Machine: ${meta.nproc} cores (\`nproc\`), ${meta.cpu}; load average ${meta.loadavg} when the run started (the cores are shared with other builds: read the figures as a floor)`);
out(`- Versions: Chromium ${speed.chromium} (headless, playwright-core), Node ${meta.node} (harness), ${meta.rustc}, wrk ${meta.wrk}, workerd under wrangler ${meta.wrangler}; jose ${meta.jose}, oauth4webapi ${meta.oauth4webapi}, esbuild ${meta.esbuild}`);
out();

// --- size -------------------------------------------------------------------------------------
out("### Size");
out();
out("gzip is `gzip -9` of the bytes on stdin (no file name in the header, as a server sends it: `scripts/check-size.sh` reports 33 B more for the same package because `gzip -9c <file>` stores the two names), brotli is quality 11 (Node's zlib, 16 MiB window); each file compressed on its own, as a server sends it, and summed. jose and oauth4webapi are bundled from `bench/entries/*.js` with `esbuild --bundle --minify --format=esm` (tree-shaken to exactly the named imports).");
out();
out("| what | raw (B) | gzip (B) | brotli (B) | what it includes |");
out("|---|---:|---:|---:|---|");
for (const r of size.rows) out(`| ${r.what} | ${n(r.raw)} | ${n(r.gzip)} | ${n(r.brotli)} | ${r.includes} |`);
out();
const row = (id) => size.rows.find((r) => r.id === id);
const vb = row("vipps-browser-shipped");
const eq = row("oauth4webapi-jose");
const jl = row("jose-local");
out(`What it means: the vipps-auth browser package is ${kb(vb.gzip)} KB gzip, ${ratio(vb.gzip, eq.gzip)} the nearest JS equivalent (oauth4webapi + jose, ${kb(eq.gzip)} KB) and ${ratio(vb.gzip, jl.gzip)} jose's verifier alone (${kb(jl.gzip)} KB): it is the larger download, because a wasm module carries its whole API (no tree-shaking), its own JSON parser, base64, SHA-256 and error strings, and wasm compresses worse than minified JS; ${kb(vb.wasmGzip)} KB of it is wasm. The worker bundle (${kb(row("worker").gzip)} KB gzip) runs on the server, where only Cloudflare's 3 MiB (free) / 10 MiB (paid) compressed limit applies.`);
out();

// --- speed --------------------------------------------------------------------------------------
out("### Speed in headless Chromium");
out();
const c = speed.config;
out(`One page, one run: ${speed.tokens} distinct RS256 ID tokens (RSA-2048, kid \`public:<uuid>\`, iss, aud array, exp, iat, auth_time, nonce, at_hash, sub, sid, jti), signed in Node with jose's \`SignJWT\` before the run; a JWK set of two keys. Every operation is awaited before the next starts (one at a time, as an app calls them); synchronous ones run in batches of 64. One warm-up round of ${c.warmMs} ms per subject, then ${c.rounds} rounds of ${c.roundMs} ms with the subjects interleaved; the median round is reported. The page checks first that every subject returns the same claims / challenges.`);
out();
const res = Object.fromEntries(speed.results.map((r) => [r.name, r]));
const pairs = [
  ["`verifyJwt` (signature + alg only) vs `jwtVerify` (signature + iss, aud, exp, nonce)", "vipps-auth verifyJwt", "jose jwtVerify", "jose"],
  ["`validateIdToken` (signature + iss, aud, exp/iat, nonce) vs `jwtVerify` (same checks; nonce compared in JS)", "vipps-auth validateIdToken", "jose jwtVerify", "jose"],
  ["`codeChallengeS256` (sync, Rust SHA-256) vs `calculatePKCECodeChallenge` (async, WebCrypto)", "vipps-auth codeChallengeS256", "oauth4webapi calculatePKCECodeChallenge", "oauth4webapi"],
  ["`decodeJwt` vs jose `decodeJwt` (no signature check)", "vipps-auth decodeJwt", "jose decodeJwt", "jose"],
];
out("| operation | vipps-auth (ops/s) | jose / oauth4webapi (ops/s) | vipps-auth / other |");
out("|---|---:|---:|---:|");
for (const [label, a, b] of pairs) out(`| ${label} | ${n(res[a].median)} | ${n(res[b].median)} | ${ratio(res[a].median, res[b].median)} |`);
out();
out(`Cold start: medians of ${c.coldSamples} samples, each in a fresh browser context (own renderer process, empty caches; the server sends \`no-store\`).`);
out();
out("| cold start | median (ms) | min (ms) | max (ms) |");
out("|---|---:|---:|---:|");
for (const r of speed.cold) out(`| ${r.name} | ${f1(r.medianMs)} | ${f1(r.minMs)} | ${f1(r.maxMs)} |`);
out();
const rv = res["vipps-auth validateIdToken"].median / res["jose jwtVerify"].median;
const rd = res["vipps-auth decodeJwt"].median / res["jose decodeJwt"].median;
const rp = res["vipps-auth codeChallengeS256"].median / res["oauth4webapi calculatePKCECodeChallenge"].median;
const word = (r, other) =>
  r >= 1.05 ? `faster than ${other} (${f2(r)}x its ops/s)` : r <= 0.95 ? `slower than ${other} (${f2(r)}x its ops/s)` : `about as fast as ${other} (${f2(r)}x)`;
out("What it means:");
out(`- Token checks: vipps-auth's \`validateIdToken\` is ${word(rv, "jose's \`jwtVerify\`")} (\`verifyJwt\`: ${f2(res["vipps-auth verifyJwt"].median / res["jose jwtVerify"].median)}x). Both spend most of a verification in the same WebCrypto RSA verify (a Promise per call). Around it jose parses the token, picks the key and checks the claims in JS; vipps-auth checks the signature first when the KeySet remembers the check the wasm asked for that token header, then makes one synchronous call into the wasm (arguments, token and key set in as bytes; the token parsed with its strict JSON parser, the key chosen from the parsed set and matched with WebCrypto's outcome, then the claim rules; the first token of a header takes a call more) and \`JSON.parse\`s the claims text it answers. \`validateIdToken\` also encodes its options and checks more than the jose call does (sub, iat, auth_time, azp, an empty nonce).`);
out(`- PKCE: vipps-auth's synchronous SHA-256 in wasm is ${word(rp, "oauth4webapi")}, whose \`crypto.subtle.digest\` is asynchronous (a Promise and a hop off the main thread per call). Either is far faster than an app needs (one challenge per login).`);
out(`- decodeJwt: vipps-auth is ${word(rd, "jose")}. Decoding is pure JSON work, and jose's \`JSON.parse\` in the engine needs no copying of the token into wasm memory and no claims round trip back into JS. At ${n(res["vipps-auth decodeJwt"].median)} decodes per second vipps-auth is still far beyond what a login needs.`);
const cv = speed.cold.find((r) => r.name.startsWith("vipps-auth: import"));
const cj = speed.cold.find((r) => r.name.endsWith("bundle): import"));
const ci = speed.cold.find((r) => r.name.startsWith("vipps-auth: init() only"));
const ce = speed.cold.find((r) => r.name.includes("evaluate"));
out(`- Cold start: loading vipps-auth (import + \`init()\`) took ${f1(cv.medianMs)} ms against ${f1(cj.medianMs)} ms for importing jose's bundle: vipps-auth makes two requests one after the other (the JS glue, then the wasm it loads) and moves ${ratio(vb.raw, jl.raw)} the bytes. The work itself is small on both sides${ci ? `: compiling and instantiating the wasm once its bytes are in memory took ${f1(ci.medianMs)} ms` : ""}, evaluating jose's bundle once fetched ${f1(ce.medianMs)} ms.`);
out();

// --- worker ----------------------------------------------------------------------------------
out("### The worker under load (local workerd)");
out();
out(`\`POST /accesstoken\` (with \`Authorization: Bearer <WORKER_API_KEY>\`) against \`wrangler dev --local\` (workerd) with the Access Token API answered by the local emulator (\`tests/emulator\`, debug build) on loopback; the token is fetched once before the runs, so every request is served from the \`TokenCache\` Durable Object. wrk, 1 thread, ${worker.durationSec} s per run; the worker, wrk and the emulator share the ${meta.nproc} cores.`);
out();
out(`Each \`/accesstoken\` run is followed by a baseline run of half the length on \`GET /healthz\`, the cheapest route (no Durable Object, no upstream): what \`wrangler dev\` and workerd cost by themselves here.`);
out();
out("| route | connections | requests/s | p50 latency (ms) | p90 (ms) | p99 (ms) | requests | non-2xx | socket errors |");
out("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
const rps = (r) => r.requests / (r.durationUs / 1e6);
for (const r of worker.runs) {
  out(`| \`${r.route}\` | ${r.connections} | ${n(rps(r))} | ${f2(r.p50Us / 1000)} | ${f2(r.p90Us / 1000)} | ${f2(r.p99Us / 1000)} | ${n(r.requests)} | ${n(r.non2xx)} | ${n(r.socketErrors)} |`);
}
out();
const tok = worker.runs.filter((r) => r.route === "POST /accesstoken");
const base = worker.runs.filter((r) => r.route === "GET /healthz");
const total = tok.reduce((a, r) => a + r.requests, 0);
out(`Upstream calls the emulator received on \`/accesstoken/get\` during the whole run (${n(total + 1)} \`POST /accesstoken\` requests, the priming one included): **${worker.upstreamCalls}**.`);
out();
const top = tok.reduce((a, r) => (rps(r) > rps(a) ? r : a));
const baseTop = base.reduce((a, r) => (rps(r) > rps(a) ? r : a));
const share = rps(top) / rps(baseTop);
const at = (c) => tok.find((r) => r.connections === c);
const queueing = at(100) && at(10) && rps(at(100)) <= 1.2 * rps(at(10))
  ? "from 10 to 100 connections requests/s stay about flat and the extra connections only wait in line (p50 and p99 grow with the connection count)"
  : "more connections still raised requests/s here";
out(`What it means: the cached token route peaks at ${n(rps(top))} requests/s (${top.connections} connection(s)), ${f2(share)}x the ${n(rps(baseTop))} requests/s of the empty baseline route, so ${share >= 0.7 ? "the local dev server and the shared cores set the ceiling, not the token cache: under \`wrangler dev\` each request passes a proxy workerd, the worker's workerd and wrangler's Node process (which logs it), and all three were busy during the runs" : "the hop into the \`TokenCache\` Durable Object and back costs a real share of each request on top of the dev server's own overhead"}; ${queueing}. ${worker.upstreamCalls <= 3 ? `The cache holds: the emulator saw ${worker.upstreamCalls} Access Token API call(s) for all of them.` : `The emulator saw ${worker.upstreamCalls} upstream calls: more than the cache should make; investigate.`} Local \`wrangler dev\` is not Cloudflare's edge: the figures compare runs on this machine, not production capacity.`);
out();

out("### Commands");
out();
out("```sh");
out("make bench            # = scripts/bench.sh: bootstrap, builds, the three parts, this section");
out("# the parts, by hand (bench.sh does all of this; BENCH_* variables shorten a trial run):");
out("scripts/build-pkg.sh /tmp/pkg");
out("node bench/size.mjs /tmp/pkg worker/build /tmp/size.json");
out("node bench/browser.mjs /tmp/pkg /tmp/browser.json   # BENCH_ROUNDS, BENCH_ROUND_MS, BENCH_TOKENS, BENCH_COLD_SAMPLES");
out(`wrk -t1 -c<1|10|100> -d${worker.durationSec}s --timeout 5s -s bench/accesstoken.lua $WORKER_URL/accesstoken`);
out("BENCH_BASELINE=1 wrk -t1 -c<1|10|100> -d<half>s --timeout 5s -s bench/accesstoken.lua $WORKER_URL/healthz");
out("curl $EMULATOR_URL/_emulator/stats       # {\"/accesstoken/get\": <upstream calls>, ...}");
out("```");

const section = lines.join("\n");
const START = "<!-- bench:start (generated by scripts/bench.sh; do not edit by hand) -->";
const END = "<!-- bench:end -->";
let md = existsSync(mdFile) ? readFileSync(mdFile, "utf8") : "# Benchmarks\n";
const a = md.indexOf("<!-- bench:start");
const b = md.indexOf(END);
const block = `${START}\n${section}\n${END}`;
if (a >= 0 && b > a) md = md.slice(0, a) + block + md.slice(b + END.length);
else md = md.replace(/\n*$/, "\n\n") + block + "\n";
writeFileSync(mdFile, md);
console.log(section);
