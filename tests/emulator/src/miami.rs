//! `POST /miami/v1/token`: partner (specialized) authentication, OAuth2 client_credentials
//! with `Authorization: Basic base64(client_id:client_secret)`.
//!
//! Vipps documents the Basic credentials as `base64(client_id:client_secret)` (no URL-encoding),
//! so they are compared as sent.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::state::Shared;
use crate::util::{
    basic_auth, is_form, json as json_response, no_store, oauth_error, parse_form, random_token,
    secret_eq, BasicAuth,
};

fn invalid_client(description: &str) -> Response {
    let mut resp = oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description);
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"miami\""),
    );
    resp
}

pub async fn miami_token(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let cfg = &state.config;
    if headers.contains_key("Ocp-Apim-Subscription-Key") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "This endpoint does not take an Ocp-Apim-Subscription-Key header.",
        );
    }
    match basic_auth(&headers) {
        BasicAuth::Absent => {
            return invalid_client("Client authentication with HTTP Basic is required.")
        }
        BasicAuth::Malformed => {
            return invalid_client("The Authorization header is not valid HTTP Basic.")
        }
        BasicAuth::Present { id, secret } => {
            if id != cfg.miami_client_id || !secret_eq(&secret, &cfg.miami_client_secret) {
                return invalid_client("Client authentication failed.");
            }
        }
    }
    if !is_form(&headers) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded.",
        );
    }
    let form = match parse_form(&body) {
        Ok(f) => f,
        Err(e) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &e),
    };
    match form.get("grant_type").map(String::as_str) {
        None | Some("") => return invalid_client("grant_type is required."),
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only grant_type=client_credentials is supported.",
            )
        }
    }
    let mut body = json!({
        "access_token": format!("emu-miami.{}", random_token()),
        "token_type": "Bearer",
        "expires_in": cfg.miami_token_lifetime_secs,
    });
    if let Some(scope) = form.get("scope").filter(|s| !s.is_empty()) {
        body["scope"] = json!(scope);
    }
    let mut resp = json_response(StatusCode::OK, body);
    no_store(&mut resp);
    resp
}
