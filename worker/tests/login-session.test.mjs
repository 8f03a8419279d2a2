// Server-held logins bound to the browser that started them (RFC 9700 section 4.7; the IETF
// browser-based-apps BCP), in workerd (miniflare) against the local Vipps emulator: the
// hand-off to the starting browser, the attacks it stops (login CSRF, a leaked callback URL,
// a forged sessionKey), one exchange per session under concurrency, which failures use a
// session up, and the per-client rate limits. Run by tests/run.sh. Node >= 22.
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ORIGIN, REDIRECT, TMP, WRANGLER, assertError, b64url, harness } from "./helpers.mjs";

const EMULATOR = process.env.EMULATOR_URL;
assert.ok(EMULATOR, "EMULATOR_URL must be set (run tests/run.sh)");
const TOKEN_PATH = "/access-management-1.0/access/oauth2/token";
const USERINFO_PATH = "/vipps-userinfo-api/userinfo";

const { worker, stop, stopAll, call, count, fault, clearFaults, approve, serverLogin } = harness({
  emulatorUrl: EMULATOR,
  secrets: ["emulator-client-secret", "emulator-subscription-key"],
  bindings: {
    VIPPS_BASE_URL: EMULATOR,
    VIPPS_CLIENT_ID: "emulator-client-id",
    VIPPS_CLIENT_SECRET: "emulator-client-secret",
    VIPPS_SUBSCRIPTION_KEY: "emulator-subscription-key",
    LOGIN_REDIRECT_URIS: REDIRECT,
    ALLOWED_ORIGINS: ORIGIN,
    WORKER_API_KEY: "login-session-test-api-key",
    UPSTREAM_TIMEOUT_MS: "1000",
  },
});
after(stopAll);

const HANDED_OFF = '{"status":"handed_off"}';
const PENDING = '{"status":"pending"}';
/** A value of the generated shape that no session has: what a forger can make. */
const forged = () => b64url(randomBytes(32));
const token = (mf, body) => call(mf, "POST", "/login/token", { body });
const result = (mf, state, sessionKey) => call(mf, "POST", "/login/result", { body: { state, sessionKey } });

/** An answer that must carry no identity at all. */
function assertNoIdentity(r) {
  for (const needle of ["idToken", "claims", "userinfo", "sub", "Ola", "eyJ"]) {
    assert.ok(!r.text.includes(needle), `no identity data (${needle}) in ${r.text}`);
  }
}

