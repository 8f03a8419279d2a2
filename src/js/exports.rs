//! The wasm export, dispatching on an operation number: one wasm-bindgen shim and one JS
//! wrapper for the whole API instead of one per function (each costs ~350 B of glue).
//! `js/wasm.js` holds the same numbers; a number it does not know is refused, not a panic.

use alloc::string::String;
use wasm_bindgen::prelude::wasm_bindgen;

use super::args::invalid;
use super::reply::reply;
use super::verify::Mode;
use super::{authorize, callback, discovery, endpoints, jwt, keyset, pkce, verify};

/// `call` operation numbers (mirrored in `js/wasm.js`).
pub mod op {
    /// `endpoints`
    pub const ENDPOINTS: u32 = 0;
    /// `generateCodeVerifier`
    pub const GENERATE_CODE_VERIFIER: u32 = 1;
    /// `codeChallengeS256`
    pub const CODE_CHALLENGE_S256: u32 = 2;
    /// `randomState`
    pub const RANDOM_STATE: u32 = 3;
    /// `randomNonce`
    pub const RANDOM_NONCE: u32 = 4;
    /// `buildAuthorizeUrl`
    pub const BUILD_AUTHORIZE_URL: u32 = 5;
    /// `startLogin`
    pub const START_LOGIN: u32 = 6;
    /// `parseCallback`
    pub const PARSE_CALLBACK: u32 = 7;
    /// `decodeJwt`
    pub const DECODE_JWT: u32 = 8;
    /// `KeySet.fromJwks`
    pub const KEY_SET_FROM_JWKS: u32 = 9;
    /// `KeySet.remote`
    pub const KEY_SET_REMOTE: u32 = 10;
    /// `discover`, the request
    pub const DISCOVERY_REQUEST: u32 = 11;
    /// `verifyJwt`, step 0 / 1 (`text`: the JWK set, or empty to check the arguments only;
    /// `flag`: answer the key's JWK too; `handle`: the id of this verification; see `verify`)
    pub const VERIFY_JWT_PREPARE: u32 = 12;
    /// `validateIdToken`, step 1
    pub const ID_TOKEN_PREPARE: u32 = 13;
    /// `verifyJwt`, step 2 (`flag`: WebCrypto's answer, `number`: `Date.now()`; `args` and
    /// `text` may be empty while the call is pending)
    pub const VERIFY_JWT_FINISH: u32 = 14;
    /// `validateIdToken`, step 2
    pub const ID_TOKEN_FINISH: u32 = 15;
    /// a fetched JWK set (`number`: the status, `text`: the body)
    pub const JWKS_RESPONSE: u32 = 16;
    /// a fetched discovery document (`number`: the status, `text`: the body)
    pub const DISCOVERY_RESPONSE: u32 = 17;
}

/// Runs operation `op` on `args` (the JS arguments as a JSON array), a `token` sent apart
/// from them (see `args::token_arg`) and, for the verification steps, the JWK set `text`,
/// WebCrypto's answer `flag` (for step 1: answer the key's JWK too), the clock `number`, and
/// the pending call `handle` (see `verify`). For a fetched response, `number` is its status
/// and `text` its body.
#[wasm_bindgen]
pub fn call(op: u32, args: &[u8], text: &[u8], token: &[u8], flag: bool, number: f64, handle: u32) -> String {
    // UTF-8 bytes rather than `&str`: the glue copies bytes natively, where a string crosses
    // character by character in JS. The entry module encodes JS strings, so all are UTF-8;
    // bytes that were not would read as no arguments, which every operation refuses.
    let args = core::str::from_utf8(args).unwrap_or_default();
    let body = text;
    let text = core::str::from_utf8(text).unwrap_or_default();
    let token = core::str::from_utf8(token).unwrap_or_default();
    match op {
        op::ENDPOINTS => endpoints::endpoints(args),
        op::GENERATE_CODE_VERIFIER => pkce::generate_code_verifier(),
        op::CODE_CHALLENGE_S256 => pkce::code_challenge_s256(args),
        op::RANDOM_STATE => pkce::random_state(),
        op::RANDOM_NONCE => pkce::random_nonce(),
        op::BUILD_AUTHORIZE_URL => authorize::build_authorize_url(args),
        op::START_LOGIN => authorize::start_login(args),
        op::PARSE_CALLBACK => callback::parse_callback(args),
        op::DECODE_JWT => jwt::decode_jwt(args, token),
        op::KEY_SET_FROM_JWKS => keyset::key_set_from_jwks(args),
        op::KEY_SET_REMOTE => keyset::key_set_remote(args),
        op::DISCOVERY_REQUEST => discovery::discovery_request(args),
        op::VERIFY_JWT_PREPARE => verify::verify_prepare(Mode::VerifyJwt, args, token, text, flag, handle),
        op::ID_TOKEN_PREPARE => verify::verify_prepare(Mode::ValidateIdToken, args, token, text, flag, handle),
        op::VERIFY_JWT_FINISH => verify::verify_finish(Mode::VerifyJwt, args, token, text, flag, number, handle),
        op::ID_TOKEN_FINISH => verify::verify_finish(Mode::ValidateIdToken, args, token, text, flag, number, handle),
        op::JWKS_RESPONSE => keyset::key_set_response(number as u16, body),
        op::DISCOVERY_RESPONSE => discovery::discovery_response(args, number as u16, body),
        _ => reply(Err(invalid("op", "is not an operation of this package"))),
    }
}
