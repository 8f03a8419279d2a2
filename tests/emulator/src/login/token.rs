//! `POST <issuer>oauth2/token`: the authorization-code exchange, with client authentication
//! per `LOGIN_TOKEN_AUTH`, single-use expiring codes, exact redirect_uri and PKCE checks, and
//! an RS256 ID token.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::config::{Config, TokenAuthMethod};
use crate::state::{lock, AuthRequest, LoginToken, Pkce, Shared};
use crate::user;
use crate::util::{
    b64url, basic_auth, form_decode, is_form, json as json_response, no_store, now, oauth_error,
    random_token, random_uuid, secret_eq, sha256, BasicAuth,
};

fn invalid_client(description: &str) -> Response {
    let mut resp = oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description);
    resp.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic"));
    resp
}

fn boxed_invalid_client(description: &str) -> Box<Response> {
    Box::new(invalid_client(description))
}

fn invalid_request(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

fn invalid_grant(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
}

/// Authenticates the client the way it is registered; answers its client id.
fn authenticate(
    cfg: &Config,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<String, Box<Response>> {
    let has_header = headers.contains_key(header::AUTHORIZATION);
    let has_body_secret = form.contains_key("client_secret");
    if has_header && has_body_secret {
        return Err(boxed_invalid_client(
            "Use exactly one client authentication method.",
        ));
    }
    let (id, secret) = match cfg.token_auth {
        TokenAuthMethod::ClientSecretBasic => {
            if has_body_secret {
                return Err(boxed_invalid_client(
                    "The client is registered for client_secret_basic, not client_secret_post.",
                ));
            }
            match basic_auth(headers) {
                BasicAuth::Absent => {
                    return Err(boxed_invalid_client("Client authentication is required."))
                }
                BasicAuth::Malformed => {
                    return Err(boxed_invalid_client(
                        "The Authorization header is not valid HTTP Basic.",
                    ))
                }
                // RFC 6749 section 2.3.1: both parts are form-urlencoded before base64.
                BasicAuth::Present { id, secret } => (form_decode(&id), form_decode(&secret)),
            }
        }
        TokenAuthMethod::ClientSecretPost => {
            if has_header {
                return Err(boxed_invalid_client(
                    "The client is registered for client_secret_post, not client_secret_basic.",
                ));
            }
            match (form.get("client_id"), form.get("client_secret")) {
                (Some(id), Some(secret)) => (id.clone(), secret.clone()),
                _ => {
                    return Err(boxed_invalid_client(
                        "client_id and client_secret are required in the body.",
                    ))
                }
            }
        }
    };
    if id != cfg.client_id || !secret_eq(&secret, &cfg.client_secret) {
        return Err(boxed_invalid_client("Client authentication failed."));
    }
    if form.get("client_id").is_some_and(|body_id| *body_id != id) {
        return Err(boxed_invalid_client(
            "client_id does not match the authenticated client.",
        ));
    }
    Ok(id)
}

fn verifier_matches(pkce: &Pkce, verifier: Option<&str>) -> Result<(), &'static str> {
    let valid_verifier = |v: &str| {
        (43..=128).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    };
    match (pkce, verifier) {
        (Pkce::None, None) => Ok(()),
        (Pkce::None, Some(_)) => {
            Err("code_verifier was sent but the authorization request had no code_challenge.")
        }
        (_, None) => Err("code_verifier is required."),
        (_, Some(v)) if !valid_verifier(v) => {
            Err("code_verifier must be 43 to 128 unreserved characters.")
        }
        (Pkce::Plain(c), Some(v)) if c == v => Ok(()),
        (Pkce::S256(c), Some(v)) if *c == b64url(&sha256(v.as_bytes())) => Ok(()),
        _ => Err("The code_verifier does not match the code_challenge."),
    }
}

pub async fn token(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let cfg = &state.config;
    if !is_form(&headers) {
        return invalid_request("Content-Type must be application/x-www-form-urlencoded.");
    }
    let form = match crate::util::parse_form(&body) {
        Ok(f) => f,
        Err(e) => return invalid_request(&e),
    };
    let client_id = match authenticate(cfg, &headers, &form) {
        Ok(id) => id,
        Err(resp) => return *resp,
    };
    match form.get("grant_type").map(String::as_str) {
        None | Some("") => return invalid_request("grant_type is required."),
        Some("authorization_code") => {}
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only grant_type=authorization_code is supported (no refresh tokens).",
            )
        }
    }
    let Some(code) = form.get("code").filter(|c| !c.is_empty()) else {
        return invalid_request("code is required.");
    };
    let Some(redirect_uri) = form.get("redirect_uri").filter(|c| !c.is_empty()) else {
        return invalid_request("redirect_uri is required.");
    };
    let issued = now();
    let (request, auth_time): (AuthRequest, u64) = {
        let mut sessions = lock(&state.sessions);
        let Some(entry) = sessions.codes.get_mut(code.as_str()) else {
            return invalid_grant("The authorization code is unknown.");
        };
        if entry.used {
            return invalid_grant("The authorization code has already been used.");
        }
        if entry.expires_at <= issued {
            return invalid_grant("The authorization code has expired.");
        }
        if entry.request.client_id != client_id {
            return invalid_grant("The authorization code was issued to another client.");
        }
        if entry.request.redirect_uri != *redirect_uri {
            return invalid_grant(
                "redirect_uri does not match the one in the authorization request.",
            );
        }
        if let Err(e) = verifier_matches(
            &entry.request.pkce,
            form.get("code_verifier").map(String::as_str),
        ) {
            return invalid_grant(e);
        }
        entry.used = true;
        (entry.request.clone(), entry.auth_time)
    };

    let audience_key = match &request.msn {
        Some(msn) => format!("msn:{msn}"),
        None => format!("client:{client_id}"),
    };
    let sub = user::subject(&audience_key);
    let access_token = format!("emu-login.{}", random_token());
    let lifetime = cfg.login_token_lifetime_secs;
    lock(&state.sessions).tokens.insert(
        access_token.clone(),
        LoginToken {
            sub: sub.clone(),
            scopes: request.scopes.clone(),
            expires_at: issued.saturating_add(lifetime),
        },
    );
    let digest = sha256(access_token.as_bytes());
    let mut claims = json!({
        "iss": state.issuer(),
        "aud": [client_id],
        "exp": issued.saturating_add(lifetime),
        "iat": issued,
        "auth_time": auth_time,
        "nonce": request.nonce.clone().unwrap_or_default(),
        "sub": sub,
        "at_hash": b64url(&digest[..digest.len() / 2]),
        "sid": random_uuid(),
        "jti": random_uuid(),
        "rat": request.requested_at,
        "amr": ["pwd"],
    });
    if let Some(msn) = &request.msn {
        claims["msn"] = json!(msn);
    }
    let key = lock(&state.keys).current();
    let id_token = key.sign_jwt(&claims);
    let mut resp = json_response(
        StatusCode::OK,
        json!({
            "access_token": access_token,
            "id_token": id_token,
            "token_type": "bearer",
            "expires_in": lifetime,
            "scope": request.scopes.join(" "),
        }),
    );
    no_store(&mut resp);
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc7636_appendix_b() {
        let pkce = Pkce::S256("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into());
        assert!(
            verifier_matches(&pkce, Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).is_ok()
        );
        assert!(
            verifier_matches(&pkce, Some("xBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).is_err()
        );
        assert!(verifier_matches(&pkce, None).is_err());
    }
}
