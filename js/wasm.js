// @ts-check
// The wasm's one export, `call` (npm-wasm/src/export.rs), by operation name. The protocol is
// docs/browser-package.md, "The wasm boundary": each call carries its request (a JSON object
// of the arguments and of the outcomes of the I/O the operation asked for) and, in slots of
// their own, a token, a key set's JSON text and a fetched body; it answers `{ok}`, `{err}` or
// `{need}`. Nothing is kept between calls.
import glueInit, { call, initSync as glueInitSync } from "vipps-auth-wasm";
import { bytes } from "./bytes.js";
import { VippsAuthError } from "./errors.js";
import { JS_ERRORS, OPERATIONS } from "./operations.js";

/** Whether `init` or `initSync` has given the glue its wasm; before, `call` would crash. */
let ready = false;

/**
 * Loads and instantiates the wasm (by default `vipps_auth_bg.wasm` beside the module, fetched);
 * takes what wasm-bindgen's `init` takes.
 * @param {Parameters<typeof glueInit>[0]} [input]
 * @returns {Promise<void>}
 */
export async function init(input) {
  await glueInit(input);
  ready = true;
}

/**
 * Instantiates the wasm synchronously from its bytes or a compiled `WebAssembly.Module`.
 * @param {Parameters<typeof glueInitSync>[0]} input
 * @returns {void}
 */
export function initSync(input) {
  glueInitSync(input);
  ready = true;
}

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
  if (!ready) throw new VippsAuthError(JS_ERRORS.ERR_NOT_INITIALIZED);
  const text = call(OPERATIONS[name].id, bytes(JSON.stringify(request), 0), bytes(slots.token ?? "", 1), slots.keys, slots.body ?? NOTHING);
  // Its members (and the error's) as own properties only: a member absent from the reply is
  // never one that another library's prototype pollution put on Object.prototype.
  /** @type {Reply & {err?: any}} */
  const reply = Object.assign(Object.create(null), JSON.parse(text));
  if (reply.err) throw new VippsAuthError(Object.assign(Object.create(null), reply.err));
  return reply;
}
