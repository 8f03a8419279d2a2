//! Fetching, sans-IO. An operation that needs a GET describes it, `{url, headers, timeoutMs,
//! maxBytes}` (the reply `{"need": "fetch", "fetch": ...}`, or the `fetch` of a remote key
//! set's settings); the JS entry (`js/http.js`) carries it out and calls the operation again
//! with the outcome in the request's `response` member and the body in `call`'s `body`:
//!
//! - `{"status": 200}`: a response (any status; the operation decides what it means);
//! - `{"failed": "timeout"}`: no complete response within `timeoutMs` (`ERR_TIMEOUT`);
//! - `{"failed": "network", "reason": "TypeError: ..."}`: the host could not carry it out
//!   (a CORS refusal included, which browsers report as a plain network error), with the
//!   name and message of what it threw (`ERR_NETWORK`);
//! - `{"failed": "tooLarge"}`: the body passed `maxBytes` (`ERR_RESPONSE_MALFORMED`).

use alloc::borrow::ToOwned;
use alloc::string::String;

use vipps_auth::http::{HttpRequest, HttpResponse};
use vipps_auth::json::Value;
use vipps_auth::{ErrorKind, Result};

use crate::input::{invalid, Input};
use crate::reply::Members;

/// Largest response body accepted: discovery documents and JWK sets are a few KB.
pub const MAX_BODY_BYTES: i64 = 1 << 20;

/// Most characters of the platform's words about a network failure kept in the error.
const MAX_REASON_CHARS: usize = 256;

/// The JSON description of `request` (a GET) for the JS entry.
pub fn describe(request: &HttpRequest, timeout_ms: i64) -> String {
    let mut headers = Members::new();
    for (name, value) in &request.headers {
        headers.string(name, value);
    }
    Members::new()
        .string("url", &request.url)
        .json("headers", &headers.finish())
        .integer("timeoutMs", timeout_ms)
        .integer("maxBytes", MAX_BODY_BYTES)
        .finish()
}

/// The fetched response the request carries, `None` when it carries none yet; a fetch that
/// failed is its error.
pub fn response(input: &Input) -> Result<Option<HttpResponse>> {
    let Some(outcome) = input.outcome("response") else {
        return Ok(None);
    };
    let unreadable = || invalid("response", "cannot be read");
    let outcome = outcome.as_object().ok_or_else(unreadable)?;
    if let Some(status) = outcome.get("status").and_then(Value::as_i64) {
        let status = u16::try_from(status).map_err(|_| unreadable())?;
        return Ok(Some(HttpResponse::new(status, input.body)));
    }
    Err(match outcome.get_str("failed") {
        Some("timeout") => ErrorKind::Timeout.into(),
        Some("tooLarge") => ErrorKind::ResponseMalformed {
            reason: "the response body is too large",
        }
        .into(),
        Some("network") => {
            let reason = match outcome.get_str("reason") {
                Some(reason) => reason.chars().take(MAX_REASON_CHARS).collect(),
                None => "a non-Error value was thrown".to_owned(),
            };
            ErrorKind::Network { reason }.into()
        }
        _ => unreadable(),
    })
}
