// The built npm package under Node: the API surface, errors, and the remote key set
// (lazy fetch, cache, rotation, cooldown, single flight, timeout) and discovery against a
// local server. Run: node --test tests/node/
import test from "node:test";
import assert from "node:assert/strict";
import { loadPackage, rsaKey, serve, sleep } from "./helpers.mjs";

const v = await loadPackage();
const now = () => Math.floor(Date.now() / 1000);

async function rejects(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, "VippsAuthError");
    assert.equal(e.code, code, e.message);
    return true;
  });
}

test("every DESIGN.md export is present", () => {
  for (const name of ["endpoints", "generateCodeVerifier", "codeChallengeS256", "randomState", "randomNonce",
    "buildAuthorizeUrl", "startLogin", "parseCallback", "decodeJwt", "verifyJwt", "validateIdToken", "discover"]) {
    assert.equal(typeof v[name], "function", name);
  }
  assert.equal(typeof v.KeySet.fromJwks, "function");
  assert.equal(typeof v.KeySet.remote, "function");
});

test("errors are VippsAuthError with a stable code and Vipps' fields", () => {
  assert.throws(() => v.parseCallback("https://a/cb?error=access_denied&error_description=no&state=abcdefgh", "abcdefgh"), (e) => {
    assert.equal(e.name, "VippsAuthError");
    assert.equal(e.code, "ERR_AUTHORIZATION_RESPONSE");
    assert.equal(e.vippsError, "access_denied");
    assert.equal(e.vippsErrorDescription, "no");
    return true;
  });
  assert.throws(() => v.endpoints("nope"), { name: "VippsAuthError", code: "ERR_INVALID_PARAMS" });
  assert.throws(() => v.codeChallengeS256(42), { code: "ERR_INVALID_PARAMS" });
});

test("parseCallback checks an iss against opts.issuer (RFC 9207) and ties error responses to the state", () => {
  const issuer = v.endpoints("test").issuer;
  const url = (extra) => `https://app/cb?code=xyz&state=abcdefgh${extra}`;
  const iss = (value) => `&iss=${encodeURIComponent(value)}`;
  assert.equal(v.parseCallback(url(iss(issuer)), "abcdefgh", { issuer }).code, "xyz");
  assert.equal(v.parseCallback(url(""), "abcdefgh", { issuer }).code, "xyz", "Vipps sends no iss today");
  assert.throws(() => v.parseCallback(url(iss("https://evil.example/")), "abcdefgh", { issuer }), { name: "VippsAuthError", code: "ERR_CALLBACK_ISSUER" });
  assert.throws(() => v.parseCallback(url(iss(issuer)), "abcdefgh"), { code: "ERR_CALLBACK_ISSUER" }, "an iss with no issuer to check it against");
  assert.throws(() => v.parseCallback("https://app/cb?error=server_error&error_description=call+us", "abcdefgh"),
    (e) => e.code === "ERR_STATE_MISMATCH" && e.vippsError === undefined && !e.message.includes("call us"));
  assert.throws(() => v.parseCallback(url(""), "abcdefgh", { issuer: 5 }), { code: "ERR_INVALID_PARAMS" });
});

test("a login round trip: startLogin, parseCallback", () => {
  const e = v.endpoints("test");
  const login = v.startLogin({ authorizationEndpoint: e.authorizationEndpoint, clientId: "c", redirectUri: "https://app/cb", scope: "openid name" });
  assert.ok(login.url.includes(`code_challenge=${v.codeChallengeS256(login.codeVerifier)}`));
  assert.deepEqual(v.parseCallback(`https://app/cb?code=xyz&state=${login.state}`, login.state), { code: "xyz", state: login.state });
});

function idClaims(iss, extra = {}) {
  const t = now();
  return { iss, aud: "client-1", sub: "u", iat: t, exp: t + 300, auth_time: t, nonce: "nonce-123", ...extra };
}

test("a remote key set fetches lazily once, shares one in-flight fetch, and validates ID tokens", async () => {
  const a = rsaKey("public:a");
  const srv = await serve({ "/jwks": (req, res) => setTimeout(() => { res.writeHead(200); res.end(JSON.stringify({ keys: [a.jwk] })); }, 50) });
  try {
    const keys = v.KeySet.remote(`${srv.base}/jwks`);
    assert.equal(srv.hits["/jwks"], undefined, "nothing is fetched before first use");
    const token = a.sign(idClaims("https://issuer.example/"));
    const results = await Promise.all(Array.from({ length: 20 }, () => v.verifyJwt(token, keys)));
    assert.equal(results.length, 20);
    assert.equal(srv.hits["/jwks"], 1, "concurrent callers share one fetch");
    const claims = await v.validateIdToken(token, { issuer: "https://issuer.example/", clientId: "client-1", nonce: "nonce-123", keys });
    assert.equal(claims.sub, "u");
    assert.equal(srv.hits["/jwks"], 1, "the set is cached");
    assert.equal(keys.fetchCount, 1);
  } finally { await srv.close(); }
});

