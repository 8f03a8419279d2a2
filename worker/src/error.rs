//! The one error type of the worker layer: each variant has a stable `ERR_...` code and an
//! HTTP status, and renders as `{"error": "ERR_...", "message": "..."}`.
//!
//! No variant carries a secret: only setting names, reasons, statuses and the short OAuth
//! `error` / `error_description` Vipps sent.

use core::fmt;

use serde::{Deserialize, Serialize};
use worker::Response;

/// A failure the worker answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerError {
    /// A required setting is missing or invalid (500 `ERR_CONFIG`). Names the setting only.
    Config {
        setting: &'static str,
        reason: &'static str,
    },
    /// Missing or wrong `Authorization: Bearer <WORKER_API_KEY>` (401 `ERR_UNAUTHORIZED`).
    Unauthorized,
    /// The request's `Origin` is not in `ALLOWED_ORIGINS` (403 `ERR_ORIGIN_NOT_ALLOWED`).
    OriginNotAllowed,
    /// No such route (404 `ERR_NOT_FOUND`).
    NotFound,
    /// The route exists, the method does not (405 `ERR_METHOD_NOT_ALLOWED`).
    MethodNotAllowed { allow: &'static str },
    /// The body is larger than the route accepts (413 `ERR_BODY_TOO_LARGE`).
    BodyTooLarge,
    /// The body did not all arrive in time (408 `ERR_BODY_TIMEOUT`).
    BodyTimeout,
    /// A body that is not `application/json` (415 `ERR_UNSUPPORTED_MEDIA_TYPE`).
    UnsupportedMediaType,
    /// A header is longer than allowed (431 `ERR_HEADER_TOO_LARGE`).
    HeaderTooLarge { header: &'static str },
    /// The body is not the JSON the route expects (400 `ERR_BAD_REQUEST`).
    BadRequest { reason: String },
    /// `redirectUri` is not one of `LOGIN_REDIRECT_URIS` (400 `ERR_REDIRECT_URI_NOT_ALLOWED`).
    RedirectUriNotAllowed,
    /// No login session for that `state` and `sessionKey`: unknown, expired, already used, or
    /// the key is not the session's (400 `ERR_LOGIN_SESSION`, one answer for all, so that it
    /// tells a caller nothing about a session it does not hold).
    LoginSession,
    /// Too many requests from this client (429 `ERR_RATE_LIMITED`, with `Retry-After`).
    RateLimited,
    /// No merchant-initiated login for that `authReqId` in this state: unknown, already handed
    /// out, or the wrong route for its variant (400 `ERR_CIBA_SESSION`).
    CibaSession { reason: &'static str },
    /// Vipps refused to start a merchant-initiated login: too many toward this user at once
    /// (429 `ERR_CIBA_RATE_LIMITED`, with Vipps' `Retry-After` in seconds when it sent one).
    CibaRateLimited { retry_after_secs: Option<i64> },
    /// Vipps granted a scope value outside `LOGIN_SCOPE`, or outside the scope `/login/start`
    /// asked for (403 `ERR_SCOPE_NOT_ALLOWED`): the authorize URL was changed on its way to
    /// Vipps. The login is refused and its code is spent.
    ScopeNotAllowed,
    /// Vipps refused the authorization code (400 `ERR_CODE_REJECTED`), e.g. `invalid_grant`.
    CodeRejected {
        vipps_error: Option<String>,
        description: Option<String>,
    },
    /// Vipps refused the worker's own credentials (502 `ERR_UPSTREAM_AUTH`): a configuration
    /// problem (wrong secret, subscription key or token auth method). Never retried.
    UpstreamAuth {
        status: u16,
        vipps_error: Option<String>,
    },
    /// Vipps answered with another error status, after retries for 5xx (502 `ERR_UPSTREAM`).
    Upstream {
        status: u16,
        vipps_error: Option<String>,
        description: Option<String>,
    },
    /// Vipps could not be reached (502 `ERR_UPSTREAM_UNREACHABLE`).
    UpstreamUnreachable,
    /// Vipps did not answer in time, after retries (504 `ERR_UPSTREAM_TIMEOUT`).
    UpstreamTimeout,
    /// Vipps answered 2xx with a body that is not what the API documents (502 `ERR_UPSTREAM_MALFORMED`).
    UpstreamMalformed { reason: &'static str },
    /// A failure of the core library, e.g. ID-token validation (status by code; the core's code).
    Core(vipps_auth::Error),
    /// An error relayed from a Durable Object of this worker, as it rendered it.
    Relayed {
        status: u16,
        code: String,
        message: String,
        vipps_error: Option<String>,
    },
    /// Something in the platform failed (500 `ERR_INTERNAL`). The reason is not sent.
    Internal { reason: String },
}

/// The JSON body of every error answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The stable code.
    pub error: String,
    /// A human-readable message.
    pub message: String,
    /// Vipps' OAuth `error`, when the failure came from Vipps.
    #[serde(
        rename = "vippsError",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub vipps_error: Option<String>,
}

impl WorkerError {
    /// The stable machine-readable code.
    pub fn code(&self) -> &str {
        match self {
            WorkerError::Config { .. } => "ERR_CONFIG",
            WorkerError::Unauthorized => "ERR_UNAUTHORIZED",
            WorkerError::OriginNotAllowed => "ERR_ORIGIN_NOT_ALLOWED",
            WorkerError::NotFound => "ERR_NOT_FOUND",
            WorkerError::MethodNotAllowed { .. } => "ERR_METHOD_NOT_ALLOWED",
            WorkerError::BodyTooLarge => "ERR_BODY_TOO_LARGE",
            WorkerError::BodyTimeout => "ERR_BODY_TIMEOUT",
            WorkerError::UnsupportedMediaType => "ERR_UNSUPPORTED_MEDIA_TYPE",
            WorkerError::HeaderTooLarge { .. } => "ERR_HEADER_TOO_LARGE",
            WorkerError::BadRequest { .. } => "ERR_BAD_REQUEST",
            WorkerError::RedirectUriNotAllowed => "ERR_REDIRECT_URI_NOT_ALLOWED",
            WorkerError::LoginSession => "ERR_LOGIN_SESSION",
            WorkerError::RateLimited => "ERR_RATE_LIMITED",
            WorkerError::CibaSession { .. } => "ERR_CIBA_SESSION",
            WorkerError::CibaRateLimited { .. } => "ERR_CIBA_RATE_LIMITED",
            WorkerError::ScopeNotAllowed => "ERR_SCOPE_NOT_ALLOWED",
            WorkerError::CodeRejected { .. } => "ERR_CODE_REJECTED",
            WorkerError::UpstreamAuth { .. } => "ERR_UPSTREAM_AUTH",
            WorkerError::Upstream { .. } => "ERR_UPSTREAM",
            WorkerError::UpstreamUnreachable => "ERR_UPSTREAM_UNREACHABLE",
            WorkerError::UpstreamTimeout => "ERR_UPSTREAM_TIMEOUT",
            WorkerError::UpstreamMalformed { .. } => "ERR_UPSTREAM_MALFORMED",
            WorkerError::Core(e) => e.code(),
            WorkerError::Relayed { code, .. } => code,
            WorkerError::Internal { .. } => "ERR_INTERNAL",
        }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        match self {
            WorkerError::Config { .. } | WorkerError::Internal { .. } => 500,
            WorkerError::Unauthorized => 401,
            WorkerError::OriginNotAllowed | WorkerError::ScopeNotAllowed => 403,
            WorkerError::NotFound => 404,
            WorkerError::MethodNotAllowed { .. } => 405,
            WorkerError::BodyTooLarge => 413,
            WorkerError::BodyTimeout => 408,
            WorkerError::CibaRateLimited { .. } => 429,
            WorkerError::UnsupportedMediaType => 415,
            WorkerError::HeaderTooLarge { .. } => 431,
            WorkerError::RateLimited => 429,
            WorkerError::BadRequest { .. }
            | WorkerError::RedirectUriNotAllowed
            | WorkerError::LoginSession
            | WorkerError::CibaSession { .. }
            | WorkerError::CodeRejected { .. } => 400,
            WorkerError::UpstreamAuth { .. }
            | WorkerError::Upstream { .. }
            | WorkerError::UpstreamUnreachable
            | WorkerError::UpstreamMalformed { .. } => 502,
            WorkerError::UpstreamTimeout => 504,
            WorkerError::Core(e) => core_status(e),
            WorkerError::Relayed { status, .. } => *status,
        }
    }

    /// Vipps' OAuth `error`, when the failure came from Vipps.
    pub fn vipps_error(&self) -> Option<&str> {
        match self {
            WorkerError::CodeRejected { vipps_error, .. }
            | WorkerError::UpstreamAuth { vipps_error, .. }
            | WorkerError::Upstream { vipps_error, .. } => vipps_error.as_deref(),
            WorkerError::Core(e) => e.vipps_error(),
            WorkerError::Relayed { vipps_error, .. } => vipps_error.as_deref(),
            _ => None,
        }
    }

    /// Maps a core failure of a call to Vipps that carries the worker's own credentials
    /// (Access Token API, miami, JWKS, userinfo): 401/403 is a configuration problem,
    /// any other status an upstream failure.
    pub fn from_upstream(e: vipps_auth::Error) -> Self {
        use vipps_auth::ErrorKind as E;
        match e.into_kind() {
            E::Http {
                status: status @ (401 | 403),
                error,
                ..
            } => WorkerError::UpstreamAuth {
                status,
                vipps_error: error,
            },
            E::Http {
                status,
                error,
                description,
            } => WorkerError::Upstream {
                status,
                vipps_error: error,
                description,
            },
            E::Timeout => WorkerError::UpstreamTimeout,
            E::Network { .. } => WorkerError::UpstreamUnreachable,
            E::ResponseMalformed { reason } => WorkerError::UpstreamMalformed { reason },
            E::JwksMalformed { reason } => WorkerError::UpstreamMalformed { reason },
            other => WorkerError::Core(other.into()),
        }
    }

    /// Maps a failure of the Login code exchange: a 400 from the token endpoint
    /// (`invalid_grant`, `invalid_request`) is the caller's code being refused; `invalid_client`
    /// and 401 are the worker's configuration.
    pub fn from_code_exchange(e: vipps_auth::Error) -> Self {
        use vipps_auth::ErrorKind as E;
        match e.into_kind() {
            E::Http {
                status: 400,
                error,
                description,
            } if error.as_deref() != Some("invalid_client")
                && error.as_deref() != Some("unauthorized_client") =>
            {
                WorkerError::CodeRejected {
                    vipps_error: error,
                    description,
                }
            }
            E::Http {
                status: 400, error, ..
            } => WorkerError::UpstreamAuth {
                status: 400,
                vipps_error: error,
            },
            other => Self::from_upstream(other.into()),
        }
    }

    /// Seconds to wait, for an answer that says so (Vipps' 429 to a merchant-initiated login).
    pub fn retry_after_secs(&self) -> Option<i64> {
        match self {
            WorkerError::CibaRateLimited { retry_after_secs } => *retry_after_secs,
            WorkerError::RateLimited => Some(i64::from(crate::rate_limit::RETRY_AFTER_SECS)),
            _ => None,
        }
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: self.code().to_owned(),
            message: self.to_string(),
            vipps_error: self.vipps_error().map(str::to_owned),
        }
    }

    /// The JSON answer (without CORS headers; the router adds those).
    pub fn to_response(&self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self.body())
            .unwrap_or_else(|_| b"{\"error\":\"ERR_INTERNAL\"}".to_vec());
        let mut res = Response::from_bytes(body)
            .unwrap_or_else(|_| Response::empty().unwrap_or_else(|_| unreachable_response()));
        let headers = res.headers_mut();
        let _ = headers.set("Content-Type", "application/json; charset=utf-8");
        let _ = headers.set("Cache-Control", "no-store");
        let _ = headers.set("X-Content-Type-Options", "nosniff");
        if let WorkerError::MethodNotAllowed { allow } = self {
            let _ = headers.set("Allow", allow);
        }
        if let WorkerError::Unauthorized = self {
            let _ = headers.set("WWW-Authenticate", "Bearer");
        }
        if let Some(secs) = self.retry_after_secs() {
            let _ = headers.set("Retry-After", &secs.to_string());
        }
        res.with_status(status)
    }
}

