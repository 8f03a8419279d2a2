// The async half of the API (verifyJwt, validateIdToken, KeySet, discover), which runs in
// the package's JS since the wasm became synchronous: the cases the wasm-bindgen-test suite
// used to drive through Rust async exports, now through the built package.
import test from "node:test";
import assert from "node:assert/strict";
import { loadPackage, rsaKey } from "./helpers.mjs";

const v = await loadPackage();
const now = () => Math.floor(Date.now() / 1000);
const ISSUER = "https://apitest.vipps.no/access-management-1.0/access/";
const RFC7515_A2 = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
const RFC7515_A2_JWK = { kty: "RSA", e: "AQAB", n: "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ" };

async function code(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof Error);
    assert.equal(e.name, "VippsAuthError", e.message);
    return e.code;
  }
  assert.fail("expected a rejection");
}

const flip = (t) => { const at = t.length - 10; return t.slice(0, at) + (t[at] === "A" ? "B" : "A") + t.slice(at + 1); };

test("verifyJwt accepts RFC 7515 A.2 and refuses a tampered signature or an algorithm not allowed", async () => {
  const keys = v.KeySet.fromJwks({ keys: [RFC7515_A2_JWK] });
  const parts = await v.verifyJwt(RFC7515_A2, keys);
  assert.equal(parts.claims.exp, 1300819380);
  assert.equal(parts.header.alg, "RS256");
  assert.equal(await code(v.verifyJwt(flip(RFC7515_A2), keys)), "ERR_SIGNATURE_INVALID");
  assert.equal(await code(v.verifyJwt(RFC7515_A2, keys, { algorithms: ["ES256"] })), "ERR_ALG_NOT_ALLOWED");
  assert.equal(await code(v.verifyJwt(RFC7515_A2, keys, { algorithms: ["HS256"] })), "ERR_INVALID_PARAMS");
  assert.equal(await code(v.verifyJwt("a.b", keys)), "ERR_JWT_MALFORMED");
});

test("verifyJwt refuses a value that is not a KeySet, and a freed KeySet", async () => {
  assert.equal(await code(v.verifyJwt(RFC7515_A2, { keys: [] })), "ERR_INVALID_PARAMS");
  assert.equal(await code(v.verifyJwt(1, null)), "ERR_INVALID_PARAMS");
  const keys = v.KeySet.fromJwks({ keys: [RFC7515_A2_JWK] });
  keys.free();
  await assert.rejects(v.verifyJwt(RFC7515_A2, keys), { code: "ERR_INVALID_PARAMS", message: "invalid parameter `keys`: this KeySet has been freed" });
  assert.equal(keys.fetchCount, 0);
});

test("errors carry the core's messages and the thrown shape", async () => {
  await assert.rejects(v.verifyJwt(RFC7515_A2, v.KeySet.fromJwks({ keys: [RFC7515_A2_JWK] }), { algorithms: ["ES256"] }),
    { name: "VippsAuthError", code: "ERR_ALG_NOT_ALLOWED", message: "the algorithm `RS256` is not allowed" });
  assert.throws(() => v.buildAuthorizeUrl({ authorizationEndpoint: 5 }), { message: "invalid parameter `authorizationEndpoint`: must be a string" });
  assert.throws(() => v.buildAuthorizeUrl(() => {}), { message: "invalid parameter `params`: must be an object" });
  assert.throws(() => v.endpoints(Symbol("x")), { message: "invalid parameter `env`: must be a string" });
  const getterThrows = { authorizationEndpoint: "https://x/auth", get clientId() { throw new Error("no"); } };
  assert.throws(() => v.buildAuthorizeUrl(getterThrows), { message: "invalid parameter `clientId`: cannot be read" });
  assert.throws(() => v.startLogin({ authorizationEndpoint: "https://x/auth", clientId: "c", redirectUri: "https://a/cb", scope: "openid", state: "s" }),
    { code: "ERR_INVALID_PARAMS" });
  const inherited = Object.create({ authorizationEndpoint: `${ISSUER}oauth2/auth` });
  Object.assign(inherited, { clientId: "c", redirectUri: "https://a/cb", scope: ["openid"] });
  assert.ok(v.startLogin(inherited).url.startsWith(`${ISSUER}oauth2/auth?`), "inherited option properties are read");
});

