// The demo's merchant backend (scripts/demo-merchant.mjs, mounted by scripts/serve-static.mjs
// --merchant) against DNS rebinding: a page on evil.example, its name rebound to 127.0.0.1,
// sends Host and Origin both `evil.example:<port>`. The backend must take its own origin from
// the loopback address it listens on, not from Host, or such a page could start CIBA pushes
// with the merchant's WORKER_API_KEY and read their results. The worker is a stand-in that
// counts what reaches it. Node >= 20.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rawRequest, startServeStatic } from "./serve-static-process.mjs";

const www = mkdtempSync(join(tmpdir(), "demo-merchant-"));
let child;
let port;
/** The paths the stand-in worker received. */
const reached = [];
const fakeWorker = createServer((req, res) => {
  reached.push(req.url);
  req.resume();
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ authReqId: "stand-in", expiresIn: 600, interval: 5 }));
});

/** A POST with exactly these headers. */
const post = (path, headers, body) => rawRequest({ port, path, method: "POST", headers, body });

const start = (host, origin) =>
  post(
    "/merchant/ciba/start",
    { host, ...(origin ? { origin } : {}), "content-type": "application/json" },
    JSON.stringify({ phoneNumber: "4712345678" }),
  );

before(async () => {
  await new Promise((resolve) => fakeWorker.listen(0, "127.0.0.1", resolve));
  ({ child, port } = await startServeStatic(www, ["--merchant"], {
    ...process.env,
    WORKER_URL: `http://127.0.0.1:${fakeWorker.address().port}`,
    WORKER_API_KEY: "demo-merchant-test-key",
    EMULATOR_URL: "",
    LOGIN_PARTNER_MSNS: "",
  }));
});

after(() => {
  child?.kill();
  fakeWorker.close();
  rmSync(www, { recursive: true, force: true });
});

test("a DNS-rebinding page (Host and Origin both evil.example) gets 403 and nothing reaches the worker", async () => {
  const before = reached.length;
  for (const [host, origin] of [
    [`evil.example:${port}`, `http://evil.example:${port}`],
    [`evil.example:${port}`, undefined],
    [`127.0.0.1.evil.example:${port}`, `http://127.0.0.1.evil.example:${port}`],
    [`localhost:${port + 1}`, `http://localhost:${port + 1}`],
  ]) {
    const r = await start(host, origin);
    assert.equal(r.status, 403, `${host} ${origin}: ${r.text}`);
    assert.equal(JSON.parse(r.text).error, "ERR_ORIGIN_NOT_ALLOWED");
    assert.equal(r.headers["access-control-allow-origin"], undefined);
  }
  const poll = await post(
    "/merchant/ciba/poll",
    { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, "content-type": "application/json" },
    JSON.stringify({ authReqId: "stand-in" }),
  );
  assert.equal(poll.status, 403, "nor can it read a login's result");
  assert.deepEqual(reached.slice(before), [], "no request reached the worker");
});

test("its own loopback origin, by address or as localhost, is served, and another origin on it is not", async () => {
  const before = reached.length;
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
    const r = await start(host, `http://${host}`);
    assert.equal(r.status, 200, `${host}: ${r.text}`);
  }
  assert.deepEqual(reached.slice(before), ["/login/ciba/start", "/login/ciba/start"]);
  const cross = await start(`127.0.0.1:${port}`, `http://evil.example:${port}`);
  assert.equal(cross.status, 403, cross.text);
  assert.equal(reached.length, before + 2);
});
