// `KeySet`: the public keys tokens are checked against, as a fixed JWK set (RFC 7517
// section 5) or fetched from a `jwks_uri` (OpenID Connect Discovery 1.0 section 3; OpenID
// Connect Core 1.0 section 10.1.1 on key rotation). The wasm checks the arguments and every
// fetched set (src/js/keyset.rs); this class keeps the set as JSON text and does the I/O.
//
// A remote set is fetched lazily and used for `cacheMaxAgeSec`. A token whose key is not
// in the set (`ERR_KEY_NOT_FOUND`) makes it fetch the set again, so a rotated-in key
// verifies without a restart, but not more often than once per `cooldownSec`, so tokens
// with made-up `kid`s cannot flood the JWKS endpoint. Concurrent callers share the one
// fetch in flight (a held Promise); a failed refresh keeps the previous keys.
import { encode, markers, pick } from "./args.js";
import { vippsAuthError } from "./errors.js";
import { get } from "./http.js";
import * as op from "./wasm.js";

/** The state of each KeySet, out of reach of callers. */
const states = new WeakMap();
const CREATE = Symbol("KeySet");

const noKey = () => vippsAuthError({ code: "ERR_KEY_NOT_FOUND", message: "no key matches the token" });

/** A set of public keys to check JWT signatures with: `KeySet.fromJwks` or `KeySet.remote`. */
export class KeySet {
  // The bundle is minified without kept names (scripts/build-pkg.sh): the class says its own.
  static name = "KeySet";

  constructor(token, state) {
    if (token !== CREATE) throw new TypeError("use KeySet.fromJwks or KeySet.remote");
    states.set(this, { jwks: undefined, fetchedAt: 0, lastFetch: undefined, inFlight: undefined, lastError: undefined, fetches: 0, cache: new Map(), ...state });
    markers.set(this, "KeySet");
  }

  /** A fixed key set from a JWK set, as an object or JSON text. */
  static fromJwks(jwks) {
    return new KeySet(CREATE, { jwks: op.run(op.KEY_SET_FROM_JWKS, encode([jwks])) });
  }

  /** A key set fetched from `jwksUri` on first use; see the module comment for caching. */
  static remote(jwksUri, opts) {
    const picked = pick(opts, ["cacheMaxAgeSec", "cooldownSec", "timeoutMs"]);
    return new KeySet(CREATE, { remote: op.run(op.KEY_SET_REMOTE, encode([jwksUri, picked])) });
  }

  /** How many times this set has fetched its JWKS (0 for `fromJwks`); for monitoring. */
  get fetchCount() {
    return states.get(this)?.fetches ?? 0;
  }

  /** Forgets the keys; using the set afterwards is `ERR_INVALID_PARAMS`. */
  free() {
    states.delete(this);
    markers.set(this, "freed");
  }

  [Symbol.dispose]() {
    this.free();
  }
}

/** Whether `keys` fetches its set (and so may refetch for an unknown key). */
export function isRemote(keys) {
  return states.get(keys)?.remote !== undefined;
}

/** The imported CryptoKeys of `keys`, by algorithm and thumbprint. */
export function keyCache(keys) {
  return states.get(keys)?.cache ?? new Map();
}

/**
 * The JWK set text of `keys` when it can be used without waiting: a fixed set, or a fetched
 * one that is still fresh; else undefined.
 */
export function jwksAtHand(keys) {
  const st = states.get(keys);
  if (!st?.remote) return st?.jwks;
  return !st.inFlight && fresh(st, Date.now()) ? st.jwks : undefined;
}

/** Whether the fetched set of `st` is younger than its `cacheMaxAgeSec` at `now`. */
const fresh = (st, now) => st.jwks !== undefined && now - st.fetchedAt < st.remote.maxAgeMs;

/**
 * The current JWK set text of `keys`, fetching it when absent, stale, or (`force`) when a
 * key was not found, subject to the cooldown.
 */
export async function currentJwks(keys, force) {
  const st = states.get(keys);
  if (!st) throw vippsAuthError({ code: "ERR_INVALID_PARAMS", message: "invalid parameter `keys`: this KeySet has been freed" });
  const remote = st.remote;
  if (!remote) {
    if (st.jwks === undefined) throw noKey();
    return st.jwks;
  }
  if (!st.inFlight) {
    const now = Date.now();
    const cooling = st.lastFetch !== undefined && now - st.lastFetch < remote.cooldownMs;
    if (cooling || (fresh(st, now) && !force)) {
      if (st.jwks !== undefined) return st.jwks;
      throw st.lastError ?? noKey();
    }
    st.lastFetch = now;
    st.fetches += 1;
    st.inFlight = refresh(st);
  }
  try {
    await st.inFlight;
  } catch (e) {
    if (st.jwks === undefined) throw e;
  }
  if (st.jwks === undefined) throw noKey();
  return st.jwks;
}

/** Fetches the JWKS once and stores the outcome; a failure keeps the previous set. */
async function refresh(st) {
  try {
    const { status, body } = await get(st.remote.uri, { Accept: "application/json" }, st.remote.timeoutMs);
    st.jwks = op.check(op.JWKS_RESPONSE, "[]", status, body);
    st.fetchedAt = Date.now();
    st.lastError = undefined;
  } catch (e) {
    st.lastError = e;
    throw e;
  } finally {
    st.inFlight = undefined;
  }
}
