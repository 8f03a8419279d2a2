//! `verifyJwt` and `validateIdToken`, sans-IO: the JS side (`js/verify.js`) gets the key
//! set (fetching a remote one) and runs the one WebCrypto call; the wasm decides everything
//! else, in two synchronous steps over the same arguments:
//!
//! 1. [`verify_prepare`] checks the arguments (before any fetch) and, given the JWK set,
//!    runs `jose::verify::prepare`: refused header members, allowed algorithm, the one key,
//!    the signature's shape. It answers what WebCrypto needs: the algorithm, the key as a
//!    JWK to import and its RFC 7638 thumbprint (the JS key cache's key), the signing input
//!    and the signature.
//! 2. [`verify_finish`] repeats step 1 (it is deterministic, so nothing is kept between the
//!    calls) and completes it with WebCrypto's answer (`SignatureCheck::finish`); only then
//!    are the claims validated (OpenID Connect Core 1.0 section 3.1.3.7) for an ID token.
//!
//! The algorithm always comes from the caller's allowed list and the key from the caller's
//! set, never from the token alone.


use super::args::{field, invalid, marker, opt_integer, opt_number, opt_string, options, req_options, req_string, string_arg, string_array, Args};
use super::jwt::parts;
use super::reply::{object, value};
use crate::base64;
use crate::error::Result;
use crate::id_token::{self, Audience, IdTokenExpectations};
use crate::jose::{alg::DEFAULT_ALGORITHMS, jwk::JwkSet, jwt, verify, Algorithm};
use crate::json::{Object, Value};
use crate::secret::AccessToken;

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
        Some(n) if (0.0..=9.0e15).contains(&n) => Some(n.floor() as i64),
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

/// The signature check of `call`'s token with a key of `jwks`.
fn prepare(call: &Call, jwks: &str) -> Result<verify::SignatureCheck> {
    let token = jwt::parse(&call.token)?;
    let keys = JwkSet::parse(jwks.as_bytes())?;
    verify::prepare(&token, &keys, &call.allowed)
}

/// Step 1. With `jwks` empty: checks the arguments and parses the token (so a bad call
/// fails before any fetch) and answers `null`. Else `{alg, thumbprint, jwk, input, sig}`
/// (`sig` base64url) for WebCrypto, or the core's refusal (`ERR_KEY_NOT_FOUND` makes the JS
/// side refetch a remote set once).
pub fn verify_prepare(mode: Mode, args: &str, jwks: &str) -> String {
    value((|| {
        let call = call(mode, args)?;
        if jwks.is_empty() {
            jwt::parse(&call.token)?;
            return Ok(Value::Null);
        }
        let check = prepare(&call, jwks)?;
        Ok(object(vec![
            ("alg", Value::from(check.alg().name())),
            ("thumbprint", Value::from(check.key().thumbprint())),
            ("jwk", Value::Object(check.import_jwk())),
            // The signing input is a prefix of the token, a `&str`, so always UTF-8.
            ("input", Value::from(core::str::from_utf8(check.signing_input()).unwrap_or_default())),
            ("sig", Value::from(base64::encode_url(check.signature()))),
        ]))
    })())
}

/// Step 2: WebCrypto said `valid`. `verifyJwt` answers `{header, claims}`; `validateIdToken`
/// the claims once every rule holds at `now` (the caller's, else `now_ms` from the clock).
pub fn verify_finish(mode: Mode, args: &str, jwks: &str, valid: bool, now_ms: f64) -> String {
    value((|| {
        let call = call(mode, args)?;
        let verified = prepare(&call, jwks)?.finish(valid)?;
        match &call.id_token {
            None => Ok(parts(verified.header(), verified.claims())),
            Some((expected, now)) => {
                let now = now.unwrap_or((now_ms / 1000.0).floor() as i64);
                Ok(Value::Object(id_token::validate(&verified, expected, now)?.clone()))
            }
        }
    })())
}
