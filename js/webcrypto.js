// @ts-check
// The one cryptographic step of a verification, through WebCrypto (`crypto.subtle`): RS256 as
// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 section 3.3), ES256 as ECDSA P-256 with SHA-256
// over the raw `r || s` signature JWS uses (RFC 7518 section 3.4, WebCrypto's own ECDSA
// format). The wasm chose the algorithm (from the caller's list) and the key (from the
// caller's set) and asked for this check; the outcome goes back to it as the request's
// `signature` (npm-wasm/src/ops/verify.rs), so this module never throws. `crypto` is read
// off the global object, so this runs in a window, a Web Worker, workerd and Node >= 20.
import { buffer, bytes } from "./bytes.js";
import { describe } from "./errors.js";

const IMPORT = { RS256: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, ES256: { name: "ECDSA", namedCurve: "P-256" } };
const VERIFY = { RS256: { name: "RSASSA-PKCS1-v1_5" }, ES256: { name: "ECDSA", hash: "SHA-256" } };

/** Most keys one cache holds; when full it starts over (rotation keeps few live keys). */
const MAX_CACHED_KEYS = 32;

/**
 * What the wasm asks to check: the algorithm, the key's RFC 7638 thumbprint (its name in the
 * cache) and the key as the JWK to import.
 * @typedef {{alg: "RS256" | "ES256", key: string, jwk: JsonWebKey}} Check
 */

/**
 * WebCrypto's outcome for a check.
 * @typedef {{alg: string, key: string, valid?: boolean, failed?: "unavailable" | "import" | "verify", reason?: string}} Outcome
 */

/**
 * Imports a public JWK as a non-extractable `verify` key for `alg`; rejects when WebCrypto
 * refuses the key (or is missing).
 * @param {JsonWebKey} jwk
 * @param {"RS256" | "ES256"} alg
 */
export function importKey(jwk, alg) {
  // WebCrypto reads a JsonWebKey as a WebIDL dictionary, inherited members too (and Node's
  // reads its own converted copy, an ordinary object, again), so a member another library put
  // on Object.prototype would be read as the key's: `alg`, `use` and `key_ops` are given here
  // as the wasm chose them (it checked the key's own), in a copy without a prototype.
  const own = Object.assign(Object.create(null), { alg, use: "sig", key_ops: ["verify"] }, jwk);
  return globalThis.crypto.subtle.importKey("jwk", own, IMPORT[alg], false, ["verify"]);
}

/**
 * Whether `signature` over `data` verifies with `key` under `alg`; rejects when WebCrypto fails.
 * @param {"RS256" | "ES256"} alg
 * @param {CryptoKey} key
 * @param {BufferSource} signature
 * @param {BufferSource} data
 */
export async function verify(alg, key, signature, data) {
  return (await globalThis.crypto.subtle.verify(VERIFY[alg], key, signature, data)) === true;
}

/**
 * The bytes of canonical base64url text (the wasm checked it: a part of a parsed token), in
 * buffer 3 (WebCrypto copies them when called).
 * @param {string} text
 */
function base64urlBytes(text) {
  const out = buffer(3, text.length);
  const fast = /** @type {any} */ (out).setFromBase64;
  if (fast) return out.subarray(0, fast.call(out, text, { alphabet: "base64url" }).written);
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.subarray(0, bin.length);
}

/**
 * The key of `check` in `cache` (a Map by algorithm and thumbprint, one per KeySet), imported
 * from the check's JWK when absent; `undefined` when WebCrypto refuses it.
 * @param {Check} check
 * @param {Map<string, CryptoKey>} cache
 * @returns {CryptoKey | Promise<CryptoKey | undefined>}
 */
export function cryptoKey({ alg, key, jwk }, cache) {
  const id = `${alg} ${key}`;
  return cache.get(id) ?? importKey(jwk, alg).then((imported) => {
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    cache.set(id, imported);
    return imported;
  }, () => undefined);
}

/**
 * WebCrypto's outcome for `check` on `token` with `cryptoKey` (`undefined`: it refused to
 * import the key). The wasm parsed `token` as a compact JWS, three canonical base64url parts:
 * the signing input is all before the last `.`, the signature after it (RFC 7515 section 5.2
 * step 8). Never rejects: a failure is an outcome too.
 * @param {Check} check
 * @param {CryptoKey | undefined} cryptoKey
 * @param {string} token
 * @returns {Promise<Outcome>}
 */
export function outcome({ alg, key }, cryptoKey, token) {
  if (!cryptoKey) return Promise.resolve({ alg, key, failed: "import" });
  const dot = token.lastIndexOf(".");
  return verify(alg, cryptoKey, base64urlBytes(token.slice(dot + 1)), bytes(token.slice(0, dot), 2)).then(
    (valid) => ({ alg, key, valid }),
    (e) => ({ alg, key, failed: /** @type {const} */ ("verify"), reason: describe(e) }),
  );
}