describe("the hand-off to the starting browser", () => {
  let mf;
  before(() => (mf = worker()));

  test("the starting browser's /login/result is 202 pending until the user comes back", async () => {
    const start = await call(mf, "POST", "/login/start", { body: { redirectUri: REDIRECT } });
    const r = await result(mf, start.json.state, start.json.sessionKey);
    assert.equal(r.status, 202);
    assert.equal(r.text, PENDING);
  });

  test("login CSRF: the victim's browser finishing an attacker's login gets 202 handed_off and no identity; the identity waits for the attacker's own browser", async () => {
    // The attacker starts a login and approves it with their own Vipps account, then makes
    // the victim open the callback: the victim's browser has only `code` and `state`.
    const attacker = await serverLogin(mf);
    const victim = await token(mf, { code: attacker.code, state: attacker.state });
    assert.equal(victim.status, 202, victim.text);
    assert.equal(victim.text, HANDED_OFF);
    assertNoIdentity(victim);
    // The login sits with the browser that holds the key, once.
    const collected = await result(mf, attacker.state, attacker.sessionKey);
    assert.equal(collected.status, 200, collected.text);
    assert.equal(collected.json.claims.nonce, attacker.nonce);
    assert.equal(collected.json.userinfo.sub, collected.json.claims.sub);
    assertError(await result(mf, attacker.state, attacker.sessionKey), 400, "ERR_LOGIN_SESSION");
  });

  test("another browser coming back twice (a reload) is told handed_off again, never given the identity", async () => {
    const login = await serverLogin(mf);
    assert.equal((await token(mf, { code: login.code, state: login.state })).text, HANDED_OFF);
    const reload = await token(mf, { code: login.code, state: login.state });
    assert.equal(reload.status, 202);
    assert.equal(reload.text, HANDED_OFF);
  });

  test("a leaked callback URL replayed after the login gets nothing", async () => {
    const login = await serverLogin(mf);
    const owner = await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey });
    assert.equal(owner.status, 200, owner.text);
    const thief = await token(mf, { code: login.code, state: login.state });
    assertError(thief, 400, "ERR_LOGIN_SESSION");
    assertNoIdentity(thief);
  });

  test("a leaked callback URL replayed before the starting browser: the thief gets 202 only, the starting browser still gets its login with its key", async () => {
    const login = await serverLogin(mf);
    const before = await count(TOKEN_PATH);
    const thief = await token(mf, { code: login.code, state: login.state });
    assert.equal(thief.text, HANDED_OFF);
    const owner = await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey });
    assert.equal(owner.status, 200, owner.text);
    assert.equal(owner.json.claims.nonce, login.nonce);
    assert.equal((await count(TOKEN_PATH)) - before, 1, "the code went to Vipps once");
  });

  test("a forged sessionKey with the code exchanges nothing and gets nothing; the real key still works", async () => {
    const login = await serverLogin(mf);
    const before = await count(TOKEN_PATH);
    const r = await token(mf, { code: login.code, state: login.state, sessionKey: forged() });
    assertError(r, 400, "ERR_LOGIN_SESSION");
    assertNoIdentity(r);
    assert.equal(await count(TOKEN_PATH), before, "the code was not sent to Vipps");
    const owner = await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey });
    assert.equal(owner.status, 200, owner.text);
  });

  test("a forged sessionKey gets nothing from /login/result, before or after the hand-off", async () => {
    const login = await serverLogin(mf);
    assertError(await result(mf, login.state, forged()), 400, "ERR_LOGIN_SESSION");
    assert.equal((await token(mf, { code: login.code, state: login.state })).text, HANDED_OFF);
    const r = await result(mf, login.state, forged());
    assertError(r, 400, "ERR_LOGIN_SESSION");
    assertNoIdentity(r);
    assert.equal((await result(mf, login.state, login.sessionKey)).status, 200, "the forgeries used nothing up");
  });

  test("/login/result answers unknown, used, wrong-key and malformed alike: one status, one body", async () => {
    const used = await serverLogin(mf);
    assert.equal((await token(mf, { code: used.code, state: used.state, sessionKey: used.sessionKey })).status, 200);
    const live = await serverLogin(mf);
    const refusals = {
      "unknown state": await result(mf, forged(), forged()),
      "used session": await result(mf, used.state, used.sessionKey),
      "wrong key": await result(mf, live.state, forged()),
      "another session's key": await result(mf, live.state, used.sessionKey),
      "malformed state": await result(mf, "not-a-generated-state", live.sessionKey),
      "malformed key": await result(mf, live.state, "k"),
      "empty key": await result(mf, live.state, ""),
    };
    const first = refusals["unknown state"];
    assertError(first, 400, "ERR_LOGIN_SESSION");
    for (const [name, r] of Object.entries(refusals)) {
      assert.equal(r.status, first.status, name);
      assert.equal(r.text, first.text, `${name}: the same body`);
    }
    assert.equal((await result(mf, live.state, live.sessionKey)).status, 202, "the live session is untouched");
  });

  test("{code, state} with a wrong or malformed key is refused like /login/result refuses", async () => {
    const login = await serverLogin(mf);
    const a = await token(mf, { code: login.code, state: login.state, sessionKey: forged() });
    const b = await token(mf, { code: login.code, state: login.state, sessionKey: "short" });
    const c = await token(mf, { code: login.code, state: "short-state", sessionKey: login.sessionKey });
    const d = await result(mf, forged(), forged());
    for (const r of [a, b, c]) {
      assert.equal(r.status, d.status);
      assert.equal(r.text, d.text);
    }
  });
});

