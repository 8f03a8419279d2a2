// `verifyJwt` and `validateIdToken`: the wasm checks the arguments and the token and
// prepares the signature check (src/js/verify.rs); this module gets the key set, refetches
// a remote one once for an unknown key, runs WebCrypto, and hands the answer back to the
// wasm, which alone turns it into verified claims.
import { encode, IN_TEXT } from "./args.js";
import { currentSet, isRemote, keyCache, setAtHand } from "./keyset.js";
import { cachedKey, importInto, signatureValid } from "./webcrypto.js";
import * as op from "./wasm.js";

/** The last handle given to a verification (src/js/verify.rs keeps its steps by handle). */
let lastHandle = 0;

/**
 * The wasm's answer when it keeps neither the set a step names nor (for a step sent without
 * arguments) the call: load the set and repeat the step in full (NEED_INPUTS).
 */
const NEED_INPUTS = 0;

/**
 * Runs a step on `set` (`{id, jwks}`) for `call` (`{args, token}`: the encoded arguments and
 * the token sent apart), sending neither while the wasm keeps the call when `lean`.
 */
function step(code, call, handle, set, flag, number, lean) {
  const answer = op.run(code, lean ? "" : call.args, lean ? "" : call.token, flag, number, handle, set.id);
  if (answer !== NEED_INPUTS) return answer;
  op.run(op.KEY_SET_LOAD, "", set.jwks, false, 0, 0, set.id);
  return op.run(code, call.args, call.token, flag, number, handle, set.id);
}

/** Whether a refusal of step 1 may be answered by refetching the remote set `keys`. */
const refetchable = (e, keys) => e.code === "ERR_KEY_NOT_FOUND" && isRemote(keys);

/** Step 1 once more with the remote set refetched (an unknown key: maybe rotated in). */
async function afterRefetch(e, prepare, call, handle, keys, set) {
  const newer = await currentSet(keys, true);
  if (newer === set) throw e;
  return { set: newer, check: step(prepare, call, handle, newer, false, 0, false) };
}

/** Step 1 for a set not at hand: arguments checked before the fetch (step 0). */
async function afterFetch(prepare, call, handle, keys) {
  op.run(prepare, call.args, call.token, false, 0, handle);
  const set = await currentSet(keys, false);
  try {
    return { set, check: step(prepare, call, handle, set, false, 0, false) };
  } catch (e) {
    if (!refetchable(e, keys)) throw e;
    return afterRefetch(e, prepare, call, handle, keys, set);
  }
}

/**
 * Runs one verification of `token` with the other JS arguments `rest` (options picked) and
 * the key set `keys`; `prepare` is VERIFY_JWT_PREPARE or ID_TOKEN_PREPARE, and the finishing
 * operation is two after it.
 */
export async function verifyWith(prepare, token, rest, keys) {
  // A string token crosses as the `text` bytes; anything else in the arguments, for the wasm
  // to refuse by name.
  const apart = typeof token === "string";
  const call = { args: encode([apart ? IN_TEXT : token, ...rest]), token: apart ? token : "" };
  // The wasm keeps the arguments and token under `handle` for the steps below.
  const handle = (lastHandle = (lastHandle + 1) >>> 0 || 1);
  // Step 1, without waiting when the set is at hand (the usual case).
  let set = setAtHand(keys);
  let check;
  if (set) {
    try {
      check = step(prepare, call, handle, set, false, 0, false);
    } catch (e) {
      if (!refetchable(e, keys)) throw e;
      ({ set, check } = await afterRefetch(e, prepare, call, handle, keys, set));
    }
  } else {
    ({ set, check } = await afterFetch(prepare, call, handle, keys));
  }
  const cache = keyCache(keys);
  let key = cachedKey(cache, check);
  if (!key) {
    // Not imported yet: the same step again, answering the key's JWK too.
    const { jwk } = step(prepare, call, handle, set, true, 0, false);
    key = await importInto(cache, check, jwk);
  }
  const valid = await signatureValid(check.alg, key, token);
  return step(prepare + 2, call, handle, set, valid, Date.now(), true);
}