/// `Response::empty` cannot fail in practice; this keeps the error path free of panics anyway.
fn unreachable_response() -> Response {
    Response::builder().with_status(500).empty()
}

/// The status of each core code a route can surface, by class: bad input 400, failed ID-token
/// checks 401, platform trouble 500, a timeout 504. Any other core code came from Vipps: 502.
const CORE_STATUS: &[(u16, &[&str])] = &[
    (
        400,
        &[
            "ERR_INVALID_PARAMS",
            "ERR_STATE_MISMATCH",
            "ERR_CALLBACK_MALFORMED",
            "ERR_CALLBACK_ISSUER",
            "ERR_AUTHORIZATION_RESPONSE",
            "ERR_CIBA_INELIGIBLE",
        ],
    ),
    // Merchant-initiated login: the user said no (403), the login is over for good (410).
    (403, &["ERR_CIBA_DENIED"]),
    (410, &["ERR_CIBA_EXPIRED"]),
    (
        401,
        &[
            "ERR_JWT_MALFORMED",
            "ERR_JWT_UNSUPPORTED_HEADER",
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
        ],
    ),
    (500, &["ERR_RANDOM", "ERR_CRYPTO"]),
    (504, &["ERR_TIMEOUT"]),
];

/// Status for a core failure surfacing from a route ([`CORE_STATUS`]).
fn core_status(e: &vipps_auth::Error) -> u16 {
    CORE_STATUS
        .iter()
        .find(|(_, codes)| codes.contains(&e.code()))
        .map_or(502, |(status, _)| *status)
}

