// The worker in workerd (miniflare) against the local Vipps emulator. Run by tests/run.sh,
// which builds both and passes EMULATOR_URL. Node >= 22. Setup shared with
// hardening.test.mjs lives in helpers.mjs.
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { ORIGIN, REDIRECT, TMP, assertError, harness, within } from "./helpers.mjs";

const EMULATOR = process.env.EMULATOR_URL;
const EMULATOR_POST = process.env.EMULATOR_POST_URL; // a sales unit set to client_secret_post
assert.ok(EMULATOR && EMULATOR_POST, "EMULATOR_URL and EMULATOR_POST_URL must be set (run tests/run.sh)");

const API_KEY = "test-worker-api-key-0123456789";

const { worker, stop, stopAll, call, emulator, count, fault, clearFaults, approve, spaAuthorize, ...h } = harness({
  emulatorUrl: EMULATOR,
  secrets: ["emulator-client-secret", "emulator-subscription-key", API_KEY],
  bindings: {
    VIPPS_BASE_URL: EMULATOR,
    VIPPS_CLIENT_ID: "emulator-client-id",
    VIPPS_CLIENT_SECRET: "emulator-client-secret",
    VIPPS_SUBSCRIPTION_KEY: "emulator-subscription-key",
    VIPPS_MSN: "123456",
    LOGIN_TOKEN_AUTH: "client_secret_basic",
    LOGIN_REDIRECT_URIS: `${REDIRECT},http://127.0.0.1:8080/callback.html`,
    ALLOWED_ORIGINS: `${ORIGIN},http://127.0.0.1:8080`,
    WORKER_API_KEY: API_KEY,
    UPSTREAM_TIMEOUT_MS: "1500",
  },
});
const bearer = (key = API_KEY) => h.bearer(key);

after(stopAll);

// --- the suites ---------------------------------------------------------------------------

