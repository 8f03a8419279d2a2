// Partner login (Vipps Login API, "Partner keys"; LOGIN_PARTNER_MSNS) in workerd (miniflare)
// against the local Vipps emulator with partner keys on for 123456 and 654321: the authorize
// URL names the merchant (`msn=`, no `client_id`); the token endpoint gets
// `Authorization: Bearer <the partner's Access Token API token>` and `Merchant-Serial-Number`
// (the emulator counts those as "partner-token"); the ID token's `msn` claim is checked
// instead of `aud`. Run by tests/run.sh (PARTNER_EMULATOR_URL). Node >= 22.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { REDIRECT, assertError, b64url, harness } from "./helpers.mjs";

const EMULATOR = process.env.PARTNER_EMULATOR_URL;
assert.ok(EMULATOR, "PARTNER_EMULATOR_URL must be set (run tests/run.sh)");
const TOKEN_PATH = "/access-management-1.0/access/oauth2/token";
const ACCESS_TOKEN_PATH = "/accesstoken/get";
const MERCHANT = "123456";
const OTHER_MERCHANT = "654321";
const PARTNER = { LOGIN_PARTNER_MSNS: `${MERCHANT},${OTHER_MERCHANT}` };

const { worker, stop, stopAll, call, emulator, count, approve } = harness({
  emulatorUrl: EMULATOR,
  secrets: ["emulator-client-secret", "emulator-subscription-key"],
  bindings: {
    VIPPS_BASE_URL: EMULATOR,
    // With LOGIN_PARTNER_MSNS set these are the partner's keys.
    VIPPS_CLIENT_ID: "emulator-client-id",
    VIPPS_CLIENT_SECRET: "emulator-client-secret",
    VIPPS_SUBSCRIPTION_KEY: "emulator-subscription-key",
    LOGIN_REDIRECT_URIS: REDIRECT,
    UPSTREAM_TIMEOUT_MS: "3000",
  },
});
after(stopAll);

const token = (mf, body) => call(mf, "POST", "/login/token", { body });
const start = (mf, body) => call(mf, "POST", "/login/start", { body: { redirectUri: REDIRECT, ...body } });
/** The next ID token the emulator signs carries these claims (null: without the claim). */
const nextClaims = (claims) => emulator("POST", "/_emulator/id-token-claims", claims);

/** `/login/start` for `msn`, approved at the emulator: what the starting browser holds. */
async function serverLogin(mf, msn) {
  const s = await start(mf, { msn });
  assert.equal(s.status, 200, s.text);
  const cb = await approve(s.json.url);
  assert.equal(cb.state, s.json.state);
  return { ...s.json, code: cb.code };
}

/** An SPA-made login for `msn`: PKCE, state and nonce made here, authorize with `msn=`. */
async function spaLogin(mf, msn) {
  const cfg = (await call(mf, "GET", "/login/config")).json;
  const codeVerifier = b64url(randomBytes(32));
  const nonce = b64url(randomBytes(16));
  const url = new URL(cfg.authorizationEndpoint);
  for (const [k, v] of Object.entries({
    response_type: "code",
    msn,
    redirect_uri: REDIRECT,
    scope: cfg.scope,
    state: b64url(randomBytes(16)),
    nonce,
    code_challenge: b64url(createHash("sha256").update(codeVerifier).digest()),
    code_challenge_method: "S256",
  }))
    url.searchParams.set(k, v);
  const cb = await approve(url.toString());
  return { code: cb.code, codeVerifier, redirectUri: REDIRECT, nonce, msn };
}

