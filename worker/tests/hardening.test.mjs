// Hardening of the worker in workerd (miniflare), against its own emulator (run.sh starts one
// whose credentials are the marker strings below): calls through a service binding, upstream
// faults under concurrent traffic, and a sweep proving that no configured secret and no issued
// token shows anywhere it should not (answers, headers, the worker's log). Node >= 22.
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ORIGIN, REDIRECT, WORKER_NAME, assertError, harness, sleep } from "./helpers.mjs";

const env = (name) => {
  const value = process.env[name];
  assert.ok(value, `${name} must be set (run tests/run.sh)`);
  return value;
};
const EMULATOR = env("HARDENING_EMULATOR_URL");
// Unique strings configured as the secrets, in the emulator and in the worker.
const MARK = {
  VIPPS_CLIENT_SECRET: env("MARK_CLIENT_SECRET"),
  VIPPS_SUBSCRIPTION_KEY: env("MARK_SUBSCRIPTION_KEY"),
  WORKER_API_KEY: env("MARK_API_KEY"),
  MIAMI_CLIENT_SECRET: env("MARK_MIAMI_SECRET"),
};
const CLIENT_ID = "emulator-client-id";
const MIAMI_CLIENT_ID = env("MARK_MIAMI_CLIENT_ID");
// A wrong secret (Vipps refuses it): must not leak either.
const WRONG_SECRET = "MARKER-wrong-client-secret-5c1e0b";
const basic = (id, secret) => Buffer.from(`${id}:${secret}`).toString("base64");
/** Each secret as it could show: itself, and inside the Basic credentials the worker builds. */
const NEEDLES = [
  ...Object.entries(MARK).map(([name, value]) => [name, value]),
  ["WRONG_SECRET", WRONG_SECRET],
  ["VIPPS_CLIENT_SECRET (Basic)", basic(CLIENT_ID, MARK.VIPPS_CLIENT_SECRET)],
  ["VIPPS_CLIENT_SECRET (Basic, url-encoded)", basic(encodeURIComponent(CLIENT_ID), encodeURIComponent(MARK.VIPPS_CLIENT_SECRET))],
  ["MIAMI_CLIENT_SECRET (Basic)", basic(MIAMI_CLIENT_ID, MARK.MIAMI_CLIENT_SECRET)],
];

const TIMEOUT_MS = 300; // UPSTREAM_TIMEOUT_MS of the timeout test
const ATTEMPTS = 3; // RetryPolicy::idempotent
const BACKOFF_MS = 200 + 400; // before the 2nd and the 3rd attempt
const SLACK_MS = 3000; // a loaded 2-core machine

const h = harness({
  emulatorUrl: EMULATOR,
  secrets: NEEDLES.map(([, v]) => v),
  capture: true,
  bindings: {
    VIPPS_BASE_URL: EMULATOR,
    VIPPS_CLIENT_ID: CLIENT_ID,
    VIPPS_CLIENT_SECRET: MARK.VIPPS_CLIENT_SECRET,
    VIPPS_SUBSCRIPTION_KEY: MARK.VIPPS_SUBSCRIPTION_KEY,
    VIPPS_MSN: "123456",
    MIAMI_CLIENT_ID,
    MIAMI_CLIENT_SECRET: MARK.MIAMI_CLIENT_SECRET,
    LOGIN_REDIRECT_URIS: REDIRECT,
    ALLOWED_ORIGINS: ORIGIN,
    WORKER_API_KEY: MARK.WORKER_API_KEY,
    UPSTREAM_TIMEOUT_MS: "1500",
  },
});
const { worker, stop, call, emulator, count, fault, clearFaults, spaAuthorize } = h;
const auth = { Authorization: `Bearer ${MARK.WORKER_API_KEY}` };

after(h.stopAll);

/**
 * Runs `task(i)` for i < n, at most `limit` at once, request i starting no earlier than
 * i x `spacingMs` after the first: traffic that keeps arriving while upstream calls are in
 * flight. Answers [{i, elapsed, result}] in order.
 */
async function traffic(n, { limit = 25, spacingMs = 0 } = {}, task) {
  const t0 = Date.now();
  const out = new Array(n);
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const wait = t0 + i * spacingMs - Date.now();
      if (wait > 0) await sleep(wait);
      const started = Date.now();
      const result = await task(i);
      out[i] = { i, elapsed: Date.now() - started, result };
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, lane));
  return out;
}