describe("health and routing", () => {
  let mf;
  before(() => (mf = worker()));

  test("GET /healthz answers ok", async () => {
    const r = await call(mf, "GET", "/healthz");
    assert.equal(r.status, 200);
    assert.equal(r.json.ok, true);
  });

  test("an unknown path is 404 ERR_NOT_FOUND", async () => {
    assertError(await call(mf, "GET", "/nope"), 404, "ERR_NOT_FOUND");
  });

  test("a wrong method is 405 ERR_METHOD_NOT_ALLOWED with Allow", async () => {
    const r = await call(mf, "GET", "/accesstoken");
    assertError(r, 405, "ERR_METHOD_NOT_ALLOWED");
    assert.match(r.headers.get("allow"), /POST/);
  });

  test("methods the platform does not know (PROPFIND and friends) are 405 with Allow, never read as GET", async () => {
    // workers-rs reads a method outside its enum as GET: PROPFIND /healthz used to answer 200.
    const methods = ["PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT", "PURGE", "PATCH", "PUT", "DELETE"];
    for (const method of methods) {
      for (const [path, allow] of [["/healthz", "GET, HEAD, OPTIONS"], ["/login/jwks", "GET, HEAD, OPTIONS"], ["/login/token", "POST, OPTIONS"]]) {
        const r = await call(mf, method, path);
        assertError(r, 405, "ERR_METHOD_NOT_ALLOWED");
        assert.equal(r.headers.get("allow"), allow, `${method} ${path}`);
      }
    }
    // Methods are case-sensitive: workerd refuses a lowercase unknown one itself (501); were it
    // to pass one on, the worker refuses it as well (route.rs).
    const lower = await call(mf, "propfind", "/healthz");
    assert.ok([405, 501].includes(lower.status), `${lower.status} ${lower.text}`);
  });

  test("every answer says Vary: Origin, since its CORS headers depend on the Origin", async () => {
    const cases = [
      ["GET", "/healthz", {}],
      ["GET", "/login/jwks", {}],
      ["GET", "/login/jwks", { Origin: ORIGIN }],
      ["GET", "/login/jwks", { Origin: "https://evil.example" }],
      ["GET", "/login/config", { Origin: ORIGIN }],
      ["GET", "/nope", {}],
      ["PROPFIND", "/healthz", {}],
      ["POST", "/accesstoken", {}],
      ["POST", "/login/token", { Origin: "https://evil.example" }],
      ["OPTIONS", "/login/token", { Origin: ORIGIN, "Access-Control-Request-Method": "POST" }],
      ["OPTIONS", "/login/token", { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" }],
      ["OPTIONS", "/login/token", {}],
      ["GET", "/healthz", { Origin: "o".repeat(600) }],
    ];
    for (const [method, path, headers] of cases) {
      const r = await call(mf, method, path, { headers });
      const vary = (r.headers.get("vary") ?? "").split(",").map((v) => v.trim().toLowerCase());
      assert.ok(vary.includes("origin"), `${method} ${path} ${JSON.stringify(headers)}: Vary is ${r.headers.get("vary")}`);
    }
    const jwks = await call(mf, "GET", "/login/jwks");
    assert.match(jwks.headers.get("cache-control"), /public/, "the JWKS is the cacheable answer Vary protects");
  });
});

/**
 * Sends a chunked body (no Content-Length) over a real connection: `chunks` of `chunkSize`
 * bytes, one each `intervalMs` (default 1 ms), or without end when `chunks` is Infinity. Resolves with the
 * answer's status, JSON body and how many bytes had been written when it arrived. (Paced, so
 * that the answer is read before the server, closing a connection whose body it left unread,
 * resets it.)
 */
function sendChunked(url, path, { chunkSize = 1024, chunks, intervalMs = 1, timeoutMs = 15_000 }) {
  let timer;
  return within(timeoutMs, `chunked POST ${path}`, new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, url), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
    });
    let written = 0;
    let done = false;
    const chunk = Buffer.alloc(chunkSize, 0x20); // JSON whitespace
    req.on("response", (res) => {
      done = true;
      clearInterval(timer);
      const writtenAtAnswer = written;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode, json: JSON.parse(text), writtenAtAnswer });
      });
    });
    req.on("error", (e) => (done ? undefined : reject(e)));
    timer = setInterval(() => {
      if (done) return;
      if (written >= chunks * chunkSize) {
        clearInterval(timer);
        req.end();
        return;
      }
      written += chunkSize;
      req.write(chunk);
    }, intervalMs);
  })).finally(() => clearInterval(timer));
}

describe("request bodies are counted while they stream in", () => {
  let mf;
  let url;
  before(async () => {
    mf = worker();
    url = await mf.ready;
  });

  test("a chunked 1 MiB body without Content-Length is 413 ERR_BODY_TOO_LARGE, answered before it is all sent", async () => {
    const r = await sendChunked(url, "/login/token", { chunks: 1024 });
    assert.equal(r.status, 413);
    assert.equal(r.json.error, "ERR_BODY_TOO_LARGE");
    assert.ok(r.writtenAtAnswer < 1024 * 1024, `the answer came after ${r.writtenAtAnswer} bytes`);
  });

  test("a chunked body that never ends is 413 at once: nothing past the limit is waited for", async (t) => {
    // Reading the whole body first never answers (and buffers without bound).
    const r = await sendChunked(url, "/login/token", { chunks: Infinity, timeoutMs: 10_000 });
    assert.equal(r.status, 413);
    assert.equal(r.json.error, "ERR_BODY_TOO_LARGE");
    assert.ok(r.writtenAtAnswer > 16 * 1024, "answered once the limit was crossed, not before");
    t.diagnostic(`answered after ${r.writtenAtAnswer} bytes were written`);
  });

  test("a body that trickles in (a byte a second) is 408 ERR_BODY_TIMEOUT after 10 s, not held open", async () => {
    const started = Date.now();
    const r = await sendChunked(url, "/login/token", { chunkSize: 1, chunks: Infinity, intervalMs: 1000, timeoutMs: 20_000 });
    assert.equal(r.status, 408);
    assert.equal(r.json.error, "ERR_BODY_TIMEOUT");
    assert.ok(Date.now() - started < 15_000, "answered at the deadline");
    assert.equal((await call(mf, "GET", "/healthz")).status, 200, "the worker serves on");
  });

  test("a body under the limit is still read whole when chunked", async () => {
    const r = await sendChunked(url, "/login/start", { chunks: 8 });
    assert.equal(r.status, 400, "whitespace only: 'a JSON body is required'");
    assert.equal(r.json.error, "ERR_BAD_REQUEST");
  });
});

