//! Client authentication at the Login token endpoint and the backchannel (CIBA) endpoint:
//! the sales unit's own keys per `LOGIN_TOKEN_AUTH` (`client_secret_basic` or
//! `client_secret_post`), or, with `LOGIN_PARTNER_MSNS` set, a partner's
//! `Authorization: Bearer <a token from /accesstoken/get>` with a `Merchant-Serial-Number`
//! from that list (Vipps Login API, "Partner keys").

use std::collections::HashMap;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use crate::config::TokenAuthMethod;
use crate::state::{lock, AppState, Client};
use crate::util::{basic_auth, form_decode, header_str, now, oauth_error, secret_eq, BasicAuth};

/// 401 `invalid_client` with a `WWW-Authenticate` challenge of the scheme the client tried
/// (RFC 6749 section 5.2).
pub fn invalid_client(scheme: &'static str, description: &str) -> Box<Response> {
    let mut resp = oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description);
    resp.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(scheme));
    Box::new(resp)
}

/// The bearer token of an `Authorization: Bearer <token>` header, if it is one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = header_str(headers, "authorization")?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Authenticates the client; answers who it is.
pub fn authenticate(
    app: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<Client, Box<Response>> {
    let has_header = headers.contains_key(header::AUTHORIZATION);
    let has_body_secret = form.contains_key("client_secret");
    if has_header && has_body_secret {
        return Err(invalid_client(
            "Basic",
            "Use exactly one client authentication method.",
        ));
    }
    if let Some(token) = bearer(headers) {
        return authenticate_partner(app, headers, form, token);
    }
    let cfg = &app.config;
    let (id, secret) = match cfg.token_auth {
        TokenAuthMethod::ClientSecretBasic => {
            if has_body_secret {
                return Err(invalid_client(
                    "Basic",
                    "The client is registered for client_secret_basic, not client_secret_post.",
                ));
            }
            match basic_auth(headers) {
                BasicAuth::Absent => {
                    return Err(invalid_client(
                        "Basic",
                        "Client authentication is required.",
                    ))
                }
                BasicAuth::Malformed => {
                    return Err(invalid_client(
                        "Basic",
                        "The Authorization header is not valid HTTP Basic.",
                    ))
                }
                // RFC 6749 section 2.3.1: both parts are form-urlencoded before base64.
                BasicAuth::Present { id, secret } => (form_decode(&id), form_decode(&secret)),
            }
        }
        TokenAuthMethod::ClientSecretPost => {
            if has_header {
                return Err(invalid_client(
                    "Basic",
                    "The client is registered for client_secret_post, not client_secret_basic.",
                ));
            }
            match (form.get("client_id"), form.get("client_secret")) {
                (Some(id), Some(secret)) => (id.clone(), secret.clone()),
                _ => {
                    return Err(invalid_client(
                        "Basic",
                        "client_id and client_secret are required in the body.",
                    ))
                }
            }
        }
    };
    if id != cfg.client_id || !secret_eq(&secret, &cfg.client_secret) {
        return Err(invalid_client("Basic", "Client authentication failed."));
    }
    if form.get("client_id").is_some_and(|body_id| *body_id != id) {
        return Err(invalid_client(
            "Basic",
            "client_id does not match the authenticated client.",
        ));
    }
    Ok(Client {
        client_id: id,
        msn: None,
    })
}

/// A partner: a token this emulator issued from `/accesstoken/get` (with the partner keys),
/// still valid, and the merchant's `Merchant-Serial-Number` from `LOGIN_PARTNER_MSNS`.
fn authenticate_partner(
    app: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
    token: &str,
) -> Result<Client, Box<Response>> {
    let cfg = &app.config;
    if !cfg.partner_mode() {
        return Err(invalid_client(
            "Bearer",
            "Bearer authentication is for partner keys; this client uses client_secret_basic or client_secret_post.",
        ));
    }
    if form.contains_key("client_id") {
        return Err(invalid_client(
            "Bearer",
            "A partner sends Merchant-Serial-Number, not client_id.",
        ));
    }
    let known = lock(&app.sessions)
        .access_tokens
        .get(token)
        .is_some_and(|expires_at| *expires_at > now());
    if !known {
        return Err(invalid_client(
            "Bearer",
            "The access token is unknown or has expired.",
        ));
    }
    let Some(msn) = header_str(headers, "Merchant-Serial-Number") else {
        return Err(invalid_client(
            "Bearer",
            "A partner must send the merchant's Merchant-Serial-Number.",
        ));
    };
    if !cfg.partner_msns.iter().any(|m| m == msn) {
        return Err(invalid_client(
            "Bearer",
            "The partner may not act for this Merchant-Serial-Number.",
        ));
    }
    Ok(Client {
        client_id: cfg.client_id.clone(),
        msn: Some(msn.to_string()),
    })
}