test("KeySet.fromJwks takes an object or JSON text; KeySet refuses garbage", () => {
  assert.ok(v.KeySet.fromJwks(JSON.stringify({ keys: [RFC7515_A2_JWK] })) instanceof v.KeySet);
  assert.equal(v.KeySet.name, "KeySet", "the class keeps its name in the minified bundle");
  assert.throws(() => v.KeySet.fromJwks("{not json"), { name: "VippsAuthError", code: "ERR_JWKS_MALFORMED" });
  assert.throws(() => v.KeySet.fromJwks(5), { code: "ERR_INVALID_PARAMS" });
  assert.throws(() => v.KeySet.remote("ftp://x"), { code: "ERR_INVALID_PARAMS" });
  assert.throws(() => v.KeySet.remote("https://x/jwks", { cooldownSec: "1" }), { code: "ERR_INVALID_PARAMS" });
  assert.throws(() => v.KeySet.remote("https://x/jwks", { timeoutMs: Infinity }), { message: "invalid parameter `timeoutMs`: must be a finite number" });
  assert.throws(() => new v.KeySet(), TypeError);
  assert.equal(v.KeySet.remote("https://x/jwks").fetchCount, 0);
});

function claims(nonce, expOffset, aud) {
  const t = now();
  return { iss: ISSUER, aud: [aud], sub: "user-1", exp: t + expOffset, iat: t, auth_time: t, nonce };
}

const opts = (keys, extra = {}) => ({ issuer: ISSUER, clientId: "client-1", nonce: "n-1", keys, ...extra });

test("validateIdToken checks the signature, then every claim", async () => {
  const signer = rsaKey("public:key-1");
  const keys = v.KeySet.fromJwks({ keys: [signer.jwk] });
  const good = signer.sign(claims("n-1", 300, "client-1"));
  assert.equal((await v.validateIdToken(good, opts(keys))).sub, "user-1");
  const cases = [
    [claims("other", 300, "client-1"), {}, "ERR_CLAIM_NONCE"],
    [claims("n-1", -3600, "client-1"), {}, "ERR_CLAIM_EXPIRED"],
    [claims("n-1", 300, "someone-else"), {}, "ERR_CLAIM_AUDIENCE"],
    [claims("n-1", 300, "client-1"), { issuer: "https://evil.example/" }, "ERR_CLAIM_ISSUER"],
    [claims("n-1", 300, "client-1"), { algorithms: ["ES256"] }, "ERR_ALG_NOT_ALLOWED"],
    [claims("n-1", 300, "client-1"), { now: "soon" }, "ERR_INVALID_PARAMS"],
  ];
  for (const [c, extra, expected] of cases) {
    assert.equal(await code(v.validateIdToken(signer.sign(c), opts(keys, extra))), expected, JSON.stringify(extra));
  }
  assert.equal(await code(v.validateIdToken(flip(good), opts(keys))), "ERR_SIGNATURE_INVALID");
  const foreign = rsaKey("public:key-1").sign(claims("n-1", 300, "client-1"));
  assert.equal(await code(v.validateIdToken(foreign, opts(keys))), "ERR_SIGNATURE_INVALID");
  assert.equal(await code(v.validateIdToken(good, { issuer: ISSUER, clientId: "c" })), "ERR_INVALID_PARAMS");
  assert.equal(await code(v.validateIdToken(good)), "ERR_INVALID_PARAMS");
});

test("validateIdToken honours now and the clock tolerance", async () => {
  const signer = rsaKey("k");
  const keys = v.KeySet.fromJwks({ keys: [signer.jwk] });
  const token = signer.sign(claims("n-1", 60, "client-1"));
  assert.equal(await code(v.validateIdToken(token, opts(keys, { now: now() + 120, clockToleranceSec: 0 }))), "ERR_CLAIM_EXPIRED");
  assert.equal((await v.validateIdToken(token, opts(keys, { now: now() + 120, clockToleranceSec: 120 }))).sub, "user-1");
});