describe("POST /accesstoken", () => {
  let mf;
  before(async () => {
    await emulator("POST", "/_emulator/reset");
    mf = worker();
  });
  afterEach(clearFaults);

  test("without an API key is 401 and names no secret", async () => {
    assertError(await call(mf, "POST", "/accesstoken"), 401, "ERR_UNAUTHORIZED");
  });

  test("with a wrong API key is 401", async () => {
    assertError(await call(mf, "POST", "/accesstoken", { headers: bearer("wrong") }), 401, "ERR_UNAUTHORIZED");
    assertError(await call(mf, "POST", "/accesstoken", { headers: { Authorization: API_KEY } }), 401, "ERR_UNAUTHORIZED");
  });

  test("200 concurrent cold requests make exactly one upstream call", async () => {
    const before = await count("/accesstoken/get");
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => call(mf, "POST", "/accesstoken", { headers: bearer() })),
    );
    for (const r of answers) assert.equal(r.status, 200, r.text);
    assert.equal((await count("/accesstoken/get")) - before, 1);
    const tokens = new Set(answers.map((r) => r.json.accessToken));
    assert.equal(tokens.size, 1);
    const a = answers[0].json;
    assert.equal(a.tokenType, "Bearer");
    assert.ok(a.expiresOn > Date.now() / 1000 + 60);
    assert.ok(answers.some((r) => r.json.cached === false));
  });

  test("a second request is answered from the cache", async () => {
    const before = await count("/accesstoken/get");
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assert.equal(r.status, 200);
    assert.equal(r.json.cached, true);
    assert.equal(await count("/accesstoken/get"), before);
  });

  test("a body with unknown fields is 400 ERR_BAD_REQUEST", async () => {
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer(), body: { x: 1 } });
    assertError(r, 400, "ERR_BAD_REQUEST");
  });

  test("a body over 16 KiB is 413", async () => {
    const r = await call(mf, "POST", "/accesstoken", {
      headers: { ...bearer(), "Content-Type": "application/json" },
      raw: JSON.stringify({ pad: "x".repeat(17 * 1024) }),
    });
    assertError(r, 413, "ERR_BODY_TOO_LARGE");
  });

  test("an overlong Authorization header is 431", async () => {
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer("k".repeat(5000)) });
    assertError(r, 431, "ERR_HEADER_TOO_LARGE");
  });

  test("the token is refreshed before it expires", async () => {
    // The emulator's tokens live 70 s: with under 60 s left a token is no longer handed out.
    const first = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    const before = await count("/accesstoken/get");
    const wait = (first.json.expiresOn - 60) * 1000 - Date.now() + 1500;
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    const second = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assert.equal(second.status, 200, second.text);
    assert.equal(second.json.cached, false);
    assert.notEqual(second.json.accessToken, first.json.accessToken);
    assert.ok(second.json.expiresOn - Date.now() / 1000 > 60);
    assert.equal((await count("/accesstoken/get")) - before, 1);
  });
});

