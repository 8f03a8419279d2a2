//! CORS for the origins in `ALLOWED_ORIGINS` only: an allowed origin is echoed back; any
//! other origin gets no CORS header at all (and a state-changing request from it is refused
//! with `ERR_ORIGIN_NOT_ALLOWED`). Since the headers depend on `Origin`, every answer says
//! `Vary: Origin` (Fetch standard, "CORS protocol and HTTP caches"): a shared cache must not
//! hand one origin's answer (e.g. the cacheable `/login/jwks`) to another.

use worker::{Headers, Request, Response};

use crate::error::{Result, WorkerError};

/// Longest `Origin` header accepted.
const MAX_ORIGIN_LEN: usize = 512;
/// How long a browser may cache a preflight answer, in seconds.
const PREFLIGHT_MAX_AGE: &str = "600";

/// The request's origin as far as CORS is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// No `Origin` header: not a cross-origin browser request (curl, a server, same-origin GET).
    Absent,
    /// An origin from `ALLOWED_ORIGINS`.
    Allowed(String),
    /// Any other origin.
    Foreign,
}

impl Origin {
    /// Classifies the request's `Origin` header against `allowed`.
    pub fn of(req: &Request, allowed: &[String]) -> Result<Origin> {
        let Some(origin) = req.headers().get("Origin").ok().flatten() else {
            return Ok(Origin::Absent);
        };
        if origin.len() > MAX_ORIGIN_LEN {
            return Err(WorkerError::HeaderTooLarge { header: "Origin" });
        }
        Ok(classify(&origin, allowed))
    }

    /// Refuses a foreign origin (for requests that do something on the caller's behalf).
    pub fn require_allowed_or_absent(&self) -> Result<()> {
        match self {
            Origin::Foreign => Err(WorkerError::OriginNotAllowed),
            _ => Ok(()),
        }
    }

    /// Adds the CORS answer headers for an allowed origin; nothing otherwise.
    pub fn apply(&self, res: &mut Response) {
        apply_headers(self, res.headers_mut());
    }

    /// The answer to a preflight (`OPTIONS`) request: 204 with CORS headers for an allowed
    /// origin, 403 without any for a foreign one.
    pub fn preflight(&self, allow_methods: &'static str) -> Response {
        match self {
            Origin::Allowed(_) => {
                let mut res = Response::builder().with_status(204).empty();
                let headers = res.headers_mut();
                let _ = headers.set("Access-Control-Allow-Methods", allow_methods);
                let _ = headers.set(
                    "Access-Control-Allow-Headers",
                    "Content-Type, Authorization",
                );
                let _ = headers.set("Access-Control-Max-Age", PREFLIGHT_MAX_AGE);
                apply_headers(self, headers);
                res
            }
            Origin::Absent => {
                let mut res = Response::builder().with_status(204).empty();
                let _ = res.headers_mut().set("Allow", allow_methods);
                res
            }
            Origin::Foreign => WorkerError::OriginNotAllowed.to_response(),
        }
    }
}

/// Exact, case-sensitive match against the list (origins are serialised lower case by browsers).
pub fn classify(origin: &str, allowed: &[String]) -> Origin {
    if allowed.iter().any(|a| a == origin) {
        Origin::Allowed(origin.to_owned())
    } else {
        Origin::Foreign
    }
}

fn apply_headers(origin: &Origin, headers: &mut Headers) {
    if let Origin::Allowed(o) = origin {
        let _ = headers.set("Access-Control-Allow-Origin", o);
        // A page may read how long to wait after a 429.
        let _ = headers.set("Access-Control-Expose-Headers", "Retry-After");
    }
}

/// Adds `Vary: Origin` to an answer (once; any other `Vary` is kept).
pub fn vary_on_origin(res: &mut Response) {
    let headers = res.headers_mut();
    let present = headers.get("Vary").ok().flatten().is_some_and(|v| {
        v.split(',')
            .any(|name| name.trim().eq_ignore_ascii_case("origin"))
    });
    if !present {
        let _ = headers.append("Vary", "Origin");
    }
}

#[cfg(test)]
mod tests {
    use super::{classify, Origin};

    #[test]
    fn only_listed_origins_are_allowed_exactly() {
        let allowed = vec!["https://shop.example".to_owned()];
        assert_eq!(
            classify("https://shop.example", &allowed),
            Origin::Allowed("https://shop.example".into())
        );
        assert_eq!(
            classify("https://shop.example.evil", &allowed),
            Origin::Foreign
        );
        assert_eq!(classify("http://shop.example", &allowed), Origin::Foreign);
        assert_eq!(classify("null", &allowed), Origin::Foreign);
        assert!(Origin::Foreign.require_allowed_or_absent().is_err());
        assert!(Origin::Absent.require_allowed_or_absent().is_ok());
    }
}
