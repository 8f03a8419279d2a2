//! The one error type of the core, with stable machine-readable codes.
//!
//! Every failure of the core is an [`Error`], which boxes an [`ErrorKind`]: the variant and
//! its details. [`ErrorKind::code`] (callable on an `Error` too) gives a stable string
//! (`ERR_...`) that the JS API exposes as `error.code` and the worker as `{"error": ...}`.
//! The codes are a public interface: they are listed in `ERROR_CODES` and never renamed.
//!
//! No variant carries a secret (client secret, subscription key, token, PKCE verifier,
//! authorization code): only names, reasons and public values such as an issuer or a `kid`.

use alloc::{boxed::Box, string::String};
use core::fmt;
use core::ops::Deref;

use crate::text::decimal;
use crate::token::ciba::IneligibleUser;

/// Every code [`ErrorKind::code`] can return, in documentation order.
pub const ERROR_CODES: &[&str] = &[
    "ERR_INVALID_PARAMS",
    "ERR_RANDOM",
    "ERR_STATE_MISMATCH",
    "ERR_AUTHORIZATION_RESPONSE",
    "ERR_CALLBACK_MALFORMED",
    "ERR_CALLBACK_ISSUER",
    "ERR_JWT_MALFORMED",
    "ERR_JWT_UNSUPPORTED_HEADER",
    "ERR_JWKS_MALFORMED",
    "ERR_ALG_NOT_ALLOWED",
    "ERR_KEY_NOT_FOUND",
    "ERR_KEY_AMBIGUOUS",
    "ERR_KEY_UNSUITABLE",
    "ERR_SIGNATURE_INVALID",
    "ERR_CLAIM_EXPIRED",
    "ERR_CLAIM_NOT_YET_VALID",
    "ERR_CLAIM_ISSUER",
    "ERR_CLAIM_AUDIENCE",
    "ERR_CLAIM_NONCE",
    "ERR_CLAIM_AT_HASH",
    "ERR_CLAIM_AUTH_TIME",
    "ERR_CLAIM_MISSING",
    "ERR_CLAIM_INVALID",
    "ERR_HTTP",
    "ERR_RESPONSE_MALFORMED",
    "ERR_DISCOVERY_ISSUER",
    "ERR_NETWORK",
    "ERR_TIMEOUT",
    "ERR_CRYPTO",
    "ERR_CIBA_DENIED",
    "ERR_CIBA_EXPIRED",
    "ERR_CIBA_INELIGIBLE",
];