impl fmt::Display for WorkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkerError::Config { setting, reason } => {
                write!(f, "worker configuration: {setting} {reason}")
            }
            WorkerError::Unauthorized => f.write_str("missing or invalid API key"),
            WorkerError::OriginNotAllowed => f.write_str("this origin is not allowed"),
            WorkerError::NotFound => f.write_str("no such route"),
            WorkerError::MethodNotAllowed { allow } => {
                write!(f, "method not allowed (allowed: {allow})")
            }
            WorkerError::BodyTooLarge => f.write_str("the request body is too large"),
            WorkerError::BodyTimeout => f.write_str("the request body did not arrive in time"),
            WorkerError::UnsupportedMediaType => {
                f.write_str("the request body must be application/json")
            }
            WorkerError::HeaderTooLarge { header } => write!(f, "the {header} header is too long"),
            WorkerError::BadRequest { reason } => write!(f, "bad request: {reason}"),
            WorkerError::RedirectUriNotAllowed => {
                f.write_str("redirectUri is not one of LOGIN_REDIRECT_URIS")
            }
            WorkerError::LoginSession => f.write_str(
                "no login session for this state and key: unknown, expired, already used, or not this key's",
            ),
            WorkerError::RateLimited => f.write_str("too many requests from this client: try again later"),
            WorkerError::CibaSession { reason } => {
                write!(f, "no such merchant-initiated login: {reason}")
            }
            WorkerError::CibaRateLimited { .. } => f.write_str(
                "Vipps refused: too many logins started toward this user at once; retry later",
            ),
            WorkerError::ScopeNotAllowed => f.write_str(
                "the login is refused: Vipps granted scope this login may not ask for (outside the \
                 worker's LOGIN_SCOPE, or outside the scope /login/start asked for); start a new login",
            ),
            WorkerError::CodeRejected {
                vipps_error,
                description,
            } => {
                f.write_str("Vipps refused the authorization code")?;
                if let Some(e) = vipps_error {
                    write!(f, ": {e}")?;
                }
                if let Some(d) = description {
                    write!(f, " ({d})")?;
                }
                Ok(())
            }
            WorkerError::UpstreamAuth {
                status,
                vipps_error,
            } => {
                write!(f, "Vipps refused the worker's credentials (HTTP {status}")?;
                if let Some(e) = vipps_error {
                    write!(f, ", {e}")?;
                }
                f.write_str("): check the worker's Vipps configuration")
            }
            WorkerError::Upstream {
                status,
                vipps_error,
                description,
            } => {
                write!(f, "Vipps answered HTTP {status}")?;
                if let Some(e) = vipps_error {
                    write!(f, ": {e}")?;
                }
                if let Some(d) = description {
                    write!(f, " ({d})")?;
                }
                Ok(())
            }
            WorkerError::UpstreamUnreachable => f.write_str("Vipps could not be reached"),
            WorkerError::UpstreamTimeout => f.write_str("Vipps did not answer in time"),
            WorkerError::UpstreamMalformed { reason } => {
                write!(f, "Vipps sent an unexpected answer: {reason}")
            }
            WorkerError::Core(e) => write!(f, "{e}"),
            WorkerError::Relayed { message, .. } => f.write_str(message),
            WorkerError::Internal { .. } => f.write_str("internal error"),
        }
    }
}

