// JWS signature checks through WebCrypto (`crypto.subtle`): RS256 as RSASSA-PKCS1-v1_5 with
// SHA-256 (RFC 7518 section 3.3), ES256 as ECDSA P-256 with SHA-256 over the raw `r || s`
// signature JWS uses (RFC 7518 section 3.4, WebCrypto's own ECDSA format). `crypto` is read
// off the global object, so this runs in a window, a Web Worker, workerd and Node >= 20.
// The wasm chose the algorithm (from the caller's list) and the key (from the caller's set).
import { describe, vippsAuthError } from "./errors.js";
import { buffer, bytes } from "./bytes.js";

const IMPORT = { RS256: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, ES256: { name: "ECDSA", namedCurve: "P-256" } };
const VERIFY = { RS256: { name: "RSASSA-PKCS1-v1_5" }, ES256: { name: "ECDSA", hash: "SHA-256" } };

/** Most keys one cache holds; when full it starts over (rotation keeps few live keys). */
const MAX_CACHED_KEYS = 32;

/** `crypto.subtle`, once found (reading it is a host call each time). */
let found;

function subtle() {
  const s = (found ??= globalThis.crypto?.subtle);
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

/**
 * Whether `signature` over `data` verifies; a failure of WebCrypto itself is `ERR_CRYPTO`.
 * (`then`, not an async function: one promise less on every verification.)
 */
export function verify(alg, key, signature, data) {
  return subtle()
    .verify(VERIFY[alg], key, signature, data)
    .then((valid) => valid === true, (e) => {
      throw vippsAuthError({ code: "ERR_CRYPTO", message: `cryptography error: ${describe(e)}` });
    });
}

/** A check's name in a key cache: its algorithm and its key's RFC 7638 thumbprint. */
const cacheId = (check) => `${check.alg} ${check.key}`;

/** The imported key of a check (`{alg, key}`) in `cache`. */
export function cachedKey(cache, check) {
  return cache.get(cacheId(check));
}

/** Imports the `jwk` of a check into `cache` (a Map, by algorithm and thumbprint). */
export async function importInto(cache, check, jwk) {
  const key = await importKey(jwk, check.alg);
  if (cache.size >= MAX_CACHED_KEYS) cache.clear();
  cache.set(cacheId(check), key);
  return key;
}

/**
 * The bytes of canonical base64url text (the wasm checked it: a part of a parsed token), in
 * buffer 4 (WebCrypto copies them when called).
 */
function base64urlBytes(text) {
  const out = buffer(4, text.length);
  if (out.setFromBase64) return out.subarray(0, out.setFromBase64(text, { alphabet: "base64url" }).written);
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.subarray(0, bin.length);
}

/**
 * Whether the signature of `token` verifies with `key` under `alg`. The wasm parsed `token`
 * as a compact JWS, so it is three canonical base64url parts: the signing input is all
 * before the last `.`, the signature after it (RFC 7515 section 5.2 step 8).
 */
export function signatureValid(alg, key, token) {
  const dot = token.lastIndexOf(".");
  return verify(alg, key, base64urlBytes(token.slice(dot + 1)), bytes(token.slice(0, dot), 3));
}
