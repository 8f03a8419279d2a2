// What a server (or an attacker's input) can make the package do with its answers: follow a
// redirect past the URL rule, fill memory with a body that never ends, or leave a buffer the
// size of a huge token behind. Run over the built package, against loopback servers.
import test from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { buffer, MAX_KEPT } from "../../js/bytes.js";
import { loadPackage, rsaKey, serve } from "./helpers.mjs";

const v = await loadPackage();
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");
const ISSUER_PATH = "/access-management-1.0/access/";

const codeOf = (p) => p.then(() => "resolved", (e) => e.code);

test("a redirect from a JWKS or discovery URL is refused (ERR_NETWORK), never followed", async () => {
  const signer = rsaKey("public:k");
  const elsewhere = await serve({ "/jwks": { keys: [signer.jwk] }, [`${ISSUER_PATH}.well-known/openid-configuration`]: {} });
  const redirect = (to) => (req, res) => { res.writeHead(302, { location: to }); res.end(); };
  const origin = await serve({
    "/jwks": redirect(`${elsewhere.base}/jwks`),
    [`${ISSUER_PATH}.well-known/openid-configuration`]: redirect(`${elsewhere.base}${ISSUER_PATH}.well-known/openid-configuration`),
  });
  try {
    const keys = v.KeySet.remote(`${origin.base}/jwks`);
    const failure = await v.verifyJwt(signer.sign({ sub: "x" }), keys).catch((e) => e);
    assert.equal(failure.code, "ERR_NETWORK");
    assert.match(failure.message, /redirect refused \(HTTP 302\)/);
    assert.equal(await codeOf(v.discover(`${origin.base}${ISSUER_PATH}`)), "ERR_NETWORK");
    assert.equal(origin.hits["/jwks"], 1);
    assert.deepEqual(elsewhere.hits, {}, "the redirect target was never asked");
  } finally {
    await origin.close();
    await elsewhere.close();
  }
});

/** A response body that never ends, sent as fast as the client takes it; counts what was sent. */
function endless(sent) {
  const chunk = Buffer.alloc(1 << 20, 0x20);
  return (req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write("{\"keys\":[");
    const pump = () => {
      while (!res.destroyed && sent.bytes < 1 << 30) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) return res.once("drain", pump);
      }
    };
    res.on("close", () => { sent.closed = true; });
    pump();
  };
}

test("an endless chunked JWKS body is refused as too large once past the cap, and memory does not grow with it", async () => {
  const sent = { bytes: 0 };
  const server = await serve({ "/jwks": endless(sent) });
  try {
    gc();
    const before = process.memoryUsage();
    // A timeout far beyond what the cap needs: without the cap, the body would be read for 20 s.
    const keys = v.KeySet.remote(`${server.base}/jwks`, { timeoutMs: 20000 });
    const failure = await v.verifyJwt(rsaKey("public:k").sign({ sub: "x" }), keys).catch((e) => e);
    const after = process.memoryUsage();
    assert.equal(failure.code, "ERR_RESPONSE_MALFORMED", failure.message);
    assert.match(failure.message, /too large/);
    const grown = Math.max(after.arrayBuffers - before.arrayBuffers, after.rss - before.rss);
    assert.ok(grown < 64 << 20, `memory grew by ${grown >> 20} MiB while the server sent ${sent.bytes >> 20} MiB`);
    for (let i = 0; i < 50 && !sent.closed; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(sent.closed, "the client stopped the download");
  } finally {
    await server.close();
  }
});

test("a Content-Length above the cap is refused before the body is read", async () => {
  const server = await serve({
    [`${ISSUER_PATH}.well-known/openid-configuration`]: (req, res) => {
      // Declares 50 MiB and sends almost none of it: only the header can tell.
      res.writeHead(200, { "content-type": "application/json", "content-length": String(50 << 20) });
      res.write("{");
    },
  });
  try {
    assert.equal(await codeOf(v.discover(`${server.base}${ISSUER_PATH}`)), "ERR_RESPONSE_MALFORMED");
  } finally {
    await server.close();
  }
});

test("a 10 MiB token is refused as the core refuses any token over its limit, and leaves no 10 MiB buffer behind", async () => {
  const keys = v.KeySet.fromJwks({ keys: [rsaKey("public:k").jwk] });
  const huge = `${"a".repeat(10 << 20)}.b.c`;
  gc();
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(() => v.decodeJwt(huge), { code: "ERR_JWT_MALFORMED", message: /size limit/ });
  assert.equal(await codeOf(v.verifyJwt(huge, keys)), "ERR_JWT_MALFORMED");
  assert.equal(await codeOf(v.validateIdToken(huge, { issuer: "https://x/", clientId: "c", keys })), "ERR_JWT_MALFORMED");
  gc();
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(grown < 4 << 20, `array buffers grew by ${grown >> 20} MiB`);
  // The limit is the core's: a token just at it is not refused for its size.
  const atLimit = `${"a".repeat((16 << 10) - 4)}.b.c`;
  assert.throws(() => v.decodeJwt(atLimit), (e) => e.code === "ERR_JWT_MALFORMED" && !/size limit/.test(e.message));
});

test("the scratch buffers keep nothing larger than 64 KiB", () => {
  assert.equal(MAX_KEPT, 64 << 10);
  const big = buffer(1, 10 << 20);
  assert.ok(big.length >= 10 << 20);
  assert.ok(buffer(1, 1).length <= MAX_KEPT, "the 10 MiB buffer is not kept for the next use");
  assert.notEqual(buffer(1, 1).buffer, big.buffer);
});
