// @ts-check
// The JS arguments of an operation, read by the table (js/operations.js, generated from
// npm-wasm/src/operations.rs) into its request. Each value is checked against its declared
// type first, which catches what only JS can see and JSON cannot carry (functions, symbols,
// bigints, non-finite numbers, getters that throw, objects with a `toJSON` of their own, a
// value that is not a KeySet): refused as the wasm words it (`invalidParams`). Options objects
// are read field by field by name (inherited properties and getters count, other members are
// ignored), so the request holds only declared fields, already checked. A token and a KeySet
// cross apart from the request: see js/wasm.js.
import { VippsAuthError } from "./errors.js";
import { KeySet, isFreed } from "./keyset.js";
import { OPERATIONS, OPTIONS, REASONS, invalidParams } from "./operations.js";

/**
 * What one call sends: its request, and the token and the KeySet that cross apart.
 * @typedef {object} Read
 * @property {Record<string, unknown>} request
 * @property {string} [token]
 * @property {KeySet} [keys]
 */

/**
 * @param {string} param
 * @param {string} reason
 * @returns {never}
 */
function refuse(param, reason) {
  throw new VippsAuthError(invalidParams(param, reason));
}

/**
 * Reads the arguments of operation `name`, in the table's order.
 * @param {string} name
 * @param {unknown[]} args
 * @returns {Read}
 */
export function read(name, args) {
  /** @type {Read} */
  const out = { request: {} };
  OPERATIONS[name].params.forEach(([param, type], i) => place(out, out.request, param, type, args[i]));
  return out;
}

/**
 * Checks `value` as `type` and puts it where it crosses: `into` (the request or an options
 * object of it), or the token and KeySet slots of `out`. `undefined` and `null` are left out.
 * @param {Read} out
 * @param {Record<string, unknown>} into
 * @param {string} name
 * @param {string} type
 * @param {unknown} value
 */
function place(out, into, name, type, value) {
  if (type === "token") {
    // Before anything else: the wasm and WebCrypto must see this one string.
    if (typeof value !== "string") refuse(name, REASONS.token);
    out.token = value;
    return;
  }
  if (type === "keySet") {
    if (!(value instanceof KeySet)) refuse(name, REASONS.keySet);
    if (isFreed(value)) refuse(name, REASONS.freed);
    out.keys = value;
    return;
  }
  if (value === undefined || value === null) return;
  const fields = OPTIONS[type];
  if (fields) {
    if (typeof value !== "object" || Array.isArray(value)) refuse(name, REASONS.options);
    /** @type {Record<string, unknown>} */
    const options = {};
    for (const [field, fieldType] of fields) {
      /** @type {unknown} */
      let v;
      try {
        v = /** @type {Record<string, unknown>} */ (value)[field];
      } catch {
        refuse(field, REASONS.unreadable);
      }
      place(out, options, field, fieldType, v);
    }
    into[name] = options;
    return;
  }
  into[name] = checked(name, type, value);
}

/** @param {unknown} v */
const isStrings = (v) => Array.isArray(v) && v.every((s) => typeof s === "string");

/**
 * `value` as the JSON-ready value of `type`, or refused.
 * @param {string} name
 * @param {string} type
 * @param {unknown} value
 * @returns {unknown}
 */
function checked(name, type, value) {
  switch (type) {
    case "string":
      if (typeof value === "string") return value;
      break;
    case "number":
      if (typeof value === "number" && Number.isFinite(value)) return value;
      break;
    case "boolean":
      if (typeof value === "boolean") return value;
      break;
    case "strings":
      if (isStrings(value)) return Array.from(/** @type {string[]} */ (value));
      break;
    case "scope":
      if (typeof value === "string") return value;
      if (isStrings(value)) return Array.from(/** @type {string[]} */ (value));
      break;
    case "record":
      if (typeof value === "object" && !Array.isArray(value)) {
        const entries = Object.entries(/** @type {object} */ (value));
        if (!entries.every(([, v]) => typeof v === "string")) refuse(name, REASONS.recordValue);
        return Object.fromEntries(entries);
      }
      break;
    case "jwks":
      if (typeof value === "string") return value;
      if (typeof value === "object") {
        try {
          return JSON.stringify(value, strictly);
        } catch {
          // a value JSON cannot carry, refused below
        }
      }
      break;
  }
  return refuse(name, REASONS[type]);
}

/**
 * A `JSON.stringify` replacer that throws on a value JSON cannot carry faithfully, rather
 * than drop it (a function or symbol member) or turn it into `null` (a non-finite number).
 * @param {string} _key
 * @param {unknown} v
 */
function strictly(_key, v) {
  const t = typeof v;
  if (t === "function" || t === "symbol" || t === "bigint" || (t === "number" && !Number.isFinite(v))) throw new TypeError(t);
  return v;
}
