//! `POST /accesstoken/get`: the Access Token API (client_id / client_secret /
//! Ocp-Apim-Subscription-Key headers, no body).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::state::{lock, Shared};
use crate::util::{
    header_str, json as json_response, no_store, now, oauth_error, random_token, secret_eq,
};

/// The `resource` Vipps (Azure AD) answers with.
const RESOURCE: &str = "00000002-0000-0000-c000-000000000000";

/// The Vipps-System-* headers, each at most 30 characters.
const SYSTEM_HEADERS: [&str; 4] = [
    "Vipps-System-Name",
    "Vipps-System-Version",
    "Vipps-System-Plugin-Name",
    "Vipps-System-Plugin-Version",
];
const SYSTEM_HEADER_MAX: usize = 30;

fn unauthorized(description: &str) -> Response {
    oauth_error(StatusCode::UNAUTHORIZED, "unauthorized_client", description)
}

fn bad_request(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

pub async fn get_access_token(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let cfg = &state.config;
    let Some(key) = header_str(&headers, "Ocp-Apim-Subscription-Key") else {
        return unauthorized(
            "Access denied due to missing subscription key. Make sure to include the Ocp-Apim-Subscription-Key header.",
        );
    };
    if !secret_eq(key, &cfg.subscription_key) {
        return unauthorized("Access denied due to invalid subscription key.");
    }
    let Some(id) = header_str(&headers, "client_id") else {
        return unauthorized("The client_id header is missing.");
    };
    let Some(secret) = header_str(&headers, "client_secret") else {
        return unauthorized("The client_secret header is missing.");
    };
    if id != cfg.client_id || !secret_eq(secret, &cfg.client_secret) {
        return unauthorized("Invalid client_id or client_secret.");
    }
    if let Some(msn) = headers.get("Merchant-Serial-Number") {
        let ok = msn
            .to_str()
            .map(|m| (4..=6).contains(&m.len()) && m.bytes().all(|b| b.is_ascii_digit()))
            .unwrap_or(false);
        if !ok {
            return bad_request("Merchant-Serial-Number must be 4 to 6 digits.");
        }
    }
    for name in SYSTEM_HEADERS {
        if let Some(v) = headers.get(name) {
            let ok = v
                .to_str()
                .map(|s| s.chars().count() <= SYSTEM_HEADER_MAX)
                .unwrap_or(false);
            if !ok {
                return bad_request(&format!(
                    "{name} must be at most {SYSTEM_HEADER_MAX} characters."
                ));
            }
        }
    }
    let lifetime = cfg.token_lifetime_secs;
    let clock = *lock(&state.clock);
    let received = now();
    let issued = i64::try_from(received)
        .unwrap_or(i64::MAX)
        .saturating_add(clock.skew_secs);
    let expires_on = clock
        .fixed_expires_on
        .unwrap_or_else(|| issued.saturating_add_unsigned(lifetime));
    let access_token = format!("emu-at.{}", random_token());
    {
        // Kept so that the Login token and backchannel endpoints can accept it from partners
        // (by the emulator's own clock, whatever the skew of the times it answers).
        let mut sessions = lock(&state.sessions);
        sessions.prune(received);
        sessions
            .access_tokens
            .insert(access_token.clone(), received.saturating_add(lifetime));
    }
    // Numbers as strings, as the real service sends them.
    let mut resp = json_response(
        StatusCode::OK,
        json!({
            "token_type": "Bearer",
            "expires_in": lifetime.to_string(),
            "ext_expires_in": lifetime.to_string(),
            "expires_on": expires_on.to_string(),
            "not_before": issued.to_string(),
            "resource": RESOURCE,
            "access_token": access_token,
        }),
    );
    no_store(&mut resp);
    resp
}