test("a token that is not a string is refused before anything else, so the wasm and WebCrypto never check two tokens", async () => {
  // The attack: an object whose string conversions (toJSON, toString) give a forged token and
  // whose slice / lastIndexOf give a genuine one. Were it let through, the wasm would parse the
  // forged token while WebCrypto checked the genuine signature, and the forged claims would pass.
  const signer = rsaKey("public:k");
  const keys = v.KeySet.fromJwks({ keys: [signer.jwk] });
  const genuine = signer.sign(claims("n-1", 300, "client-1"));
  const [header, , signature] = genuine.split(".");
  const forgedClaims = { ...claims("n-1", 300, "client-1"), sub: "attacker" };
  const forged = `${header}.${Buffer.from(JSON.stringify(forgedClaims)).toString("base64url")}.${signature}`;
  const twoFaced = {
    toJSON: () => forged, toString: () => forged, valueOf: () => forged,
    slice: (...a) => genuine.slice(...a), lastIndexOf: (...a) => genuine.lastIndexOf(...a), length: genuine.length,
  };
  const outcome = async (p) => p.then((r) => `resolved ${JSON.stringify(r)}`, (e) => e.code);
  assert.equal(await outcome(v.verifyJwt(twoFaced, keys)), "ERR_INVALID_PARAMS");
  assert.equal(await outcome(v.validateIdToken(twoFaced, opts(keys))), "ERR_INVALID_PARAMS");
  assert.throws(() => v.decodeJwt(twoFaced), { code: "ERR_INVALID_PARAMS" });
  // Before anything else: a bad KeySet or bad options do not get reported first.
  await assert.rejects(v.verifyJwt(twoFaced, null, 5), { code: "ERR_INVALID_PARAMS", message: "invalid parameter `token`: must be a string" });
  await assert.rejects(v.validateIdToken(new String(genuine), opts(keys)), { code: "ERR_INVALID_PARAMS", message: "invalid parameter `token`: must be a string" });
  // The access token that at_hash is checked against must be a string too.
  const accessToken = { toJSON: () => "access-token", toString: () => "another" };
  await assert.rejects(v.validateIdToken(genuine, opts(keys, { accessToken })), { code: "ERR_INVALID_PARAMS", message: "invalid parameter `accessToken`: must be a string" });
  assert.equal((await v.validateIdToken(genuine, opts(keys))).sub, "user-1", "the genuine token as a string verifies");
});

test("errors are VippsAuthError instances with a structured cause", async () => {
  assert.equal(typeof v.VippsAuthError, "function");
  assert.equal(v.VippsAuthError.name, "VippsAuthError", "the class keeps its name in the minified bundle");
  // A refused argument names itself, whether the JS entry or the wasm refused it.
  for (const [call, param] of [[() => v.endpoints(Symbol("x")), "env"], [() => v.endpoints("staging"), "env"],
    [() => v.buildAuthorizeUrl({ authorizationEndpoint: 5 }), "authorizationEndpoint"], [() => v.decodeJwt(5), "token"]]) {
    assert.throws(call, (e) => e instanceof v.VippsAuthError && e.code === "ERR_INVALID_PARAMS" && e.cause?.param === param);
  }
  // A claim names the claim, with public values.
  const signer = rsaKey("public:key-1");
  const keys = v.KeySet.fromJwks({ keys: [signer.jwk] });
  const token = signer.sign(claims("n-1", 300, "client-1"));
  await assert.rejects(v.validateIdToken(token, opts(keys, { issuer: "https://evil.example/" })), (e) => {
    assert.ok(e instanceof v.VippsAuthError);
    assert.deepEqual(e.cause, { claim: "iss", expected: "https://evil.example/", found: ISSUER });
    return e.code === "ERR_CLAIM_ISSUER";
  });
  const expired = signer.sign(claims("n-1", -3600, "client-1"));
  await assert.rejects(v.validateIdToken(expired, opts(keys)), (e) => e.cause.claim === "exp" && typeof e.cause.found === "number");
  await assert.rejects(v.validateIdToken(signer.sign(claims("other", 300, "client-1")), opts(keys)), (e) => e.cause.claim === "nonce" && !("found" in e.cause));
  // Vipps' words: the redirect's error, and an HTTP error.
  assert.throws(() => v.parseCallback("https://a/cb?error=access_denied&error_description=no&state=abcdefgh", "abcdefgh"),
    (e) => e instanceof v.VippsAuthError && e.cause.vippsError === "access_denied" && e.cause.vippsErrorDescription === "no");
  // No cause where there is nothing more to say.
  await assert.rejects(v.verifyJwt(flip(token), keys), (e) => e.code === "ERR_SIGNATURE_INVALID" && e.cause === undefined);
});

