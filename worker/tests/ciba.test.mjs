// Merchant-initiated login (CIBA) through the worker, in workerd (miniflare) against the local
// Vipps emulator: /login/ciba/start, /login/ciba/poll, /login/ciba/token. Run by tests/run.sh,
// which starts two emulators: CIBA_EMULATOR_URL (polls every 2 s; partner keys on for
// 123456 and 654321) and CIBA_SHORT_EMULATOR_URL (logins expire after 4 s). Node >= 22.
//
// The worker's Durable Object must poll Vipps no faster than Vipps allows however often its
// callers poll; the emulator counts every poll it receives ("ciba-poll" in /_emulator/stats).
import { after, afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { TMP, assertError, harness, sleep } from "./helpers.mjs";

const EMULATOR = process.env.CIBA_EMULATOR_URL;
const SHORT = process.env.CIBA_SHORT_EMULATOR_URL;
assert.ok(EMULATOR && SHORT, "CIBA_EMULATOR_URL and CIBA_SHORT_EMULATOR_URL must be set (run tests/run.sh)");

const API_KEY = "test-worker-api-key-0123456789";
const PHONE = "4712345678"; // the emulator's test user
const CALLBACK = "https://shop.example/ciba/done"; // the redirect variant's page
const TOKEN_PATH = "/access-management-1.0/access/oauth2/token";
const CIBA_PATH = "/vipps-login-ciba/api/backchannel/authentication";

const bindings = (emulatorUrl) => ({
  VIPPS_BASE_URL: emulatorUrl,
  VIPPS_CLIENT_ID: "emulator-client-id",
  VIPPS_CLIENT_SECRET: "emulator-client-secret",
  VIPPS_SUBSCRIPTION_KEY: "emulator-subscription-key",
  VIPPS_MSN: "123456",
  LOGIN_TOKEN_AUTH: "client_secret_basic",
  LOGIN_REDIRECT_URIS: `http://localhost:8080/callback.html,${CALLBACK}`,
  WORKER_API_KEY: API_KEY,
  UPSTREAM_TIMEOUT_MS: "3000",
});
const secrets = ["emulator-client-secret", "emulator-subscription-key", API_KEY];
const main = harness({ emulatorUrl: EMULATOR, bindings: bindings(EMULATOR), secrets });
const short = harness({ emulatorUrl: SHORT, bindings: bindings(SHORT), secrets });
const { worker, stop, call, emulator, count, fault, clearFaults } = main;
const auth = { Authorization: `Bearer ${API_KEY}` };

after(async () => {
  await main.stopAll();
  await short.stopAll();
});

/** POST to a CIBA route with the API key. */
const ciba = (mf, route, body, h = main) => h.call(mf, "POST", `/login/ciba/${route}`, { headers: auth, body });

/** Starts a login for the test user; returns the answer's JSON. */
async function start(mf, extra = {}, h = main) {
  const r = await ciba(mf, "start", { phoneNumber: PHONE, ...extra }, h);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/** Polls the worker as a patient caller: waits `retryAfter` between tries; the first non-202. */
async function pollUntilDone(mf, authReqId, h = main) {
  for (let i = 0; i < 40; i++) {
    const r = await ciba(mf, "poll", { authReqId }, h);
    if (r.status !== 202) return r;
    assert.equal(r.json.status, "pending");
    await sleep(r.json.retryAfter * 1000);
  }
  throw new Error("the login never finished");
}

/** One poll straight to the emulator, as another client of the same sales unit would. */
async function pollVippsDirectly(authReqId) {
  const res = await fetch(`${EMULATOR}${TOKEN_PATH}`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from("emulator-client-id:emulator-client-secret").toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "urn:openid:params:grant-type:ciba", auth_req_id: authReqId }),
  });
  return res.json();
}

const polls = () => count("ciba-poll");

const ACCESS_TOKEN_PATH = "/accesstoken/get";
const PARTNER = { LOGIN_PARTNER_MSNS: "123456,654321" };

/**
 * Runs `body` while every Access Token API token the emulator issues has under a minute left
 * (its `expires_on` 45 s ahead): the worker never hands out or caches such a token, so each
 * partner-mode client authentication (every poll's) asks /accesstoken/get anew.
 */
