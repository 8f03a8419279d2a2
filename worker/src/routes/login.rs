//! Vipps Login: `GET /login/config`, `GET /login/jwks`, `POST /login/start`,
//! `POST /login/token`, `POST /login/result`. The worker exchanges the code with the client
//! secret, validates the ID token (signature through WebCrypto, then the OIDC claims) and
//! answers `{idToken, claims, userinfo?}`: never the access token. A login the worker
//! started is bound to the browser that started it (see `login_session`).

use serde::{Deserialize, Serialize};
use vipps_auth::authorize::{start_login, AuthorizeRequest, RequestedFlow};
use vipps_auth::secret::{AuthorizationCode, CodeVerifier, Nonce};
use worker::{Env, Request, Response};

use crate::body::read_json;
use crate::config::Config;
use crate::error::{Result, WorkerError};
use crate::jwks;
use crate::login_client;
use crate::login_exchange::{self, LoginExchange};
use crate::login_scope;
use crate::login_session::{self, SessionState, Started, SESSION_TTL_SECS};
use crate::webcrypto::SystemRandom;
use crate::{bytes_response, json_response, now_secs};

const MAX_CODE_LEN: usize = 2048;
const MAX_URI_LEN: usize = 2048;
const MAX_VALUE_LEN: usize = 512;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginConfig {
    issuer: String,
    authorization_endpoint: String,
    /// The sales unit's client id; absent in partner mode, where `msns` names the merchants
    /// (the partner's own key id is not what an SPA authorizes with: docs/decisions.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    msns: Vec<String>,
    scope: String,
    redirect_uris: Vec<String>,
}

/// `GET /login/config`: the public settings an SPA needs to start a login itself:
/// `clientId`, or in partner mode `msns` (the merchants it may authorize for with `msn`).
pub fn config(config: &Config<'_>) -> Result<Response> {
    let endpoints = config.endpoints()?;
    let msns = config.partner_msns()?;
    let client_id = if msns.is_empty() {
        Some(config.client_id()?)
    } else {
        None
    };
    Ok(json_response(
        200,
        &LoginConfig {
            issuer: endpoints.issuer,
            authorization_endpoint: endpoints.authorization_endpoint,
            client_id,
            msns,
            scope: config.login_scope(),
            redirect_uris: config.redirect_uris()?,
        },
    ))
}

