// @ts-check
// Strings as UTF-8 bytes in reused buffers (grown as needed), for the calls that copy their
// input at once: the wasm-bindgen glue (natively, where it would copy a string character by
// character) and WebCrypto (which copies its inputs when called). Encoding into a reused
// buffer allocates nothing. Buffers 0 and 1 are `call`'s request and token (js/wasm.js), 2
// and 3 the signing input and the signature (js/webcrypto.js). A buffer is kept only up to
// MAX_KEPT bytes: a larger input (the wasm refuses a token over 16 KiB anyway) gets a buffer of
// its own that goes with it, so one huge argument leaves no huge buffer behind.

const utf8 = new TextEncoder();
const NOTHING = new Uint8Array(0);
/** @type {Uint8Array<ArrayBuffer>[]} */
const scratch = [];

/** The largest buffer kept for reuse (64 KiB). */
export const MAX_KEPT = 64 * 1024;

/**
 * Buffer `i` with room for `n` bytes (one of its own, not kept, above MAX_KEPT).
 * @param {number} i
 * @param {number} n
 */
export function buffer(i, n) {
  if (n > MAX_KEPT) return new Uint8Array(n);
  if (!(scratch[i]?.length >= n)) scratch[i] = new Uint8Array(Math.max(n, 4096));
  return scratch[i];
}

/**
 * The UTF-8 bytes of `s` as a view of buffer `i`, valid until the buffer is used again.
 * @param {string} s
 * @param {number} i
 */
export function bytes(s, i) {
  if (s === "") return NOTHING;
  // At most 3 bytes per UTF-16 code unit.
  const b = buffer(i, s.length * 3);
  return b.subarray(0, utf8.encodeInto(s, b).written);
}

/**
 * The UTF-8 bytes of `s` in an array of their own (kept, e.g. a key set's text).
 * @param {string} s
 */
export function ownBytes(s) {
  return utf8.encode(s);
}
