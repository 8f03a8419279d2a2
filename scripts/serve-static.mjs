// A small static file server for the demo SPA: loopback only, no caching, correct types
// for .wasm and .js. Usage: node scripts/serve-static.mjs <dir> <port> [--merchant]
// Prints "serving <dir> on http://127.0.0.1:<port>" when ready (port 0 picks a free one).
// --merchant also mounts the demo's merchant backend under /merchant/ (scripts/demo-merchant.mjs:
// it holds WORKER_API_KEY from the environment, so the CIBA panel's page never does).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

import { merchantBackend } from "./demo-merchant.mjs";

const args = process.argv.slice(2);
const withMerchant = args.includes("--merchant");
const [dir = "www", port = "8080"] = args.filter((a) => a !== "--merchant");
const merchant = withMerchant
  ? merchantBackend({
      workerUrl: process.env.WORKER_URL,
      apiKey: process.env.WORKER_API_KEY,
      emulatorUrl: process.env.EMULATOR_URL,
      msn: process.env.LOGIN_PARTNER_MSNS?.split(",")[0]?.trim() || undefined,
    })
  : undefined;
const root = resolve(dir);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** Whether `file` lies inside `root`: under root plus a separator, so that a sibling sharing
 * the prefix (`/work/www-evil` beside `/work/www`) is outside. */
const isInside = (file, dir) => file.startsWith(dir.endsWith(sep) ? dir : dir + sep);

const server = createServer(async (req, res) => {
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  } catch {
    // A bad percent-escape (`/%E0%A4%A`) is the client's error, not the server's end.
    res.writeHead(400, { "content-type": "text/plain" }).end("bad request");
    return;
  }
  if (merchant && (await merchant(req, res, path))) return;
  const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
  if (!isInside(file, root)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
});
server.listen(Number(port), "127.0.0.1", () => {
  console.log(`serving ${dir} on http://127.0.0.1:${server.address().port}`);
});
