// @ts-check
// A GET as an operation described it (npm-wasm/src/ops/fetch.rs: `{url, headers, timeoutMs,
// maxBytes}`), over the host's `fetch` (WHATWG Fetch), with a deadline enforced by an
// AbortController (DOM Standard section 3.1) that covers the body as well as the headers.
// It never throws: the outcome goes back to the operation, which decides what it means.
//
// Two limits hold whatever the server does:
// - No redirect is followed (Fetch `redirect: "manual"`): the operation checked the URL it
//   asked for (https, or http on loopback only), not wherever a server sends it next, so a
//   redirect is a network failure (`ERR_NETWORK`) naming the status.
// - The body is counted while it streams in: a `Content-Length` above `maxBytes` is refused
//   before reading, and the read stops (the request aborted) as soon as the count passes it
//   (`tooLarge`), so an endless or huge body never sits in memory.
import { describe } from "./errors.js";

/**
 * @typedef {object} Fetch
 * @property {string} url
 * @property {Record<string, string>} headers
 * @property {number} timeoutMs
 * @property {number} maxBytes
 */

/**
 * The outcome of a fetch, for the request's `response` member, and the body for `call`'s.
 * @typedef {{response: {status: number} | {failed: "timeout" | "network" | "tooLarge", reason?: string}, body?: Uint8Array}} Fetched
 */

const NOTHING = new Uint8Array(0);
const TOO_LARGE = /** @type {const} */ ({ response: { failed: "tooLarge" }, body: NOTHING });

/**
 * Carries out `fetch` (the operation's description).
 * @param {Fetch} fetch
 * @returns {Promise<Fetched>}
 */
export async function get({ url, headers, timeoutMs, maxBytes }) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  // A RequestInit without a prototype: a member some other code put on Object.prototype
  // (`credentials`, `redirect`, ...) is not read as one of ours (WebIDL dictionaries read
  // inherited properties).
  /** @type {RequestInit} */
  const init = Object.assign(Object.create(null), { method: "GET", headers, signal: controller.signal, redirect: "manual" });
  try {
    const response = await fetch(url, init);
    // A browser hides a manual redirect as an "opaqueredirect" response with status 0; Node
    // and workerd hand over the 3xx itself.
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      controller.abort();
      return { response: { failed: "network", reason: `Error: redirect refused (HTTP ${response.status || "3xx"}): only the URL asked for is fetched` } };
    }
    const declared = Number(response.headers.get("content-length"));
    if (declared > maxBytes) {
      controller.abort();
      return TOO_LARGE;
    }
    const body = await readCapped(response, maxBytes);
    if (!body) {
      controller.abort();
      return TOO_LARGE;
    }
    return { response: { status: response.status }, body };
  } catch (e) {
    return { response: controller.signal.aborted ? { failed: "timeout" } : { failed: "network", reason: describe(e) } };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The body of `response`, or `undefined` (the reader cancelled) once it passes `maxBytes`.
 * @param {Response} response
 * @param {number} maxBytes
 * @returns {Promise<Uint8Array | undefined>}
 */
async function readCapped(response, maxBytes) {
  if (!response.body) return NOTHING;
  const reader = response.body.getReader();
  /** @type {Uint8Array[]} */
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
}
