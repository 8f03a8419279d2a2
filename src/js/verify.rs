//! `verifyJwt` and `validateIdToken`, sans-IO: the JS side (`js/verify.js`) gets the key
//! set (fetching a remote one) and runs the one WebCrypto call; the wasm decides everything
//! else, in synchronous steps over the same arguments and a handle the JS side gives the call:
//!
//! 0. [`verify_prepare`] without a JWK set checks the arguments and parses the token (before
//!    any fetch) and keeps both as the pending call `handle` ([`super::registry`]).
//! 1. [`verify_prepare`] with the JWK set runs `jose::verify::prepare` on the kept token:
//!    refused header members, allowed algorithm, the one key, the signature's shape. It
//!    answers what WebCrypto needs: the algorithm, the key as a JWK to import and its RFC 7638
//!    thumbprint (the JS key cache's key), the signing input and the signature.
//! 2. [`verify_finish`] takes the pending call, prepares the check again (deterministic, and
//!    cheap now that nothing is parsed: keeping the check instead costs more wasm than it
//!    saves time) and completes it with WebCrypto's answer (`SignatureCheck::finish`); only
//!    then are the claims validated (OpenID Connect Core 1.0 section 3.1.3.7) for an ID token.
//!
//! So a call parses its token once, and the JWK set only when its text is not the one the
//! last call parsed ([`keyset::prepare`]). The pending calls are only a cache (the registry
//! bounds them): a step that finds no pending call checks the arguments the JS side sends
//! every time again, with the same answer.
//!
//! The algorithm always comes from the caller's allowed list and the key from the caller's
//! set, never from the token alone.

use alloc::{string::String, vec::Vec};
use super::args::{field, floor, invalid, marker, opt_integer, opt_number, opt_string, options, req_options, req_string, string_arg, string_array, Args};
use super::jwt::parts;
use super::reply::{object, value};
use super::{keyset, registry};
use crate::base64;
use crate::error::Result;
use crate::id_token::{self, Audience, IdTokenExpectations};
use crate::jose::{alg::DEFAULT_ALGORITHMS, jwt, verify, Algorithm, UnverifiedJwt};
use crate::json::{Object, Value};
use crate::secret::AccessToken;

/// A call between its steps: its arguments and its token.
pub struct Pending {
    call: Call,
    token: UnverifiedJwt,
}

/// The arguments and token of a call, checked (step 0, or a step that finds no pending call).
fn pending(mode: Mode, args: &str) -> Result<Pending> {
    let call = call(mode, args)?;
    let token = jwt::parse(&call.token)?;
    Ok(Pending { call, token })
}

/// Takes the pending call `handle` out of the registry, else checks `args` again.
fn take(handle: u32, mode: Mode, args: &str) -> Result<Pending> {
    match registry::take(handle) {
        Some(pending) => Ok(pending),
        None => pending(mode, args),
    }
}

/// Which call's arguments to read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// `verifyJwt(token, keys, opts?)`.
    VerifyJwt,
    /// `validateIdToken(token, opts)`.
    ValidateIdToken,
}

/// The checked arguments of either call.
struct Call {
    token: String,
    allowed: Vec<Algorithm>,
    /// For `validateIdToken`: what to expect, and `now` when the caller gave it.
    id_token: Option<(IdTokenExpectations, Option<i64>)>,
}

/// `keys` must be a live `KeySet` (the entry module sends its marker).
fn key_set_arg(value: &Value, param: &'static str) -> Result<()> {
    match marker(value) {
        Some("KeySet") => Ok(()),
        Some("freed") => Err(invalid(param, "this KeySet has been freed")),
        _ => Err(invalid(param, "must be a KeySet (KeySet.fromJwks or KeySet.remote)")),
    }
}

/// The allowed algorithms from an options object's `algorithms` (default `["RS256"]`).
fn algorithms(opts: Option<&Object>) -> Result<Vec<Algorithm>> {
    match opts.map(|o| field(o, "algorithms")).transpose()?.flatten() {
        None => Ok(DEFAULT_ALGORITHMS.to_vec()),
        Some(v) => {
            let names = string_array(v, "algorithms")?;
            Algorithm::parse_allowed(names.iter().map(String::as_str))
        }
    }
}

/// `[token, keys, opts?]`, checked in the API's order.
fn verify_jwt_args(args: &Args) -> Result<Call> {
    let token = string_arg(args.get(0), "token")?;
    key_set_arg(args.get(1), "keys")?;
    let opts = options(args.get(2), "opts")?;
    Ok(Call { token, allowed: algorithms(opts)?, id_token: None })
}

