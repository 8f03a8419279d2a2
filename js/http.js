// @ts-check
// A GET as an operation described it (npm-wasm/src/ops/fetch.rs: `{url, headers, timeoutMs,
// maxBytes}`), over the host's `fetch` (WHATWG Fetch), with a deadline enforced by an
// AbortController (DOM Standard section 3.1) that covers the body as well as the headers.
// It never throws: the outcome goes back to the operation, which decides what it means.
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

/**
 * Carries out `fetch` (the operation's description).
 * @param {Fetch} fetch
 * @returns {Promise<Fetched>}
 */
export async function get({ url, headers, timeoutMs, maxBytes }) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { method: "GET", headers, signal: controller.signal });
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.length > maxBytes) return { response: { failed: "tooLarge" }, body: NOTHING };
    return { response: { status: response.status }, body };
  } catch (e) {
    return { response: controller.signal.aborted ? { failed: "timeout" } : { failed: "network", reason: describe(e) } };
  } finally {
    clearTimeout(timer);
  }
}