describe("what a login asks for is the starting browser's choice, not the caller's", () => {
  let mf;
  before(() => (mf = worker()));

  /** `/login/start` with `body`, then the authorize URL with its `scope` rewritten to `scope`. */
  async function startEdited(body, scope) {
    const start = await call(mf, "POST", "/login/start", { body: { redirectUri: REDIRECT, ...body } });
    assert.equal(start.status, 200, start.text);
    const url = new URL(start.json.url);
    if (scope !== undefined) url.searchParams.set("scope", scope);
    const cb = await approve(url.toString());
    return { state: start.json.state, sessionKey: start.json.sessionKey, code: cb.code };
  }

  // LOGIN_SCOPE is the default, "openid name email phoneNumber"; /login/start asks for less.
  const widened = {
    "a value outside LOGIN_SCOPE": "openid name nin address",
    "a value of LOGIN_SCOPE that /login/start did not ask for": "openid name email",
  };

  for (const [what, scope] of Object.entries(widened)) {
    test(`an authorize URL whose scope was widened (${what}) is refused after the exchange: ERR_SCOPE_NOT_ALLOWED, no identity, no userinfo fetched, the session spent`, async () => {
      const login = await startEdited({ scope: "openid name" }, scope);
      const before = await count(USERINFO_PATH);
      const r = await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey });
      assertError(r, 403, "ERR_SCOPE_NOT_ALLOWED");
      assertNoIdentity(r);
      assert.equal(await count(USERINFO_PATH), before, "userinfo was not fetched");
      assertError(await result(mf, login.state, login.sessionKey), 400, "ERR_LOGIN_SESSION");
    });

    test(`a phisher's widened authorize URL (${what}) finished in the victim's browser without the key leaves nothing for the phisher`, async () => {
      const login = await startEdited({ scope: "openid name" }, scope);
      const victim = await token(mf, { code: login.code, state: login.state });
      assertError(victim, 403, "ERR_SCOPE_NOT_ALLOWED");
      assertNoIdentity(victim);
      const phisher = await result(mf, login.state, login.sessionKey);
      assertError(phisher, 400, "ERR_LOGIN_SESSION");
      assertNoIdentity(phisher);
    });
  }

  test("an authorize URL narrowed on its way (fewer values than asked for) still logs in", async () => {
    const login = await startEdited({ scope: "openid name" }, "openid");
    const r = await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.userinfo.sub, r.json.claims.sub);
  });

  test("a browser without the key cannot choose includeUserinfo: {code, state, includeUserinfo: false} is refused unexchanged, and the handed-off login carries userinfo", async () => {
    const login = await startEdited({});
    const before = await count(TOKEN_PATH);
    const thief = await token(mf, { code: login.code, state: login.state, includeUserinfo: false });
    assertError(thief, 400, "ERR_BAD_REQUEST");
    assert.match(thief.json.message, /includeUserinfo/);
    assert.equal(await count(TOKEN_PATH), before, "the code was not sent to Vipps");
    assert.equal((await token(mf, { code: login.code, state: login.state })).text, HANDED_OFF);
    const collected = await result(mf, login.state, login.sessionKey);
    assert.equal(collected.status, 200, collected.text);
    assert.equal(collected.json.userinfo.sub, collected.json.claims.sub);
  });

  test("includeUserinfo is the starting browser's choice at /login/start, kept for the key holder and the hand-off alike", async () => {
    const own = await startEdited({ includeUserinfo: false });
    const direct = await token(mf, { code: own.code, state: own.state, sessionKey: own.sessionKey });
    assert.equal(direct.status, 200, direct.text);
    assert.equal(direct.json.userinfo, undefined);
    assertError(await token(mf, { code: own.code, state: own.state, sessionKey: own.sessionKey, includeUserinfo: true }), 400, "ERR_BAD_REQUEST");
    const away = await startEdited({ includeUserinfo: false });
    assert.equal((await token(mf, { code: away.code, state: away.state })).text, HANDED_OFF);
    const collected = await result(mf, away.state, away.sessionKey);
    assert.equal(collected.status, 200, collected.text);
    assert.equal(collected.json.userinfo, undefined);
    assert.equal(typeof collected.json.claims.sub, "string");
  });
});

