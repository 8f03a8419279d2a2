//! `POST <issuer>oauth2/token`: the authorization-code exchange, with client authentication
//! per `LOGIN_TOKEN_AUTH` (or a partner's Bearer token and MSN), single-use expiring codes,
//! exact redirect_uri and PKCE checks, and an RS256 ID token; and the two grants of
//! merchant-initiated login (`crate::ciba::grant`).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::ciba::{CIBA_GRANT_TYPE, CIBA_REDIRECT_GRANT_TYPE};
use crate::client_auth::authenticate;
use crate::state::{lock, AppState, AuthRequest, Client, LoginToken, Pkce, Shared};
use crate::user;
use crate::util::{
    b64url, is_form, json as json_response, no_store, now, oauth_error, random_token, random_uuid,
    sha256,
};

fn invalid_request(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

pub(crate) fn invalid_grant(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
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
    if !is_form(&headers) {
        return invalid_request("Content-Type must be application/x-www-form-urlencoded.");
    }
    let form = match crate::util::parse_form(&body) {
        Ok(f) => f,
        Err(e) => return invalid_request(&e),
    };
    let client = match authenticate(&state, &headers, &form) {
        Ok(client) => client,
        Err(resp) => return *resp,
    };
    match form.get("grant_type").map(String::as_str) {
        None | Some("") => invalid_request("grant_type is required."),
        Some("authorization_code") => authorization_code(&state, &client, &form),
        Some(CIBA_GRANT_TYPE) => crate::ciba::grant::poll(&state, &client, &form),
        Some(CIBA_REDIRECT_GRANT_TYPE) => crate::ciba::grant::redirect_code(&state, &client, &form),
        Some(_) => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Supported: authorization_code, urn:openid:params:grant-type:ciba, urn:vipps:params:grant-type:ciba-redirect (no refresh tokens).",
        ),
    }
}

/// Whether `client` may redeem a code of this authorization request. With partner keys on,
/// a code authorized for a partner's `msn` is for that partner and MSN only, and a plain
/// `client_id` code for the sales unit's own keys only.
fn code_is_for(app: &AppState, request: &AuthRequest, client: &Client) -> bool {
    if app.config.partner_mode() && request.msn.is_some() {
        client.msn == request.msn
    } else {
        client.msn.is_none() && request.client_id == client.client_id
    }
}

/// `grant_type=authorization_code`: single-use expiring codes, exact `redirect_uri`, PKCE.
fn authorization_code(app: &AppState, client: &Client, form: &HashMap<String, String>) -> Response {
    let Some(code) = form.get("code").filter(|c| !c.is_empty()) else {
        return invalid_request("code is required.");
    };
    let Some(redirect_uri) = form.get("redirect_uri").filter(|c| !c.is_empty()) else {
        return invalid_request("redirect_uri is required.");
    };
    let issued = now();
    let (request, auth_time): (AuthRequest, u64) = {
        let mut sessions = lock(&app.sessions);
        let Some(entry) = sessions.codes.get_mut(code.as_str()) else {
            return invalid_grant("The authorization code is unknown.");
        };
        if entry.used {
            return invalid_grant("The authorization code has already been used.");
        }
        if entry.expires_at <= issued {
            return invalid_grant("The authorization code has expired.");
        }
        if !code_is_for(app, &entry.request, client) {
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
    issue_tokens(
        app,
        Issue {
            client: &Client {
                client_id: request.client_id.clone(),
                msn: request.msn.clone(),
            },
            scopes: &request.scopes,
            nonce: request.nonce.as_deref(),
            auth_time,
            requested_at: request.requested_at,
            auth_req_id: None,
        },
    )
}

/// What the tokens of one successful grant are about.
pub(crate) struct Issue<'a> {
    /// Whom for: `aud` is its client id; a partner's `msn` goes into the `msn` claim and the
    /// pairwise `sub`.
    pub client: &'a Client,
    pub scopes: &'a [String],
    pub nonce: Option<&'a str>,
    pub auth_time: u64,
    pub requested_at: u64,
    /// The redirect variant of merchant-initiated login puts its `auth_req_id` in the ID token.
    pub auth_req_id: Option<&'a str>,
}

/// The token response: an opaque access token (good for userinfo) and an RS256 ID token.
pub(crate) fn issue_tokens(app: &AppState, issue: Issue<'_>) -> Response {
    let cfg = &app.config;
    let issued = now();
    let audience_key = match &issue.client.msn {
        Some(msn) => format!("msn:{msn}"),
        None => format!("client:{}", issue.client.client_id),
    };
    let sub = user::subject(&audience_key);
    let access_token = format!("emu-login.{}", random_token());
    let lifetime = cfg.login_token_lifetime_secs;
    lock(&app.sessions).tokens.insert(
        access_token.clone(),
        LoginToken {
            sub: sub.clone(),
            scopes: issue.scopes.to_vec(),
            expires_at: issued.saturating_add(lifetime),
        },
    );
    let digest = sha256(access_token.as_bytes());
    let mut claims = json!({
        "iss": app.issuer(),
        "aud": [issue.client.client_id],
        "exp": issued.saturating_add(lifetime),
        "iat": issued,
        "auth_time": issue.auth_time,
        "nonce": issue.nonce.unwrap_or_default(),
        "sub": sub,
        "at_hash": b64url(&digest[..digest.len() / 2]),
        "sid": random_uuid(),
        "jti": random_uuid(),
        "rat": issue.requested_at,
        "amr": ["pwd"],
    });
    if let Some(msn) = &issue.client.msn {
        claims["msn"] = json!(msn);
    }
    if let Some(id) = issue.auth_req_id {
        claims["auth_req_id"] = json!(id);
    }
    override_fields(&mut claims, lock(&app.sessions).next_id_token_claims.take());
    let key = lock(&app.keys).current();
    let id_token = key.sign_jwt(&claims);
    // The scope granted is the scope the authorize request asked for (RFC 6749 section 5.1).
    let mut body = json!({
        "access_token": access_token,
        "id_token": id_token,
        "token_type": "bearer",
        "expires_in": lifetime,
        "scope": issue.scopes.join(" "),
    });
    override_fields(
        &mut body,
        lock(&app.sessions).next_token_response_fields.take(),
    );
    let mut resp = json_response(StatusCode::OK, body);
    no_store(&mut resp);
    resp
}

/// Puts `overrides` into the JSON object `target`, removing the fields given as `null`.
fn override_fields(
    target: &mut serde_json::Value,
    overrides: Option<serde_json::Map<String, serde_json::Value>>,
) {
    if let (Some(overrides), Some(object)) = (overrides, target.as_object_mut()) {
        for (name, value) in overrides {
            if value.is_null() {
                object.remove(&name);
            } else {
                object.insert(name, value);
            }
        }
    }
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
