// The vipps-auth browser package: the API of DESIGN.md. Bundled with the wasm-bindgen glue
// into the package's `vipps_auth.js` by scripts/build-pkg.sh; the wasm does the deciding
// (synchronous, sans-IO exports, src/js/), this module the JS work: reading option objects,
// promises, `fetch` and `crypto.subtle`. Every failure throws (or rejects with) a
// VippsAuthError (js/errors.js).
import { APART, encode, pick } from "./args.js";
import { get } from "./http.js";
import { verifyWith } from "./verify.js";
import * as op from "./wasm.js";

export { default, initSync } from "vipps-auth-wasm";
export { KeySet } from "./keyset.js";

const AUTHORIZE_FIELDS = ["authorizationEndpoint", "clientId", "msn", "redirectUri", "scope", "state", "nonce",
  "codeChallenge", "requestedFlow", "appCallbackUri", "finalRedirectIsApp", "acrValues", "extraParams"];
const ID_TOKEN_FIELDS = ["issuer", "clientId", "msn", "nonce", "keys", "algorithms", "clockToleranceSec", "now",
  "maxAgeSec", "accessToken"];

/** Timeout of the discovery fetch. */
const DISCOVERY_TIMEOUT_MS = 10000;

/** The endpoints of "test" (apitest.vipps.no) or "production" (api.vipps.no). */
export function endpoints(env) {
  return op.run(op.ENDPOINTS, encode([env]));
}

/** A fresh PKCE code_verifier (RFC 7636 section 4.1): 43..128 chars of [A-Za-z0-9-._~]. */
export function generateCodeVerifier() {
  return op.run(op.GENERATE_CODE_VERIFIER);
}

/** BASE64URL(SHA256(ASCII(verifier))) without padding (RFC 7636 section 4.2, S256). */
export function codeChallengeS256(verifier) {
  return op.run(op.CODE_CHALLENGE_S256, encode([verifier]));
}

/** A fresh, URL-safe `state` of at least 8 characters. */
export function randomState() {
  return op.run(op.RANDOM_STATE);
}

/** A fresh, URL-safe `nonce`. */
export function randomNonce() {
  return op.run(op.RANDOM_NONCE);
}

/** The authorization URL for `params` (S256 PKCE; scope must contain "openid"). */
export function buildAuthorizeUrl(params) {
  return op.run(op.BUILD_AUTHORIZE_URL, encode([pick(params, AUTHORIZE_FIELDS)]));
}

/** Starts a login: fresh state, nonce and PKCE verifier, and the URL carrying them. */
export function startLogin(params) {
  return op.run(op.START_LOGIN, encode([pick(params, AUTHORIZE_FIELDS)]));
}

/** `code` and `state` from the callback URL, `state` checked against the one sent and `iss` against `opts.issuer`. */
export function parseCallback(callbackUrl, expectedState, opts) {
  return op.run(op.PARSE_CALLBACK, encode([callbackUrl, expectedState, pick(opts, ["issuer"])]));
}

/** The header and claims of a JWT, WITHOUT checking its signature: never trust them. */
export function decodeJwt(token) {
  return typeof token === "string" ? op.run(op.DECODE_JWT, encode([APART]), "", false, 0, 0, token) : op.run(op.DECODE_JWT, encode([token]));
}

/** Checks the signature of `token` with a key from `keys` (claims are NOT validated). */
export async function verifyJwt(token, keys, opts) {
  return verifyWith(op.VERIFY_JWT_PREPARE, token, [keys, pick(opts, ["algorithms"])], keys);
}

/** Checks the ID token's signature with `opts.keys`, then every claim rule; returns the claims. */
export async function validateIdToken(token, opts) {
  const picked = pick(opts, ID_TOKEN_FIELDS);
  return verifyWith(op.ID_TOKEN_PREPARE, token, [picked], picked?.keys);
}

/** Fetches and checks the provider metadata of an issuer (or its configuration URL). */
export async function discover(issuerOrConfigUrl) {
  const args = encode([issuerOrConfigUrl]);
  const request = op.run(op.DISCOVERY_REQUEST, args);
  const { status, body } = await get(request.url, request.headers, DISCOVERY_TIMEOUT_MS);
  return op.check(op.DISCOVERY_RESPONSE, args, status, body);
}
