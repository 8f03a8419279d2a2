// @ts-check
// Generated from the table of operations, npm-wasm/src/operations.rs, by npm-wasm/src/generated.rs:
// do not edit (VIPPS_AUTH_REGENERATE=1 cargo test -p vipps-auth-wasm generated writes it again).

/**
 * Every operation of the wasm by its JS name: `id` for `call`, and its parameters in order as
 * [name, type]. A type is one of REASONS' keys, or an options type of OPTIONS.
 * @type {Record<string, {id: number, params: [string, string][]}>}
 */
export const OPERATIONS = {
  "endpoints": { id: 0, params: [["env", "string"]] },
  "generateCodeVerifier": { id: 1, params: [] },
  "codeChallengeS256": { id: 2, params: [["verifier", "string"]] },
  "randomState": { id: 3, params: [] },
  "randomNonce": { id: 4, params: [] },
  "buildAuthorizeUrl": { id: 5, params: [["params", "AuthorizeParams"]] },
  "startLogin": { id: 6, params: [["params", "AuthorizeParams"]] },
  "parseCallback": { id: 7, params: [["callbackUrl", "string"], ["expectedState", "string"], ["opts", "ParseCallbackOptions"]] },
  "decodeJwt": { id: 8, params: [["token", "token"]] },
  "KeySet.fromJwks": { id: 9, params: [["jwks", "jwks"]] },
  "KeySet.remote": { id: 10, params: [["jwksUri", "string"], ["opts", "RemoteKeySetOptions"]] },
  "verifyJwt": { id: 11, params: [["token", "token"], ["keys", "keySet"], ["opts", "VerifyOptions"]] },
  "validateIdToken": { id: 12, params: [["token", "token"], ["opts", "ValidateIdTokenOptions"]] },
  "discover": { id: 13, params: [["issuerOrConfigUrl", "string"]] },
};

/**
 * The fields of each options type, [name, type], read by name (own or
 * inherited, getters too, but never from Object.prototype: js/request.js; other members
 * are ignored).
 * @type {Record<string, [string, string][]>}
 */
export const OPTIONS = {
  AuthorizeParams: [["authorizationEndpoint", "string"], ["clientId", "string"], ["msn", "string"], ["redirectUri", "string"], ["scope", "scope"], ["requestedFlow", "string"], ["appCallbackUri", "string"], ["finalRedirectIsApp", "boolean"], ["acrValues", "string"], ["extraParams", "record"], ["state", "string"], ["nonce", "string"], ["codeChallenge", "string"]],
  ParseCallbackOptions: [["issuer", "string"]],
  RemoteKeySetOptions: [["cacheMaxAgeSec", "number"], ["cooldownSec", "number"], ["timeoutMs", "number"]],
  VerifyOptions: [["algorithms", "strings"]],
  ValidateIdTokenOptions: [["issuer", "string"], ["clientId", "string"], ["msn", "string"], ["nonce", "string"], ["keys", "keySet"], ["algorithms", "strings"], ["clockToleranceSec", "number"], ["now", "number"], ["maxAgeSec", "number"], ["accessToken", "string"]],
};

/**
 * Why a value is refused, by type (`options` for every options type), and for a value that
 * is not a string in a `record`, a freed `KeySet`, and a property whose getter threw.
 * @type {Record<string, string>}
 */
export const REASONS = {
  string: "must be a string",
  number: "must be a finite number",
  boolean: "must be a boolean",
  strings: "must be an array of strings",
  scope: "must be a string or an array of strings",
  record: "must be an object",
  jwks: "must be an object or a JSON string",
  token: "must be a string",
  keySet: "must be a KeySet (KeySet.fromJwks or KeySet.remote)",
  options: "must be an object",
  recordValue: "every value must be a string",
  freed: "this KeySet has been freed",
  unreadable: "cannot be read",
};

/**
 * The `err` of a refused argument, as the wasm answers it (ErrorKind::InvalidParams).
 * @param {string} param
 * @param {string} reason
 */
export function invalidParams(param, reason) {
  return { code: "ERR_INVALID_PARAMS", message: `invalid parameter \`${param}\`: ${reason}`, cause: { param } };
}

/**
 * The errors the JS entry throws itself (JS_ERRORS of the table), by code.
 * @type {Record<string, {code: string, message: string}>}
 */
export const JS_ERRORS = {
  ERR_NOT_INITIALIZED: { code: "ERR_NOT_INITIALIZED", message: "vipps-auth is not initialized: call `await init()` (or `initSync({ module })`) once before any other function; in Node and Cloudflare Workers the package initializes itself on import" },
};