describe("partner mode (LOGIN_PARTNER_MSNS)", () => {
  test("/login/config lists the merchants as msns and gives no clientId", async () => {
    const mf = worker(PARTNER);
    const cfg = await call(mf, "GET", "/login/config");
    assert.equal(cfg.status, 200, cfg.text);
    assert.deepEqual(cfg.json.msns, [MERCHANT, OTHER_MERCHANT]);
    assert.ok(!("clientId" in cfg.json), cfg.text);
    await stop(mf);
    const own = worker();
    const ownCfg = (await call(own, "GET", "/login/config")).json;
    assert.equal(ownCfg.clientId, "emulator-client-id");
    assert.ok(!("msns" in ownCfg), "no msns outside partner mode");
    await stop(own);
  });

  test("/login/start authorizes with msn= and no client_id; the exchange sends Bearer + Merchant-Serial-Number and checks the msn claim", async () => {
    const mf = worker(PARTNER);
    const before = await count("partner-token");
    const login = await serverLogin(mf, OTHER_MERCHANT);
    const url = new URL(login.url);
    assert.equal(url.searchParams.get("msn"), OTHER_MERCHANT);
    assert.ok(!url.searchParams.has("client_id"), login.url);
    const r = await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.claims.msn, OTHER_MERCHANT);
    assert.equal(r.json.claims.nonce, url.searchParams.get("nonce"));
    assert.equal(r.json.userinfo.sub, r.json.claims.sub);
    assert.equal((await count("partner-token")) - before, 1, "the emulator saw the partner's Bearer token with the MSN");
    await stop(mf);
  });

  test("an SPA-held login sends msn with the code and gets the merchant's identity", async () => {
    const mf = worker(PARTNER);
    const before = await count("partner-token");
    const r = await token(mf, await spaLogin(mf, MERCHANT));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.claims.msn, MERCHANT);
    assert.equal((await count("partner-token")) - before, 1);
    await stop(mf);
  });

  test("one Access Token API call however many partner logins", async () => {
    const mf = worker(PARTNER);
    const before = await count(ACCESS_TOKEN_PATH);
    const partnerBefore = await count("partner-token");
    const logins = await Promise.all([MERCHANT, OTHER_MERCHANT, MERCHANT, OTHER_MERCHANT].map((m) => serverLogin(mf, m)));
    const answers = await Promise.all(logins.map((l) => token(mf, { code: l.code, state: l.state, sessionKey: l.sessionKey })));
    for (const a of answers) assert.equal(a.status, 200, a.text);
    assert.equal(await count(ACCESS_TOKEN_PATH), before + 1, "the partner token came from the TokenCache");
    assert.equal((await count("partner-token")) - partnerBefore, 4);
    await stop(mf);
  });

  test("an ID token for another merchant (its msn claim) is refused, in both flows", async () => {
    const mf = worker(PARTNER);
    await nextClaims({ msn: OTHER_MERCHANT });
    const spa = await token(mf, await spaLogin(mf, MERCHANT));
    assertError(spa, 401, "ERR_CLAIM_AUDIENCE");
    assert.ok(!spa.text.includes("eyJ"), "no token in the refusal");
    const login = await serverLogin(mf, MERCHANT);
    await nextClaims({ msn: OTHER_MERCHANT });
    assertError(await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey }), 401, "ERR_CLAIM_AUDIENCE");
    await stop(mf);
  });

  test("an ID token without an msn claim is refused (aud alone is not checked for a partner)", async () => {
    const mf = worker(PARTNER);
    await nextClaims({ msn: null });
    const r = await token(mf, await spaLogin(mf, MERCHANT));
    assert.equal(r.status, 401, r.text);
    assert.match(r.json.error, /^ERR_CLAIM_(AUDIENCE|MISSING)$/);
    await stop(mf);
  });

  test("msn missing or not listed is 400 ERR_INVALID_PARAMS and nothing reaches Vipps", async () => {
    const mf = worker(PARTNER);
    const spa = await spaLogin(mf, MERCHANT);
    const before = await count(TOKEN_PATH);
    for (const body of [{}, { msn: "999999" }, { msn: "12" }]) {
      const r = await start(mf, body);
      assertError(r, 400, "ERR_INVALID_PARAMS");
      assert.match(r.json.message, /msn/);
    }
    for (const msn of [undefined, "999999"]) {
      const r = await token(mf, { ...spa, msn });
      assertError(r, 400, "ERR_INVALID_PARAMS");
    }
    assert.equal(await count(TOKEN_PATH), before, "no code exchange was sent");
    await stop(mf);
  });

  test("the session remembers the merchant: msn beside state is refused", async () => {
    const mf = worker(PARTNER);
    const login = await serverLogin(mf, MERCHANT);
    const r = await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey, msn: OTHER_MERCHANT });
    assertError(r, 400, "ERR_BAD_REQUEST");
    const ok = await token(mf, { code: login.code, state: login.state, sessionKey: login.sessionKey });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.claims.msn, MERCHANT);
    await stop(mf);
  });

  test("the hand-off works in partner mode: another browser gets 202, the starting one the merchant's identity", async () => {
    const mf = worker(PARTNER);
    const login = await serverLogin(mf, OTHER_MERCHANT);
    const other = await token(mf, { code: login.code, state: login.state });
    assert.equal(other.status, 202, other.text);
    assert.equal(other.text, '{"status":"handed_off"}');
    const r = await call(mf, "POST", "/login/result", { body: { state: login.state, sessionKey: login.sessionKey } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.claims.msn, OTHER_MERCHANT);
    await stop(mf);
  });
});

describe("outside partner mode", () => {
  test("msn is refused by /login/start and /login/token: a caller cannot make the worker a partner", async () => {
    const mf = worker();
    const r = await start(mf, { msn: MERCHANT });
    assertError(r, 400, "ERR_INVALID_PARAMS");
    assert.match(r.json.message, /not a partner/);
    const before = await count(TOKEN_PATH);
    const t = await token(mf, { code: "x", codeVerifier: "v".repeat(43), redirectUri: REDIRECT, nonce: "n", msn: MERCHANT });
    assertError(t, 400, "ERR_INVALID_PARAMS");
    assert.equal(await count(TOKEN_PATH), before);
    await stop(mf);
  });
});
