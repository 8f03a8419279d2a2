//! `POST /vipps-login-ciba/api/backchannel/authentication`: starts a merchant-initiated login
//! (CIBA Core 1.0 section 7.1; Vipps, "Merchant-initiated login": "Authentication Request",
//! "Authentication Request With Redirect").

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::{vipps_error_code, LOGIN_TO_WEBPAGE};
use crate::client_auth::authenticate;
use crate::state::{lock, CibaLogin, CibaStatus, Shared};
use crate::user::{KNOWN_SCOPES, OLD_APP_PHONE_NUMBER, PHONE_NUMBER};
use crate::util::{
    is_form, json as json_response, no_store, now, now_ms, oauth_error, parse_form, random_token,
};

fn bad(error: &str, description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, error, description)
}

/// `^[A-Z0-9-]{5,8}$`, Vipps' rule for `binding_message`.
fn is_binding_message(m: &str) -> bool {
    (5..=8).contains(&m.len())
        && m.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

pub async fn authentication(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_form(&headers) {
        return bad(
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded.",
        );
    }
    let form = match parse_form(&body) {
        Ok(f) => f,
        Err(e) => return bad("invalid_request", &e),
    };
    let client = match authenticate(&state, &headers, &form) {
        Ok(client) => client,
        Err(resp) => return *resp,
    };
    let get = |k: &str| form.get(k).map(String::as_str).filter(|v| !v.is_empty());

    let Some(scope) = get("scope") else {
        return bad("invalid_request", "scope is required.");
    };
    let mut scopes: Vec<String> = Vec::new();
    for s in scope.split(' ').filter(|s| !s.is_empty()) {
        if s == "nnin" {
            return bad(
                "invalid_scope",
                "The legacy nnin scope is not supported, use nin instead.",
            );
        }
        if !KNOWN_SCOPES.contains(&s) {
            return bad("invalid_scope", &format!("Unknown scope '{s}'."));
        }
        if !scopes.iter().any(|x| x == s) {
            scopes.push(s.to_string());
        }
    }
    if !scopes.iter().any(|s| s == "openid") {
        return bad("invalid_scope", "The openid scope is required.");
    }

    let Some(hint) = get("login_hint") else {
        return bad("invalid_request", "login_hint is required.");
    };
    let msisdn = match hint.strip_prefix("urn:msisdn:") {
        Some(d) if (1..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) => d,
        _ => {
            return bad(
                "invalid_request",
                "login_hint must be urn:msisdn:<country code and number, digits only>.",
            )
        }
    };

    if let Some(m) = get("binding_message") {
        if !is_binding_message(m) {
            return bad(
                "invalid_binding_message",
                "binding_message must match ^[A-Z0-9-]{5,8}$.",
            );
        }
    }

    let redirect_uri = match (get("requested_flow"), get("redirect_uri")) {
        (None, None) => None,
        (Some(LOGIN_TO_WEBPAGE), Some(uri)) => {
            let host = uri.strip_prefix("https://").unwrap_or_default();
            if host.is_empty() || host.starts_with('/') || uri.contains('#') {
                return bad(
                    "invalid_request",
                    "redirect_uri must be an absolute https URL without a fragment.",
                );
            }
            Some(uri.to_string())
        }
        (Some(LOGIN_TO_WEBPAGE), None) => {
            return bad(
                "invalid_request",
                "requested_flow=login_to_webpage requires redirect_uri.",
            )
        }
        (Some(_), _) => return bad("invalid_request", "Unknown requested_flow."),
        (None, Some(_)) => {
            return bad(
                "invalid_request",
                "redirect_uri is only used with requested_flow=login_to_webpage.",
            )
        }
    };

    if msisdn == OLD_APP_PHONE_NUMBER {
        return vipps_error_code(
            "old_app",
            "The user's app is outdated and does not support this login flow.",
        );
    }
    if msisdn != PHONE_NUMBER {
        return vipps_error_code(
            "invalid_user",
            "No active account exists for this phone number.",
        );
    }

    let cfg = &state.config;
    let auth_req_id = random_token();
    let issued = now();
    {
        let mut sessions = lock(&state.sessions);
        sessions.prune(issued);
        sessions.ciba.insert(
            auth_req_id.clone(),
            CibaLogin {
                client,
                scopes,
                nonce: get("nonce").map(String::from),
                redirect_uri,
                status: CibaStatus::Pending,
                interval_ms: cfg.ciba_interval_secs.saturating_mul(1000),
                last_poll_ms: now_ms(),
                requested_at: issued,
                approved_at: 0,
                expires_at: issued.saturating_add(cfg.ciba_expires_in_secs),
            },
        );
    }
    let mut resp = json_response(
        StatusCode::OK,
        json!({
            "auth_req_id": auth_req_id,
            "expires_in": cfg.ciba_expires_in_secs,
            "interval": cfg.ciba_interval_secs,
        }),
    );
    no_store(&mut resp);
    resp
}
