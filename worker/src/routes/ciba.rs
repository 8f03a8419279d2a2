//! Merchant-initiated login (CIBA, Vipps "Login from phone number"), for a merchant's backend
//! or till, never a browser: every route needs `Authorization: Bearer <WORKER_API_KEY>`.
//!
//! - `POST /login/ciba/start` `{phoneNumber, scope?, bindingMessage?, redirectUri?, msn?}`:
//!   starts the login at Vipps (a push to the user's app) and answers
//!   `{authReqId, expiresIn, interval}`. `redirectUri` (one of `LOGIN_REDIRECT_URIS`, https)
//!   asks for the redirect variant; `msn` is required in partner mode (`LOGIN_PARTNER_MSNS`)
//!   and refused otherwise.
//! - `POST /login/ciba/poll` `{authReqId}`: `202 {"status": "pending", "retryAfter": s}`
//!   until the user answers, then `200 {idToken, claims, userinfo?}` once; the login's
//!   `CibaSession` object decides when Vipps is polled ([`crate::ciba_session`]).
//! - `POST /login/ciba/token` `{code, authReqId}`: the redirect variant's code, from the
//!   user's browser at `redirectUri?code=...`; answers `{idToken, claims, userinfo?}` once.

use serde::{Deserialize, Serialize};
use vipps_auth::token::ciba::schedule::seconds_until;
use vipps_auth::token::ciba::{
    ciba_start_request, is_auth_req_id, process_ciba_start_response, CibaStart, CibaStartAnswer,
};
use vipps_auth::ErrorKind;
use worker::{Env, Request, Response};

use crate::body::read_json;
use crate::ciba_session::{self, now_ms, Init};
use crate::config::{setting_error, Config, Credentials};
use crate::error::{Result, WorkerError};
use crate::guard::require_api_key;
use crate::login_client;
use crate::login_scope;
use crate::upstream::{self, RetryPolicy};
use crate::{bytes_response, json_response};

