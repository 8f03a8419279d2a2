// The packed package where users run it (scripts/test-package.sh): every recipe of the
// package README (its blocks marked `<!-- test: <scenario> <file> -->`, `$` for the commands)
// is written into a fresh project with the tarball installed, run as written, and checked:
// the browser builds (Vite, webpack, esbuild, Rollup) in headless Chromium, Node ESM and
// CommonJS, a webpack server bundle (SSR), a JavaScript Worker bundled by wrangler and run in
// workerd (miniflare), a strict Content-Security-Policy with and without 'wasm-unsafe-eval',
// and tsc over the types with the DOM lib and with Node types only.
// Usage: node tests/package/run.mjs <vipps-auth-*.tgz>
import { execFileSync } from "node:child_process";
import { createSign, generateKeyPairSync } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { Miniflare } from "miniflare";

const here = path.dirname(fileURLToPath(import.meta.url));
const tarball = path.resolve(process.argv[2]);
// RFC 7636 appendix B, the value every README example prints.
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const work = mkdtempSync(path.join(tmpdir(), "vipps-auth-package-"));
const failures = [];

/** The README's marked blocks, by scenario: files by name, and `$` the shell commands. */
function recipes() {
  const text = readFileSync(path.join(work, "readme", "package", "README.md"), "utf8");
  const out = {};
  let marks = [];
  const lines = text.split("\n");
  // The README says every block of this section is run: one without a mark is an error.
  const section = lines.indexOf("## Where it runs");
  if (section < 0) throw new Error("the package README has no \"## Where it runs\" section");
  for (let i = 0; i < lines.length; i++) {
    const mark = lines[i].match(/^<!-- test: (\S+) (\S+) -->$/);
    if (mark) { marks.push(mark.slice(1)); continue; }
    if (lines[i].startsWith("```") && i > section && !marks.length) {
      throw new Error(`package README line ${i + 1}: a code block that no test runs`);
    }
    if (lines[i].startsWith("```") && marks.length) {
      const body = [];
      while (!lines[++i].startsWith("```")) body.push(lines[i]);
      for (const [scenario, file] of marks) (out[scenario] ??= {})[file] = body.join("\n") + "\n";
      marks = [];
    } else if (lines[i].trim() !== "") marks = [];
  }
  return out;
}

/** A fresh project with the tarball installed (npm, offline) and the pinned tools linked in. */
function project(name, files) {
  const dir = path.join(work, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent", tarball], { cwd: dir, stdio: "inherit" });
  const tools = path.join(here, "node_modules");
  for (const entry of readdirSync(tools)) {
    if (entry === "vipps-auth" || (entry.startsWith(".") && entry !== ".bin")) continue;
    if (entry.startsWith("@")) {
      mkdirSync(path.join(dir, "node_modules", entry), { recursive: true });
      for (const scoped of readdirSync(path.join(tools, entry))) {
        try { symlinkSync(path.join(tools, entry, scoped), path.join(dir, "node_modules", entry, scoped)); } catch {}
      }
    } else {
      try { symlinkSync(path.join(tools, entry), path.join(dir, "node_modules", entry)); } catch {}
    }
  }
  for (const [file, text] of Object.entries(files)) {
    if (file === "$") continue;
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Runs the recipe's shell commands as written; their output. */
function sh(dir, commands) {
  return execFileSync("bash", ["-euo", "pipefail", "-c", commands], {
    cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
  });
}

/** Serves `root` on loopback, with `headers` on every response. */
async function serve(root, headers = {}) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    if (file.endsWith("/")) file += "index.html";
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream", ...headers });
      res.end(body);
    } catch { res.writeHead(404); res.end(); }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

let browser;
/** Opens the page `root` serves; the body's text once it is set, or the page's errors. */
async function open(root, headers) {
  const server = await serve(root, headers);
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`${e.name}: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  try {
    await page.goto(server.url);
    // Until the page shows a result or fails (a failing page shows nothing), at most 15 s.
    let text = "";
    for (const until = Date.now() + 15000; !text && !errors.length && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 100));
      text = await page.evaluate(() => document.body?.textContent ?? "");
    }
    return { text, errors };
  } finally {
    await page.close();
    await server.close();
  }
}

async function scenario(name, fn) {
  const started = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name}: ${e.stack ?? e}`);
  }
}

function expectPage(result, what) {
  if (result.text !== CHALLENGE) {
    throw new Error(`${what}: the page shows ${JSON.stringify(result.text)}, errors: ${result.errors.join(" | ")}`);
  }
}

