//! Request counters per path, reported by `GET /_emulator/stats`, plus two counts of Login
//! token requests by kind: `"ciba-poll"` (with the CIBA grant) and `"partner-token"` (with
//! `Authorization: Bearer`, a partner's).

use std::collections::BTreeMap;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::{lock, Shared};
use crate::util::oauth_error;

/// The stats key of token requests with the CIBA grant (polls).
pub const CIBA_POLL: &str = "ciba-poll";
/// The stats key of token requests authenticated with a partner's Bearer token.
pub const PARTNER_TOKEN: &str = "partner-token";
/// Largest token request body read for counting; a larger one is refused (413).
const MAX_TOKEN_BODY: usize = 64 * 1024;

#[derive(Default)]
pub struct Stats {
    counts: BTreeMap<String, u64>,
}

impl Stats {
    pub fn record(&mut self, path: &str) {
        *self.counts.entry(path.to_string()).or_insert(0) += 1;
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!(self.counts)
    }
}

/// Counts every request by its path, before any fault applies. The control surface
/// (`/_emulator/...`) is not counted, so reading the stats does not change them.
pub async fn count_requests(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.starts_with("/_emulator/") {
        lock(&state.stats).record(path);
    }
    if path != crate::LOGIN_TOKEN_PATH {
        return next.run(req).await;
    }
    // Token requests are also counted by kind, before any fault applies: the body is read
    // here and handed on unchanged.
    let partner = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"));
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_TOKEN_BODY).await else {
        return oauth_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            "The request body is too large.",
        );
    };
    let ciba = form_urlencoded::parse(&bytes)
        .any(|(k, v)| k == "grant_type" && v == crate::ciba::CIBA_GRANT_TYPE);
    {
        let mut stats = lock(&state.stats);
        if ciba {
            stats.record(CIBA_POLL);
        }
        if partner {
            stats.record(PARTNER_TOKEN);
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