const MAX_PHONE_LEN: usize = 32;
const MAX_VALUE_LEN: usize = 512;
const MAX_URI_LEN: usize = 2048;
const MAX_CODE_LEN: usize = 2048;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StartParams {
    phone_number: String,
    scope: Option<String>,
    binding_message: Option<String>,
    redirect_uri: Option<String>,
    msn: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StartAnswer {
    auth_req_id: String,
    expires_in: i64,
    interval: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PollParams {
    auth_req_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TokenParams {
    code: String,
    auth_req_id: String,
}

fn invalid(param: &'static str, reason: &'static str) -> WorkerError {
    WorkerError::Core(ErrorKind::InvalidParams { param, reason }.into())
}

fn check_len(param: &'static str, value: &str, max: usize) -> Result<()> {
    if value.len() > max {
        return Err(invalid(param, "is too long"));
    }
    Ok(())
}

/// `POST /login/ciba/start`.
pub async fn start(req: Request, env: &Env, config: &Config<'_>) -> Result<Response> {
    require_api_key(&req, config)?;
    let p: StartParams = read_json(req, false).await?;
    check_len("phoneNumber", &p.phone_number, MAX_PHONE_LEN)?;
    for (param, value) in [
        ("scope", &p.scope),
        ("bindingMessage", &p.binding_message),
        ("msn", &p.msn),
    ] {
        check_len(param, value.as_deref().unwrap_or_default(), MAX_VALUE_LEN)?;
    }
    check_len(
        "redirectUri",
        p.redirect_uri.as_deref().unwrap_or_default(),
        MAX_URI_LEN,
    )?;
    let allowed_scope = config.login_scope();
    let scope = match p.scope {
        None => allowed_scope,
        Some(scope) => {
            login_scope::check_requested(&scope, &allowed_scope)?;
            scope
        }
    };
    if let Some(uri) = &p.redirect_uri {
        config.check_redirect_uri(uri)?;
    }
    let msn = login_client::merchant(config, p.msn)?;
    let endpoints = config.endpoints()?;
    let client = login_client::client_auth(env, config, msn.as_deref()).await?;
    let redirect = p.redirect_uri.is_some();
    let request = ciba_start_request(&CibaStart {
        endpoint: endpoints.backchannel_authentication_endpoint(),
        client,
        phone_number: p.phone_number,
        scope,
        binding_message: p.binding_message,
        redirect_uri: p.redirect_uri,
    })
    .map_err(|e| setting_error(e, Credentials::Vipps))?;
    let sent_at = now_ms();
    // Not repeated: each start sends the user's phone a request.
    let res = upstream::send(&request, RetryPolicy::once(config.upstream_timeout_ms()?))
        .await
        .map_err(WorkerError::from_upstream)?;
    let received_at = now_ms();
    let started = match process_ciba_start_response(&res).map_err(WorkerError::from_upstream)? {
        CibaStartAnswer::Started(started) => started,
        CibaStartAnswer::RetryAfter(after) => {
            return Err(WorkerError::CibaRateLimited {
                retry_after_secs: after
                    .map(|a| seconds_until(a.until_ms(received_at), received_at)),
            })
        }
        _ => {
            return Err(WorkerError::Internal {
                reason: "an unknown answer to a CIBA start".into(),
            })
        }
    };
    let init = Init {
        auth_req_id: started.auth_req_id.clone(),
        redirect,
        msn,
        expires_in: started.expires_in,
        interval: started.interval,
        sent_at,
        received_at,
    };
    let body = serde_json::to_string(&init).map_err(|e| WorkerError::Internal {
        reason: e.to_string(),
    })?;
    let stub = ciba_session::stub(env, &started.auth_req_id)?;
    let stored = ciba_session::call(&stub, "init", Some(body)).await?;
    if stored.status_code() != 204 {
        return Err(WorkerError::Internal {
            reason: "the merchant-initiated login was not stored".into(),
        });
    }
    Ok(json_response(
        200,
        &StartAnswer {
            auth_req_id: started.auth_req_id,
            expires_in: started.expires_in,
            interval: started.interval,
        },
    ))
}

/// `POST /login/ciba/poll`.
pub async fn poll(req: Request, env: &Env, config: &Config<'_>) -> Result<Response> {
    require_api_key(&req, config)?;
    let p: PollParams = read_json(req, false).await?;
    let stub = ciba_session::stub(env, checked_id(&p.auth_req_id)?)?;
    relay(ciba_session::call(&stub, "poll", None).await?).await
}

/// `POST /login/ciba/token`.
pub async fn token(req: Request, env: &Env, config: &Config<'_>) -> Result<Response> {
    require_api_key(&req, config)?;
    let p: TokenParams = read_json(req, false).await?;
    check_len("code", &p.code, MAX_CODE_LEN)?;
    if p.code.is_empty() {
        return Err(invalid("code", "is empty"));
    }
    let stub = ciba_session::stub(env, checked_id(&p.auth_req_id)?)?;
    let body = serde_json::json!({ "code": p.code }).to_string();
    relay(ciba_session::call(&stub, "token", Some(body)).await?).await
}

/// An `authReqId` of another shape was never issued: no object is looked up for it.
fn checked_id(id: &str) -> Result<&str> {
    if is_auth_req_id(id) {
        Ok(id)
    } else {
        Err(WorkerError::CibaSession {
            reason: "unknown, expired or already handed out",
        })
    }
}

/// The object's answer as this worker's own (its headers are immutable and must take CORS).
async fn relay(mut res: Response) -> Result<Response> {
    let status = res.status_code();
    let retry_after = res.headers().get("Retry-After").ok().flatten();
    let body = res.bytes().await?;
    let mut out = bytes_response(status, body, "application/json; charset=utf-8", "no-store");
    if let Some(secs) = retry_after {
        let _ = out.headers_mut().set("Retry-After", &secs);
    }
    Ok(out)
}
