// `verifyJwt` and `validateIdToken`: the wasm checks the arguments and the token and
// prepares the signature check (src/js/verify.rs); this module gets the key set, refetches
// a remote one once for an unknown key, runs WebCrypto, and hands the answer back to the
// wasm, which alone turns it into verified claims.
import { APART, encode } from "./args.js";
import { currentJwks, isRemote, jwksAtHand, keyCache } from "./keyset.js";
import { cachedKey, importInto, signatureValid } from "./webcrypto.js";
import * as op from "./wasm.js";

/** The last handle given to a verification (src/js/verify.rs keeps its steps by handle). */
let lastHandle = 0;

/** The JWK set text the wasm parsed last, as far as this module knows for sure. */
let keptJwks;

/**
 * Step 1 on the set `jwks`: sent as "=" (src/js/keyset.rs KEPT_SET) when the wasm parsed
 * that very text last, which spares encoding and copying it; the wasm answers 0 when it keeps
 * no set after all, and the step is repeated with the text.
 */
function prepareOn(prepare, call, jwks, withJwk, handle) {
  const kept = jwks === keptJwks;
  keptJwks = undefined; // unknown until the step answers
  let answer = op.run(prepare, call.args, kept ? "=" : jwks, withJwk, 0, handle, call.token);
  if (answer === 0) answer = op.run(prepare, call.args, jwks, withJwk, 0, handle, call.token);
  keptJwks = jwks;
  return answer;
}

/** Whether a refusal of step 1 may be answered by refetching the remote set `keys`. */
const refetchable = (e, keys) => e.code === "ERR_KEY_NOT_FOUND" && isRemote(keys);

/** Step 1 once more with the remote set refetched (an unknown key: maybe rotated in). */
async function afterRefetch(e, prepare, call, handle, keys, jwks) {
  const newer = await currentJwks(keys, true);
  if (newer === jwks) throw e;
  return [newer, prepareOn(prepare, call, newer, false, handle)];
}

/** Step 1 for a set not at hand: arguments and token checked before the fetch (step 0). */
async function afterFetch(prepare, call, handle, keys) {
  op.run(prepare, call.args, "", false, 0, handle, call.token);
  const jwks = await currentJwks(keys, false);
  try {
    return [jwks, prepareOn(prepare, call, jwks, false, handle)];
  } catch (e) {
    if (!refetchable(e, keys)) throw e;
    return afterRefetch(e, prepare, call, handle, keys, jwks);
  }
}

/**
 * Runs one verification of `token` with the other JS arguments `rest` (options picked) and
 * the key set `keys`; `prepare` is VERIFY_JWT_PREPARE or ID_TOKEN_PREPARE, and the finishing
 * operation is two after it.
 */
export async function verifyWith(prepare, token, rest, keys) {
  // A string token crosses apart from the JSON; anything else inside it, for the wasm to
  // refuse by name.
  const apart = typeof token === "string";
  const call = { args: encode([apart ? APART : token, ...rest]), token: apart ? token : "" };
  // The wasm keeps the arguments and token under `handle` for the steps below.
  const handle = (lastHandle = (lastHandle + 1) >>> 0 || 1);
  // Step 1, without waiting when the set is at hand (the usual case).
  let jwks = jwksAtHand(keys);
  let check;
  if (jwks === undefined) {
    [jwks, check] = await afterFetch(prepare, call, handle, keys);
  } else {
    try {
      check = prepareOn(prepare, call, jwks, false, handle);
    } catch (e) {
      if (!refetchable(e, keys)) throw e;
      [jwks, check] = await afterRefetch(e, prepare, call, handle, keys, jwks);
    }
  }
  const cache = keyCache(keys);
  let key = cachedKey(cache, check);
  if (!key) {
    // Not imported yet: the same step again, answering the key's JWK too.
    key = await importInto(cache, check, prepareOn(prepare, call, jwks, true, handle).jwk);
  }
  const valid = await signatureValid(check.alg, key, token);
  // Step 2 without arguments while the wasm keeps the call; with them when it asks (0).
  const done = op.run(prepare + 2, "", "", valid, Date.now(), handle);
  if (done !== 0) return done;
  keptJwks = undefined; // the text sent may replace the wasm's set
  return op.run(prepare + 2, call.args, jwks, valid, Date.now(), handle, call.token);
}