async function withUncachedPartnerTokens(body) {
  await emulator("POST", "/_emulator/clock", { expiresOn: Math.floor(Date.now() / 1000) + 45 });
  try {
    await body();
  } finally {
    await emulator("POST", "/_emulator/clock", {});
  }
}

describe("the routes", () => {
  test("every CIBA route needs the API key", async () => {
    const mf = worker();
    for (const route of ["start", "poll", "token"]) {
      const r = await main.call(mf, "POST", `/login/ciba/${route}`, { body: {} });
      assertError(r, 401, "ERR_UNAUTHORIZED");
    }
    await stop(mf);
  });

  test("input is checked before Vipps is asked", async () => {
    const mf = worker({ LOGIN_SCOPE: "openid name nnin" });
    const before = await count(CIBA_PATH);
    const refused = [
      [{ phoneNumber: "12345678" }, 400, "ERR_INVALID_PARAMS", /phoneNumber/],
      [{ phoneNumber: "+47 123 45 678" }, 400, "ERR_INVALID_PARAMS", /phoneNumber/],
      [{ phoneNumber: PHONE, scope: "openid name", bindingMessage: "abc" }, 400, "ERR_INVALID_PARAMS", /bindingMessage/],
      [{ phoneNumber: PHONE, scope: "openid nnin" }, 400, "ERR_INVALID_PARAMS", /use nin/],
      [{ phoneNumber: PHONE, scope: "openid email" }, 400, "ERR_INVALID_PARAMS", /LOGIN_SCOPE/],
      [{ phoneNumber: PHONE, redirectUri: "https://evil.example/cb" }, 400, "ERR_REDIRECT_URI_NOT_ALLOWED", /./],
      [{ phoneNumber: PHONE, msn: "123456" }, 400, "ERR_INVALID_PARAMS", /not a partner/],
      [{ phoneNumber: PHONE, extra: 1 }, 400, "ERR_BAD_REQUEST", /extra/],
      [{}, 400, "ERR_BAD_REQUEST", /phoneNumber/],
    ];
    for (const [body, status, code, message] of refused) {
      const r = await ciba(mf, "start", body);
      assertError(r, status, code);
      assert.match(r.json.message, message);
    }
    assert.equal(await count(CIBA_PATH), before, "no request reached Vipps");
    await stop(mf);
  });

  test("an unknown or malformed authReqId is 400 ERR_CIBA_SESSION", async () => {
    const mf = worker();
    assertError(await ciba(mf, "poll", { authReqId: "never-issued" }), 400, "ERR_CIBA_SESSION");
    assertError(await ciba(mf, "poll", { authReqId: "a/../b" }), 400, "ERR_CIBA_SESSION");
    assertError(await ciba(mf, "token", { authReqId: "never-issued", code: "x" }), 400, "ERR_CIBA_SESSION");
    await stop(mf);
  });

  test("Vipps' error codes for the user come back as ERR_CIBA_INELIGIBLE with vippsError", async () => {
    const mf = worker();
    const old = await ciba(mf, "start", { phoneNumber: "4700000001" });
    assertError(old, 400, "ERR_CIBA_INELIGIBLE");
    assert.equal(old.json.vippsError, "old_app");
    const none = await ciba(mf, "start", { phoneNumber: "4799999999" });
    assertError(none, 400, "ERR_CIBA_INELIGIBLE");
    assert.equal(none.json.vippsError, "invalid_user");
    await stop(mf);
  });
});

