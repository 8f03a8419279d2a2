// @ts-check
// `KeySet`: the public keys tokens are checked against, as a fixed JWK set (RFC 7517
// section 5) or fetched from a `jwks_uri` (OpenID Connect Discovery 1.0 section 3; OpenID
// Connect Core 1.0 section 10.1.1 on key rotation). The wasm checks the arguments and every
// fetched set (npm-wasm/src/ops/keyset.rs); this class keeps the set's JSON text (as the
// UTF-8 bytes every verification sends) and does the I/O.
//
// A remote set is fetched lazily and used for `cacheMaxAgeSec`. A token whose key is not
// in the set (`ERR_KEY_NOT_FOUND`) makes it fetch the set again, so a rotated-in key
// verifies without a restart, but not more often than once per `cooldownSec`, so tokens
// with made-up `kid`s cannot flood the JWKS endpoint. Concurrent callers share the one
// fetch in flight (a held Promise); a failed refresh keeps the previous keys.
import { ownBytes } from "./bytes.js";
import { get } from "./http.js";
import { read } from "./request.js";
import { run } from "./wasm.js";

/**
 * The settings of a remote set, as `KeySet.remote` answered them, and its request (sent again
 * with each fetched response).
 * @typedef {{request: Record<string, unknown>, fetch: import("./http.js").Fetch, maxAgeMs: number, cooldownMs: number}} Remote
 */

/**
 * @typedef {object} State
 * @property {Uint8Array} [jwks] the JWK set's JSON text
 * @property {Remote} [remote]
 * @property {number} fetchedAt
 * @property {number} [lastFetch]
 * @property {Promise<void>} [inFlight]
 * @property {unknown} [lastError]
 * @property {number} fetches
 * @property {Map<string, CryptoKey>} cache the imported keys, by algorithm and thumbprint
 * @property {{jwks?: Uint8Array, checks: Map<string, import("./webcrypto.js").Check>}} [checks]
 *   the checks the wasm asked for, by token header and allowed algorithms, on the set `jwks`
 */

/** The keys of a set that has none yet (a fetch that never succeeded) or any longer (freed). */
const NO_KEYS = ownBytes('{"keys":[]}');

/** @type {WeakMap<KeySet, State>} The state of each live KeySet, out of reach of callers. */
const states = new WeakMap();
const CREATE = Symbol("KeySet");

/** A set of public keys to check JWT signatures with: `KeySet.fromJwks` or `KeySet.remote`. */
export class KeySet {
  // The bundle is minified without kept names (scripts/build-pkg.sh): the class says its own.
  static name = "KeySet";

  /**
   * @param {symbol} token
   * @param {{jwks?: Uint8Array, remote?: Remote}} state
   */
  constructor(token, state) {
    if (token !== CREATE) throw new TypeError("use KeySet.fromJwks or KeySet.remote");
    states.set(this, newState(state));
  }

  /**
   * A fixed key set from a JWK set, as an object or JSON text.
   * @param {object | string} jwks
   */
  static fromJwks(jwks) {
    const text = run("KeySet.fromJwks", read("KeySet.fromJwks", [jwks]).request).ok;
    return new KeySet(CREATE, { jwks: ownBytes(text) });
  }

  /**
   * A key set fetched from `jwksUri` on first use; see the module comment for caching.
   * @param {string} jwksUri
   * @param {object} [opts]
   */
  static remote(jwksUri, opts) {
    const { request } = read("KeySet.remote", [jwksUri, opts]);
    return new KeySet(CREATE, { remote: { request, ...run("KeySet.remote", request).ok } });
  }

  /** How many times this set has fetched its JWKS (0 for `fromJwks`); for monitoring. */
  get fetchCount() {
    return states.get(this)?.fetches ?? 0;
  }

  /** Forgets the keys; using the set afterwards is `ERR_INVALID_PARAMS`. */
  free() {
    states.delete(this);
  }
}

/**
 * Whether `keys` was freed.
 * @param {KeySet} keys
 */
export function isFreed(keys) {
  return !states.has(keys);
}

/**
 * @param {KeySet} keys
 * @returns {State}
 */