/// `[token, opts]`, checked in the API's order.
fn validate_id_token_args(args: &Args) -> Result<Call> {
    let token = string_arg(args.get(0), "token")?;
    let o = req_options(args.get(1), "opts")?;
    let audience = match (opt_string(o, "clientId")?, opt_string(o, "msn")?) {
        (Some(id), None) => Audience::ClientId(id),
        (None, Some(msn)) => Audience::Msn(msn),
        (Some(_), Some(_)) => return Err(invalid("clientId", "give either clientId or msn, not both")),
        (None, None) => return Err(invalid("clientId", "clientId (or msn for partners) is required")),
    };
    let mut expected = IdTokenExpectations::new(req_string(o, "issuer")?, audience);
    expected.nonce = opt_string(o, "nonce")?;
    if let Some(t) = opt_integer(o, "clockToleranceSec")? {
        expected.clock_tolerance_sec = t;
    }
    expected.max_age_sec = opt_integer(o, "maxAgeSec")?;
    expected.access_token = opt_string(o, "accessToken")?.map(AccessToken::new);
    let now = match opt_number(o, "now")? {
        None => None,
        Some(n) if (0.0..=9.0e15).contains(&n) => Some(floor(n)),
        Some(_) => return Err(invalid("now", "must be epoch seconds")),
    };
    key_set_arg(field(o, "keys")?.unwrap_or(&Value::Null), "keys")?;
    Ok(Call { token, allowed: algorithms(Some(o))?, id_token: Some((expected, now)) })
}

fn call(mode: Mode, args: &str) -> Result<Call> {
    let args = Args::parse(args)?;
    if mode == Mode::ValidateIdToken {
        validate_id_token_args(&args)
    } else {
        verify_jwt_args(&args)
    }
}

/// The signature check of `pending` with a key of the set `jwks`.
fn prepare(pending: &Pending, jwks: &str) -> Result<verify::SignatureCheck> {
    keyset::prepare(jwks, &pending.token, &pending.call.allowed)
}

/// Step 0 (`jwks` empty): checks the arguments and parses the token (so a bad call fails
/// before any fetch), keeps them as the pending call `handle` and answers `null`. Step 1
/// (the pending call `handle` and the JWK set `jwks`): `{alg, thumbprint, jwk, input, sig}`
/// (`sig` base64url) for WebCrypto, or the core's refusal (`ERR_KEY_NOT_FOUND` makes the JS
/// side refetch a remote set once and repeat step 1 with the same handle).
pub fn verify_prepare(mode: Mode, args: &str, jwks: &str, handle: u32) -> String {
    value((|| {
        let pending = if jwks.is_empty() { pending(mode, args)? } else { take(handle, mode, args)? };
        let answer = if jwks.is_empty() {
            Ok(Value::Null)
        } else {
            prepare(&pending, jwks).map(|check| {
                object(vec![
                    ("alg", Value::from(check.alg().name())),
                    ("thumbprint", Value::from(check.key().thumbprint())),
                    ("jwk", Value::Object(check.import_jwk())),
                    // The signing input is a prefix of the token, a `&str`, so always UTF-8.
                    ("input", Value::from(core::str::from_utf8(check.signing_input()).unwrap_or_default())),
                    ("sig", Value::from(base64::encode_url(check.signature()))),
                ])
            })
        };
        // Kept even after a refusal, for the retry with a refetched set.
        registry::keep(handle, pending);
        answer
    })())
}

/// Step 2 for the pending call `handle` (step 1's arguments as for [`verify_prepare`]):
/// WebCrypto said `valid`. The check is prepared again from the kept token and key set (no
/// parsing), so nothing else need be kept. `verifyJwt` answers `{header, claims}`;
/// `validateIdToken` the claims once every rule holds at `now` (the caller's, else `now_ms`
/// from the clock).
pub fn verify_finish(mode: Mode, args: &str, jwks: &str, valid: bool, now_ms: f64, handle: u32) -> String {
    value((|| {
        let pending = take(handle, mode, args)?;
        let verified = prepare(&pending, jwks)?.finish(valid)?;
        match &pending.call.id_token {
            None => Ok(parts(verified.header(), verified.claims())),
            Some((expected, now)) => {
                let now = now.unwrap_or(floor(now_ms / 1000.0));
                Ok(Value::Object(id_token::validate(&verified, expected, now)?.clone()))
            }
        }
    })())
}