test("a rotated-in key verifies without a restart; unknown kids refetch at most once per cooldown", async () => {
  const a = rsaKey("public:a"), b = rsaKey("public:b");
  let served = [a.jwk];
  const srv = await serve({ "/jwks": { get: () => ({ keys: served }) } });
  try {
    const keys = v.KeySet.remote(`${srv.base}/jwks`, { cooldownSec: 1, cacheMaxAgeSec: 600 });
    await v.verifyJwt(a.sign({ sub: "1" }), keys);
    assert.equal(srv.hits["/jwks"], 1);
    // a flood of made-up kids inside the cooldown: no fetch at all
    const header = (i) => Buffer.from(JSON.stringify({ alg: "RS256", kid: `rnd-${i}` })).toString("base64url");
    const flood = Array.from({ length: 50 }, (_, i) => a.sign({ sub: "x" }).replace(/^[^.]+/, header(i)));
    for (const t of flood) await rejects(v.verifyJwt(t, keys), "ERR_KEY_NOT_FOUND");
    assert.equal(srv.hits["/jwks"], 1, "no fetch inside the cooldown");
    await sleep(1100);
    served = [a.jwk, b.jwk]; // Vipps rotates: b appears
    const r = await v.verifyJwt(b.sign({ sub: "2" }), keys);
    assert.equal(r.claims.sub, "2");
    assert.equal(srv.hits["/jwks"], 2, "one refetch for the new kid");
    await Promise.all(flood.map((t) => v.verifyJwt(t, keys).catch(() => {})));
    assert.equal(srv.hits["/jwks"], 2, "the flood after it causes no fetch inside the new cooldown");
    await sleep(1100);
    await Promise.all(flood.map((t) => v.verifyJwt(t, keys).catch(() => {})));
    assert.equal(srv.hits["/jwks"], 3, "a concurrent flood after the cooldown makes exactly one fetch");
  } finally { await srv.close(); }
});

test("an expired cache is refetched after cacheMaxAgeSec", async () => {
  const a = rsaKey("public:a");
  const srv = await serve({ "/jwks": { keys: [a.jwk] } });
  try {
    const keys = v.KeySet.remote(`${srv.base}/jwks`, { cacheMaxAgeSec: 0.3, cooldownSec: 0 });
    await v.verifyJwt(a.sign({ sub: "1" }), keys);
    await v.verifyJwt(a.sign({ sub: "1" }), keys);
    assert.equal(srv.hits["/jwks"], 1);
    await sleep(400);
    await v.verifyJwt(a.sign({ sub: "1" }), keys);
    assert.equal(srv.hits["/jwks"], 2);
  } finally { await srv.close(); }
});

test("a JWKS endpoint that hangs times out with ERR_TIMEOUT; an error status is ERR_HTTP", async () => {
  const srv = await serve({ "/hang": () => {}, "/down": (req, res) => { res.writeHead(503); res.end("{}"); } });
  try {
    const a = rsaKey("k");
    await rejects(v.verifyJwt(a.sign({}), v.KeySet.remote(`${srv.base}/hang`, { timeoutMs: 200 })), "ERR_TIMEOUT");
    await rejects(v.verifyJwt(a.sign({}), v.KeySet.remote(`${srv.base}/down`)), "ERR_HTTP");
  } finally { await srv.close(); }
});

test("discover returns the document when its issuer is the one asked for", async () => {
  let issuer;
  const srv = await serve({ "/issuer/.well-known/openid-configuration": { get: () => ({ issuer, authorization_endpoint: `${issuer}oauth2/auth`, token_endpoint: `${issuer}oauth2/token`, jwks_uri: `${issuer}.well-known/jwks.json`, response_types_supported: ["code"], subject_types_supported: ["pairwise"], id_token_signing_alg_values_supported: ["RS256"] }) } });
  try {
    issuer = `${srv.base}/issuer/`;
    const doc = await v.discover(issuer);
    assert.equal(doc.issuer, issuer);
    assert.equal(doc.jwks_uri, `${issuer}.well-known/jwks.json`);
    issuer = "https://someone-else.example/";
    await rejects(v.discover(`${srv.base}/issuer/`), "ERR_DISCOVERY_ISSUER");
  } finally { await srv.close(); }
});