describe("polling", () => {
  afterEach(clearFaults);

  test("approve: pending (with no poll sent early) until the phone approves, then the identity once", async () => {
    const mf = worker();
    const before = await polls();
    const started = await start(mf, { bindingMessage: "4MZ-CQ3" });
    assert.equal(started.interval, 2);
    assert.equal(started.expiresIn, 600);
    assert.match(started.authReqId, /^[A-Za-z0-9._-]+$/);
    // At once: the interval has not passed, so the worker answers from its schedule.
    const early = await ciba(mf, "poll", { authReqId: started.authReqId });
    assert.equal(early.status, 202, early.text);
    assert.deepEqual(early.json, { status: "pending", retryAfter: 2 });
    assert.equal(await polls(), before, "no poll went to Vipps before the interval");

    await sleep(2100);
    const pending = await ciba(mf, "poll", { authReqId: started.authReqId });
    assert.equal(pending.status, 202);
    assert.equal(await polls(), before + 1);

    await emulator("POST", "/_emulator/ciba/approve", { authReqId: started.authReqId });
    const r = await pollUntilDone(mf, started.authReqId);
    assert.equal(r.status, 200, r.text);
    assert.equal(typeof r.json.idToken, "string");
    assert.deepEqual(r.json.claims.aud, ["emulator-client-id"]);
    assert.equal(r.json.userinfo.sub, r.json.claims.sub);
    assert.equal(r.json.userinfo.phone_number, PHONE);
    assert.ok(!("accessToken" in r.json) && !r.text.includes("emu-login."), "never the access token");

    const again = await ciba(mf, "poll", { authReqId: started.authReqId });
    assertError(again, 400, "ERR_CIBA_SESSION");
    await stop(mf);
  });

  test("deny: 403 ERR_CIBA_DENIED, and the same to every later poll", async () => {
    const mf = worker();
    const { authReqId } = await start(mf);
    await emulator("POST", "/_emulator/ciba/deny", { authReqId });
    const r = await pollUntilDone(mf, authReqId);
    assertError(r, 403, "ERR_CIBA_DENIED");
    const before = await polls();
    assertError(await ciba(mf, "poll", { authReqId }), 403, "ERR_CIBA_DENIED");
    assert.equal(await polls(), before, "an ended login is not polled again");
    await stop(mf);
  });

  test("expire: Vipps' expired_token is 410 ERR_CIBA_EXPIRED", async () => {
    const mf = worker();
    const { authReqId } = await start(mf);
    await emulator("POST", "/_emulator/ciba/expire", { authReqId });
    const r = await pollUntilDone(mf, authReqId);
    assertError(r, 410, "ERR_CIBA_EXPIRED");
    await stop(mf);
  });

  test("expire: after expires_in the worker answers 410 itself and polls Vipps no more", async () => {
    const mf = short.worker();
    const before = await short.count("ciba-poll");
    const { authReqId, expiresIn } = await start(mf, {}, short);
    assert.equal(expiresIn, 4);
    await sleep(4200);
    const r = await ciba(mf, "poll", { authReqId }, short);
    assertError(r, 410, "ERR_CIBA_EXPIRED");
    assert.equal(await short.count("ciba-poll"), before, "no poll after the expiry");
    await short.stop(mf);
  });

  test("slow_down: the worker adds 5 s to the interval for this and every later poll", async () => {
    const mf = worker();
    const { authReqId, interval } = await start(mf);
    await sleep(interval * 1000 + 100);
    // Someone else polls just before the worker does: the worker's poll is too soon for Vipps.
    assert.equal((await pollVippsDirectly(authReqId)).error, "authorization_pending");
    const first = await ciba(mf, "poll", { authReqId });
    assert.equal(first.status, 202, first.text);
    assert.equal(first.json.retryAfter, interval + 5, "slow_down: 2 s + 5 s");
    const afterSlowDown = await polls();
    await sleep(4000);
    const waiting = await ciba(mf, "poll", { authReqId });
    assert.equal(waiting.status, 202);
    assert.ok(waiting.json.retryAfter >= 2 && waiting.json.retryAfter <= 3, waiting.text);
    assert.equal(await polls(), afterSlowDown, "no poll within the longer interval");
    await sleep(waiting.json.retryAfter * 1000 + 100);
    const next = await ciba(mf, "poll", { authReqId });
    assert.equal(next.status, 202);
    assert.equal(await polls(), afterSlowDown + 1);
    assert.equal(next.json.retryAfter, interval + 5, "the longer interval stays, and Vipps saw no second slow_down");
    await stop(mf);
  });

  test("429 with Retry-After: the worker waits as told, and its callers get 202, not 429", async () => {
    const mf = worker();
    const { authReqId, interval } = await start(mf);
    await fault({ path: TOKEN_PATH, kind: "status", status: 429, retryAfter: 9, count: 1 });
    await sleep(interval * 1000 + 100);
    const limited = await ciba(mf, "poll", { authReqId });
    assert.equal(limited.status, 202, limited.text);
    assert.equal(limited.json.retryAfter, 9);
    const afterLimit = await polls();
    for (let i = 0; i < 8; i++) {
      await sleep(1000);
      const r = await ciba(mf, "poll", { authReqId });
      assert.equal(r.status, 202, r.text);
    }
    assert.equal(await polls(), afterLimit, "nothing sent to Vipps before Retry-After");
    await sleep(1200);
    await emulator("POST", "/_emulator/ciba/approve", { authReqId });
    const done = await pollUntilDone(mf, authReqId);
    assert.equal(done.status, 200, done.text);
    await stop(mf);
  });

  test("Vipps' 429 to a start is 429 ERR_CIBA_RATE_LIMITED with its Retry-After", async () => {
    const mf = worker();
    await fault({ path: CIBA_PATH, kind: "status", status: 429, retryAfter: 30, count: 1 });
    const r = await ciba(mf, "start", { phoneNumber: PHONE });
    assertError(r, 429, "ERR_CIBA_RATE_LIMITED");
    assert.equal(r.headers.get("retry-after"), "30");
    await stop(mf);
  });

  test("a transient failure of a poll leaves the login usable", async () => {
    const mf = worker();
    const { authReqId, interval } = await start(mf);
    await fault({ path: TOKEN_PATH, kind: "status", status: 503, count: 1 });
    await sleep(interval * 1000 + 100);
    assertError(await ciba(mf, "poll", { authReqId }), 502, "ERR_UPSTREAM");
    await emulator("POST", "/_emulator/ciba/approve", { authReqId });
    const done = await pollUntilDone(mf, authReqId);
    assert.equal(done.status, 200, done.text);
    await stop(mf);
  });

  test("50 concurrent callers polling one login for 30 s: no more polls to Vipps than the interval allows", async () => {
    const mf = worker();
    const before = await polls();
    const t0 = Date.now();
    const { authReqId, interval } = await start(mf);
    const statuses = new Map();
    const until = t0 + 30_000;
    const caller = async () => {
      while (Date.now() < until) {
        const r = await ciba(mf, "poll", { authReqId });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        await sleep(100 + Math.random() * 150);
      }
    };
    await Promise.all(Array.from({ length: 50 }, caller));
    const elapsed = Date.now() - t0;
    const sent = (await polls()) - before;
    const allowed = Math.floor(elapsed / (interval * 1000));
    const asked = [...statuses.values()].reduce((a, b) => a + b, 0);
    assert.deepEqual([...statuses.keys()], [202], `every caller got 202: ${JSON.stringify([...statuses])}`);
    assert.ok(asked > 2000, `the callers asked ${asked} times`);
    assert.ok(sent <= allowed, `${sent} polls in ${elapsed} ms; the interval allows ${allowed}`);
    // Liveness, loosely: on a loaded machine a caller may arrive late for a slot, so a slot can
    // pass without a poll; the bound that matters is the upper one above.
    assert.ok(sent >= Math.floor(allowed / 2), `and it did keep polling: ${sent} of ${allowed}`);

    // Approved: of 50 callers asking at once, exactly one gets the identity.
    await emulator("POST", "/_emulator/ciba/approve", { authReqId });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => pollUntilDone(mf, authReqId)));
    assert.equal(outcomes.filter((r) => r.status === 200).length, 1);
    for (const r of outcomes.filter((r) => r.status !== 200)) assertError(r, 400, "ERR_CIBA_SESSION");
    await stop(mf);
  });

  test("the login survives a restart of the worker (Durable Object storage)", async () => {
    const dir = mkdtempSync(join(TMP, "ciba-persist-"));
    const first = worker({}, dir);
    const { authReqId } = await start(first);
    await stop(first);
    const second = worker({}, dir);
    const early = await ciba(second, "poll", { authReqId });
    assert.equal(early.status, 202, early.text);
    await emulator("POST", "/_emulator/ciba/approve", { authReqId });
    assert.equal((await pollUntilDone(second, authReqId)).status, 200);
    await stop(second);
  });
});

