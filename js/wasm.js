// The wasm's operations (src/js/exports.rs) by name: the wasm's one export, `call`,
// dispatches on these numbers. Each answers `{ok}` / `{err}` JSON, which
// `unwrap` turns into the value or a thrown VippsAuthError.
import { call } from "vipps-auth-wasm";
import { bytes } from "./bytes.js";
import { unwrap } from "./errors.js";

export const ENDPOINTS = 0, GENERATE_CODE_VERIFIER = 1, CODE_CHALLENGE_S256 = 2, RANDOM_STATE = 3, RANDOM_NONCE = 4,
  BUILD_AUTHORIZE_URL = 5, START_LOGIN = 6, PARSE_CALLBACK = 7, DECODE_JWT = 8, KEY_SET_FROM_JWKS = 9,
  KEY_SET_REMOTE = 10, DISCOVERY_REQUEST = 11, VERIFY_JWT_PREPARE = 12, ID_TOKEN_PREPARE = 13,
  VERIFY_JWT_FINISH = 14, ID_TOKEN_FINISH = 15, JWKS_RESPONSE = 16, DISCOVERY_RESPONSE = 17;

/** Runs operation `op` on the encoded arguments (js/args.js); see `call` in src/js/exports.rs. */
export function run(op, args = "[]", text = "", flag = false, number = 0, handle = 0, token = "") {
  return unwrap(call(op, bytes(args, 0), bytes(text, 1), bytes(token, 2), flag, number, handle));
}

/** Hands a fetched response (status, body bytes) to operation `op`. */
export function check(op, args, status, body) {
  return run(op, args, body, false, status);
}
