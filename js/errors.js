// @ts-check
// The thrown error of the package (DESIGN.md): a `VippsAuthError` with a stable `code`, the
// core's `message`, and a structured `cause` ({param}, {claim, expected?, found?}, or Vipps'
// {vippsError, vippsErrorDescription, status}; docs/errors.md). Every one is made from an
// `err` the wasm answered, or from `invalidParams` (js/operations.js, generated from the
// wasm's own words) for a JS value the table refuses: the wording lives in the Rust core.

/**
 * The `err` member of a wasm reply.
 * @typedef {object} ErrorFields
 * @property {string} code
 * @property {string} message
 * @property {Record<string, unknown>} [cause]
 * @property {string} [vippsError]
 * @property {string} [vippsErrorDescription]
 * @property {number} [status]
 */

/**
 * The mark every VippsAuthError carries, shared through the global symbol registry: Node may
 * load the package twice (the ESM entry for `import`, the CommonJS one for `require`), each
 * copy with its own class, and an error from one must be `instanceof` the other's.
 */
const BRAND = Symbol.for("vipps-auth.VippsAuthError");

/** What every function of this package throws (or rejects with). */
export class VippsAuthError extends Error {
  // The bundle is minified without kept names (scripts/build-pkg.sh): the class says its own.
  static name = "VippsAuthError";

  /**
   * `instanceof` by the brand, so it holds across the ESM and CommonJS copies of the package.
   * @param {unknown} value
   * @returns {value is VippsAuthError}
   */
  static [Symbol.hasInstance](value) {
    return typeof value === "object" && value !== null && BRAND in value;
  }

  /** @param {ErrorFields} err */
  constructor(err) {
    super(err.message, err.cause === undefined ? undefined : { cause: err.cause });
    Object.defineProperty(this, BRAND, { value: true });
    /** @type {"VippsAuthError"} */
    this.name = "VippsAuthError";
    /** The stable code (docs/errors.md). */
    this.code = err.code;
    /** Vipps' `error`, when the failure came from Vipps. @type {string | undefined} */
    this.vippsError = err.vippsError;
    /** Vipps' `error_description`, when Vipps sent one. @type {string | undefined} */
    this.vippsErrorDescription = err.vippsErrorDescription;
    /** The HTTP status, for `ERR_HTTP`. @type {number | undefined} */
    this.status = err.status;
    for (const optional of /** @type {const} */ (["vippsError", "vippsErrorDescription", "status"])) {
      if (this[optional] === undefined) delete this[optional];
    }
  }
}

/**
 * "name: message" of a thrown JS value, for the wasm to put in its error (which cuts it to a
 * few hundred characters); `undefined` for a value that is not an Error.
 * @param {unknown} e
 */
export function describe(e) {
  return e instanceof Error ? `${e.name}: ${e.message}` : undefined;
}