describe("the redirect variant (login_to_webpage)", () => {
  test("a code is exchanged once, and a code of another login is refused by its auth_req_id", async () => {
    const mf = worker();
    const a = await start(mf, { redirectUri: CALLBACK });
    const b = await start(mf, { redirectUri: CALLBACK });
    assertError(await ciba(mf, "poll", { authReqId: a.authReqId }), 400, "ERR_CIBA_SESSION");

    // B's user approves; B's code is presented as A's.
    const bUrl = new URL((await emulator("POST", "/_emulator/ciba/approve", { authReqId: b.authReqId })).redirectUrl);
    assert.equal(`${bUrl.origin}${bUrl.pathname}`, CALLBACK);
    assert.equal(bUrl.searchParams.get("state"), null, "no state in this variant");
    const swapped = await ciba(mf, "token", { code: bUrl.searchParams.get("code"), authReqId: a.authReqId });
    assertError(swapped, 401, "ERR_CLAIM_INVALID");
    assert.match(swapped.json.message, /auth_req_id/);

    // A is still open for its own code.
    const aUrl = new URL((await emulator("POST", "/_emulator/ciba/approve", { authReqId: a.authReqId })).redirectUrl);
    const r = await ciba(mf, "token", { code: aUrl.searchParams.get("code"), authReqId: a.authReqId });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.claims.auth_req_id, a.authReqId);
    assert.equal(r.json.userinfo.sub, r.json.claims.sub);
    const again = await ciba(mf, "token", { code: aUrl.searchParams.get("code"), authReqId: a.authReqId });
    assertError(again, 400, "ERR_CIBA_SESSION");
    await stop(mf);
  });

  test("a code brought back after the login expired is refused with 410 ERR_CIBA_EXPIRED and never sent to Vipps", async () => {
    const mf = short.worker();
    const { authReqId, expiresIn } = await start(mf, { redirectUri: CALLBACK }, short);
    const url = new URL((await short.emulator("POST", "/_emulator/ciba/approve", { authReqId })).redirectUrl);
    // The code itself is still good at the emulator (EMULATOR_CODE_LIFETIME): only the
    // login's own expiry stops it.
    await sleep(expiresIn * 1000 + 200);
    const before = await short.count(TOKEN_PATH);
    const r = await ciba(mf, "token", { code: url.searchParams.get("code"), authReqId }, short);
    assertError(r, 410, "ERR_CIBA_EXPIRED");
    assert.equal(await short.count(TOKEN_PATH), before, "the code never reached Vipps");
    assertError(await ciba(mf, "token", { code: url.searchParams.get("code"), authReqId }, short), 410, "ERR_CIBA_EXPIRED");
    await short.stop(mf);
  });
});

