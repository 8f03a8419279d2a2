// @ts-check
// The JS arguments of an operation, read by the table (js/operations.js, generated from
// npm-wasm/src/operations.rs) into its request. Each value is checked against its declared
// type first, which catches what only JS can see and JSON cannot carry (functions, symbols,
// bigints, non-finite numbers, getters that throw, objects with a `toJSON` of their own, a
// value that is not a KeySet): refused as the wasm words it (`invalidParams`). Options objects
// are read field by field by name, so the request holds only declared fields, already checked
// (other members are ignored). A field counts when the object has it as its own property or
// inherits it from a prototype other than `Object.prototype` (a class instance's getters, an
// `Object.create(defaults)`): never from `Object.prototype` itself, which another library's
// prototype pollution (`Object.prototype.now = ...`) could have given any field, so a polluted
// prototype neither moves the clock nor stands in for a missing option (docs/decisions.md).
// A token and a KeySet cross apart from the request: see js/wasm.js.
import { VippsAuthError } from "./errors.js";
import { KeySet, isFreed } from "./keyset.js";
import { OPERATIONS, OPTIONS, REASONS, invalidParams } from "./operations.js";

/** The core's largest token in bytes (`MAX_TOKEN_LEN` of src/jose/jwt.rs). */
const MAX_TOKEN_LEN = 16 * 1024;

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
  // Without prototypes: nothing reads a member here that the arguments did not give.
  /** @type {Read} */
  const out = Object.assign(Object.create(null), { request: Object.create(null) });
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
    // Past the core's limit (MAX_TOKEN_LEN, src/jose/jwt.rs) only its first bytes cross: the
    // wasm refuses that as it would the whole token (ERR_JWT_MALFORMED, too long), and a huge
    // token is never encoded (every UTF-16 unit is at least one UTF-8 byte).
    out.token = value.length > MAX_TOKEN_LEN ? value.slice(0, MAX_TOKEN_LEN + 1) : value;
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
    const options = Object.create(null);
    for (const [field, fieldType] of fields) {
      /** @type {unknown} */
      let v;
      try {
        v = declares(value, field) ? /** @type {Record<string, unknown>} */ (value)[field] : undefined;
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

/**
 * Whether `object` has `field` itself or from a prototype on its chain before
 * `Object.prototype` (see the module comment). May throw (a Proxy's traps).
 * @param {object} object
 * @param {string} field
 */
function declares(object, field) {
  for (let o = object; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    if (Object.prototype.hasOwnProperty.call(o, field)) return true;
  }
  return false;
}

/**
 * Whether `v` is an array of strings with no holes (a hole would be read from the prototypes,
 * polluted ones included, where `every` skips it).
 * @param {unknown} v
 */
const isStrings = (v) => Array.isArray(v) && Object.keys(v).length === v.length && v.every((s) => typeof s === "string");

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