describe("LOGIN_HANDOFF=off: no hand-off at all", () => {
  let mf;
  before(() => (mf = worker({ LOGIN_HANDOFF: "off" })));

  test("a phished victim's browser (no key) gets ERR_LOGIN_SESSION, nothing is exchanged, and the starting browser still finishes its own login", async () => {
    // Cross-device phishing: the attacker starts, the victim approves the attacker's URL and
    // lands on the callback without the key. With the hand-off off, the code goes nowhere.
    const attacker = await serverLogin(mf);
    const before = await count(TOKEN_PATH);
    const victim = await token(mf, { code: attacker.code, state: attacker.state });
    assertError(victim, 400, "ERR_LOGIN_SESSION");
    assertNoIdentity(victim);
    assert.equal(await count(TOKEN_PATH), before, "the code was not sent to Vipps");
    assert.equal((await result(mf, attacker.state, attacker.sessionKey)).text, PENDING, "nothing was handed off");
    // The key's holder is unaffected.
    const own = await token(mf, { code: attacker.code, state: attacker.state, sessionKey: attacker.sessionKey });
    assert.equal(own.status, 200, own.text);
    assert.equal(own.json.claims.nonce, attacker.nonce);
  });

  test("a LOGIN_HANDOFF other than on or off is ERR_CONFIG naming it", async () => {
    const bad = worker({ LOGIN_HANDOFF: "maybe" });
    try {
      const login = await serverLogin(bad);
      const r = await token(bad, { code: login.code, state: login.state });
      assertError(r, 500, "ERR_CONFIG");
      assert.match(r.json.message, /LOGIN_HANDOFF/);
    } finally {
      await stop(bad);
    }
  });
});

describe("one exchange per session", () => {
  let mf;
  before(() => (mf = worker()));
  afterEach(clearFaults);

  test("concurrent /login/token calls with the key send the code to Vipps once; one gets the login, the others ERR_LOGIN_SESSION", async () => {
    const login = await serverLogin(mf);
    const before = await count(TOKEN_PATH);
    // A slow token endpoint: every call arrives while the first exchange is in flight.
    await fault({ path: TOKEN_PATH, kind: "delay", delayMs: 600, count: 20 });
    const body = { code: login.code, state: login.state, sessionKey: login.sessionKey };
    const answers = await Promise.all(Array.from({ length: 12 }, () => token(mf, body)));
    assert.equal((await count(TOKEN_PATH)) - before, 1, "one call to the token endpoint");
    const ok = answers.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, answers.map((r) => r.status).join(","));
    for (const r of answers.filter((r) => r.status !== 200)) assertError(r, 400, "ERR_LOGIN_SESSION");
  });

  test("concurrent calls with and without the key: one exchange, and the identity goes to key holders exactly once", async () => {
    const login = await serverLogin(mf);
    const before = await count(TOKEN_PATH);
    await fault({ path: TOKEN_PATH, kind: "delay", delayMs: 600, count: 20 });
    const withKey = { code: login.code, state: login.state, sessionKey: login.sessionKey };
    const without = { code: login.code, state: login.state };
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => token(mf, i % 2 ? withKey : without)));
    const collected = await result(mf, login.state, login.sessionKey);
    assert.equal((await count(TOKEN_PATH)) - before, 1, "one call to the token endpoint");
    const identities = [...answers, collected].filter((r) => r.status === 200);
    assert.equal(identities.length, 1, [...answers, collected].map((r) => r.status).join(","));
    answers.forEach((r, i) => {
      if (i % 2 === 0) {
        assert.ok([202, 400].includes(r.status), r.text);
        assertNoIdentity(r);
      }
    });
  });

  test("a failure of one exchange reaches the calls that waited on it, without a second call to Vipps", async () => {
    const login = await serverLogin(mf);
    const before = await count(TOKEN_PATH);
    await fault({ path: TOKEN_PATH, kind: "status", status: 503, delayMs: 600, count: 1 });
    const body = { code: login.code, state: login.state, sessionKey: login.sessionKey };
    const answers = await Promise.all(Array.from({ length: 6 }, () => token(mf, body)));
    assert.equal((await count(TOKEN_PATH)) - before, 1);
    for (const r of answers) assertError(r, 502, "ERR_UPSTREAM");
  });
});