/// What failed, with its details (an [`Error`] holds one). Match on [`ErrorKind::code`] for a
/// stable identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A parameter given by the caller is invalid (`ERR_INVALID_PARAMS`).
    InvalidParams {
        /// The parameter's name as the caller spells it (e.g. `state`, `redirectUri`).
        param: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The system's random number generator failed (`ERR_RANDOM`).
    Random,
    /// The callback's `state` differs from the one sent (`ERR_STATE_MISMATCH`).
    StateMismatch,
    /// Vipps redirected back with an `error` (RFC 6749 4.1.2.1) (`ERR_AUTHORIZATION_RESPONSE`).
    AuthorizationResponse {
        /// Vipps' `error`, e.g. `access_denied`.
        error: String,
        /// Vipps' `error_description`, when sent.
        description: Option<String>,
    },
    /// The callback URL has neither a usable `code` nor an `error` (`ERR_CALLBACK_MALFORMED`).
    CallbackMalformed {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The token is not a well-formed compact JWS carrying a JSON object (`ERR_JWT_MALFORMED`).
    JwtMalformed {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The callback's `iss` is not the issuer the request went to, or the callback carries an
    /// `iss` and no issuer was given to check it against (RFC 9207 section 2.4)
    /// (`ERR_CALLBACK_ISSUER`).
    CallbackIssuer {
        /// The issuer expected, when one was given.
        expected: Option<String>,
        /// The callback's `iss` (cut to 200 characters).
        found: String,
    },
    /// The JOSE header carries a member this library refuses: `crit`, `jwk`, `jku`, `x5u`,
    /// `x5c` (`ERR_JWT_UNSUPPORTED_HEADER`).
    UnsupportedHeader {
        /// The header member.
        header: &'static str,
    },
    /// The JWK set is not valid JSON of the RFC 7517 shape (`ERR_JWKS_MALFORMED`).
    JwksMalformed {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The token's `alg` is not in the caller's allowed list (`ERR_ALG_NOT_ALLOWED`).
    AlgNotAllowed {
        /// The `alg` the token claims.
        alg: String,
    },
    /// No key in the set matches the token (`ERR_KEY_NOT_FOUND`).
    KeyNotFound {
        /// The token's `kid`, when it has one.
        kid: Option<String>,
    },
    /// More than one key matches and the token does not say which (`ERR_KEY_AMBIGUOUS`).
    KeyAmbiguous {
        /// How many keys matched.
        candidates: usize,
    },
    /// The selected key cannot be used for this verification (`ERR_KEY_UNSUITABLE`).
    KeyUnsuitable {
        /// Why, e.g. "RSA modulus under 2048 bits".
        reason: &'static str,
    },
    /// The signature does not verify (`ERR_SIGNATURE_INVALID`).
    SignatureInvalid,
    /// `exp` is in the past, beyond the clock tolerance (`ERR_CLAIM_EXPIRED`).
    ClaimExpired {
        /// The token's `exp`.
        exp: i64,
        /// The time used for the check.
        now: i64,
    },
    /// `nbf` or `iat` is in the future, beyond the clock tolerance (`ERR_CLAIM_NOT_YET_VALID`).
    ClaimNotYetValid {
        /// `nbf` or `iat`.
        claim: &'static str,
        /// Its value.
        value: i64,
        /// The time used for the check.
        now: i64,
    },
    /// `iss` differs from the expected issuer (`ERR_CLAIM_ISSUER`).
    ClaimIssuer {
        /// The issuer asked for.
        expected: String,
        /// The token's `iss`.
        found: String,
    },
    /// `aud`, `azp` or the partner `msn` claim does not name this client (`ERR_CLAIM_AUDIENCE`).
    ClaimAudience {
        /// The claim that failed: `aud`, `azp` or `msn`.
        claim: &'static str,
        /// Which rule failed.
        reason: &'static str,
    },
    /// `nonce` differs from the one sent (`ERR_CLAIM_NONCE`).
    ClaimNonce,
    /// `at_hash` does not match the access token (`ERR_CLAIM_AT_HASH`).
    ClaimAtHash,
    /// `auth_time` is older than `max_age` allows (`ERR_CLAIM_AUTH_TIME`).
    ClaimAuthTime {
        /// The token's `auth_time`.
        auth_time: i64,
        /// The `max_age` asked for, in seconds.
        max_age: i64,
        /// The time used for the check.
        now: i64,
    },
    /// A required claim is absent (`ERR_CLAIM_MISSING`).
    ClaimMissing {
        /// The claim's name.
        claim: &'static str,
    },
    /// A claim has the wrong type or an impossible value (`ERR_CLAIM_INVALID`).
    ClaimInvalid {
        /// The claim's name.
        claim: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Vipps (or another upstream) answered with a non-success status (`ERR_HTTP`).
    Http {
        /// The HTTP status.
        status: u16,
        /// The OAuth / Vipps `error` from the body, when there is one.
        error: Option<String>,
        /// The `error_description` from the body, when there is one.
        description: Option<String>,
    },
    /// A success response whose body is not what the API documents (`ERR_RESPONSE_MALFORMED`).
    ResponseMalformed {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A discovery document names another issuer than the one asked for
    /// (OpenID Connect Discovery 1.0, section 4.3) (`ERR_DISCOVERY_ISSUER`).
    DiscoveryIssuer {
        /// The issuer asked for.
        expected: String,
        /// The document's `issuer`.
        found: String,
    },
    /// The request could not be carried out (`ERR_NETWORK`).
    Network {
        /// The platform's description.
        reason: String,
    },
    /// The request took longer than allowed (`ERR_TIMEOUT`).
    Timeout,
    /// The platform's cryptography failed or is unavailable (`ERR_CRYPTO`).
    Crypto {
        /// The platform's description.
        reason: String,
    },
    /// The user denied the merchant-initiated (CIBA) login in the app: `access_denied` from
    /// the token endpoint (CIBA Core 1.0 section 11) (`ERR_CIBA_DENIED`).
    CibaDenied,
    /// The merchant-initiated login ended unapproved: `expired_token` (CIBA Core 1.0 section
    /// 11), or its `expires_in` passed (`ERR_CIBA_EXPIRED`).
    CibaExpired,
    /// Vipps cannot log this user in from a phone number: its `error_code` (`old_app`,
    /// `invalid_user`) or CIBA's `unknown_user_id` (`ERR_CIBA_INELIGIBLE`).
    CibaIneligible {
        /// Which one.
        reason: IneligibleUser,
    },
}

impl ErrorKind {
    /// The stable machine-readable code, one of [`ERROR_CODES`].
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::InvalidParams { .. } => "ERR_INVALID_PARAMS",
            ErrorKind::Random => "ERR_RANDOM",
            ErrorKind::StateMismatch => "ERR_STATE_MISMATCH",
            ErrorKind::AuthorizationResponse { .. } => "ERR_AUTHORIZATION_RESPONSE",
            ErrorKind::CallbackMalformed { .. } => "ERR_CALLBACK_MALFORMED",
            ErrorKind::CallbackIssuer { .. } => "ERR_CALLBACK_ISSUER",
            ErrorKind::JwtMalformed { .. } => "ERR_JWT_MALFORMED",
            ErrorKind::UnsupportedHeader { .. } => "ERR_JWT_UNSUPPORTED_HEADER",
            ErrorKind::JwksMalformed { .. } => "ERR_JWKS_MALFORMED",
            ErrorKind::AlgNotAllowed { .. } => "ERR_ALG_NOT_ALLOWED",
            ErrorKind::KeyNotFound { .. } => "ERR_KEY_NOT_FOUND",
            ErrorKind::KeyAmbiguous { .. } => "ERR_KEY_AMBIGUOUS",
            ErrorKind::KeyUnsuitable { .. } => "ERR_KEY_UNSUITABLE",
            ErrorKind::SignatureInvalid => "ERR_SIGNATURE_INVALID",
            ErrorKind::ClaimExpired { .. } => "ERR_CLAIM_EXPIRED",
            ErrorKind::ClaimNotYetValid { .. } => "ERR_CLAIM_NOT_YET_VALID",
            ErrorKind::ClaimIssuer { .. } => "ERR_CLAIM_ISSUER",
            ErrorKind::ClaimAudience { .. } => "ERR_CLAIM_AUDIENCE",
            ErrorKind::ClaimNonce => "ERR_CLAIM_NONCE",
            ErrorKind::ClaimAtHash => "ERR_CLAIM_AT_HASH",
            ErrorKind::ClaimAuthTime { .. } => "ERR_CLAIM_AUTH_TIME",
            ErrorKind::ClaimMissing { .. } => "ERR_CLAIM_MISSING",
            ErrorKind::ClaimInvalid { .. } => "ERR_CLAIM_INVALID",
            ErrorKind::Http { .. } => "ERR_HTTP",
            ErrorKind::ResponseMalformed { .. } => "ERR_RESPONSE_MALFORMED",
            ErrorKind::DiscoveryIssuer { .. } => "ERR_DISCOVERY_ISSUER",
            ErrorKind::Network { .. } => "ERR_NETWORK",
            ErrorKind::Timeout => "ERR_TIMEOUT",
            ErrorKind::Crypto { .. } => "ERR_CRYPTO",
            ErrorKind::CibaDenied => "ERR_CIBA_DENIED",
            ErrorKind::CibaExpired => "ERR_CIBA_EXPIRED",
            ErrorKind::CibaIneligible { .. } => "ERR_CIBA_INELIGIBLE",
        }
    }

    /// Vipps' `error` value, when the failure came from Vipps.
    pub fn vipps_error(&self) -> Option<&str> {
        match self {
            ErrorKind::AuthorizationResponse { error, .. } => Some(error),
            ErrorKind::Http { error, .. } => error.as_deref(),
            ErrorKind::CibaIneligible { reason } => Some(reason.as_str()),
            _ => None,
        }
    }

    /// Vipps' `error_description`, when the failure came from Vipps and it sent one.
    pub fn vipps_error_description(&self) -> Option<&str> {
        match self {
            ErrorKind::AuthorizationResponse { description, .. }
            | ErrorKind::Http { description, .. } => description.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, for [`ErrorKind::Http`].
    pub fn http_status(&self) -> Option<u16> {
        match self {
            ErrorKind::Http { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The machine-readable details of a failure, beside its code and message (in the manner of
/// oauth4webapi's `cause`): the browser package sets it as the thrown error's `cause`.
/// Never a secret: parameter and claim names, public claim values (`iss`, times), issuers,
/// and what Vipps answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause<'a> {
    /// A parameter the caller gave was refused: its name, as the caller spells it.
    Param(&'static str),
    /// A claim (or, for `ERR_CALLBACK_ISSUER` and `ERR_DISCOVERY_ISSUER`, the `iss` of a
    /// callback or the `issuer` of a discovery document) failed a check.
    Claim {
        /// The claim's name.
        claim: &'static str,
        /// What was expected, where there is one value to expect (an issuer).
        expected: Option<CauseValue<'a>>,
        /// What the token (or callback, or document) had, where it is a public value.
        found: Option<CauseValue<'a>>,
    },
    /// The failure came from Vipps: its OAuth `error` and `error_description`, and the HTTP
    /// status when it answered one.
    Vipps {
        /// Vipps' `error`.
        error: Option<&'a str>,
        /// Vipps' `error_description`.
        description: Option<&'a str>,
        /// The HTTP status.
        status: Option<u16>,
    },
}

/// A value in a [`Cause`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CauseValue<'a> {
    /// A string (an issuer).
    Str(&'a str),
    /// An integer (a NumericDate).
    Int(i64),
}

impl ErrorKind {
    /// The details of the failure as a [`Cause`], for the kinds that have any.
    pub fn cause(&self) -> Option<Cause<'_>> {
        fn claim<'a>(
            claim: &'static str,
            expected: Option<CauseValue<'a>>,
            found: Option<CauseValue<'a>>,
        ) -> Option<Cause<'a>> {
            Some(Cause::Claim {
                claim,
                expected,
                found,
            })
        }
        fn str(s: &str) -> Option<CauseValue<'_>> {
            Some(CauseValue::Str(s))
        }
        fn int<'a>(n: i64) -> Option<CauseValue<'a>> {
            Some(CauseValue::Int(n))
        }
        match self {
            ErrorKind::InvalidParams { param, .. } => Some(Cause::Param(param)),
            ErrorKind::ClaimExpired { exp, .. } => claim("exp", None, int(*exp)),
            ErrorKind::ClaimNotYetValid {
                claim: name, value, ..
            } => claim(name, None, int(*value)),
            ErrorKind::ClaimIssuer { expected, found } => claim("iss", str(expected), str(found)),
            ErrorKind::ClaimAudience { claim: name, .. } => claim(name, None, None),
            ErrorKind::ClaimNonce => claim("nonce", None, None),
            ErrorKind::ClaimAtHash => claim("at_hash", None, None),
            ErrorKind::ClaimAuthTime { auth_time, .. } => claim("auth_time", None, int(*auth_time)),
            ErrorKind::ClaimMissing { claim: name }
            | ErrorKind::ClaimInvalid { claim: name, .. } => claim(name, None, None),
            ErrorKind::CallbackIssuer { expected, found } => {
                claim("iss", expected.as_deref().and_then(str), str(found))
            }
            ErrorKind::DiscoveryIssuer { expected, found } => {
                claim("issuer", str(expected), str(found))
            }
            ErrorKind::AuthorizationResponse { error, description } => Some(Cause::Vipps {
                error: Some(error),
                description: description.as_deref(),
                status: None,
            }),
            ErrorKind::Http {
                status,
                error,
                description,
            } => Some(Cause::Vipps {
                error: error.as_deref(),
                description: description.as_deref(),
                status: Some(*status),
            }),
            _ => None,
        }
    }
}

impl ErrorKind {
    /// The human-readable message (what `Display` prints). Built with plain string pushes,
    /// not `write!`, so the browser package ships no `core::fmt` for its error messages.
    pub fn message(&self) -> String {
        let mut m = String::new();
        let mut put = |parts: &[&str]| parts.iter().for_each(|p| m.push_str(p));
        match self {
            ErrorKind::InvalidParams { param, reason } => {
                put(&["invalid parameter `", param, "`: ", reason])
            }
            ErrorKind::Random => put(&["the random number generator failed"]),
            ErrorKind::StateMismatch => {
                put(&["the callback's state does not match the state sent"])
            }
            ErrorKind::AuthorizationResponse { error, description } => {
                put(&["Vipps returned the error `", error, "`"]);
                if let Some(d) = description {
                    put(&[": ", d]);
                }
            }
            ErrorKind::CallbackMalformed { reason } => put(&["malformed callback: ", reason]),
            ErrorKind::CallbackIssuer {
                expected: Some(expected),
                found,
            } => {
                put(&[
                    "the callback's iss `",
                    found,
                    "` is not the expected issuer `",
                    expected,
                    "`",
                ]);
            }
            ErrorKind::CallbackIssuer {
                expected: None,
                found,
            } => {
                put(&[
                    "the callback carries iss `",
                    found,
                    "` and no issuer was given to check it against",
                ]);
            }
            ErrorKind::JwtMalformed { reason } => put(&["malformed JWT: ", reason]),
            ErrorKind::UnsupportedHeader { header } => {
                put(&[
                    "the JOSE header member `",
                    header,
                    "` is not supported and is refused",
                ]);
            }
            ErrorKind::JwksMalformed { reason } => put(&["malformed JWK set: ", reason]),
            ErrorKind::AlgNotAllowed { alg } => put(&["the algorithm `", alg, "` is not allowed"]),
            ErrorKind::KeyNotFound { kid: Some(kid) } => put(&["no key matches kid `", kid, "`"]),
            ErrorKind::KeyNotFound { kid: None } => put(&["no key matches the token"]),
            ErrorKind::KeyAmbiguous { candidates } => {
                let n = decimal(i64::try_from(*candidates).unwrap_or(i64::MAX));
                put(&[
                    &n,
                    " keys match the token and it names none of them (no kid)",
                ]);
            }
            ErrorKind::KeyUnsuitable { reason } => put(&["the key cannot be used: ", reason]),
            ErrorKind::SignatureInvalid => put(&["the signature is invalid"]),
            ErrorKind::ClaimExpired { exp, now } => {
                put(&[
                    "the token expired at ",
                    &decimal(*exp),
                    " (now ",
                    &decimal(*now),
                    ")",
                ]);
            }
            ErrorKind::ClaimNotYetValid { claim, value, now } => {
                put(&[
                    "`",
                    claim,
                    "` ",
                    &decimal(*value),
                    " is in the future (now ",
                    &decimal(*now),
                    ")",
                ]);
            }
            ErrorKind::ClaimIssuer { expected, found } => {
                put(&[
                    "unexpected issuer `",
                    found,
                    "` (expected `",
                    expected,
                    "`)",
                ]);
            }
            ErrorKind::ClaimAudience { reason, .. } => put(&["audience check failed: ", reason]),
            ErrorKind::ClaimNonce => put(&["the nonce does not match the nonce sent"]),
            ErrorKind::ClaimAtHash => put(&["at_hash does not match the access token"]),
            ErrorKind::ClaimAuthTime {
                auth_time,
                max_age,
                now,
            } => put(&[
                "the authentication at ",
                &decimal(*auth_time),
                " is older than max_age ",
                &decimal(*max_age),
                " s (now ",
                &decimal(*now),
                ")",
            ]),
            ErrorKind::ClaimMissing { claim } => {
                put(&["the required claim `", claim, "` is missing"])
            }
            ErrorKind::ClaimInvalid { claim, reason } => {
                put(&["invalid claim `", claim, "`: ", reason])
            }
            ErrorKind::Http {
                status,
                error,
                description,
            } => {
                put(&["HTTP ", &decimal(i64::from(*status))]);
                if let Some(e) = error {
                    put(&[": ", e]);
                }
                if let Some(d) = description {
                    put(&[" (", d, ")"]);
                }
            }
            ErrorKind::ResponseMalformed { reason } => put(&["malformed response: ", reason]),
            ErrorKind::DiscoveryIssuer { expected, found } => {
                put(&[
                    "the discovery document names issuer `",
                    found,
                    "`, expected `",
                    expected,
                    "`",
                ]);
            }
            ErrorKind::Network { reason } => put(&["network error: ", reason]),
            ErrorKind::Timeout => put(&["the request timed out"]),
            ErrorKind::Crypto { reason } => put(&["cryptography error: ", reason]),
            ErrorKind::CibaDenied => put(&["the user denied the login"]),
            ErrorKind::CibaExpired => put(&["the login expired"]),
            ErrorKind::CibaIneligible { reason } => {
                put(&["the user cannot log in so: ", reason.as_str()])
            }
        }
        m
    }
}

/// A failure of the core: its [`ErrorKind`], boxed, so that `Result<T>` is one pointer
/// wider than `T`. Every `?` in the core moves the error; a 32-byte enum moved by value cost
/// the browser package 1.7 KB of its 40 KB gzip budget (BENCHMARKS.md, docs/decisions.md).
/// Read it through [`Error::kind`] (or `*error`, by `Deref`); build it from a kind with
/// `.into()`.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

impl Error {
    /// What failed, with its details.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The kind, unboxed.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }
}

impl Deref for Error {
    type Target = ErrorKind;

    fn deref(&self) -> &ErrorKind {
        &self.0
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

/// The kind's `Debug`, without the box around it.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}

/// Shorthand used throughout the core.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_one_pointer_and_reads_as_its_kind() {
        // What keeps every `?` cheap (docs/decisions.md): a result's error is a box.
        assert_eq!(core::mem::size_of::<Error>(), core::mem::size_of::<usize>());
        assert_eq!(
            core::mem::size_of::<Result<()>>(),
            core::mem::size_of::<usize>()
        );
        let kind = ErrorKind::KeyNotFound {
            kid: Some("k1".into()),
        };
        let e = Error::from(kind.clone());
        assert_eq!(e.kind(), &kind);
        assert_eq!(e.code(), "ERR_KEY_NOT_FOUND");
        assert_eq!(format!("{e:?}"), format!("{kind:?}"));
        assert_eq!(e.to_string(), kind.message());
        assert_eq!(e.into_kind(), kind);
    }

    #[test]
    fn an_ineligible_user_carries_vipps_own_error_code() {
        let e = ErrorKind::CibaIneligible {
            reason: IneligibleUser::OldApp,
        };
        assert_eq!(
            (e.code(), e.vipps_error()),
            ("ERR_CIBA_INELIGIBLE", Some("old_app"))
        );
        assert_eq!(e.message(), "the user cannot log in so: old_app");
    }

    #[test]
    fn every_code_is_listed_once() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ERROR_CODES {
            assert!(code.starts_with("ERR_"));
            assert!(seen.insert(*code), "{code} listed twice");
        }
    }

    #[test]
    fn vipps_error_fields_are_exposed_for_authorization_and_http_errors() {
        let e = ErrorKind::Http {
            status: 400,
            error: Some("invalid_grant".into()),
            description: Some("used".into()),
        };
        assert_eq!(e.code(), "ERR_HTTP");
        assert_eq!(e.vipps_error(), Some("invalid_grant"));
        assert_eq!(e.vipps_error_description(), Some("used"));
        assert_eq!(e.http_status(), Some(400));
        assert!(ERROR_CODES.contains(&e.code()));
        assert_eq!(ErrorKind::Timeout.vipps_error(), None);
    }

    #[test]
    fn causes_name_the_parameter_the_claim_or_what_vipps_said() {
        let cases = [
            (
                ErrorKind::InvalidParams {
                    param: "nonce",
                    reason: "x",
                },
                Some(Cause::Param("nonce")),
            ),
            (
                ErrorKind::ClaimIssuer {
                    expected: "https://a/".into(),
                    found: "https://b/".into(),
                },
                Some(Cause::Claim {
                    claim: "iss",
                    expected: Some(CauseValue::Str("https://a/")),
                    found: Some(CauseValue::Str("https://b/")),
                }),
            ),
            (
                ErrorKind::ClaimExpired { exp: 10, now: 99 },
                Some(Cause::Claim {
                    claim: "exp",
                    expected: None,
                    found: Some(CauseValue::Int(10)),
                }),
            ),
            (
                ErrorKind::ClaimAudience {
                    claim: "azp",
                    reason: "x",
                },
                Some(Cause::Claim {
                    claim: "azp",
                    expected: None,
                    found: None,
                }),
            ),
            (
                ErrorKind::ClaimNonce,
                Some(Cause::Claim {
                    claim: "nonce",
                    expected: None,
                    found: None,
                }),
            ),
            (
                ErrorKind::CallbackIssuer {
                    expected: None,
                    found: "https://b/".into(),
                },
                Some(Cause::Claim {
                    claim: "iss",
                    expected: None,
                    found: Some(CauseValue::Str("https://b/")),
                }),
            ),
            (
                ErrorKind::Http {
                    status: 400,
                    error: Some("invalid_grant".into()),
                    description: None,
                },
                Some(Cause::Vipps {
                    error: Some("invalid_grant"),
                    description: None,
                    status: Some(400),
                }),
            ),
            (
                ErrorKind::AuthorizationResponse {
                    error: "access_denied".into(),
                    description: Some("no".into()),
                },
                Some(Cause::Vipps {
                    error: Some("access_denied"),
                    description: Some("no"),
                    status: None,
                }),
            ),
            (ErrorKind::SignatureInvalid, None),
            (ErrorKind::Crypto { reason: "x".into() }, None),
        ];
        for (kind, cause) in cases {
            assert_eq!(kind.cause(), cause, "{kind:?}");
        }
    }

    #[test]
    fn docs_errors_md_lists_every_code_in_order() {
        // docs/errors.md documents the codes; its table must be this list, no more, no less.
        // The JS entry's own codes follow in a table of their own (npm-wasm tests that one).
        let documented: Vec<&str> = include_str!("../docs/errors.md")
            .lines()
            .take_while(|line| !line.starts_with("## Codes the JS entry adds"))
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|rest| rest.split('`').next())
            .filter(|code| code.starts_with("ERR_"))
            .collect();
        assert_eq!(documented, ERROR_CODES);
    }

    #[test]
    fn messages_with_values_read_as_before() {
        let cases = [
            (
                ErrorKind::InvalidParams {
                    param: "state",
                    reason: "is required",
                },
                "invalid parameter `state`: is required",
            ),
            (
                ErrorKind::AuthorizationResponse {
                    error: "access_denied".into(),
                    description: Some("no".into()),
                },
                "Vipps returned the error `access_denied`: no",
            ),
            (
                ErrorKind::AuthorizationResponse {
                    error: "x".into(),
                    description: None,
                },
                "Vipps returned the error `x`",
            ),
            (
                ErrorKind::KeyNotFound {
                    kid: Some("k1".into()),
                },
                "no key matches kid `k1`",
            ),
            (
                ErrorKind::KeyAmbiguous { candidates: 12 },
                "12 keys match the token and it names none of them (no kid)",
            ),
            (
                ErrorKind::ClaimExpired {
                    exp: 1_700_000_000,
                    now: -5,
                },
                "the token expired at 1700000000 (now -5)",
            ),
            (
                ErrorKind::ClaimNotYetValid {
                    claim: "iat",
                    value: 10,
                    now: 0,
                },
                "`iat` 10 is in the future (now 0)",
            ),
            (
                ErrorKind::ClaimAuthTime {
                    auth_time: 1,
                    max_age: 60,
                    now: 100,
                },
                "the authentication at 1 is older than max_age 60 s (now 100)",
            ),
            (
                ErrorKind::Http {
                    status: 400,
                    error: Some("invalid_grant".into()),
                    description: Some("used".into()),
                },
                "HTTP 400: invalid_grant (used)",
            ),
            (
                ErrorKind::Http {
                    status: 503,
                    error: None,
                    description: None,
                },
                "HTTP 503",
            ),
            (
                ErrorKind::ClaimIssuer {
                    expected: "https://a/".into(),
                    found: "https://b/".into(),
                },
                "unexpected issuer `https://b/` (expected `https://a/`)",
            ),
        ];
        for (kind, message) in cases {
            assert_eq!(kind.message(), message);
            assert_eq!(Error::from(kind).to_string(), message);
        }
    }
}
