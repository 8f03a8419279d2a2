//! `verifyJwt` and `validateIdToken`, sans-IO: the JS side (`js/verify.js`) gets the key
//! set (fetching a remote one) and runs the one WebCrypto call; the wasm decides everything
//! else, in synchronous steps over the same arguments and a handle the JS side gives the call:
//!
//! 0. [`verify_prepare`] without a key set checks the arguments and parses the token before
//!    any fetch, and keeps both as the pending call `handle` ([`super::registry`]). A call
//!    whose key set is at hand starts at step 1.
//! 1. [`verify_prepare`] with the key set's JSON text runs `jose::verify` on the token:
//!    refused header members, allowed algorithm, the one key, the signature's shape. It
//!    answers what WebCrypto needs that the JS side does not have: `{alg, key}`, the algorithm
//!    and the key's RFC 7638 thumbprint (the JS key cache's name for it), and `jwk`, the key as
//!    a JWK to import, when the JS side asks (it has not imported that key yet). The signing
//!    input and the signature are the token's own text, which the JS side slices itself (the
//!    token parsed, so it is three canonical base64url parts). The pending call keeps the
//!    prepared check, which owns the token.
//! 2. [`verify_finish`] completes the kept check with WebCrypto's answer
//!    (`SignatureCheck::finish`); only then are the claims validated (OpenID Connect Core 1.0
//!    section 3.1.3.7) for an ID token. The answer is the token's own header and claims JSON
//!    text, which parsed strictly, for `JSON.parse`: nothing is serialized again.
//!
//! So a call parses its token once, and the key set only when its text is not the one the
//! last call parsed ([`keyset::with_set`]; the JS side names that set [`keyset::KEPT_SET`]
//! rather than send its text again). The pending calls are only a cache (the registry
//! bounds them): a step that finds no pending call checks the arguments again, with the same
//! answer; step 2, sent without them, answers [`NEED_INPUTS`] and the JS side repeats it
//! with the arguments and the set.
//!
//! The algorithm always comes from the caller's allowed list and the key from the caller's
//! set, never from the token alone.

use alloc::{borrow::ToOwned, string::String, vec::Vec};
use super::args::{field, floor, invalid, marker, opt_integer, opt_number, opt_string, options, req_options, req_string, string_array, token_arg, Args};
use super::jwt::parts;
use super::reply::{reply, Members};
use super::keyset::{self, KeptSet};
use super::registry;
use crate::error::{ErrorKind, Result};
use crate::id_token::{self, Audience, IdTokenExpectations};
use crate::jose::verify::{self, SignatureCheck};
use crate::jose::{alg::DEFAULT_ALGORITHMS, jwt, Algorithm, UnverifiedJwt};
use crate::json::{Object, Value};
use crate::secret::AccessToken;

/// The answer of a step sent without its arguments when the wasm does not keep the call (any
/// longer), or naming the kept key set when it keeps none: the JS side repeats the step with
/// the arguments and the key set's text.
pub const NEED_INPUTS: &str = "0";

/// A call between its steps: its arguments, and its token or, once a key was found, the
/// signature check that owns the token.
pub struct Pending {
    call: Call,
    stage: Stage,
}

enum Stage {
    Parsed(UnverifiedJwt),
    Checked(SignatureCheck),
}

/// The arguments and token of a call, checked (step 0, or a step that finds no pending call).
fn pending(mode: Mode, args: &str, token: &str) -> Result<Pending> {
    let call = call(mode, args, token)?;
    let token = jwt::parse(&call.token)?;
    Ok(Pending { call, stage: Stage::Parsed(token) })
}

