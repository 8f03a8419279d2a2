// @ts-check
// The wasm's one export, `call` (npm-wasm/src/export.rs), by operation name. The protocol is
// docs/browser-package.md, "The wasm boundary": each call carries its request (a JSON object
// of the arguments and of the outcomes of the I/O the operation asked for) and, in slots of
// their own, a token, a key set's JSON text and a fetched body; it answers `{ok}`, `{err}` or
// `{need}`. Nothing is kept between calls.
import { call } from "vipps-auth-wasm";
import { bytes } from "./bytes.js";
import { VippsAuthError } from "./errors.js";
import { OPERATIONS } from "./operations.js";

const NOTHING = new Uint8Array(0);

/**
 * A reply that is not an error: `ok` (the value), or `need` naming the I/O the operation needs
 * first, with what to do in the member of that name.
 * @typedef {{ok?: any, need?: "keys" | "signature" | "fetch", signature?: any, fetch?: any}} Reply
 */

/**
 * What crosses beside the request.
 * @typedef {object} Slots
 * @property {string} [token] the token argument
 * @property {Uint8Array} [keys] the key set's JSON text; absent while it has not been fetched
 * @property {Uint8Array} [body] the body of the response in the request's `response`
 */

/**
 * Runs operation `name` on `request`: its reply, or the `VippsAuthError` of an `err` thrown.
 * @param {string} name
 * @param {object} request
 * @param {Slots} [slots]
 * @returns {Reply}
 */
export function run(name, request, slots = {}) {
  const text = call(OPERATIONS[name].id, bytes(JSON.stringify(request), 0), bytes(slots.token ?? "", 1), slots.keys, slots.body ?? NOTHING);
  // Its members (and the error's) as own properties only: a member absent from the reply is
  // never one that another library's prototype pollution put on Object.prototype.
  /** @type {Reply & {err?: any}} */
  const reply = Object.assign(Object.create(null), JSON.parse(text));
  if (reply.err) throw new VippsAuthError(Object.assign(Object.create(null), reply.err));
  return reply;
}
