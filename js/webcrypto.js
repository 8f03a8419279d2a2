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

/** Whether `signature` over `data` verifies; a failure of WebCrypto itself is `ERR_CRYPTO`. */
export async function verify(alg, key, signature, data) {
  const s = subtle();
  try {
    return (await s.verify(VERIFY[alg], key, signature, data)) === true;
  } catch (e) {
    throw vippsAuthError({ code: "ERR_CRYPTO", message: `cryptography error: ${describe(e)}` });
  }
}

/** The imported key of a check (`{alg, key}`: the key's RFC 7638 thumbprint) in `cache`. */
export function cachedKey(cache, check) {
  return cache.get(`${check.alg} ${check.key}`);
}

/** Imports the `jwk` of a check into `cache` (a Map, by algorithm and thumbprint). */
export async function importInto(cache, check, jwk) {
  const key = await importKey(jwk, check.alg);
  if (cache.size >= MAX_CACHED_KEYS) cache.clear();
  cache.set(`${check.alg} ${check.key}`, key);
  return key;
}

/** The bytes of canonical base64url text (the wasm checked it: a part of a parsed token). */
function base64urlBytes(text) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text, { alphabet: "base64url" });
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const utf8 = new TextEncoder();

/**
 * Whether the signature of `token` verifies with `key` under `alg`. The wasm parsed `token`
 * as a compact JWS, so it is three canonical base64url parts: the signing input is all
 * before the last `.`, the signature after it (RFC 7515 section 5.2 step 8).
 */
export function signatureValid(alg, key, token) {
  const dot = token.lastIndexOf(".");
  return verify(alg, key, base64urlBytes(token.slice(dot + 1)), utf8.encode(token.slice(0, dot)));
}