test("KeySet.remote follows the one URL rule of every endpoint: https, or http on loopback only", () => {
  for (const uri of ["http://jwks.example/jwks", "https://user@jwks.example/jwks", "https://jwks.example/jwks#f", "ftp://x/jwks"]) {
    assert.throws(() => v.KeySet.remote(uri), (e) => e.code === "ERR_INVALID_PARAMS" && e.cause.param === "jwksUri", uri);
  }
  for (const uri of ["https://jwks.example/jwks", "http://127.0.0.1:9/jwks", "http://localhost:9/jwks", "http://[::1]:9/jwks"]) {
    assert.ok(v.KeySet.remote(uri) instanceof v.KeySet, uri);
  }
});

test("values JSON cannot carry are refused by the JS entry in the wasm's words, never dropped", async () => {
  const keys = v.KeySet.fromJwks({ keys: [RFC7515_A2_JWK] });
  const base = { issuer: ISSUER, clientId: "client-1", keys };
  for (const [extra, message] of [
    [{ nonce: Symbol("n") }, "invalid parameter `nonce`: must be a string"],
    [{ nonce: () => "n" }, "invalid parameter `nonce`: must be a string"],
    [{ now: 10n }, "invalid parameter `now`: must be a finite number"],
    [{ now: NaN }, "invalid parameter `now`: must be a finite number"],
    [{ maxAgeSec: Infinity }, "invalid parameter `maxAgeSec`: must be a finite number"],
    [{ nonce: { toJSON: () => "n" } }, "invalid parameter `nonce`: must be a string"],
    [{ algorithms: ["RS256", Symbol("x")] }, "invalid parameter `algorithms`: must be an array of strings"],
  ]) {
    await assert.rejects(v.validateIdToken(RFC7515_A2, { ...base, ...extra }), { code: "ERR_INVALID_PARAMS", message }, message);
  }
  const unreadable = Object.assign(Object.create({ get nonce() { throw new Error("no"); } }), base);
  await assert.rejects(v.validateIdToken(RFC7515_A2, unreadable), { code: "ERR_INVALID_PARAMS", message: "invalid parameter `nonce`: cannot be read" });
  assert.throws(() => v.buildAuthorizeUrl({ authorizationEndpoint: "https://x/auth", extraParams: { a: Symbol("x") } }),
    { message: "invalid parameter `extraParams`: every value must be a string" });
  assert.throws(() => v.KeySet.fromJwks({ keys: [{ ...RFC7515_A2_JWK, alg: Symbol("RS256") }] }),
    { message: "invalid parameter `jwks`: must be an object or a JSON string" });
});

test("discover reports an unreachable issuer as a network error and refuses a non-string", async () => {
  const c = await code(v.discover("http://127.0.0.1:9/access-management-1.0/access/"));
  assert.ok(c === "ERR_NETWORK" || c === "ERR_TIMEOUT", c);
  assert.equal(await code(v.discover(1)), "ERR_INVALID_PARAMS");
});

test("150 verifications in flight each answer their own token's claims", async () => {
  // Every call asks before any finishes (the first wait is WebCrypto): nothing of one call may
  // reach another.
  const k = rsaKey("in-flight");
  const keys = v.KeySet.fromJwks({ keys: [k.jwk] });
  const tokens = Array.from({ length: 150 }, (_, i) => k.sign({ sub: `s${i}`, n: i }));
  const results = await Promise.all(tokens.map((t) => v.verifyJwt(t, keys)));
  results.forEach((r, i) => assert.equal(r.claims.n, i));
  const bad = await Promise.allSettled(tokens.map((t, i) => v.verifyJwt(i % 2 ? flip(t) : t, keys)));
  bad.forEach((r, i) => assert.equal(r.status, i % 2 ? "rejected" : "fulfilled", `token ${i}`));
});

test("two key sets used in turn each verify only their own tokens", async () => {
  // The wasm caches parsed sets by their text and each KeySet remembers the checks it was
  // asked for; alternating sets must never check a token against the other one's keys.
  const a = rsaKey("same-kid"), b = rsaKey("same-kid");
  const ka = v.KeySet.fromJwks({ keys: [a.jwk] }), kb = v.KeySet.fromJwks({ keys: [b.jwk] });
  for (let i = 0; i < 4; i++) {
    assert.equal((await v.verifyJwt(a.sign({ i }), ka)).claims.i, i);
    assert.equal(await code(v.verifyJwt(a.sign({ i }), kb)), "ERR_SIGNATURE_INVALID");
    assert.equal((await v.verifyJwt(b.sign({ i }), kb)).claims.i, i);
    assert.equal(await code(v.verifyJwt(b.sign({ i }), ka)), "ERR_SIGNATURE_INVALID");
  }
});
