//! Vipps Login (OIDC): authorize with a consent page, the consent decision, and the token
//! endpoint. Helpers shared by those live here.

pub mod authorize;
pub mod consent;
pub mod token;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use std::sync::atomic::Ordering;

use crate::state::{lock, AppState, AuthRequest, Code};
use crate::util::{html_escape, now, oauth_error, random_token};

/// An error shown to the user agent (never redirected): JSON, or HTML when the client
/// prefers it (a browser).
pub fn error_page(
    headers: &HeaderMap,
    status: StatusCode,
    error: &str,
    description: &str,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(|a| a.contains("text/html"))
        .unwrap_or(false);
    if !wants_html {
        return oauth_error(status, error, description);
    }
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error</title></head>\
         <body><h1>Login error</h1><p id=\"error\">{}</p><p id=\"error_description\">{}</p></body></html>",
        html_escape(error),
        html_escape(description)
    );
    (status, Html(page)).into_response()
}

/// `302 Found` to `redirect_uri` with the parameters added to its query.
pub fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        query.append_pair(k, v);
    }
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    let location = format!("{redirect_uri}{sep}{}", query.finish());
    match HeaderValue::try_from(location) {
        Ok(value) => {
            let mut resp = StatusCode::FOUND.into_response();
            resp.headers_mut().insert(header::LOCATION, value);
            resp.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp
        }
        Err(_) => oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The redirect could not be built.",
        ),
    }
}

/// An authorization response as sent: with `iss` on (`POST /_emulator/authorization-iss`),
/// every redirect back to the client, success or error, also carries `iss=<issuer>`, the
/// authorization server issuer identification of RFC 9207 section 2, as Vipps may send it.
pub fn with_iss(app: &AppState, mut resp: Response) -> Response {
    if resp.status() != StatusCode::FOUND || !app.authorization_iss.load(Ordering::Relaxed) {
        return resp;
    }
    let Some(location) = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return resp;
    };
    let mut iss = form_urlencoded::Serializer::new(String::new());
    iss.append_pair("iss", &app.issuer());
    let sep = if location.contains('?') { '&' } else { '?' };
    if let Ok(value) = HeaderValue::try_from(format!("{location}{sep}{}", iss.finish())) {
        resp.headers_mut().insert(header::LOCATION, value);
    }
    resp
}

/// Redirects an OAuth error back to the client, with `state` when there is one.
pub fn redirect_error(redirect_uri: &str, state: &str, error: &str, description: &str) -> Response {
    let mut params = vec![("error", error), ("error_description", description)];
    if !state.is_empty() {
        params.push(("state", state));
    }
    redirect_with(redirect_uri, &params)
}

/// Approves a request: makes a single-use code and redirects with it.
pub fn approve(app: &AppState, request: AuthRequest) -> Response {
    let code = random_token();
    let issued = now();
    let redirect_uri = request.redirect_uri.clone();
    let state = request.state.clone();
    {
        let mut sessions = lock(&app.sessions);
        sessions.prune(issued);
        sessions.codes.insert(
            code.clone(),
            Code {
                request,
                auth_time: issued,
                expires_at: issued.saturating_add(app.config.code_lifetime_secs),
                used: false,
            },
        );
    }
    redirect_with(&redirect_uri, &[("code", &code), ("state", &state)])
}

/// Denies a request: redirects with `error=access_denied`.
pub fn deny(request: &AuthRequest) -> Response {
    redirect_error(
        &request.redirect_uri,
        &request.state,
        "access_denied",
        "The user cancelled the login.",
    )
}