impl From<vipps_auth::Error> for WorkerError {
    fn from(e: vipps_auth::Error) -> Self {
        WorkerError::Core(e)
    }
}

impl From<worker::Error> for WorkerError {
    fn from(e: worker::Error) -> Self {
        WorkerError::Internal {
            reason: e.to_string(),
        }
    }
}

/// Shorthand for the worker layer.
pub type Result<T, E = WorkerError> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::WorkerError;
    use vipps_auth::ErrorKind;

    #[test]
    fn a_401_or_403_from_vipps_is_a_configuration_error() {
        for status in [401, 403] {
            let e = WorkerError::from_upstream(
                ErrorKind::Http {
                    status,
                    error: Some("invalid_client".into()),
                    description: None,
                }
                .into(),
            );
            assert_eq!((e.code(), e.status()), ("ERR_UPSTREAM_AUTH", 502));
        }
    }

    #[test]
    fn upstream_failures_map_to_502_and_504() {
        let e = WorkerError::from_upstream(
            ErrorKind::Http {
                status: 503,
                error: None,
                description: None,
            }
            .into(),
        );
        assert_eq!((e.code(), e.status()), ("ERR_UPSTREAM", 502));
        assert_eq!(
            WorkerError::from_upstream(ErrorKind::Timeout.into()).status(),
            504
        );
        assert_eq!(
            WorkerError::from_upstream(ErrorKind::Network { reason: "x".into() }.into()).code(),
            "ERR_UPSTREAM_UNREACHABLE"
        );
        assert_eq!(
            WorkerError::from_upstream(ErrorKind::ResponseMalformed { reason: "x" }.into()).code(),
            "ERR_UPSTREAM_MALFORMED"
        );
    }

    #[test]
    fn a_refused_code_is_the_callers_problem_but_invalid_client_is_ours() {
        let grant = ErrorKind::Http {
            status: 400,
            error: Some("invalid_grant".into()),
            description: None,
        };
        let e = WorkerError::from_code_exchange(grant.into());
        assert_eq!(
            (e.code(), e.status(), e.vipps_error()),
            ("ERR_CODE_REJECTED", 400, Some("invalid_grant"))
        );
        let client = ErrorKind::Http {
            status: 400,
            error: Some("invalid_client".into()),
            description: None,
        };
        assert_eq!(
            WorkerError::from_code_exchange(client.into()).code(),
            "ERR_UPSTREAM_AUTH"
        );
    }

    #[test]
    fn failed_id_token_checks_are_401_with_the_core_code() {
        let e = WorkerError::Core(ErrorKind::ClaimNonce.into());
        assert_eq!((e.code(), e.status()), ("ERR_CLAIM_NONCE", 401));
        let e = WorkerError::Core(
            ErrorKind::InvalidParams {
                param: "scope",
                reason: "x",
            }
            .into(),
        );
        assert_eq!(e.status(), 400);
    }

    #[test]
    fn merchant_initiated_login_outcomes_have_fitting_statuses() {
        let status = |kind: ErrorKind| WorkerError::Core(kind.into()).status();
        assert_eq!(status(ErrorKind::CibaDenied), 403);
        assert_eq!(status(ErrorKind::CibaExpired), 410);
        let limited = WorkerError::CibaRateLimited {
            retry_after_secs: Some(30),
        };
        assert_eq!(
            (limited.code(), limited.status(), limited.retry_after_secs()),
            ("ERR_CIBA_RATE_LIMITED", 429, Some(30))
        );
        let session = WorkerError::CibaSession { reason: "unknown" };
        assert_eq!(
            (session.code(), session.status()),
            ("ERR_CIBA_SESSION", 400)
        );
    }

    #[test]
    fn the_core_codes_the_worker_maps_are_the_cores_own() {
        for (status, codes) in super::CORE_STATUS {
            for code in *codes {
                assert!(
                    vipps_auth::ERROR_CODES.contains(code),
                    "{code} ({status}) is not a core code"
                );
            }
        }
    }

    #[test]
    fn the_workers_own_codes_are_not_core_codes() {
        let own = [
            WorkerError::Config {
                setting: "X",
                reason: "y",
            },
            WorkerError::Unauthorized,
            WorkerError::OriginNotAllowed,
            WorkerError::NotFound,
            WorkerError::MethodNotAllowed { allow: "GET" },
            WorkerError::BodyTooLarge,
            WorkerError::BodyTimeout,
            WorkerError::UnsupportedMediaType,
            WorkerError::HeaderTooLarge { header: "x" },
            WorkerError::BadRequest { reason: "x".into() },
            WorkerError::RedirectUriNotAllowed,
            WorkerError::LoginSession,
            WorkerError::RateLimited,
            WorkerError::CibaSession { reason: "x" },
            WorkerError::CibaRateLimited {
                retry_after_secs: None,
            },
            WorkerError::ScopeNotAllowed,
            WorkerError::CodeRejected {
                vipps_error: None,
                description: None,
            },
            WorkerError::UpstreamAuth {
                status: 401,
                vipps_error: None,
            },
            WorkerError::Upstream {
                status: 500,
                vipps_error: None,
                description: None,
            },
            WorkerError::UpstreamUnreachable,
            WorkerError::UpstreamTimeout,
            WorkerError::UpstreamMalformed { reason: "x" },
            WorkerError::Internal { reason: "x".into() },
        ];
        for e in own {
            assert!(
                !vipps_auth::ERROR_CODES.contains(&e.code()),
                "{} is a core code",
                e.code()
            );
        }
    }

    #[test]
    fn a_config_error_names_the_setting_only() {
        let e = WorkerError::Config {
            setting: "VIPPS_CLIENT_SECRET",
            reason: "is not set",
        };
        assert_eq!((e.code(), e.status()), ("ERR_CONFIG", 500));
        assert_eq!(
            e.to_string(),
            "worker configuration: VIPPS_CLIENT_SECRET is not set"
        );
    }
}