describe("what uses a session up", () => {
  let mf;
  before(() => (mf = worker()));
  afterEach(clearFaults);

  // A network failure, a timeout or a 5xx: Vipps gave no verdict on the code, so the session
  // stays usable until it expires (here with a new code for the same authorize request).
  for (const [name, spec, status, code] of [
    ["a 5xx", { kind: "status", status: 503 }, 502, "ERR_UPSTREAM"],
    ["a dropped connection", { kind: "drop" }, 502, "ERR_UPSTREAM_UNREACHABLE"],
    ["a timeout", { kind: "delay", delayMs: 3000 }, 504, "ERR_UPSTREAM_TIMEOUT"],
  ]) {
    test(`${name} from the token endpoint leaves the session usable`, async () => {
      const login = await serverLogin(mf);
      await fault({ path: TOKEN_PATH, count: 1, ...spec });
      const failed = await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey });
      assertError(failed, status, code);
      assert.equal((await result(mf, login.state, login.sessionKey)).status, 202, "still pending");
      const retry = await token(mf, { code: await login.again(), state: login.state, sessionKey: login.sessionKey });
      assert.equal(retry.status, 200, retry.text);
    });
  }

  test("a 5xx in a browser without the key leaves the session usable too", async () => {
    const login = await serverLogin(mf);
    await fault({ path: TOKEN_PATH, kind: "status", status: 500, count: 1 });
    assertError(await token(mf, { code: login.code, state: login.state }), 502, "ERR_UPSTREAM");
    assert.equal((await token(mf, { code: await login.again(), state: login.state })).text, HANDED_OFF);
    assert.equal((await result(mf, login.state, login.sessionKey)).status, 200);
  });

  test("Vipps refusing the code (invalid_grant) uses the session up", async () => {
    const login = await serverLogin(mf);
    const refused = await token(mf, { code: "not-a-code-vipps-issued", state: login.state, sessionKey: login.sessionKey });
    assertError(refused, 400, "ERR_CODE_REJECTED");
    assert.equal(refused.json.vippsError, "invalid_grant");
    assertError(await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey }), 400, "ERR_LOGIN_SESSION");
    assertError(await result(mf, login.state, login.sessionKey), 400, "ERR_LOGIN_SESSION");
  });

  test("a failure after Vipps took the code (userinfo down) uses the session up", async () => {
    const login = await serverLogin(mf);
    await fault({ path: "/vipps-userinfo-api/userinfo", kind: "status", status: 503, count: 3 });
    assertError(await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey }), 502, "ERR_UPSTREAM");
    await clearFaults();
    assertError(await token(mf, { code: await login.again(), state: login.state, sessionKey: login.sessionKey }), 400, "ERR_LOGIN_SESSION");
  });
});

describe("a state without the generated shape never reaches a Durable Object", () => {
  test("malformed states are ERR_LOGIN_SESSION and no LoginSession object is created or read", async () => {
    const dir = mkdtempSync(join(TMP, "sessions-"));
    const mf = worker({}, dir);
    const objects = () =>
      readdirSync(dir, { recursive: true }).filter((f) => String(f).includes("LoginSession") && String(f).endsWith(".sqlite")).length;
    // A well-formed state that names no session is looked up (and found to be nothing).
    assertError(await result(mf, forged(), forged()), 400, "ERR_LOGIN_SESSION");
    const afterLookup = objects();
    assert.ok(afterLookup >= 1, "a lookup shows in the object store (else this test could not tell)");
    for (const state of ["x", "y".repeat(43), `${forged().slice(0, 42)}B`, `${forged()}A`, "../../etc", "a".repeat(5000)]) {
      assertError(await result(mf, state, forged()), 400, "ERR_LOGIN_SESSION");
      assertError(await token(mf, { code: "c", state, sessionKey: forged() }), 400, "ERR_LOGIN_SESSION");
      assertError(await token(mf, { code: "c", state }), 400, "ERR_LOGIN_SESSION");
    }
    assert.equal(objects(), afterLookup, "no object was created for a malformed state");
    await stop(mf);
  });
});

