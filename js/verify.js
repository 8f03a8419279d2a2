// `verifyJwt` and `validateIdToken`: the wasm checks the arguments and the token and
// prepares the signature check (src/js/verify.rs); this module gets the key set, refetches
// a remote one once for an unknown key, runs WebCrypto, and hands the answer back to the
// wasm, which alone turns it into verified claims.
import { encode } from "./args.js";
import { currentJwks, isRemote, keyCache } from "./keyset.js";
import { checkSignature } from "./webcrypto.js";
import * as op from "./wasm.js";

/** The last handle given to a verification (src/js/verify.rs keeps its steps by handle). */
let lastHandle = 0;

/**
 * Runs one verification of `args` (the JS arguments, options picked) with `keys`;
 * `prepare` is VERIFY_JWT_PREPARE or ID_TOKEN_PREPARE, and the finishing operation is
 * two after it.
 */
export async function verifyWith(prepare, args, keys) {
  const text = encode(args);
  // Arguments and token, before any fetch; the wasm keeps them under `handle` for the
  // steps below (src/js/verify.rs).
  const handle = ++lastHandle;
  op.run(prepare, text, "", false, 0, handle);
  let jwks = await currentJwks(keys, false);
  let check;
  try {
    check = op.run(prepare, text, jwks, false, 0, handle);
  } catch (e) {
    if (e.code !== "ERR_KEY_NOT_FOUND" || !isRemote(keys)) throw e;
    const newer = await currentJwks(keys, true);
    if (newer === jwks) throw e;
    jwks = newer;
    check = op.run(prepare, text, jwks, false, 0, handle);
  }
  const valid = await checkSignature(check, keyCache(keys));
  return op.run(prepare + 2, text, jwks, valid, Date.now(), handle);
}