/** Every answer is one of `allowed` ([status, code|null]); answers a count per "status code". */
function tally(answers, allowed) {
  const seen = {};
  for (const { result: r } of answers) {
    const key = `${r.status} ${r.json?.error ?? ""}`.trim();
    seen[key] = (seen[key] ?? 0) + 1;
    const ok = allowed.some(([status, code]) => r.status === status && (code === null || r.json?.error === code));
    assert.ok(ok, `an answer outside ${JSON.stringify(allowed)}: ${r.status} ${r.text}`);
    assert.ok(r.json, `every answer is JSON: ${r.status} ${r.text}`);
    if (r.status !== 200) assert.equal(typeof r.json.message, "string", r.text);
  }
  return seen;
}

const kidOf = (idToken) => JSON.parse(Buffer.from(idToken.split(".")[0], "base64url")).kid;

// --- service bindings ---------------------------------------------------------------------

/** Another worker that reaches this one only through the service binding VIPPS_AUTH. */
const CALLER = {
  name: "caller",
  modules: true,
  compatibilityDate: "2026-07-01",
  serviceBindings: { VIPPS_AUTH: WORKER_NAME },
  bindings: { VIPPS_AUTH_KEY: MARK.WORKER_API_KEY },
  script: `
    export default {
      async fetch(request, env) {
        const { pathname } = new URL(request.url);
        const headers = pathname === "/with-key" ? { authorization: "Bearer " + env.VIPPS_AUTH_KEY } : {};
        const res = await env.VIPPS_AUTH.fetch("https://vipps-auth/accesstoken", { method: "POST", headers });
        console.log("caller: " + pathname + " -> " + res.status);
        return new Response(await res.text(), {
          status: res.status,
          headers: { "content-type": res.headers.get("content-type") ?? "text/plain" },
        });
      },
    };
  `,
};

describe("calling from another worker (service binding)", () => {
  let mf;
  let caller;
  before(async () => {
    mf = worker({ VIPPS_MSN: "6001" }, undefined, { extraWorkers: [CALLER] });
    caller = await mf.getWorker("caller");
  });
  after(() => stop(mf));

  const viaBinding = (path) =>
    call(mf, "GET", path, { fetcher: (url, init) => caller.fetch(url, init), label: `binding POST /accesstoken (${path})` });

  test("a worker with the API key gets a token through the binding", async () => {
    const r = await viaBinding("/with-key");
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.tokenType, "Bearer");
    assert.equal(typeof r.json.accessToken, "string");
    assert.ok(r.json.expiresOn > Date.now() / 1000 + 60);
    // The same token as a direct call: one cache for both ways in.
    const direct = await call(mf, "POST", "/accesstoken", { headers: auth });
    assert.equal(direct.json.accessToken, r.json.accessToken);
  });

  test("a worker without the API key gets 401 ERR_UNAUTHORIZED through the binding", async () => {
    assertError(await viaBinding("/without-key"), 401, "ERR_UNAUTHORIZED");
  });
});

// --- faults under traffic -----------------------------------------------------------------

