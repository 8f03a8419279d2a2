//! `POST <issuer>oauth2/consent`: the consent page's Approve / Deny buttons.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{approve, deny, error_page, with_iss};
use crate::state::{lock, Shared};
use crate::util::{is_form, now, parse_form};

pub async fn consent(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let bad = |desc: &str| error_page(&headers, StatusCode::BAD_REQUEST, "invalid_request", desc);
    if !is_form(&headers) {
        return bad("Content-Type must be application/x-www-form-urlencoded.");
    }
    let form = match parse_form(&body) {
        Ok(f) => f,
        Err(e) => return bad(&e),
    };
    let Some(id) = form.get("request_id") else {
        return bad("request_id is required.");
    };
    let decision = form.get("decision").map(String::as_str);
    if !matches!(decision, Some("approve" | "deny")) {
        return bad("decision must be approve or deny.");
    }
    let pending = lock(&state.sessions).pending.remove(id);
    let Some(pending) = pending.filter(|p| p.expires_at > now()) else {
        return bad("This login request is unknown, already answered or expired.");
    };
    let resp = if decision == Some("approve") {
        approve(&state, pending.request)
    } else {
        deny(&pending.request)
    };
    with_iss(&state, resp)
}
