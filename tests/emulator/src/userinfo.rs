//! `GET /vipps-userinfo-api/userinfo`: the user's claims for a Login access token.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use crate::state::{lock, Shared};
use crate::user;
use crate::util::{header_str, json as json_response, now, oauth_error};

fn unauthorized(error: &str, description: &str) -> Response {
    let mut resp = oauth_error(StatusCode::UNAUTHORIZED, error, description);
    let challenge = if error == "invalid_token" {
        "Bearer error=\"invalid_token\""
    } else {
        "Bearer"
    };
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    resp
}

pub async fn userinfo(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let Some(auth) = header_str(&headers, "authorization") else {
        return unauthorized(
            "invalid_request",
            "An Authorization: Bearer header is required.",
        );
    };
    let token = match auth.trim().split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            token.trim()
        }
        _ => {
            return unauthorized(
                "invalid_request",
                "The Authorization header must be 'Bearer <token>'.",
            )
        }
    };
    let claims = {
        let sessions = lock(&state.sessions);
        match sessions.tokens.get(token) {
            Some(t) if t.expires_at > now() => Some(user::claims(&t.sub, &t.scopes)),
            _ => None,
        }
    };
    match claims {
        Some(c) => json_response(StatusCode::OK, c),
        None => unauthorized(
            "invalid_token",
            "The access token is unknown or has expired.",
        ),
    }
}