describe("rate limits per client", () => {
  const small = (limit) =>
    Object.fromEntries(Object.entries(WRANGLER.ratelimits).map(([name, r]) => [name, { ...r, simple: { ...r.simple, limit } }]));
  const from = (ip) => ({ "CF-Connecting-IP": ip });

  /** Calls until the first 429 (a new window may open once in between: 2 x limit + 1 calls). */
  async function untilLimited(send, limit) {
    const statuses = [];
    for (let i = 0; i < 2 * limit + 1; i++) {
      const r = await send();
      statuses.push(r.status);
      if (r.status === 429) return { statuses, limited: r };
    }
    assert.fail(`no 429 after ${statuses.length} calls: ${statuses}`);
  }

  test("over the limit /login/start, /login/token and /login/result answer 429 ERR_RATE_LIMITED with Retry-After, per client and per route", async () => {
    const limit = 3;
    const mf = worker({}, undefined, { ratelimits: small(limit) });
    const routes = {
      "/login/start": (ip) => call(mf, "POST", "/login/start", { headers: from(ip), body: { redirectUri: REDIRECT } }),
      "/login/token": (ip) => call(mf, "POST", "/login/token", { headers: from(ip), body: { code: "c", state: forged() } }),
      "/login/result": (ip) => call(mf, "POST", "/login/result", { headers: from(ip), body: { state: forged(), sessionKey: forged() } }),
    };
    for (const [path, route] of Object.entries(routes)) {
      const { statuses, limited } = await untilLimited(() => route("203.0.113.7"), limit);
      assert.ok(statuses.length > limit, `${path}: ${limit} calls pass first (${statuses})`);
      assertError(limited, 429, "ERR_RATE_LIMITED");
      assert.equal(limited.headers.get("retry-after"), "60", path);
      const other = await route("198.51.100.20");
      assert.notEqual(other.status, 429, `${path}: another client is not limited`);
    }
    // Unlimited routes stay open to the limited client.
    assert.equal((await call(mf, "GET", "/login/config", { headers: from("203.0.113.7") })).status, 200);
    await stop(mf);
  });

  test("an IPv6 client is counted by its /64", async () => {
    const mf = worker({}, undefined, { ratelimits: small(2) });
    const route = (ip) => call(mf, "POST", "/login/result", { headers: from(ip), body: { state: forged(), sessionKey: forged() } });
    let n = 0;
    const { statuses, limited } = await untilLimited(() => route(`2001:db8:8:8::${(n++).toString(16)}`), 2);
    assert.ok(statuses.length > 2, String(statuses));
    assertError(limited, 429, "ERR_RATE_LIMITED");
    assert.notEqual((await route("2001:db8:8:9::1")).status, 429, "the next /64 is another client");
    await stop(mf);
  });

  test("wrangler.toml's limits leave room for a browser polling /login/result: 60 polls (two minutes at the demo's pace) pass", async () => {
    const mf = worker({}, undefined, { ratelimits: WRANGLER.ratelimits });
    const start = await call(mf, "POST", "/login/start", { headers: from("203.0.113.9"), body: { redirectUri: REDIRECT } });
    assert.equal(start.status, 200, start.text);
    for (let i = 0; i < 60; i++) {
      const r = await call(mf, "POST", "/login/result", { headers: from("203.0.113.9"), body: { state: start.json.state, sessionKey: start.json.sessionKey } });
      assert.equal(r.status, 202, `poll ${i}: ${r.text}`);
    }
    await stop(mf);
  });

  test("a deployment without the rate limit bindings is refused with ERR_CONFIG naming the binding", async () => {
    const mf = worker({}, undefined, { ratelimits: {} });
    const r = await call(mf, "POST", "/login/start", { body: { redirectUri: REDIRECT } });
    assertError(r, 500, "ERR_CONFIG");
    assert.match(r.json.message, /RATE_LIMIT_LOGIN_START/);
    await stop(mf);
  });
});