/// `GET /login/jwks`: the Vipps JWKS as cached, so browsers can check signatures too.
pub async fn jwks(config: &Config<'_>) -> Result<Response> {
    let uri = config.endpoints()?.jwks_uri;
    let body = jwks::document(config, &uri, false).await?;
    let max_age = format!("public, max-age={}", jwks::JWKS_MAX_AGE_SECS);
    Ok(bytes_response(
        200,
        body,
        "application/jwk-set+json",
        &max_age,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StartParams {
    redirect_uri: String,
    scope: Option<String>,
    requested_flow: Option<String>,
    msn: Option<String>,
    include_userinfo: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StartAnswer {
    url: String,
    state: String,
    session_key: String,
}

/// `POST /login/start`: makes state, nonce, PKCE and the session key here, keeps what the
/// exchange needs (and the key's hash) in a `LoginSession` for ten minutes, and answers
/// `{url, state, sessionKey}`: the key only to this caller, the browser that starts. The
/// session keeps this caller's choices (`scope`, `includeUserinfo`): whoever later sends the
/// code cannot widen the one or change the other.
pub async fn start(req: Request, env: &Env, config: &Config<'_>) -> Result<Response> {
    let params: StartParams = read_json(req, false).await?;
    check_len("redirectUri", &params.redirect_uri, MAX_URI_LEN)?;
    config.check_redirect_uri(&params.redirect_uri)?;
    let allowed_scope = config.login_scope();
    let scope = match params.scope {
        Some(s) => {
            check_len("scope", &s, MAX_VALUE_LEN)?;
            login_scope::check_requested(&s, &allowed_scope)?;
            s
        }
        None => allowed_scope,
    };
    check_len(
        "msn",
        params.msn.as_deref().unwrap_or_default(),
        MAX_VALUE_LEN,
    )?;
    let msn = login_client::merchant(config, params.msn)?;
    let endpoints = config.endpoints()?;
    let mut request = AuthorizeRequest::new(
        endpoints.authorization_endpoint,
        login_client::identity(config, msn.as_deref())?,
        params.redirect_uri.clone(),
        scope.split_whitespace().map(str::to_owned).collect(),
    );
    if let Some(flow) = params.requested_flow {
        check_len("requestedFlow", &flow, MAX_VALUE_LEN)?;
        request.requested_flow = Some(flow.parse::<RequestedFlow>()?);
    }
    let started = start_login(request, &mut SystemRandom)?;
    let key = login_session::new_session_key()?;
    let state = started.state.into_secret();
    login_session::start(
        env,
        &state,
        &key,
        now_secs() + SESSION_TTL_SECS,
        Started {
            nonce: started.nonce.into_secret(),
            code_verifier: started.code_verifier.into_secret(),
            redirect_uri: params.redirect_uri,
            msn,
            scope: Some(scope),
            include_userinfo: params.include_userinfo.unwrap_or(true),
        },
    )
    .await?;
    Ok(json_response(
        200,
        &StartAnswer {
            url: started.url,
            state,
            session_key: key.into_secret(),
        },
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TokenParams {
    code: String,
    code_verifier: Option<String>,
    redirect_uri: Option<String>,
    nonce: Option<String>,
    state: Option<String>,
    session_key: Option<String>,
    include_userinfo: Option<bool>,
    msn: Option<String>,
}

/// `POST /login/token`: `{code, codeVerifier, redirectUri, nonce}` from an SPA that started
/// the login itself; `{code, state, sessionKey}` from the browser that called `/login/start`;
/// `{code, state}` from any other browser, which gets `202 {"status":"handed_off"}` while the
/// login waits for the starting browser (`/login/result`).
pub async fn token(req: Request, env: &Env, config: &Config<'_>) -> Result<Response> {
    let params: TokenParams = read_json(req, false).await?;
    check_len("code", &params.code, MAX_CODE_LEN)?;
    if params.code.is_empty() {
        return Err(bad("code must not be empty"));
    }
    match (
        params.state,
        params.session_key,
        params.code_verifier,
        params.redirect_uri,
        params.nonce,
    ) {
        (Some(state), key, None, None, None) => {
            if params.msn.is_some() {
                return Err(bad(
                    "msn is not sent with state: the session remembers the merchant",
                ));
            }
            if params.include_userinfo.is_some() {
                // Else a browser without the key (a leaked callback URL) would decide what
                // the starting browser gets.
                return Err(bad(
                    "includeUserinfo is not sent with state: /login/start takes it",
                ));
            }
            if key.is_none() && !config.handoff_allowed()? {
                // LOGIN_HANDOFF=off: only the starting browser finishes its login; the code
                // is not exchanged and the session stays usable for it.
                return Err(WorkerError::LoginSession);
            }
            let state = SessionState::parse(&state)?;
            let key_hash = key.as_deref().map(login_session::presented_key).transpose()?;
            login_session::exchange(env, state, params.code, key_hash).await
        }
        (None, None, Some(verifier), Some(redirect_uri), Some(nonce)) => {
            check_len("codeVerifier", &verifier, MAX_VALUE_LEN)?;
            check_len("redirectUri", &redirect_uri, MAX_URI_LEN)?;
            check_len("nonce", &nonce, MAX_VALUE_LEN)?;
            config.check_redirect_uri(&redirect_uri)?;
            check_len("msn", params.msn.as_deref().unwrap_or_default(), MAX_VALUE_LEN)?;
            let msn = login_client::merchant(config, params.msn)?;
            let exchange = LoginExchange {
                code: AuthorizationCode::new(params.code),
                code_verifier: CodeVerifier::new(verifier),
                redirect_uri,
                nonce: Nonce::new(nonce),
                include_userinfo: params.include_userinfo.unwrap_or(true),
                msn,
                scope: None,
            };
            let answer = login_exchange::exchange(env, config, exchange)
                .await
                .map_err(|failure| failure.error)?;
            Ok(json_response(200, &answer))
        }
        _ => Err(bad(
            "send {code, state, sessionKey}, {code, state} or {code, codeVerifier, redirectUri, nonce}",
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ResultParams {
    state: String,
    session_key: String,
}

/// `POST /login/result {state, sessionKey}`: the starting browser collects a login finished
/// in another browser: 200 with the `/login/token` answer (once), 202 `pending` before, and
/// one `ERR_LOGIN_SESSION` for everything else.
pub async fn result(req: Request, env: &Env) -> Result<Response> {
    let params: ResultParams = read_json(req, false).await?;
    let state = SessionState::parse(&params.state)?;
    let key_hash = login_session::presented_key(&params.session_key)?;
    login_session::result(env, state, key_hash).await
}

fn check_len(name: &str, value: &str, max: usize) -> Result<()> {
    if value.len() > max {
        return Err(bad(&format!("{name} is longer than {max} bytes")));
    }
    Ok(())
}

fn bad(reason: &str) -> WorkerError {
    WorkerError::BadRequest {
        reason: reason.to_owned(),
    }
}
