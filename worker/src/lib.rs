//! vipps-auth-worker: the Cloudflare Worker that performs every Vipps MobilePay call needing
//! a secret (Access Token API, partner `miami` tokens, the Login code exchange).
//!
//! This file is the router; the protocol lives in the `vipps-auth` core, the handlers in
//! `routes/`. Every answer is JSON; every failure is `{"error": "ERR_...", "message"}`.

#![forbid(unsafe_code)]

use serde::Serialize;
use worker::{event, Context, Env, Request, Response};

mod body;
mod ciba_session;
mod config;
mod cors;
mod error;
mod guard;
mod identity;
mod jwks;
mod login_client;
mod login_exchange;
mod login_scope;
mod login_session;
mod rate_limit;
mod route;
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
use crate::route::{Route, Verb};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let config = Config::new(&env);
    let mut res = match Origin::of(&req, &config.allowed_origins()) {
        Ok(origin) => {
            let outcome = dispatch(req, &env, &config, &origin).await;
            finish(outcome, &origin)
        }
        Err(e) => e.to_response(),
    };
    cors::vary_on_origin(&mut res);
    Ok(res)
}

/// Finds the route, refuses a method it does not take (the raw method string: workers-rs
/// reads a method it does not know, such as `PROPFIND`, as GET), answers preflights, counts
/// the rate limit, then runs the handler.
async fn dispatch(
    req: Request,
    env: &Env,
    config: &Config<'_>,
    origin: &Origin,
) -> Result<Response> {
    let route = Route::of(&req.path()).ok_or(WorkerError::NotFound)?;
    let verb = Verb::of(&req.inner().method());
    if verb == Some(Verb::Options) {
        return Ok(origin.preflight(route.allow()));
    }
    if !verb.is_some_and(|v| route.takes(v)) {
        return Err(WorkerError::MethodNotAllowed {
            allow: route.allow(),
        });
    }
    if route.is_post() {
        // Requests that do something on the caller's behalf: never for a foreign origin.
        origin.require_allowed_or_absent()?;
    }
    if let Some(limit) = route.rate_limit() {
        rate_limit::check(env, &req, limit).await?;
    }
    match route {
        Route::Healthz => routes::health::healthz(),
        Route::LoginConfig => routes::login::config(config),
        Route::LoginJwks => routes::login::jwks(config).await,
        Route::LoginStart => routes::login::start(req, env, config).await,
        Route::LoginToken => routes::login::token(req, env, config).await,
        Route::LoginResult => routes::login::result(req, env).await,
        Route::AccessToken => routes::tokens::access_token(req, env, config).await,
        Route::MiamiToken => routes::tokens::miami_token(req, env, config).await,
        Route::CibaStart => routes::ciba::start(req, env, config).await,
        Route::CibaPoll => routes::ciba::poll(req, env, config).await,
        Route::CibaToken => routes::ciba::token(req, env, config).await,
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