describe("upstream faults under concurrent traffic", () => {
  afterEach(clearFaults);

  test("a 5xx burst on a cold cache: every answer is 200 or 502 ERR_UPSTREAM, and the first request after it succeeds", async (t) => {
    const mf = worker({ VIPPS_MSN: "5001" });
    const before = await count("/accesstoken/get");
    // Two upstream calls' worth of failures (3 attempts each), while 40 requests arrive.
    await fault({ path: "/accesstoken/get", kind: "status", status: 503, count: 6 });
    const answers = await traffic(50, { limit: 25, spacingMs: 50 }, () => call(mf, "POST", "/accesstoken", { headers: auth }));
    const seen = tally(answers, [[200, null], [502, "ERR_UPSTREAM"]]);
    t.diagnostic(`answers: ${JSON.stringify(seen)}`);
    assert.ok(seen["502 ERR_UPSTREAM"] > 0, `the burst was seen: ${JSON.stringify(seen)}`);
    const next = await call(mf, "POST", "/accesstoken", { headers: auth });
    assert.equal(next.status, 200, `no failure was cached: ${next.text}`);
    // Six failed attempts and one good one: concurrent requests shared each upstream call.
    assert.equal((await count("/accesstoken/get")) - before, 7, JSON.stringify(seen));
    await stop(mf);
  });

  test("answers slower than UPSTREAM_TIMEOUT_MS: every request gets 504 ERR_UPSTREAM_TIMEOUT within the retry bound, then the worker recovers", async (t) => {
    const mf = worker({ VIPPS_MSN: "5002", UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) });
    const bound = ATTEMPTS * TIMEOUT_MS + BACKOFF_MS + SLACK_MS;
    await fault({ path: "/accesstoken/get", kind: "delay", delayMs: 5000, count: 1000 });
    const answers = await traffic(30, { limit: 30, spacingMs: 30 }, () =>
      call(mf, "POST", "/accesstoken", { headers: auth, timeoutMs: 15_000 }),
    );
    tally(answers, [[504, "ERR_UPSTREAM_TIMEOUT"]]);
    t.diagnostic(`slowest answer: ${Math.max(...answers.map((a) => a.elapsed))} ms (bound ${bound} ms)`);
    for (const a of answers) assert.ok(a.elapsed < bound, `request ${a.i} took ${a.elapsed} ms (bound ${bound} ms)`);
    await clearFaults();
    const next = await call(mf, "POST", "/accesstoken", { headers: auth });
    assert.equal(next.status, 200, next.text);
    assert.equal(next.json.cached, false);
    await stop(mf);
  });

  test("malformed answers during traffic are 502 ERR_UPSTREAM_MALFORMED, then the worker recovers", async (t) => {
    const mf = worker({ VIPPS_MSN: "5003" });
    await fault({ path: "/accesstoken/get", kind: "malformed", count: 2 });
    const answers = await traffic(30, { limit: 25, spacingMs: 20 }, () => call(mf, "POST", "/accesstoken", { headers: auth }));
    const seen = tally(answers, [[200, null], [502, "ERR_UPSTREAM_MALFORMED"]]);
    t.diagnostic(`answers: ${JSON.stringify(seen)}`);
    assert.ok(seen["502 ERR_UPSTREAM_MALFORMED"] > 0, JSON.stringify(seen));
    const next = await call(mf, "POST", "/accesstoken", { headers: auth });
    assert.equal(next.status, 200, next.text);
    await stop(mf);
  });

  test("dropped connections during traffic are 502 ERR_UPSTREAM_UNREACHABLE, then the worker recovers", async (t) => {
    const mf = worker({ VIPPS_MSN: "5004" });
    await fault({ path: "/accesstoken/get", kind: "drop", count: 6 });
    const answers = await traffic(40, { limit: 25, spacingMs: 50 }, () => call(mf, "POST", "/accesstoken", { headers: auth }));
    const seen = tally(answers, [[200, null], [502, "ERR_UPSTREAM_UNREACHABLE"]]);
    t.diagnostic(`answers: ${JSON.stringify(seen)}`);
    assert.ok(seen["502 ERR_UPSTREAM_UNREACHABLE"] > 0, JSON.stringify(seen));
    const next = await call(mf, "POST", "/accesstoken", { headers: auth });
    assert.equal(next.status, 200, next.text);
    await stop(mf);
  });

  test("/miami/token under a 5xx burst: every answer is 200 or 502 ERR_UPSTREAM, and the first request after it succeeds", async (t) => {
    const mf = worker({ VIPPS_MSN: "5005" });
    const body = { scope: "hardening:burst" }; // a cold cache entry
    const before = await count("/miami/v1/token");
    await fault({ path: "/miami/v1/token", kind: "status", status: 500, count: 6 });
    const answers = await traffic(50, { limit: 25, spacingMs: 50 }, () => call(mf, "POST", "/miami/token", { headers: auth, body }));
    const seen = tally(answers, [[200, null], [502, "ERR_UPSTREAM"]]);
    t.diagnostic(`answers: ${JSON.stringify(seen)}`);
    assert.ok(seen["502 ERR_UPSTREAM"] > 0, JSON.stringify(seen));
    const next = await call(mf, "POST", "/miami/token", { headers: auth, body });
    assert.equal(next.status, 200, next.text);
    assert.equal((await count("/miami/v1/token")) - before, 7, JSON.stringify(seen));
    await stop(mf);
  });

  test("Vipps rotating its keys during concurrent logins: each login is 200 or a clear error, and every login after the rotation validates", async (t) => {
    const mf = worker({ VIPPS_MSN: "5006" });
    const login = async () => {
      const params = await spaAuthorize(mf);
      return call(mf, "POST", "/login/token", { body: { ...params, includeUserinfo: false } });
    };
    const warm = await login(); // the JWKS is cached with the current key
    assert.equal(warm.status, 200, warm.text);
    const oldKid = kidOf(warm.json.idToken);
    let done = 0;
    let rotation;
    const answers = await traffic(30, { limit: 15, spacingMs: 15 }, async () => {
      const r = await login();
      if (++done === 8) rotation = emulator("POST", "/_emulator/rotate-keys", { graceSeconds: 0 });
      return r;
    });
    const rotated = await rotation;
    assert.notEqual(rotated.kid, oldKid);
    const seen = {};
    for (const { result: r } of answers) {
      const kid = r.status === 200 ? kidOf(r.json.idToken) : undefined;
      const key = kid ? `200 ${kid === oldKid ? "old" : "new"} key` : `${r.status} ${r.json?.error ?? ""}`.trim();
      seen[key] = (seen[key] ?? 0) + 1;
      if (r.status === 200) {
        assert.ok([oldKid, rotated.kid].includes(kid), `an unknown kid ${kid}`);
        continue;
      }
      // A code exchanged before the rotation can carry a token signed with the retired key.
      assert.ok(r.status >= 400 && r.status < 600 && r.status !== 500, `${r.status} ${r.text}`);
      assert.match(r.json?.error ?? "", /^ERR_[A-Z_]+$/, r.text);
      assert.equal(typeof r.json.message, "string");
    }
    t.diagnostic(`logins during the rotation: ${JSON.stringify(seen)}`);
    const afterRotation = await traffic(15, { limit: 15 }, login);
    for (const { result: r } of afterRotation) {
      assert.equal(r.status, 200, `a login after the rotation: ${r.text} (during: ${JSON.stringify(seen)})`);
      assert.equal(kidOf(r.json.idToken), rotated.kid);
    }
    await stop(mf);
  });
});

