// @ts-check
// The vipps-auth browser package: the API of DESIGN.md. Bundled with the wasm-bindgen glue
// into the package's `vipps_auth.js` by scripts/build-pkg.sh. Every function names its
// operation in the table (js/operations.js, generated from npm-wasm/src/operations.rs): the
// arguments are read by that table (js/request.js) and the wasm decides everything (js/wasm.js);
// this module and the ones it imports do the JS work: promises, `fetch`, `crypto.subtle`.
// Every failure throws (or rejects with) a VippsAuthError (js/errors.js).
import { get } from "./http.js";
import { read } from "./request.js";
import { verify } from "./verify.js";
import { run } from "./wasm.js";

export { init as default, initSync } from "./wasm.js";
export { VippsAuthError } from "./errors.js";
export { KeySet } from "./keyset.js";

/**
 * The value operation `name` answers for the JS arguments `args` (a synchronous one).
 * @param {string} name
 * @param {unknown[]} args
 */
function value(name, args) {
  const { request, token } = read(name, args);
  return run(name, request, { token }).ok;
}

/**
 * The endpoints of "test" (apitest.vipps.no) or "production" (api.vipps.no).
 * @param {string} env
 */
export function endpoints(env) {
  return value("endpoints", [env]);
}

/** A fresh PKCE code_verifier (RFC 7636 section 4.1): 43 chars of [A-Za-z0-9-._~]. */
export function generateCodeVerifier() {
  return value("generateCodeVerifier", []);
}

/**
 * BASE64URL(SHA256(ASCII(verifier))) without padding (RFC 7636 section 4.2, S256).
 * @param {string} verifier
 */
export function codeChallengeS256(verifier) {
  return value("codeChallengeS256", [verifier]);
}

/** A fresh, URL-safe `state` of at least 8 characters. */
export function randomState() {
  return value("randomState", []);
}

/** A fresh, URL-safe `nonce`. */
export function randomNonce() {
  return value("randomNonce", []);
}

/**
 * The authorization URL for `params` (S256 PKCE; scope must contain "openid").
 * @param {object} params
 */
export function buildAuthorizeUrl(params) {
  return value("buildAuthorizeUrl", [params]);
}

/**
 * Starts a login: fresh state, nonce and PKCE verifier, and the URL carrying them.
 * @param {object} params
 */
export function startLogin(params) {
  return value("startLogin", [params]);
}

/**
 * `code` and `state` from the callback URL, `state` checked against the one sent and an
 * `iss` against `opts.issuer` (RFC 9207).
 * @param {string} callbackUrl
 * @param {string} expectedState
 * @param {object} [opts]
 */
export function parseCallback(callbackUrl, expectedState, opts) {
  return value("parseCallback", [callbackUrl, expectedState, opts]);
}

/**
 * The header and claims of a JWT, WITHOUT checking its signature: never trust them.
 * @param {string} token
 */
export function decodeJwt(token) {
  return value("decodeJwt", [token]);
}

/**
 * Checks the signature of `token` with a key from `keys` (claims are NOT validated).
 * @param {string} token
 * @param {import("./keyset.js").KeySet} keys
 * @param {object} [opts]
 */
export function verifyJwt(token, keys, opts) {
  return verify("verifyJwt", [token, keys, opts]);
}

/**
 * Checks the ID token's signature with `opts.keys`, then every claim rule; returns the claims.
 * @param {string} token
 * @param {object} opts
 */
export function validateIdToken(token, opts) {
  return verify("validateIdToken", [token, opts]);
}

/**
 * Fetches and checks the provider metadata of an issuer (or its configuration URL).
 * @param {string} issuerOrConfigUrl
 */
export async function discover(issuerOrConfigUrl) {
  const { request } = read("discover", [issuerOrConfigUrl]);
  const { response, body } = await get(run("discover", request).fetch);
  return run("discover", { ...request, response }, { body }).ok;
}
