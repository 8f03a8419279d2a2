//! The token endpoint's two grants of merchant-initiated login: polling with
//! `urn:openid:params:grant-type:ciba` (CIBA Core 1.0 sections 10.1 and 11) and the code of
//! the redirect variant with `urn:vipps:params:grant-type:ciba-redirect`.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;

use super::{POLL_TOLERANCE_MS, SLOW_DOWN_STEP_MS};
use crate::login::token::{invalid_grant, issue_tokens, Issue};
use crate::state::{lock, AppState, CibaLogin, CibaStatus, Client};
use crate::util::{now, now_ms, oauth_error};

fn error(error: &str, description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, error, description)
}

/// `grant_type=urn:openid:params:grant-type:ciba&auth_req_id=...`: `authorization_pending`
/// until the user answers, `slow_down` (and 5 s more interval) for a poll sooner than the
/// interval after the previous one, `access_denied`, `expired_token`, or the tokens, once.
pub fn poll(app: &AppState, client: &Client, form: &HashMap<String, String>) -> Response {
    let Some(id) = form.get("auth_req_id").filter(|v| !v.is_empty()) else {
        return error("invalid_request", "auth_req_id is required.");
    };
    let arrived = now_ms();
    let approved: CibaLogin = {
        let mut sessions = lock(&app.sessions);
        let Some(login) = sessions.ciba.get_mut(id.as_str()) else {
            return invalid_grant("The auth_req_id is unknown.");
        };
        if login.client != *client {
            return invalid_grant("The auth_req_id was issued to another client.");
        }
        if login.redirect_uri.is_some() {
            return invalid_grant(
                "This login finishes through its redirect_uri: use the ciba-redirect grant with the code.",
            );
        }
        let too_fast = arrived
            < login
                .last_poll_ms
                .saturating_add(login.interval_ms)
                .saturating_sub(POLL_TOLERANCE_MS);
        login.last_poll_ms = arrived;
        let expired = now() >= login.expires_at;
        match login.status {
            CibaStatus::Done => return invalid_grant("The auth_req_id has already been redeemed."),
            CibaStatus::Denied => return error("access_denied", "The user denied the login."),
            CibaStatus::Expired => return error("expired_token", "The auth_req_id has expired."),
            _ if expired => return error("expired_token", "The auth_req_id has expired."),
            CibaStatus::Pending if too_fast => {
                login.interval_ms = login.interval_ms.saturating_add(SLOW_DOWN_STEP_MS);
                return error(
                    "slow_down",
                    "Polled sooner than the interval allows: the interval is now 5 seconds longer.",
                );
            }
            CibaStatus::Pending => {
                return error(
                    "authorization_pending",
                    "The authorization request is still pending.",
                )
            }
            CibaStatus::Approved => {
                login.status = CibaStatus::Done;
                login.clone()
            }
        }
    };
    issue_tokens(
        app,
        Issue {
            client: &approved.client,
            scopes: &approved.scopes,
            nonce: approved.nonce.as_deref(),
            auth_time: approved.approved_at,
            requested_at: approved.requested_at,
            auth_req_id: None,
        },
    )
}

/// `grant_type=urn:vipps:params:grant-type:ciba-redirect&code=...`: the single-use code the
/// user's browser brought to the `redirect_uri`; the ID token carries the `auth_req_id`.
pub fn redirect_code(app: &AppState, client: &Client, form: &HashMap<String, String>) -> Response {
    let Some(code) = form.get("code").filter(|v| !v.is_empty()) else {
        return error("invalid_request", "code is required.");
    };
    let (id, login) = {
        let mut sessions = lock(&app.sessions);
        let Some(entry) = sessions.ciba_codes.get_mut(code.as_str()) else {
            return invalid_grant("The code is unknown.");
        };
        if entry.used {
            return invalid_grant("The code has already been used.");
        }
        if entry.expires_at <= now() {
            return invalid_grant("The code has expired.");
        }
        let id = entry.auth_req_id.clone();
        let Some(login) = sessions.ciba.get(&id).cloned() else {
            return invalid_grant("The login of this code is gone.");
        };
        if login.client != *client {
            return invalid_grant("The code was issued to another client.");
        }
        if let Some(entry) = sessions.ciba_codes.get_mut(code.as_str()) {
            entry.used = true;
        }
        (id, login)
    };
    issue_tokens(
        app,
        Issue {
            client: &login.client,
            scopes: &login.scopes,
            nonce: login.nonce.as_deref(),
            auth_time: login.approved_at,
            requested_at: login.requested_at,
            auth_req_id: Some(&id),
        },
    )
}
