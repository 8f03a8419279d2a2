// Serves the built package and index.html on loopback and opens the page in headless
// Chromium (playwright-core, the Debian chromium binary); exits non-zero when a check fails.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = process.env.VIPPS_AUTH_PKG ?? path.join(root, "pkg");
const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const server = createServer(async (req, res) => {
  const p = new URL(req.url, "http://x").pathname;
  const file = p === "/" ? path.join(root, "tests/browser-smoke/index.html")
    : p.startsWith("/pkg/") ? path.join(pkg, path.basename(p)) : null;
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
let ok = false;
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const result = await page.waitForFunction(() => window.__result, null, { timeout: 30000 }).then((h) => h.jsonValue());
  for (const c of result.checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}`);
  ok = result.ok;
} finally {
  await browser.close();
  server.close();
}
console.log(ok ? "browser smoke: ok" : "browser smoke: FAILED");
process.exit(ok ? 0 : 1);
