//! vipps-auth-worker: the Cloudflare Worker that performs every Vipps MobilePay call needing
//! a secret (Access Token API, partner `miami` tokens, the Login code exchange).
//!
//! This file is the router; the protocol lives in the `vipps-auth` core, the handlers in
//! `routes/`. Every answer is JSON; every failure is `{"error": "ERR_...", "message"}`.

#![forbid(unsafe_code)]

use serde::Serialize;
use worker::{event, Context, Env, Method, Request, Response};

mod ciba_session;
mod config;
mod cors;
mod error;
mod guard;
mod identity;
mod jwks;
mod login_session;
mod routes;
mod token_cache;
mod upstream;
mod webcrypto;

pub use ciba_session::CibaSession;
pub use login_session::LoginSession;
pub use token_cache::TokenCache;

use crate::config::Config;
use crate::cors::Origin;
use crate::error::{Result, WorkerError};

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let config = Config::new(&env);
    let origin = match Origin::of(&req, &config.allowed_origins()) {
        Ok(origin) => origin,
        Err(e) => return Ok(e.to_response()),
    };
    let path = req.path();
    let Some(allow) = allowed_methods(&path) else {
        return Ok(finish(Err(WorkerError::NotFound), &origin));
    };
    let method = req.method();
    if method == Method::Options {
        return Ok(origin.preflight(allow));
    }
    let outcome = route(req, &env, &config, &origin, &path, method).await;
    Ok(finish(outcome, &origin))
}

/// The routes and their methods (for `Allow` and preflights).
fn allowed_methods(path: &str) -> Option<&'static str> {
    match path {
        "/healthz" | "/login/config" | "/login/jwks" => Some("GET, HEAD, OPTIONS"),
        "/login/start" | "/login/token" | "/accesstoken" | "/miami/token" => Some("POST, OPTIONS"),
        "/login/ciba/start" | "/login/ciba/poll" | "/login/ciba/token" => Some("POST, OPTIONS"),
        _ => None,
    }
}

async fn route(
    req: Request,
    env: &Env,
    config: &Config<'_>,
    origin: &Origin,
    path: &str,
    method: Method,
) -> Result<Response> {
    let allow = allowed_methods(path).unwrap_or("");
    match (method, path) {
        (Method::Get | Method::Head, "/healthz") => routes::health::healthz(),
        (Method::Get | Method::Head, "/login/config") => routes::login::config(config),
        (Method::Get | Method::Head, "/login/jwks") => routes::login::jwks(config).await,
        (Method::Post, "/login/start") => {
            origin.require_allowed_or_absent()?;
            routes::login::start(req, env, config).await
        }
        (Method::Post, "/login/token") => {
            origin.require_allowed_or_absent()?;
            routes::login::token(req, env, config).await
        }
        (Method::Post, "/accesstoken") => {
            origin.require_allowed_or_absent()?;
            routes::tokens::access_token(req, env, config).await
        }
        (Method::Post, "/miami/token") => {
            origin.require_allowed_or_absent()?;
            routes::tokens::miami_token(req, env, config).await
        }
        (Method::Post, "/login/ciba/start") => {
            origin.require_allowed_or_absent()?;
            routes::ciba::start(req, env, config).await
        }
        (Method::Post, "/login/ciba/poll") => {
            origin.require_allowed_or_absent()?;
            routes::ciba::poll(req, env, config).await
        }
        (Method::Post, "/login/ciba/token") => {
            origin.require_allowed_or_absent()?;
            routes::ciba::token(req, env, config).await
        }
        _ => Err(WorkerError::MethodNotAllowed { allow }),
    }
}

/// Renders the outcome and adds CORS headers for an allowed origin.
fn finish(outcome: Result<Response>, origin: &Origin) -> Response {
    let mut res = match outcome {
        Ok(res) => res,
        Err(e) => {
            if let WorkerError::Internal { reason } = &e {
                worker::console_error!("internal error: {reason}");
            }
            e.to_response()
        }
    };
    origin.apply(&mut res);
    res
}

/// A JSON answer with `Cache-Control: no-store`.
pub(crate) fn json_response<T: Serialize>(status: u16, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => bytes_response(status, body, "application/json; charset=utf-8", "no-store"),
        Err(e) => WorkerError::Internal {
            reason: e.to_string(),
        }
        .to_response(),
    }
}

/// An answer with the given body, content type and cache policy.
pub(crate) fn bytes_response(
    status: u16,
    body: Vec<u8>,
    content_type: &str,
    cache_control: &str,
) -> Response {
    let mut res = match Response::from_bytes(body) {
        Ok(res) => res.with_status(status),
        Err(e) => {
            return WorkerError::Internal {
                reason: e.to_string(),
            }
            .to_response()
        }
    };
    let headers = res.headers_mut();
    let _ = headers.set("Content-Type", content_type);
    let _ = headers.set("Cache-Control", cache_control);
    let _ = headers.set("X-Content-Type-Options", "nosniff");
    res
}

/// Seconds since the epoch.
pub(crate) fn now_secs() -> i64 {
    (worker::Date::now().as_millis() / 1000) as i64
}

/// Reads a JSON body of at most [`MAX_BODY_BYTES`] into `T`. An empty body reads as `{}`
/// when `empty_ok`. Requires `Content-Type: application/json` when there is a body, which
/// also makes browsers preflight every cross-origin call.
pub(crate) async fn read_json<T: serde::de::DeserializeOwned>(
    mut req: Request,
    empty_ok: bool,
) -> Result<T> {
    if let Some(len) = req.headers().get("Content-Length").ok().flatten() {
        if len
            .trim()
            .parse::<usize>()
            .map_or(true, |n| n > MAX_BODY_BYTES)
        {
            return Err(WorkerError::BodyTooLarge);
        }
    }
    let body = req.bytes().await.map_err(|_| WorkerError::BadRequest {
        reason: "the body could not be read".into(),
    })?;
    if body.len() > MAX_BODY_BYTES {
        return Err(WorkerError::BodyTooLarge);
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        if empty_ok {
            return serde_json::from_slice(b"{}").map_err(bad_json);
        }
        return Err(WorkerError::BadRequest {
            reason: "a JSON body is required".into(),
        });
    }
    let content_type = req
        .headers()
        .get("Content-Type")
        .ok()
        .flatten()
        .unwrap_or_default();
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("application/json") {
        return Err(WorkerError::UnsupportedMediaType);
    }
    serde_json::from_slice(&body).map_err(bad_json)
}

fn bad_json(e: serde_json::Error) -> WorkerError {
    // serde's "invalid type" messages quote the caller's value: name only the safe ones.
    let text = e.to_string();
    let reason = match e.classify() {
        serde_json::error::Category::Data
            if text.starts_with("unknown field") || text.starts_with("missing field") =>
        {
            text.split(" at line")
                .next()
                .unwrap_or("unexpected JSON shape")
                .to_owned()
        }
        serde_json::error::Category::Data => "a field has the wrong type or value".to_owned(),
        _ => "the body is not valid JSON".to_owned(),
    };
    WorkerError::BadRequest { reason }
}