/// Takes the pending call `handle` out of the registry, else checks `args` again; `None`
/// when it is not kept and the step came without its arguments.
fn take(handle: u32, mode: Mode, args: &str, token: &str) -> Result<Option<Pending>> {
    match registry::take_pending(handle) {
        Some(pending) => Ok(Some(pending)),
        None if args.is_empty() => Ok(None),
        None => pending(mode, args, token).map(Some),
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

/// `[token, keys, opts?]`, checked in the API's order (the token may come apart).
fn verify_jwt_args(args: &Args, token: &str) -> Result<Call> {
    let token = token_arg(args.get(0), token)?.to_owned();
    key_set_arg(args.get(1), "keys")?;
    let opts = options(args.get(2), "opts")?;
    Ok(Call { token, allowed: algorithms(opts)?, id_token: None })
}

/// `[token, opts]`, checked in the API's order (the token may come apart).
fn validate_id_token_args(args: &Args, token: &str) -> Result<Call> {
    let token = token_arg(args.get(0), token)?.to_owned();
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

fn call(mode: Mode, args: &str, token: &str) -> Result<Call> {
    let args = Args::parse(args)?;
    if mode == Mode::ValidateIdToken {
        validate_id_token_args(&args, token)
    } else {
        verify_jwt_args(&args, token)
    }
}

/// `{alg, key}` of a prepared check, and `jwk` when asked for (see the module
/// documentation, step 1).
fn check_answer(check: &SignatureCheck, kept: &KeptSet, with_jwk: bool) -> Result<String> {
    let (thumbprint, jwk) = kept.import(check.key()).ok_or(ErrorKind::KeyNotFound { kid: None })?;
    let mut answer = Members::new();
    answer.string("alg", check.alg().name()).string("key", thumbprint);
    if with_jwk {
        answer.json("jwk", jwk);
    }
    Ok(answer.finish())
}

/// Step 0 (`jwks` empty): checks the arguments (the token may come apart, see
/// [`super::args::token_arg`]) and parses the token (so a bad call fails before any fetch),
/// keeps them as the pending call `handle` and answers `null`. Step 1
/// (the key set's JSON text `jwks`): `{alg, key}` for WebCrypto (with `jwk` when
/// `with_jwk`: the JS side has not imported the key yet), or the core's refusal
/// (`ERR_KEY_NOT_FOUND` makes the JS side refetch a remote set once and repeat step 1 with
/// the same handle and the new set). Step 1 may be repeated.
pub fn verify_prepare(mode: Mode, args: &str, token: &str, jwks: &str, with_jwk: bool, handle: u32) -> String {
    reply((|| {
        let Some(Pending { call, stage }) = take(handle, mode, args, token)? else { return Ok(NEED_INPUTS.to_owned()) };
        let mut token = Some(match stage {
            Stage::Parsed(token) => token,
            Stage::Checked(check) => check.into_token(),
        });
        let outcome = if jwks.is_empty() {
            Ok(None)
        } else {
            keyset::with_set(jwks, |kept| {
                let jwt = token.take().ok_or(ErrorKind::KeyNotFound { kid: None })?;
                match verify::prepare_owned(jwt, kept.set(), &call.allowed) {
                    Ok(check) => Ok((check_answer(&check, kept, with_jwk)?, check)),
                    Err((e, jwt)) => {
                        token = Some(*jwt);
                        Err(e)
                    }
                }
            })
        };
        // Kept even after a refusal, for the retry with a refetched set.
        let (stage, answer) = match outcome {
            Ok(Some(Ok((answer, check)))) => (Some(Stage::Checked(check)), Ok(answer)),
            Ok(None) => (token.map(Stage::Parsed), Ok((if jwks.is_empty() { "null" } else { NEED_INPUTS }).to_owned())),
            Ok(Some(Err(e))) | Err(e) => (token.map(Stage::Parsed), Err(e)),
        };
        if let Some(stage) = stage {
            registry::keep_pending(handle, Pending { call, stage });
        }
        answer
    })())
}

/// Step 2 for the pending call `handle` (the other arguments as for [`verify_prepare`];
/// `args` and `jwks` may be empty while the call is pending): WebCrypto said `valid`. A call
/// that is not pending any longer is prepared again from `args` and `jwks`. `verifyJwt` answers
/// `{header, claims}`; `validateIdToken` the claims once every rule holds at `now` (the
/// caller's, else `now_ms` from the clock).
pub fn verify_finish(mode: Mode, args: &str, token: &str, jwks: &str, valid: bool, now_ms: f64, handle: u32) -> String {
    reply((|| {
        let Some(Pending { call, stage }) = take(handle, mode, args, token)? else { return Ok(NEED_INPUTS.to_owned()) };
        let check = match stage {
            Stage::Checked(check) => check,
            Stage::Parsed(token) => {
                match keyset::with_set(jwks, |kept| verify::prepare_owned(token, kept.set(), &call.allowed))? {
                    Some(check) => check.map_err(|(e, _)| e)?,
                    None => return Ok(NEED_INPUTS.to_owned()),
                }
            }
        };
        let verified = check.finish(valid)?;
        match &call.id_token {
            None => Ok(parts(verified.header_json(), verified.claims_json())),
            Some((expected, now)) => {
                let now = now.unwrap_or(floor(now_ms / 1000.0));
                id_token::validate(&verified, expected, now)?;
                Ok(verified.claims_json().to_owned())
            }
        }
    })())
}