function state(keys) {
  // The caller checked the set is live (js/request.js); a set freed since has no keys.
  return states.get(keys) ?? newState({});
}

/**
 * A state without a prototype: a fixed set never finds a `remote` (nor a remote set a `jwks`)
 * that another library's prototype pollution put on Object.prototype.
 * @param {{jwks?: Uint8Array, remote?: Remote}} given
 * @returns {State}
 */
function newState(given) {
  return Object.assign(Object.create(null), { fetchedAt: 0, fetches: 0, cache: new Map() }, given);
}

/**
 * Whether `keys` fetches its set (and so may refetch for an unknown key).
 * @param {KeySet} keys
 */
export function isRemote(keys) {
  return state(keys).remote !== undefined;
}

/**
 * The imported CryptoKeys of `keys`, by algorithm and thumbprint.
 * @param {KeySet} keys
 */
export function keyCache(keys) {
  return state(keys).cache;
}

/**
 * The JWK set text of `keys` when it can be used without waiting: a fixed set, or a fetched
 * one that is still fresh; else undefined.
 * @param {KeySet} keys
 */
export function keysAtHand(keys) {
  const st = state(keys);
  if (!st.remote) return st.jwks;
  return !st.inFlight && fresh(st, Date.now()) ? st.jwks : undefined;
}

/** Most checks remembered per set (one per key and algorithm list in use, normally one). */
const MAX_CHECKS = 16;

/**
 * The check the wasm asked for last time for `header` (a token's header and the allowed
 * algorithms) on the set `jwks`, if any.
 * @param {KeySet} keys
 * @param {Uint8Array} jwks
 * @param {string} header
 */
export function rememberedCheck(keys, jwks, header) {
  const checks = state(keys).checks;
  return checks?.jwks === jwks ? checks.checks.get(header) : undefined;
}

/**
 * Remembers the check the wasm asked for `header` on the set `jwks`.
 * @param {KeySet} keys
 * @param {Uint8Array} jwks
 * @param {string} header
 * @param {import("./webcrypto.js").Check} check
 */
export function rememberCheck(keys, jwks, header, check) {
  const st = state(keys);
  if (st.checks?.jwks !== jwks || st.checks.checks.size >= MAX_CHECKS) st.checks = { jwks, checks: new Map() };
  st.checks.checks.set(header, check);
}

/**
 * Whether the fetched set of `st` is younger than its `cacheMaxAgeSec` at `now`.
 * @param {State} st
 * @param {number} now
 */
const fresh = (st, now) => st.jwks !== undefined && st.remote !== undefined && now - st.fetchedAt < st.remote.maxAgeMs;

/**
 * The current JWK set text of `keys`, fetching it when absent, stale, or (`force`) when a
 * key was not found, subject to the cooldown; the fetch's error when there is no set.
 * @param {KeySet} keys
 * @param {boolean} force
 * @returns {Promise<Uint8Array>}
 */
export async function currentKeys(keys, force) {
  const st = state(keys);
  const remote = st.remote;
  if (!remote) return st.jwks ?? NO_KEYS;
  if (!st.inFlight) {
    const now = Date.now();
    const cooling = st.lastFetch !== undefined && now - st.lastFetch < remote.cooldownMs;
    if (cooling || (fresh(st, now) && !force)) {
      if (st.jwks === undefined && st.lastError !== undefined) throw st.lastError;
      return st.jwks ?? NO_KEYS;
    }
    st.lastFetch = now;
    st.fetches += 1;
    st.inFlight = refresh(st, remote);
  }
  try {
    await st.inFlight;
  } catch (e) {
    if (st.jwks === undefined) throw e;
  }
  return st.jwks ?? NO_KEYS;
}

/**
 * Fetches the JWKS once and stores the outcome; a failure keeps the previous set.
 * @param {State} st
 * @param {Remote} remote
 */
async function refresh(st, remote) {
  try {
    const { response, body } = await get(remote.fetch);
    st.jwks = ownBytes(run("KeySet.remote", { ...remote.request, response }, { body }).ok);
    st.fetchedAt = Date.now();
    st.lastError = undefined;
  } catch (e) {
    st.lastError = e;
    throw e;
  } finally {
    st.inFlight = undefined;
  }
}