describe("upstream failures", () => {
  afterEach(clearFaults);

  test("a 5xx is retried, then 502 ERR_UPSTREAM", async () => {
    const mf = worker({ VIPPS_MSN: "2001" }); // another credential set: a cold cache
    const before = await count("/accesstoken/get");
    await fault({ path: "/accesstoken/get", kind: "status", status: 503, count: 10 });
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assertError(r, 502, "ERR_UPSTREAM");
    assert.equal((await count("/accesstoken/get")) - before, 3, "three attempts");
    await stop(mf);
  });

  test("a transient 5xx is retried and succeeds; the failure was not cached", async () => {
    const mf = worker({ VIPPS_MSN: "2002" });
    await fault({ path: "/accesstoken/get", kind: "status", status: 500, count: 1 });
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assert.equal(r.status, 200, r.text);
    await stop(mf);
  });

  test("an answer slower than the timeout is 504 ERR_UPSTREAM_TIMEOUT", async () => {
    const mf = worker({ VIPPS_MSN: "2003" });
    await fault({ path: "/accesstoken/get", kind: "delay", delayMs: 4000, count: 10 });
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assertError(r, 504, "ERR_UPSTREAM_TIMEOUT");
    await clearFaults();
    const again = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assert.equal(again.status, 200, "a failure is not cached");
    await stop(mf);
  });

  test("a malformed answer is 502 ERR_UPSTREAM_MALFORMED", async () => {
    const mf = worker({ VIPPS_MSN: "2004" });
    await fault({ path: "/accesstoken/get", kind: "malformed", count: 10 });
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assertError(r, 502, "ERR_UPSTREAM_MALFORMED");
    await stop(mf);
  });

  test("a dropped connection is 502 ERR_UPSTREAM_UNREACHABLE", async () => {
    const mf = worker({ VIPPS_MSN: "2005" });
    await fault({ path: "/accesstoken/get", kind: "drop", count: 10 });
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assertError(r, 502, "ERR_UPSTREAM_UNREACHABLE");
    await stop(mf);
  });

  test("a 401 from Vipps is a configuration error, not retried", async () => {
    const mf = worker({ VIPPS_MSN: "2006", VIPPS_SUBSCRIPTION_KEY: "wrong-subscription-key" });
    const before = await count("/accesstoken/get");
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assertError(r, 502, "ERR_UPSTREAM_AUTH");
    assert.ok(!r.text.includes("wrong-subscription-key"));
    assert.equal((await count("/accesstoken/get")) - before, 1);
    await stop(mf);
  });
});

