// Serves the built package, the package's JS sources and the test pages on loopback and
// opens them in headless Chromium (playwright-core, the Debian chromium binary):
//   index.html    the package's API as an app uses it (PKCE, authorize URL, callback, WebCrypto);
//   vectors.html  the Wycheproof vectors (tests/vectors/vectors.mjs) through the package.
// Vectors: $VIPPS_AUTH_VECTORS, else ../shared/vectors or ../../shared/vectors beside the
// checkout; without them the vector page is SKIPPED (loudly). Exits non-zero when a check fails.
import { createServer } from "node:http";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = process.env.VIPPS_AUTH_PKG ?? path.join(root, "pkg");
const vectors = [process.env.VIPPS_AUTH_VECTORS, path.join(root, "../shared/vectors"), path.join(root, "../../shared/vectors")]
  .filter(Boolean).find((d) => existsSync(path.join(d, "wycheproof/json_web_signature_test.json")));
const types = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".json": "application/json" };

function fileFor(p) {
  if (p === "/") return path.join(root, "tests/browser-smoke/index.html");
  if (p === "/vectors.html") return path.join(root, "tests/browser-smoke/vectors.html");
  if (p.startsWith("/pkg/")) return path.join(pkg, path.basename(p));
  if (p.startsWith("/js/")) return path.join(root, "js", path.basename(p));
  if (p === "/tests/vectors/vectors.mjs") return path.join(root, p);
  if (p.startsWith("/wycheproof/") && vectors) return path.join(vectors, "wycheproof", path.basename(p));
  return null;
}

const server = createServer(async (req, res) => {
  const file = fileFor(new URL(req.url, "http://x").pathname);
  try {
    if (!file) throw new Error("not found");
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});

async function run(page, url, timeout) {
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}${url}`);
  return page.waitForFunction(() => window.__result, null, { timeout }).then((h) => h.jsonValue());
}

let ok = false;
try {
  const smoke = await run(await browser.newPage(), "/", 30000);
  for (const c of smoke.checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}`);
  ok = smoke.ok;
  if (!vectors) {
    console.log(`SKIPPED: vectors not found at ${process.env.VIPPS_AUTH_VECTORS ?? "../shared/vectors, ../../shared/vectors"} (set VIPPS_AUTH_VECTORS)`);
  } else {
    const v = await run(await browser.newPage(), "/vectors.html", 120000);
    for (const f of v.files) {
      console.log(`${f.failures.length === 0 ? "ok  " : "FAIL"} ${f.name}: ${f.checked} cases, ${f.failures.length} unexpected`);
      for (const why of f.failures.slice(0, 20)) console.log(`       ${why}`);
    }
    ok = ok && v.ok;
  }
} finally {
  await browser.close();
  server.close();
}
console.log(ok ? "browser smoke + vectors: ok" : "browser smoke + vectors: FAILED");
process.exit(ok ? 0 : 1);
