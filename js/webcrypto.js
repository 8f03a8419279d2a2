// JWS signature checks through WebCrypto (`crypto.subtle`): RS256 as RSASSA-PKCS1-v1_5 with
// SHA-256 (RFC 7518 section 3.3), ES256 as ECDSA P-256 with SHA-256 over the raw `r || s`
// signature JWS uses (RFC 7518 section 3.4, WebCrypto's own ECDSA format). `crypto` is read
// off the global object, so this runs in a window, a Web Worker, workerd and Node >= 20.
// The wasm chose the algorithm (from the caller's list) and the key (from the caller's set).
import { describe, vippsAuthError } from "./errors.js";

const IMPORT = { RS256: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, ES256: { name: "ECDSA", namedCurve: "P-256" } };
const VERIFY = { RS256: { name: "RSASSA-PKCS1-v1_5" }, ES256: { name: "ECDSA", hash: "SHA-256" } };

/** Most keys one cache holds; when full it starts over (rotation keeps few live keys). */
const MAX_CACHED_KEYS = 32;

function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) throw vippsAuthError({ code: "ERR_CRYPTO", message: "cryptography error: crypto.subtle is unavailable (WebCrypto needs a secure context)" });
  return s;
}

/** Imports a public JWK as a non-extractable `verify` key; a refused key is `ERR_KEY_UNSUITABLE`. */
export async function importKey(jwk, alg) {
  const s = subtle();
  try {
    return await s.importKey("jwk", jwk, IMPORT[alg], false, ["verify"]);
  } catch {
    throw vippsAuthError({ code: "ERR_KEY_UNSUITABLE", message: "the key cannot be used: WebCrypto refused to import the key" });
  }
}

/** Whether `signature` over `data` verifies; a failure of WebCrypto itself is `ERR_CRYPTO`. */
export async function verify(alg, key, signature, data) {
  const s = subtle();
  try {
    return (await s.verify(VERIFY[alg], key, signature, data)) === true;
  } catch (e) {
    throw vippsAuthError({ code: "ERR_CRYPTO", message: `cryptography error: ${describe(e)}` });
  }
}

function base64urlBytes(text) {
  return Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
}

/**
 * Runs the check the wasm prepared (`{alg, thumbprint, jwk, input, sig}`), importing the key
 * once per RFC 7638 thumbprint and algorithm into `cache` (a Map).
 */
export async function checkSignature(check, cache) {
  const id = `${check.alg} ${check.thumbprint}`;
  let key = cache.get(id);
  if (!key) {
    key = await importKey(check.jwk, check.alg);
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    cache.set(id, key);
  }
  return verify(check.alg, key, base64urlBytes(check.sig), new TextEncoder().encode(check.input));
}