describe("token lifetimes (the core's TokenLifetime)", () => {
  // The client_secret_post emulator: its Access Token API tokens live an hour.
  const clock = async (setting) => {
    const res = await fetch(`${EMULATOR_POST}/_emulator/clock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(setting),
    });
    assert.equal(res.status, 200, await res.text());
  };
  const upstreamCalls = async () => (await (await fetch(`${EMULATOR_POST}/_emulator/stats`)).json())["/accesstoken/get"] ?? 0;
  afterEach(() => clock({}));

  for (const [name, setting, msn] of [
    ["Vipps' clock two hours behind ours", { skewSeconds: -7200 }, "8001"],
    ["expires_on: 0", { expiresOn: 0 }, "8002"],
  ]) {
    test(`${name}: an expires_on not after the send time is ignored, and the token is cached for its expires_in`, async () => {
      await clock(setting);
      const mf = worker({ VIPPS_BASE_URL: EMULATOR_POST, VIPPS_MSN: msn });
      const before = await upstreamCalls();
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await call(mf, "POST", "/accesstoken", { headers: bearer() }));
      for (const r of answers) assert.equal(r.status, 200, r.text);
      assert.equal((await upstreamCalls()) - before, 1, "one call to Vipps, then the cache");
      assert.deepEqual(answers.map((r) => r.json.cached), [false, true, true, true, true]);
      const left = answers[0].json.expiresOn - Date.now() / 1000;
      assert.ok(left > 3500 && left <= 3600, `expiresOn counts expires_in from the send time (${left} s left)`);
      await stop(mf);
    });
  }
});

describe("configuration", () => {
  test("a missing secret is 500 ERR_CONFIG naming the setting", async () => {
    const mf = worker({ VIPPS_SUBSCRIPTION_KEY: undefined, VIPPS_MSN: "3001" });
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assertError(r, 500, "ERR_CONFIG");
    assert.match(r.json.message, /VIPPS_SUBSCRIPTION_KEY/);
    await stop(mf);
  });

  test("a missing WORKER_API_KEY is 500 ERR_CONFIG", async () => {
    const mf = worker({ WORKER_API_KEY: undefined });
    const r = await call(mf, "POST", "/accesstoken", { headers: bearer() });
    assertError(r, 500, "ERR_CONFIG");
    assert.match(r.json.message, /WORKER_API_KEY/);
    await stop(mf);
  });

  test("neither VIPPS_ENV nor VIPPS_BASE_URL is 500 ERR_CONFIG naming VIPPS_ENV", async () => {
    const mf = worker({ VIPPS_BASE_URL: undefined });
    const r = await call(mf, "GET", "/login/config");
    assertError(r, 500, "ERR_CONFIG");
    assert.match(r.json.message, /VIPPS_ENV/);
    await stop(mf);
  });
});

describe("token persistence", () => {
  test("the token survives a restart (Durable Object storage)", async () => {
    const dir = mkdtempSync(join(TMP, "persist-"));
    const first = worker({ VIPPS_MSN: "4001" }, dir);
    const a = await call(first, "POST", "/accesstoken", { headers: bearer() });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.cached, false);
    await stop(first);
    const before = await count("/accesstoken/get");
    const second = worker({ VIPPS_MSN: "4001" }, dir);
    const b = await call(second, "POST", "/accesstoken", { headers: bearer() });
    assert.equal(b.status, 200, b.text);
    assert.equal(b.json.cached, true);
    assert.equal(b.json.accessToken, a.json.accessToken);
    assert.equal(await count("/accesstoken/get"), before);
    await stop(second);
  });
});

describe("POST /miami/token", () => {
  let mf;
  before(() => (mf = worker()));

  test("needs the API key", async () => {
    assertError(await call(mf, "POST", "/miami/token", { body: {} }), 401, "ERR_UNAUTHORIZED");
  });

  test("answers a cached token per scope", async () => {
    const before = await count("/miami/v1/token");
    const a = await call(mf, "POST", "/miami/token", { headers: bearer(), body: { scope: "donations:read" } });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.tokenType, "Bearer");
    assert.equal(a.json.cached, false);
    const b = await call(mf, "POST", "/miami/token", { headers: bearer(), body: { scope: "donations:read" } });
    assert.equal(b.json.cached, true);
    assert.equal(b.json.accessToken, a.json.accessToken);
    const c = await call(mf, "POST", "/miami/token", { headers: bearer() });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.cached, false, "another scope is another cache entry");
    assert.equal((await count("/miami/v1/token")) - before, 2);
  });

  test("a scope that is not a string is 400", async () => {
    const r = await call(mf, "POST", "/miami/token", { headers: bearer(), body: { scope: 5 } });
    assertError(r, 400, "ERR_BAD_REQUEST");
  });
});

describe("login", () => {
  let mf;
  before(() => (mf = worker()));

  test("GET /login/config gives the public settings only", async () => {
    const r = await call(mf, "GET", "/login/config", { headers: { Origin: ORIGIN } });
    assert.equal(r.status, 200);
    assert.equal(r.json.clientId, "emulator-client-id");
    assert.equal(r.json.issuer, `${EMULATOR}/access-management-1.0/access/`);
    assert.equal(r.json.authorizationEndpoint, `${EMULATOR}/access-management-1.0/access/oauth2/auth`);
    assert.match(r.json.scope, /openid/);
    assert.deepEqual(r.json.redirectUris, [REDIRECT, "http://127.0.0.1:8080/callback.html"]);
    assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN);
  });

  test("GET /login/jwks gives the Vipps keys with CORS for allowed origins", async () => {
    const r = await call(mf, "GET", "/login/jwks", { headers: { Origin: ORIGIN } });
    assert.equal(r.status, 200);
    assert.ok(Array.isArray(r.json.keys) && r.json.keys.length > 0);
    assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN);
  });

  test("a foreign origin gets no CORS headers, and its POSTs are refused", async () => {
    const r = await call(mf, "GET", "/login/jwks", { headers: { Origin: "https://evil.example" } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("access-control-allow-origin"), null);
    const p = await call(mf, "POST", "/login/token", { headers: { Origin: "https://evil.example" }, body: { code: "x", state: "y" } });
    assertError(p, 403, "ERR_ORIGIN_NOT_ALLOWED");
    assert.equal(p.headers.get("access-control-allow-origin"), null);
  });

  test("a preflight from an allowed origin is 204 with CORS headers; from another 403 without", async () => {
    const ok = await call(mf, "OPTIONS", "/login/token", {
      headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" },
    });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), ORIGIN);
    assert.match(ok.headers.get("access-control-allow-methods"), /POST/);
    assert.match(ok.headers.get("access-control-allow-headers"), /Content-Type/);
    const no = await call(mf, "OPTIONS", "/login/token", {
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    assert.equal(no.status, 403);
    assert.equal(no.headers.get("access-control-allow-origin"), null);
  });

  test("an SPA login ({code, codeVerifier, redirectUri, nonce}) validates and answers claims and userinfo", async () => {
    const params = await spaAuthorize(mf);
    const r = await call(mf, "POST", "/login/token", { headers: { Origin: ORIGIN }, body: params });
    assert.equal(r.status, 200, r.text);
    assert.equal(typeof r.json.idToken, "string");
    assert.equal(r.json.claims.nonce, params.nonce);
    assert.equal(r.json.claims.aud === "emulator-client-id" || r.json.claims.aud.includes("emulator-client-id"), true);
    assert.equal(typeof r.json.claims.sub, "string");
    assert.equal(r.json.userinfo.sub, r.json.claims.sub);
    assert.ok(!("accessToken" in r.json) && !("access_token" in r.json), "never the access token");
    assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN);
  });

  test("includeUserinfo: false leaves userinfo out", async () => {
    const params = await spaAuthorize(mf);
    const r = await call(mf, "POST", "/login/token", { body: { ...params, includeUserinfo: false } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.userinfo, undefined);
  });

  test("an SPA login that asked for a value outside LOGIN_SCOPE is refused after the exchange: ERR_SCOPE_NOT_ALLOWED, no identity, no userinfo fetched, the code spent", async () => {
    // The SPA (or whoever holds its code) built the authorize URL; LOGIN_SCOPE is the default.
    for (const scope of ["openid name nin", "openid address"]) {
      const params = await spaAuthorize(mf, { scope });
      const before = await count("/vipps-userinfo-api/userinfo");
      const r = await call(mf, "POST", "/login/token", { body: params });
      assertError(r, 403, "ERR_SCOPE_NOT_ALLOWED");
      assert.match(r.json.message, /LOGIN_SCOPE/);
      for (const needle of ["idToken", "claims", "userinfo", "eyJ"]) assert.ok(!r.text.includes(needle), r.text);
      assert.equal(await count("/vipps-userinfo-api/userinfo"), before, "userinfo was not fetched");
      assertError(await call(mf, "POST", "/login/token", { body: params }), 400, "ERR_CODE_REJECTED");
    }
    const narrower = await spaAuthorize(mf, { scope: "openid email" });
    assert.equal((await call(mf, "POST", "/login/token", { body: narrower })).status, 200);
  });

  test("a token response that does not say which scope was granted is refused (502 ERR_UPSTREAM_MALFORMED), with no userinfo fetched", async () => {
    const params = await spaAuthorize(mf);
    await emulator("POST", "/_emulator/token-response-fields", { scope: null });
    const before = await count("/vipps-userinfo-api/userinfo");
    const r = await call(mf, "POST", "/login/token", { body: params });
    assertError(r, 502, "ERR_UPSTREAM_MALFORMED");
    assert.match(r.json.message, /scope/);
    assert.ok(!r.text.includes("eyJ"), r.text);
    assert.equal(await count("/vipps-userinfo-api/userinfo"), before, "userinfo was not fetched");
    assert.equal((await call(mf, "POST", "/login/token", { body: await spaAuthorize(mf) })).status, 200, "the next response has scope again");
  });

  test("a code used twice is 400 ERR_CODE_REJECTED", async () => {
    const params = await spaAuthorize(mf);
    assert.equal((await call(mf, "POST", "/login/token", { body: params })).status, 200);
    const r = await call(mf, "POST", "/login/token", { body: params });
    assertError(r, 400, "ERR_CODE_REJECTED");
    assert.equal(r.json.vippsError, "invalid_grant");
  });

  test("a wrong nonce is 401 ERR_CLAIM_NONCE", async () => {
    const params = await spaAuthorize(mf);
    const r = await call(mf, "POST", "/login/token", { body: { ...params, nonce: "another-nonce-value" } });
    assertError(r, 401, "ERR_CLAIM_NONCE");
  });

  test("a redirect URI outside LOGIN_REDIRECT_URIS is 400", async () => {
    const r = await call(mf, "POST", "/login/token", {
      body: { code: "abc", codeVerifier: "v".repeat(43), redirectUri: "https://evil.example/cb", nonce: "n" },
    });
    assertError(r, 400, "ERR_REDIRECT_URI_NOT_ALLOWED");
    const s = await call(mf, "POST", "/login/start", { body: { redirectUri: "https://evil.example/cb" } });
    assertError(s, 400, "ERR_REDIRECT_URI_NOT_ALLOWED");
  });

  test("bad bodies are 4xx with a code, never 500", async () => {
    const cases = [
      [{ raw: "not json", headers: { "Content-Type": "application/json" } }, 400, "ERR_BAD_REQUEST"],
      [{ raw: "[]", headers: { "Content-Type": "application/json" } }, 400, "ERR_BAD_REQUEST"],
      [{ raw: '{"code":"x","state":"y"}', headers: { "Content-Type": "text/plain" } }, 415, "ERR_UNSUPPORTED_MEDIA_TYPE"],
      [{ body: {} }, 400, "ERR_BAD_REQUEST"],
      [{ body: { code: 1, state: "y" } }, 400, "ERR_BAD_REQUEST"],
      [{ body: { code: "x" } }, 400, "ERR_BAD_REQUEST"],
      [{ body: { code: "x", state: "y", codeVerifier: "z" } }, 400, "ERR_BAD_REQUEST"],
      [{ body: { code: "x".repeat(5000), state: "y" } }, 400, "ERR_BAD_REQUEST"],
      [{ body: { code: "x", state: "y", extra: true } }, 400, "ERR_BAD_REQUEST"],
      [{ body: { code: "x", state: "unknown-state" } }, 400, "ERR_LOGIN_SESSION"],
      [{ raw: "" }, 400, "ERR_BAD_REQUEST"],
    ];
    for (const [opts, status, code] of cases) {
      assertError(await call(mf, "POST", "/login/token", opts), status, code);
    }
    assertError(await call(mf, "POST", "/login/start", { body: { redirectUri: REDIRECT, requestedFlow: "nope" } }), 400, "ERR_INVALID_PARAMS");
    assertError(await call(mf, "POST", "/login/start", { body: { redirectUri: REDIRECT, scope: "name" } }), 400, "ERR_INVALID_PARAMS");
  });

  test("/login/start refuses a scope value outside LOGIN_SCOPE, and takes a narrower one", async () => {
    // LOGIN_SCOPE is the default, "openid name email phoneNumber".
    for (const scope of ["openid nin", "openid name address", "openid email api_version_2", "openid Email"]) {
      const r = await call(mf, "POST", "/login/start", { body: { redirectUri: REDIRECT, scope } });
      assertError(r, 400, "ERR_INVALID_PARAMS");
      assert.match(r.json.message, /scope/);
    }
    const narrow = await call(mf, "POST", "/login/start", { body: { redirectUri: REDIRECT, scope: "openid email" } });
    assert.equal(narrow.status, 200, narrow.text);
    assert.equal(new URL(narrow.json.url).searchParams.get("scope"), "openid email");
  });

  test("a server-held login (/login/start, then {code, state, sessionKey}) finishes exactly once", async () => {
    const start = await call(mf, "POST", "/login/start", { headers: { Origin: ORIGIN }, body: { redirectUri: REDIRECT } });
    assert.equal(start.status, 200, start.text);
    assert.deepEqual(Object.keys(start.json).sort(), ["sessionKey", "state", "url"]);
    assert.match(start.json.sessionKey, /^[A-Za-z0-9_-]{43}$/, "256 bits, base64url");
    assert.match(start.json.state, /^[A-Za-z0-9_-]{43}$/);
    const url = new URL(start.json.url);
    assert.equal(url.searchParams.get("state"), start.json.state);
    assert.equal(url.searchParams.get("code_challenge_method"), "S256");
    assert.equal(url.searchParams.get("redirect_uri"), REDIRECT);
    assert.ok(!start.json.url.includes(start.json.sessionKey), "the key never travels to Vipps");
    const cb = await approve(start.json.url);
    assert.equal(cb.state, start.json.state);
    const body = { code: cb.code, state: cb.state, sessionKey: start.json.sessionKey };
    const r = await call(mf, "POST", "/login/token", { headers: { Origin: ORIGIN }, body });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.claims.nonce, url.searchParams.get("nonce"));
    assert.equal(r.json.userinfo.sub, r.json.claims.sub);
    assertError(await call(mf, "POST", "/login/token", { body }), 400, "ERR_LOGIN_SESSION");
  });

  test("after Vipps rotates its signing keys a login still validates", async () => {
    // Warm the JWKS cache with the old key, rotate (no grace), log in again.
    assert.equal((await call(mf, "GET", "/login/jwks")).status, 200);
    const rotated = await emulator("POST", "/_emulator/rotate-keys", { graceSeconds: 0 });
    const params = await spaAuthorize(mf);
    const r = await call(mf, "POST", "/login/token", { body: params });
    assert.equal(r.status, 200, r.text);
    const header = JSON.parse(Buffer.from(r.json.idToken.split(".")[0], "base64url"));
    assert.equal(header.kid, rotated.kid);
  });

  test("client_secret_post is used when LOGIN_TOKEN_AUTH says so", async () => {
    const post = worker({ VIPPS_BASE_URL: EMULATOR_POST, LOGIN_TOKEN_AUTH: "client_secret_post" });
    const params = await spaAuthorize(post);
    const r = await call(post, "POST", "/login/token", { body: params });
    assert.equal(r.status, 200, r.text);
    await stop(post);
  });

  test("a token auth method the sales unit does not use is 502 ERR_UPSTREAM_AUTH", async () => {
    const basic = worker({ VIPPS_BASE_URL: EMULATOR_POST, LOGIN_TOKEN_AUTH: "client_secret_basic" });
    const params = await spaAuthorize(basic);
    const r = await call(basic, "POST", "/login/token", { body: params });
    assertError(r, 502, "ERR_UPSTREAM_AUTH");
    await stop(basic);
  });
});