// --- secret-leak sweep --------------------------------------------------------------------

describe("secret-leak sweep", () => {
  afterEach(clearFaults);

  test("every route and error path answers with a clear status (recorded for the sweep)", async () => {
    const mf = worker({ VIPPS_MSN: "7001" });
    const json = { "Content-Type": "application/json" };
    // [method, path, options, expected status, expected code or null]
    const cases = [
      ["GET", "/healthz", {}, 200, null],
      ["HEAD", "/healthz", {}, 200, null],
      ["GET", "/login/config", { headers: { Origin: ORIGIN } }, 200, null],
      ["GET", "/login/jwks", { headers: { Origin: "https://evil.example" } }, 200, null],
      ["POST", "/accesstoken", { headers: auth }, 200, null],
      ["POST", "/accesstoken", { headers: auth, body: {} }, 200, null],
      ["POST", "/miami/token", { headers: auth, body: { scope: "sweep:read" } }, 200, null],
      ["POST", "/miami/token", { headers: auth }, 200, null],
      ["POST", "/accesstoken", {}, 401, "ERR_UNAUTHORIZED"],
      ["POST", "/accesstoken", { headers: { Authorization: "Bearer wrong" } }, 401, "ERR_UNAUTHORIZED"],
      ["POST", "/accesstoken", { headers: { Authorization: MARK.WORKER_API_KEY } }, 401, "ERR_UNAUTHORIZED"],
      ["POST", "/accesstoken", { headers: { Authorization: `Basic ${MARK.WORKER_API_KEY}` } }, 401, "ERR_UNAUTHORIZED"],
      ["POST", "/accesstoken", { headers: { Authorization: `Bearer ${MARK.WORKER_API_KEY}x` } }, 401, "ERR_UNAUTHORIZED"],
      ["POST", "/accesstoken", { headers: { Authorization: `Bearer ${"k".repeat(5000)}` } }, 431, "ERR_HEADER_TOO_LARGE"],
      ["POST", "/accesstoken", { headers: { ...auth, Origin: "https://evil.example" } }, 403, "ERR_ORIGIN_NOT_ALLOWED"],
      ["POST", "/accesstoken", { headers: auth, body: { secret: MARK.WORKER_API_KEY } }, 400, "ERR_BAD_REQUEST"],
      ["POST", "/accesstoken", { headers: { ...auth, ...json }, raw: `{"x":"${MARK.WORKER_API_KEY}"` }, 400, "ERR_BAD_REQUEST"],
      ["POST", "/accesstoken", { headers: { ...auth, "Content-Type": "text/plain" }, raw: "{}" }, 415, "ERR_UNSUPPORTED_MEDIA_TYPE"],
      ["POST", "/accesstoken", { headers: { ...auth, ...json }, raw: JSON.stringify({ pad: "x".repeat(17 * 1024) }) }, 413, "ERR_BODY_TOO_LARGE"],
      ["POST", "/miami/token", { body: {} }, 401, "ERR_UNAUTHORIZED"],
      ["POST", "/miami/token", { headers: auth, body: { scope: 5 } }, 400, "ERR_BAD_REQUEST"],
      ["POST", "/miami/token", { headers: auth, body: { scope: `${MARK.WORKER_API_KEY}\u0001x` } }, 400, "ERR_BAD_REQUEST"],
      ["POST", "/miami/token", { headers: auth, body: { scope: "s".repeat(600) } }, 400, "ERR_BAD_REQUEST"],
      ["POST", "/login/start", { headers: { Origin: ORIGIN }, body: { redirectUri: REDIRECT } }, 200, null],
      ["POST", "/login/start", { body: { redirectUri: "https://evil.example/cb" } }, 400, "ERR_REDIRECT_URI_NOT_ALLOWED"],
      ["POST", "/login/start", { body: { redirectUri: REDIRECT, scope: "name" } }, 400, "ERR_INVALID_PARAMS"],
      ["POST", "/login/start", { body: { redirectUri: REDIRECT, requestedFlow: "nope" } }, 400, "ERR_INVALID_PARAMS"],
      ["POST", "/login/start", { headers: json, raw: "not json" }, 400, "ERR_BAD_REQUEST"],
      ["POST", "/login/token", { body: { code: "x", state: "unknown-state" } }, 400, "ERR_LOGIN_SESSION"],
      ["POST", "/login/token", { body: { code: "x", state: "unknown-state", sessionKey: MARK.WORKER_API_KEY } }, 400, "ERR_LOGIN_SESSION"],
      ["POST", "/login/result", { body: { state: "unknown-state", sessionKey: MARK.WORKER_API_KEY } }, 400, "ERR_LOGIN_SESSION"],
      ["POST", "/login/result", { body: { state: "x" } }, 400, "ERR_BAD_REQUEST"],
      ["POST", "/login/start", { body: { redirectUri: REDIRECT, scope: "openid nin" } }, 400, "ERR_INVALID_PARAMS"],
      ["PROPFIND", "/healthz", {}, 405, "ERR_METHOD_NOT_ALLOWED"],
      ["PATCH", "/accesstoken", { headers: auth }, 405, "ERR_METHOD_NOT_ALLOWED"],
      ["POST", "/login/token", { body: { code: "x", codeVerifier: "v".repeat(43), redirectUri: REDIRECT, nonce: "n" } }, 400, "ERR_CODE_REJECTED"],
      ["POST", "/login/token", { body: {} }, 400, "ERR_BAD_REQUEST"],
      ["POST", "/login/token", { raw: "" }, 400, "ERR_BAD_REQUEST"],
      ["POST", "/login/token", { headers: { Origin: "https://evil.example" }, body: { code: "x", state: "y" } }, 403, "ERR_ORIGIN_NOT_ALLOWED"],
      ["GET", "/nope", {}, 404, "ERR_NOT_FOUND"],
      ["POST", "/nope", { headers: auth }, 404, "ERR_NOT_FOUND"],
      ["POST", "/accesstoken/", { headers: auth }, 404, "ERR_NOT_FOUND"],
      ["POST", "/ACCESSTOKEN", { headers: auth }, 404, "ERR_NOT_FOUND"],
      ["GET", "/accesstoken", { headers: auth }, 405, "ERR_METHOD_NOT_ALLOWED"],
      ["PUT", "/login/token", { body: {} }, 405, "ERR_METHOD_NOT_ALLOWED"],
      ["DELETE", "/miami/token", { headers: auth }, 405, "ERR_METHOD_NOT_ALLOWED"],
      ["OPTIONS", "/accesstoken", { headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" } }, 204, null],
      ["OPTIONS", "/login/token", { headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" } }, 403, "ERR_ORIGIN_NOT_ALLOWED"],
      ["OPTIONS", "/miami/token", {}, 204, null],
      ["OPTIONS", "/nope", { headers: { Origin: ORIGIN } }, 404, "ERR_NOT_FOUND"],
      ["GET", "/healthz", { headers: { Origin: "o".repeat(600) } }, 431, "ERR_HEADER_TOO_LARGE"],
    ];
    for (const [method, path, opts, status, code] of cases) {
      const r = await call(mf, method, path, opts);
      if (code) assertError(r, status, code);
      else assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
    }

    // Logins: both kinds, a reused code, a wrong nonce, the session used twice.
    const spa = await spaAuthorize(mf);
    assert.equal((await call(mf, "POST", "/login/token", { headers: { Origin: ORIGIN }, body: spa })).status, 200);
    assertError(await call(mf, "POST", "/login/token", { body: spa }), 400, "ERR_CODE_REJECTED");
    const wrongNonce = await spaAuthorize(mf);
    assertError(await call(mf, "POST", "/login/token", { body: { ...wrongNonce, nonce: "another-nonce" } }), 401, "ERR_CLAIM_NONCE");
    const own = await h.serverLogin(mf);
    const ownBody = { code: own.code, state: own.state, sessionKey: own.sessionKey };
    assert.equal((await call(mf, "POST", "/login/token", { headers: { Origin: ORIGIN }, body: ownBody })).status, 200);
    assertError(await call(mf, "POST", "/login/token", { body: ownBody }), 400, "ERR_LOGIN_SESSION");
    // Handed off to the starting browser: pending, handed_off, collected once, then gone.
    const other = await h.serverLogin(mf);
    const poll = { state: other.state, sessionKey: other.sessionKey };
    assert.equal((await call(mf, "POST", "/login/result", { body: poll })).status, 202);
    assert.equal((await call(mf, "POST", "/login/token", { body: { code: other.code, state: other.state } })).status, 202);
    assertError(await call(mf, "POST", "/login/result", { body: { ...poll, sessionKey: MARK.WORKER_API_KEY } }), 400, "ERR_LOGIN_SESSION");
    assert.equal((await call(mf, "POST", "/login/result", { headers: { Origin: ORIGIN }, body: poll })).status, 200);
    assertError(await call(mf, "POST", "/login/result", { body: poll }), 400, "ERR_LOGIN_SESSION");

    // Vipps failing after the code exchange (the worker then holds a Login access token) and during it.
    const info = await spaAuthorize(mf);
    await fault({ path: "/vipps-userinfo-api/userinfo", kind: "status", status: 503, count: 3 });
    assertError(await call(mf, "POST", "/login/token", { body: info }), 502, "ERR_UPSTREAM");
    const exchange = await spaAuthorize(mf);
    await fault({ path: "/access-management-1.0/access/oauth2/token", kind: "drop", count: 1 });
    assertError(await call(mf, "POST", "/login/token", { body: exchange }), 502, "ERR_UPSTREAM_UNREACHABLE");
    const exchange5xx = await spaAuthorize(mf);
    await fault({ path: "/access-management-1.0/access/oauth2/token", kind: "status", status: 500, count: 1 });
    const r5xx = await call(mf, "POST", "/login/token", { body: exchange5xx });
    assert.equal(r5xx.status, 502, r5xx.text);
    await clearFaults();
    await stop(mf);

    // A cold JWKS under a malformed set and a dropped connection, then recovery.
    const cold = worker({ VIPPS_MSN: "7002" });
    await fault({ path: "/access-management-1.0/access/.well-known/jwks.json", kind: "malformed", count: 1 });
    assertError(await call(cold, "GET", "/login/jwks"), 502, "ERR_UPSTREAM_MALFORMED");
    await fault({ path: "/access-management-1.0/access/.well-known/jwks.json", kind: "drop", count: 3 });
    assertError(await call(cold, "GET", "/login/jwks"), 502, "ERR_UPSTREAM_UNREACHABLE");
    assert.equal((await call(cold, "GET", "/login/jwks")).status, 200);
    await stop(cold);

    // Vipps refusing the worker's credentials (a wrong secret configured).
    const wrong = worker({ VIPPS_MSN: "7003", VIPPS_CLIENT_SECRET: WRONG_SECRET, MIAMI_CLIENT_SECRET: WRONG_SECRET });
    assertError(await call(wrong, "POST", "/accesstoken", { headers: auth }), 502, "ERR_UPSTREAM_AUTH");
    assertError(await call(wrong, "POST", "/miami/token", { headers: auth, body: {} }), 502, "ERR_UPSTREAM_AUTH");
    const refused = await spaAuthorize(wrong);
    assertError(await call(wrong, "POST", "/login/token", { body: refused }), 502, "ERR_UPSTREAM_AUTH");
    await stop(wrong);

    // Settings missing or unusable: the message names the setting, never a value.
    const missing = worker({ VIPPS_MSN: "7004", VIPPS_SUBSCRIPTION_KEY: undefined });
    assertError(await call(missing, "POST", "/accesstoken", { headers: auth }), 500, "ERR_CONFIG");
    await stop(missing);
    // A secret Vipps' headers cannot carry (a control character) is the configuration's fault,
    // not the caller's: 500 ERR_CONFIG naming the setting, not 400 ERR_INVALID_PARAMS.
    const unusable = worker({
      VIPPS_MSN: "7005",
      VIPPS_SUBSCRIPTION_KEY: `${MARK.VIPPS_SUBSCRIPTION_KEY}\r\nX-Injected: 1`,
      MIAMI_CLIENT_ID: "miami id with spaces",
    });
    const badKey = await call(unusable, "POST", "/accesstoken", { headers: auth });
    assertError(badKey, 500, "ERR_CONFIG");
    assert.match(badKey.json.message, /VIPPS_SUBSCRIPTION_KEY/);
    const badId = await call(unusable, "POST", "/miami/token", { headers: auth, body: {} });
    assertError(badId, 500, "ERR_CONFIG");
    assert.match(badId.json.message, /MIAMI_CLIENT_ID/);
    await stop(unusable);
  });

  test("no answer, header or log line holds a configured secret, issued tokens show only in their route's body, session keys only in /login/start's", () => {
    const TOKEN_ROUTES = /^(POST \/accesstoken|POST \/miami\/token|binding POST \/accesstoken \(.*\))$/;
    const tokens = new Set(
      h.responses
        .filter((r) => TOKEN_ROUTES.test(r.route) && r.status === 200)
        .map((r) => JSON.parse(r.text).accessToken),
    );
    assert.ok(tokens.size >= 5, `the sweep saw the tokens it checks for (${tokens.size})`);
    const sessionKeys = new Set(
      h.responses.filter((r) => r.route === "POST /login/start" && r.status === 200).map((r) => JSON.parse(r.text).sessionKey),
    );
    assert.ok(sessionKeys.size >= 3, `the sweep saw the session keys it checks for (${sessionKeys.size})`);
    assert.ok(h.responses.length >= 300, `the sweep saw the answers of every test (${h.responses.length})`);
    const hits = [];
    for (const r of h.responses) {
      const headers = JSON.stringify(r.headers);
      for (const [name, value] of NEEDLES) {
        if (r.text.includes(value)) hits.push(`${name} in the body of ${r.route} (${r.status})`);
        if (headers.includes(value)) hits.push(`${name} in a header of ${r.route} (${r.status})`);
      }
      for (const t of tokens) {
        if (headers.includes(t)) hits.push(`an issued token in a header of ${r.route}`);
        if (!TOKEN_ROUTES.test(r.route) && r.text.includes(t)) hits.push(`an issued token in the body of ${r.route} (${r.status})`);
      }
      for (const k of sessionKeys) {
        if (headers.includes(k)) hits.push(`a session key in a header of ${r.route}`);
        if (r.route !== "POST /login/start" && r.text.includes(k)) hits.push(`a session key in the body of ${r.route} (${r.status})`);
      }
    }
    const log = h.logs.join("");
    assert.match(log, /caller: \/with-key -> 200/, "the worker's log output was captured");
    for (const [name, value] of NEEDLES) if (log.includes(value)) hits.push(`${name} in the worker's log`);
    for (const t of tokens) if (log.includes(t)) hits.push("an issued token in the worker's log");
    for (const k of sessionKeys) if (log.includes(k)) hits.push("a session key in the worker's log");
    assert.deepEqual(hits, []);
  });
});
