// The package in a process where another library polluted Object.prototype (a `__proto__`
// merge of untrusted JSON, say): option objects are read from their own properties or from
// prototypes other than Object.prototype (js/request.js), and the package's own records have
// no prototype, so no polluted member moves the clock, widens a tolerance, stands in for a
// missing option, or swaps the keys a signature is checked against.
import test from "node:test";
import assert from "node:assert/strict";
import { loadPackage, rsaKey, serve } from "./helpers.mjs";

const v = await loadPackage();
const ISSUER = "https://apitest.vipps.no/access-management-1.0/access/";
const nowSec = () => Math.floor(Date.now() / 1000);
const claims = (expOffset, extra = {}) => {
  const t = nowSec();
  return { iss: ISSUER, aud: ["client-1"], sub: "user-1", exp: t + expOffset, iat: t - 7200, auth_time: t - 7200, nonce: "n-1", ...extra };
};

/**
 * Runs `fn` with `members` set on Object.prototype (enumerable, as an assignment through
 * `__proto__` makes them) and removes them after; the outcome of `fn`: its value, or the code
 * of its error.
 */
async function polluted(members, fn) {
  for (const [name, value] of Object.entries(members)) {
    Object.defineProperty(Object.prototype, name, { value, enumerable: true, configurable: true, writable: true });
  }
  try {
    return await fn().then((r) => r, (e) => e.code ?? String(e));
  } finally {
    for (const name of Object.keys(members)) delete Object.prototype[name];
  }
}

test("a polluted Object.prototype.now moves neither way the clock that validateIdToken uses", async () => {
  const signer = rsaKey("public:k");
  const keys = v.KeySet.fromJwks({ keys: [signer.jwk] });
  const opts = { issuer: ISSUER, clientId: "client-1", nonce: "n-1", keys };
  const valid = signer.sign(claims(600));
  const expired = signer.sign(claims(-3600));
  const future = await polluted({ now: 9e9 }, () => v.validateIdToken(valid, opts));
  assert.equal(future.sub, "user-1", "a valid token still passes with Object.prototype.now in the far future");
  assert.equal(await polluted({ now: 1 }, () => v.validateIdToken(expired, opts)), "ERR_CLAIM_EXPIRED");
  assert.equal(await polluted({ now: nowSec() - 7200 }, () => v.validateIdToken(expired, opts)), "ERR_CLAIM_EXPIRED");
  assert.equal(await polluted({ clockToleranceSec: 1e9 }, () => v.validateIdToken(expired, opts)), "ERR_CLAIM_EXPIRED");
  assert.equal(await polluted({ maxAgeSec: 1 }, () => v.validateIdToken(valid, opts)).then((c) => c.sub), "user-1",
    "a polluted maxAgeSec is no max_age the caller asked for");
});

test("a polluted Object.prototype does not stand in for a missing required option, nor change the allowed algorithms", async () => {
  const signer = rsaKey("public:k");
  const keys = v.KeySet.fromJwks({ keys: [signer.jwk] });
  const token = signer.sign(claims(600));
  const pollution = { issuer: ISSUER, clientId: "client-1", nonce: "n-1" };
  assert.equal(await polluted(pollution, () => v.validateIdToken(token, { clientId: "client-1", nonce: "n-1", keys })), "ERR_INVALID_PARAMS");
  const noAudience = await polluted(pollution, () => v.validateIdToken(token, { issuer: ISSUER, nonce: "n-1", keys }));
  assert.equal(noAudience, "ERR_INVALID_PARAMS", "no clientId or msn given: refused, not checked against a polluted one");
  const noNonce = await polluted({ nonce: "n-1" }, () => v.validateIdToken(signer.sign(claims(600, { nonce: "" })), { issuer: ISSUER, clientId: "client-1", keys }));
  assert.equal(noNonce.sub, "user-1", "no nonce was sent: the token's empty nonce is not compared with a polluted one");
  assert.equal((await polluted({ algorithms: ["ES256"] }, () => v.verifyJwt(token, keys, {}))).claims.sub, "user-1");
  assert.equal(await polluted({ algorithms: ["RS256"] }, () => v.verifyJwt(token, keys, { algorithms: ["ES256"] })), "ERR_ALG_NOT_ALLOWED");
  const attacker = "https://evil.example/";
  const callback = `https://app.example/cb?code=c0de&state=abcdefgh&iss=${encodeURIComponent(attacker)}`;
  assert.equal(await polluted({ issuer: attacker }, async () => v.parseCallback(callback, "abcdefgh", {})), "ERR_CALLBACK_ISSUER");
});

