//! `POST /accesstoken` and `POST /miami/token`: cached server-to-server tokens, behind the
//! API-key guard. The isolate's own copy answers when fresh; otherwise the credential set's
//! `TokenCache` Durable Object does (one upstream call for any number of cold requests).

use serde::{Deserialize, Serialize};
use worker::{Env, Method, Request, RequestInit, Response};

use crate::body::read_json;
use crate::config::Config;
use crate::error::{ErrorBody, Result, WorkerError};
use crate::guard::require_api_key;
use crate::token_cache::{self, TokenAnswer, TokenKind, TokenQuery};
use crate::{json_response, now_secs};

/// Longest `scope` accepted for a miami token.
const MAX_SCOPE_LEN: usize = 512;

/// `POST /accesstoken` takes no parameters (an empty body or `{}`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoParams {}

/// `POST /miami/token` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MiamiParams {
    scope: Option<String>,
}

/// The answer: the token, when it expires (epoch seconds) and whether it came from a cache.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenBody<'a> {
    access_token: &'a str,
    token_type: &'a str,
    expires_on: i64,
    cached: bool,
}

pub async fn access_token(req: Request, env: &Env, config: &Config<'_>) -> Result<Response> {
    require_api_key(&req, config)?;
    let NoParams {} = read_json(req, true).await?;
    serve(
        env,
        config,
        TokenQuery {
            kind: TokenKind::AccessToken,
            scope: None,
        },
    )
    .await
}

pub async fn miami_token(req: Request, env: &Env, config: &Config<'_>) -> Result<Response> {
    require_api_key(&req, config)?;
    let MiamiParams { scope } = read_json(req, true).await?;
    let scope = scope.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if let Some(s) = &scope {
        if s.len() > MAX_SCOPE_LEN || !s.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            return Err(WorkerError::BadRequest {
                reason: "scope must be at most 512 printable ASCII characters".into(),
            });
        }
    }
    serve(
        env,
        config,
        TokenQuery {
            kind: TokenKind::Miami,
            scope,
        },
    )
    .await
}

async fn serve(env: &Env, config: &Config<'_>, query: TokenQuery) -> Result<Response> {
    Ok(answer(&cached(env, config, query).await?))
}

/// The Access Token API token of the worker's keys, from the cache: with
/// `LOGIN_PARTNER_MSNS` set these are partner keys, and this is the token a partner sends as
/// `Authorization: Bearer` to Vipps Login (partner login, merchant-initiated login).
pub async fn partner_access_token(env: &Env, config: &Config<'_>) -> Result<String> {
    let query = TokenQuery {
        kind: TokenKind::AccessToken,
        scope: None,
    };
    Ok(cached(env, config, query).await?.token.access_token)
}

/// The token of the query's credential set: this isolate's copy when fresh, else the one
/// the set's `TokenCache` object holds (or fetches, once for any number of callers).
async fn cached(env: &Env, config: &Config<'_>, query: TokenQuery) -> Result<TokenAnswer> {
    let key = token_cache::object_name(config, &query)?;
    if let Some(token) = token_cache::isolate_get(&key, now_secs()) {
        return Ok(TokenAnswer {
            token,
            cached: true,
        });
    }
    let stub = env
        .durable_object(token_cache::BINDING)?
        .id_from_name(&key)?
        .get_stub()?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(
        serde_json::to_string(&query)
            .map_err(|e| WorkerError::Internal {
                reason: e.to_string(),
            })?
            .into(),
    ));
    let mut res = stub
        .fetch_with_request(Request::new_with_init("https://token-cache/token", &init)?)
        .await?;
    if res.status_code() != 200 {
        let status = res.status_code();
        let body: ErrorBody = res.json().await.map_err(|_| WorkerError::Internal {
            reason: "token cache answer".into(),
        })?;
        return Err(WorkerError::Relayed {
            status,
            code: body.error,
            message: body.message,
            vipps_error: body.vipps_error,
        });
    }
    let answer_from_do: TokenAnswer = res.json().await.map_err(|_| WorkerError::Internal {
        reason: "token cache answer".into(),
    })?;
    token_cache::isolate_put(&key, &answer_from_do.token);
    Ok(answer_from_do)
}

fn answer(a: &TokenAnswer) -> Response {
    json_response(
        200,
        &TokenBody {
            access_token: &a.token.access_token,
            token_type: &a.token.token_type,
            expires_on: a.token.expires_on,
            cached: a.cached,
        },
    )
}
