// Strings and base64url text as bytes in reused buffers (grown as needed), for the calls
// that copy their input at once: the wasm-bindgen glue (natively, where it would copy a
// string character by character) and WebCrypto (which copies its inputs when called).
// Encoding into a reused buffer allocates nothing. Buffers 0 to 2 are `call`'s arguments
// (js/wasm.js), 3 and 4 the signing input and the signature (js/webcrypto.js).

const utf8 = new TextEncoder();
const NOTHING = new Uint8Array(0);
const scratch = [];

/** Buffer `i` with room for `n` bytes. */
export function buffer(i, n) {
  if (!(scratch[i]?.length >= n)) scratch[i] = new Uint8Array(Math.max(n, 4096));
  return scratch[i];
}

/** The UTF-8 bytes of `s` as a view of buffer `i`, valid until the buffer is used again. */
export function bytes(s, i) {
  if (typeof s !== "string") return s; // bytes already (a fetched body)
  if (s === "") return NOTHING;
  // At most 3 bytes per UTF-16 code unit.
  const b = buffer(i, s.length * 3);
  return b.subarray(0, utf8.encodeInto(s, b).written);
}
