// GET over the host's `fetch` (WHATWG Fetch), with a deadline enforced by an
// AbortController (DOM Standard section 3.1) that covers the body as well as the headers.
// The response is handed to the wasm as status + bytes; it decides what they mean.
import { describe, vippsAuthError } from "./errors.js";

/** Largest response body accepted (discovery documents and JWK sets are a few KB). */
const MAX_BODY_BYTES = 1 << 20;

/**
 * `{status, body}` of a GET of `url`; `ERR_TIMEOUT` after `timeoutMs`, `ERR_NETWORK` when the
 * host cannot carry it out (a CORS refusal included, which a browser reports as a plain
 * network error). Any status is returned as is.
 */
export async function get(url, headers, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const fail = (e) => controller.signal.aborted
    ? vippsAuthError({ code: "ERR_TIMEOUT", message: "the request timed out" })
    : vippsAuthError({ code: "ERR_NETWORK", message: `network error: ${describe(e)}` });
  try {
    let response, body;
    try {
      response = await fetch(url, { method: "GET", headers, signal: controller.signal });
      body = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      throw fail(e);
    }
    if (body.length > MAX_BODY_BYTES) {
      throw vippsAuthError({ code: "ERR_RESPONSE_MALFORMED", message: "malformed response: the response body is too large" });
    }
    return { status: response.status, body };
  } finally {
    clearTimeout(timer);
  }
}