mkdirSync(path.join(work, "readme"));
execFileSync("tar", ["xzf", tarball, "-C", path.join(work, "readme")]);
const r = recipes();
for (const name of ["vite", "webpack", "esbuild", "rollup", "node", "ssr", "worker", "csp"]) {
  if (!r[name]) throw new Error(`the package README has no recipe marked for ${name}`);
}
browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});
try {
  let viteDist;
  await scenario("Vite build, served, in Chromium", async () => {
    const dir = project("vite", r.vite);
    sh(dir, r.vite.$);
    viteDist = path.join(dir, "dist");
    expectPage(await open(viteDist), "vite");
  });

  for (const name of ["webpack", "esbuild", "rollup"]) {
    await scenario(`${name}, as documented, in Chromium`, async () => {
      const dir = project(name, r[name]);
      sh(dir, r[name].$);
      expectPage(await open(dir), name);
    });
  }

  await scenario("esbuild without the documented loader fails at run time (why the recipe exists)", async () => {
    const dir = project("esbuild-plain", { "src/main.js": r.webpack["src/main.js"], "index.html": r.esbuild["index.html"] });
    sh(dir, "npx esbuild src/main.js --bundle --format=esm --outdir=dist");
    const result = await open(dir);
    if (result.text === CHALLENGE) throw new Error("a bundle without the wasm ran: the esbuild section is not needed");
  });

  await scenario("strict CSP: refused without 'wasm-unsafe-eval' with the documented error, runs with it", async () => {
    const header = r.csp.header.trim();
    const [name, value] = header.split(/:\s*/, 2);
    expectPage(await open(viteDist, { [name]: value }), "csp with 'wasm-unsafe-eval'");
    const strict = await open(viteDist, { [name]: value.replace(" 'wasm-unsafe-eval'", "") });
    const documented = r.csp.error.trim();
    if (strict.text === CHALLENGE || !strict.errors.some((e) => e.startsWith(documented))) {
      throw new Error(`without 'wasm-unsafe-eval' the page did not fail as the README says: ${JSON.stringify(strict)}`);
    }
  });

  await scenario("Node ESM and CommonJS, no init code", async () => {
    const dir = project("node", r.node);
    for (const file of ["main.mjs", "main.cjs"]) {
      const out = execFileSync("node", [file], { cwd: dir, encoding: "utf8" }).trim();
      if (out !== CHALLENGE) throw new Error(`${file} printed ${out}`);
    }
  });

  await scenario("SSR: a webpack server bundle carries the wasm and runs", async () => {
    const dir = project("ssr", r.ssr);
    const out = sh(dir, r.ssr.$).trim().split("\n").pop();
    if (out !== `<p>${CHALLENGE}</p>`) throw new Error(`the server bundle printed ${out}`);
    if (!readdirSync(path.join(dir, "server")).some((f) => f.endsWith(".wasm"))) throw new Error("no wasm in the server bundle");
  });

  await scenario("JavaScript Worker bundled by wrangler, in workerd: codeChallengeS256 and validateIdToken", async () => {
    const dir = project("worker", r.worker);
    sh(dir, r.worker.$);
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = { ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" };
    const issuer = "https://login.example/";
    const now = Math.floor(Date.now() / 1000);
    const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const input = `${b64({ alg: "RS256", typ: "JWT", kid: "k1" })}.${b64({ iss: issuer, aud: "client-1", sub: "user-7", nonce: "n-1", iat: now, exp: now + 300 })}`;
    const idToken = `${input}.${createSign("RSA-SHA256").update(input).sign(privateKey).toString("base64url")}`;
    const wrangler = Object.fromEntries(readFileSync(path.join(dir, "wrangler.toml"), "utf8").split("\n")
      .map((l) => l.match(/^(\w+) = "(.*)"$/)).filter(Boolean).map((m) => [m[1], m[2]]));
    const mf = new Miniflare({
      modules: true,
      modulesRoot: path.join(dir, "dist"),
      scriptPath: path.join(dir, "dist", path.basename(wrangler.main)),
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      compatibilityDate: wrangler.compatibility_date,
      bindings: { VIPPS_ISSUER: issuer, VIPPS_CLIENT_ID: "client-1", VIPPS_JWKS: { keys: [jwk] } },
    });
    try {
      const good = await mf.dispatchFetch("http://worker/", { method: "POST", body: JSON.stringify({ idToken, nonce: "n-1" }) });
      const text = await good.text();
      let body;
      try { body = JSON.parse(text); } catch { throw new Error(`the worker answered ${good.status}: ${text}`); }
      if (body.sub !== "user-7" || body.challenge !== CHALLENGE) throw new Error(`the worker answered ${JSON.stringify(body)}`);
      const forged = await mf.dispatchFetch("http://worker/", { method: "POST", body: JSON.stringify({ idToken: idToken.slice(0, -4) + "AAAA", nonce: "n-1" }) });
      if (forged.status !== 500) throw new Error(`a forged token got ${forged.status}`);
    } finally {
      await mf.dispose();
    }
  });

  for (const [name, config] of [["DOM lib", "tsconfig.dom.json"], ["Node types only", "tsconfig.node.json"]]) {
    await scenario(`tsc --strict, skipLibCheck false, ${name}`, async () => {
      const dir = project(`tsc-${config.split(".")[1]}`, {
        [config]: readFileSync(path.join(here, "fixtures", config), "utf8"),
        "example.ts": readFileSync(path.join(here, "..", "types", "example.ts"), "utf8"),
      });
      sh(dir, `npx tsc -p ${config}`);
    });
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`package: ${failures.length} failed: ${failures.join("; ")}`);
  process.exit(1);
}
console.log("package: every environment passed");
