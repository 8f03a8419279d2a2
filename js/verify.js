// @ts-check
// `verifyJwt` and `validateIdToken`: the wasm decides everything (npm-wasm/src/ops/verify.rs);
// this module does the I/O it asks for, calling the operation again with each outcome until
// it answers: the key set (fetched for a remote set, and fetched again once for a key not in
// it), and the one WebCrypto call (the key imported first when the KeySet has not imported it
// yet). Each call carries the token, the arguments and the key set again; the one with
// WebCrypto's outcome also the clock.
//
// The check the wasm asks for depends only on the token's header, the key set and the allowed
// algorithms, so the KeySet remembers it by those (`rememberedCheck`): the next token with
// that header gets its signature checked first and needs one call. The wasm believes an
// outcome only for the check it chooses itself, and asks again for any other.
import { VippsAuthError } from "./errors.js";
import { currentKeys, isRemote, keyCache, keysAtHand, rememberCheck, rememberedCheck } from "./keyset.js";
import { read } from "./request.js";
import { run } from "./wasm.js";
import { cryptoKey, outcome } from "./webcrypto.js";

/** Most calls of the operation one verification makes (keys, signature, a refetch, a guess). */
const MAX_CALLS = 6;

/**
 * Runs operation `name` on arguments that came without a KeySet (no options object at all),
 * for the error it answers.
 * @param {string} name
 * @param {Record<string, unknown>} request
 * @param {string | undefined} token
 * @returns {never}
 */
function refused(name, request, token) {
  run(name, request, { token });
  throw new TypeError(`${name} accepted arguments without a KeySet`);
}

/**
 * The allowed algorithms the request names (part of what the check depends on).
 * @param {Record<string, unknown>} request
 */
const algorithms = (request) => JSON.stringify(/** @type {{algorithms?: string[]}} */ (request.opts)?.algorithms ?? null);

/**
 * Verifies with operation `name` ("verifyJwt" or "validateIdToken") on the JS arguments.
 * @param {string} name
 * @param {unknown[]} args
 */
export async function verify(name, args) {
  const found = read(name, args);
  const { request } = found;
  const token = /** @type {string} */ (found.token);
  const keys = found.keys ?? refused(name, request, token);
  const header = `${token.slice(0, token.indexOf("."))} ${algorithms(request)}`;
  let jwks = keysAtHand(keys);
  /** @type {import("./webcrypto.js").Check | undefined} */
  let check = jwks && rememberedCheck(keys, jwks, header);
  let refetched = false;
  for (let calls = 0; calls < MAX_CALLS; calls++) {
    const signature = check && (await checkSignature(check, token, keys));
    let reply;
    try {
      reply = run(name, signature ? { ...request, signature, clockMs: Date.now() } : request, { token, keys: jwks });
    } catch (e) {
      // A key not in a remote set may have been rotated in: fetch it once more (the cooldown
      // permitting) and look again.
      if (refetched || !(e instanceof VippsAuthError && e.code === "ERR_KEY_NOT_FOUND" && isRemote(keys))) throw e;
      refetched = true;
      const newer = await currentKeys(keys, true);
      if (newer === jwks) throw e;
      jwks = newer;
      check = undefined;
      continue;
    }
    if (reply.need === "keys") {
      // A remote set not fetched yet (or stale): the arguments and token passed first.
      jwks = await currentKeys(keys, false);
      check = undefined;
    } else if (reply.need === "signature") {
      check = reply.signature;
      rememberCheck(keys, /** @type {Uint8Array} */ (jwks), header, reply.signature);
    } else {
      return reply.ok;
    }
  }
  throw new TypeError(`${name} asked for more than ${MAX_CALLS} rounds`);
}

/**
 * WebCrypto's outcome for `check` on `token`, the key imported into `keys`' cache first when
 * absent. (Promises chained rather than awaited: a verification is mostly this, and each
 * `await` is a turn of the microtask queue.)
 * @param {import("./webcrypto.js").Check} check
 * @param {string} token
 * @param {import("./keyset.js").KeySet} keys
 * @returns {Promise<import("./webcrypto.js").Outcome>}
 */
function checkSignature(check, token, keys) {
  if (!globalThis.crypto?.subtle) return Promise.resolve({ alg: check.alg, key: check.key, failed: "unavailable" });
  const key = cryptoKey(check, keyCache(keys));
  return key instanceof Promise ? key.then((imported) => outcome(check, imported, token)) : outcome(check, key, token);
}