describe("partner mode (LOGIN_PARTNER_MSNS)", () => {
  afterEach(clearFaults);

  test("a partner starts a login for one of its merchants; the ID token names that merchant", async () => {
    const mf = worker({ LOGIN_PARTNER_MSNS: "123456,654321" });
    assertError(await ciba(mf, "start", { phoneNumber: PHONE }), 400, "ERR_INVALID_PARAMS");
    assertError(await ciba(mf, "start", { phoneNumber: PHONE, msn: "999999" }), 400, "ERR_INVALID_PARAMS");
    const before = await count("partner-token");
    const { authReqId } = await start(mf, { msn: "654321" });
    await emulator("POST", "/_emulator/ciba/approve", { authReqId });
    const r = await pollUntilDone(mf, authReqId);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.claims.msn, "654321");
    assert.ok((await count("partner-token")) > before, "the token endpoint saw the partner's Bearer token");
    await stop(mf);
  });

  test("a slow partner-token lookup does not make the next poll early: the interval counts from when a poll is sent", async () => {
    const mf = worker(PARTNER);
    await withUncachedPartnerTokens(async () => {
      const { authReqId, interval } = await start(mf, { msn: "123456" });
      const before = await polls();
      const lookups = await count(ACCESS_TOKEN_PATH);
      // The first poll is decided at once but leaves 1.5 s later, after the lookup.
      await fault({ path: ACCESS_TOKEN_PATH, kind: "delay", delayMs: 1500, count: 1 });
      await sleep(interval * 1000 + 100);
      const first = await ciba(mf, "poll", { authReqId });
      assert.equal(first.status, 202, first.text);
      assert.equal(await polls(), before + 1);
      assert.ok((await count(ACCESS_TOKEN_PATH)) > lookups, "the poll waited for the slow lookup");
      // An eager caller: asks every 200 ms until the worker's second poll has reached Vipps.
      // Had that poll come sooner than `interval` after the first one left, Vipps would have
      // answered slow_down, and the worker's retryAfter would be interval + 5.
      let second;
      for (let i = 0; i < 60 && (await polls()) < before + 2; i++) {
        await sleep(200);
        second = await ciba(mf, "poll", { authReqId });
        assert.equal(second.status, 202, second.text);
      }
      assert.equal(await polls(), before + 2, "the second poll was sent");
      assert.equal(second.json.retryAfter, interval, `Vipps saw no early poll: ${second.text}`);
    });
    await stop(mf);
  });

  test("a partner-token lookup that outlasts the lost-poll limit (65 s) sends no poll beside the caller's that took over", async () => {
    // Slow on purpose (about 70 s of wall time): LOST_POLL_MS is 65 s. The first poll's
    // lookup times out twice (UPSTREAM_TIMEOUT_MS 33 s) before its third attempt succeeds, at
    // about 66.5 s; a second caller polling past 65 s takes the poll over meanwhile (and joins
    // the same lookup in the TokenCache). Both get the token at once: one poll may go out.
    const mf = worker({ ...PARTNER, UPSTREAM_TIMEOUT_MS: "33000" });
    let started;
    await withUncachedPartnerTokens(async () => {
      started = await start(mf, { msn: "123456" });
    });
    // Only the start's token was too short-lived to keep: the first poll fetches a normal one.
    const { authReqId, interval } = started;
    const before = await polls();
    await fault({ path: ACCESS_TOKEN_PATH, kind: "delay", delayMs: 40_000, count: 2 });
    await sleep(interval * 1000 + 100);
    const t0 = Date.now();
    let firstDone = false;
    const slowPoll = () => main.call(mf, "POST", "/login/ciba/poll", { headers: auth, body: { authReqId }, timeoutMs: 120_000 });
    const first = slowPoll().finally(() => {
      firstDone = true;
    });
    await sleep(64_500 - (Date.now() - t0));
    const others = [];
    let askedPastLimit = false;
    while (!firstDone && Date.now() - t0 < 110_000) {
      askedPastLimit ||= Date.now() - t0 >= 65_000;
      others.push(await slowPoll());
      await sleep(200);
    }
    const answer = await first;
    assert.ok(askedPastLimit, "another caller asked past 65 s while the first poll was still pending");
    assert.equal(answer.status, 202, answer.text);
    for (const r of others) assert.equal(r.status, 202, r.text);
    assert.equal(await polls(), before + 1, "one poll reached Vipps, not two overlapping ones");
    await stop(mf);
  });

  test("a failed partner-token refresh at a poll leaves the login usable: a later poll reaches the approval", async () => {
    const mf = worker(PARTNER);
    await withUncachedPartnerTokens(async () => {
      const { authReqId, interval } = await start(mf, { msn: "654321" });
      const before = await polls();
      await fault({ path: ACCESS_TOKEN_PATH, kind: "status", status: 503, count: 10 });
      await sleep(interval * 1000 + 100);
      assertError(await ciba(mf, "poll", { authReqId }), 502, "ERR_UPSTREAM");
      assert.equal(await polls(), before, "no poll went to Vipps without the partner's token");
      await clearFaults();
      await emulator("POST", "/_emulator/ciba/approve", { authReqId });
      const done = await pollUntilDone(mf, authReqId);
      assert.equal(done.status, 200, done.text);
      assert.equal(done.json.claims.msn, "654321");
    });
    await stop(mf);
  });
});