test("a polluted Object.prototype.remote does not make a fixed KeySet fetch an attacker's keys", async () => {
  const genuine = rsaKey("public:k");
  const attacker = rsaKey("public:k");
  const server = await serve({ "/jwks": { keys: [attacker.jwk] } });
  try {
    const keys = v.KeySet.fromJwks({ keys: [genuine.jwk] });
    const jwksUri = `${server.base}/jwks`;
    const remote = {
      request: { jwksUri }, fetch: { url: jwksUri, headers: {}, timeoutMs: 5000, maxBytes: 1 << 20 }, maxAgeMs: 0, cooldownMs: 0,
    };
    const forged = attacker.sign(claims(600));
    const outcome = await polluted({ remote }, () => v.validateIdToken(forged, { issuer: ISSUER, clientId: "client-1", nonce: "n-1", keys }));
    assert.equal(outcome, "ERR_SIGNATURE_INVALID");
    assert.equal(server.hits["/jwks"] ?? 0, 0, "the attacker's JWKS was never fetched");
  } finally {
    await server.close();
  }
});

test("a polluted member of the wasm's replies (need, err) is not read as one", async () => {
  const signer = rsaKey("public:k");
  const keys = v.KeySet.fromJwks({ keys: [signer.jwk] });
  const token = signer.sign(claims(600));
  assert.equal((await polluted({ need: "keys" }, () => v.verifyJwt(token, keys))).claims.sub, "user-1");
  assert.equal(await polluted({ need: "keys" }, async () => v.decodeJwt(token).claims.sub), "user-1");
  const refused = await polluted({ cause: { param: "forged" }, vippsError: "forged" }, () => v.verifyJwt("a.b", keys).catch((e) => e));
  assert.equal(refused.code, "ERR_JWT_MALFORMED");
  assert.equal(Object.hasOwn(refused, "vippsError"), false);
  assert.equal(refused.cause, undefined);
});

test("options from a class with getters, or from Object.create of defaults, are still read", async () => {
  const signer = rsaKey("public:k");
  const keys = v.KeySet.fromJwks({ keys: [signer.jwk] });
  class Settings {
    get issuer() { return ISSUER; }
    get clientId() { return "client-1"; }
    get nonce() { return "n-1"; }
    get keys() { return keys; }
  }
  assert.equal((await v.validateIdToken(signer.sign(claims(600)), new Settings())).sub, "user-1");
  const withDefaults = Object.assign(Object.create({ issuer: ISSUER, clientId: "client-1" }), { nonce: "n-1", keys });
  assert.equal((await v.validateIdToken(signer.sign(claims(600)), withDefaults)).sub, "user-1");
  const bare = Object.assign(Object.create(null), { issuer: ISSUER, clientId: "client-1", nonce: "n-1", keys });
  assert.equal((await v.validateIdToken(signer.sign(claims(600)), bare)).sub, "user-1");
});

test("a JWK member polluted onto Object.prototype is not imported as the key's own", async () => {
  const signer = rsaKey("public:k");
  const token = signer.sign(claims(600));
  for (const pollution of [{ alg: "RS512" }, { key_ops: ["sign"] }, { use: "enc" }]) {
    // A new set each time: its key is imported while the prototype is polluted.
    const keys = v.KeySet.fromJwks({ keys: [signer.jwk] });
    const outcome = await polluted(pollution, () => v.verifyJwt(token, keys));
    assert.equal(outcome.claims?.sub, "user-1", JSON.stringify(pollution));
  }
});

test("an array option with holes is refused, never filled from a polluted prototype", async () => {
  const signer = rsaKey("public:k");
  const keys = v.KeySet.fromJwks({ keys: [signer.jwk] });
  const token = signer.sign(claims(600));
  const holes = new Array(1);
  const outcome = await polluted({ 0: "ES256" }, () => v.verifyJwt(token, keys, { algorithms: holes }).catch((e) => e));
  assert.equal(outcome.code, "ERR_INVALID_PARAMS");
  assert.equal(outcome.message, "invalid parameter `algorithms`: must be an array of strings");
  assert.throws(() => v.buildAuthorizeUrl({ authorizationEndpoint: "https://x/auth", scope: ["openid", , "name"] }),
    { message: "invalid parameter `scope`: must be a string or an array of strings" });
});
