//! Vipps Login: `GET /login/config`, `GET /login/jwks`, `POST /login/start`,
//! `POST /login/token`. The worker exchanges the code with the client secret, validates the
//! ID token (signature through WebCrypto, then the OIDC claims) and answers
//! `{idToken, claims, userinfo?}`: never the access token.

use serde::{Deserialize, Serialize};
use vipps_auth::authorize::{start_login, AuthorizeRequest, ClientIdentity, RequestedFlow};
use vipps_auth::id_token::{self, Audience, IdTokenExpectations};
use vipps_auth::json;
use vipps_auth::secret::{AuthorizationCode, CodeVerifier};
use vipps_auth::token::login::{
    code_exchange_request, process_code_exchange_response, CodeExchange,
};
use vipps_auth::token::userinfo::{process_userinfo_response, userinfo_request};
use worker::{Env, Request, Response};

use crate::config::{setting_error, Config, Credentials};
use crate::error::{Result, WorkerError};
use crate::jwks;
use crate::login_session::{self, Session, SESSION_TTL_SECS};
use crate::upstream::{self, RetryPolicy};
use crate::webcrypto::SystemRandom;
use crate::{bytes_response, json_response, now_secs, read_json};

const MAX_CODE_LEN: usize = 2048;
const MAX_URI_LEN: usize = 2048;
const MAX_VALUE_LEN: usize = 512;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginConfig {
    issuer: String,
    authorization_endpoint: String,
    client_id: String,
    scope: String,
    redirect_uris: Vec<String>,
}

/// `GET /login/config`: the public settings an SPA needs to start a login itself.
pub fn config(config: &Config<'_>) -> Result<Response> {
    let endpoints = config.endpoints()?;
    Ok(json_response(
        200,
        &LoginConfig {
            issuer: endpoints.issuer,
            authorization_endpoint: endpoints.authorization_endpoint,
            client_id: config.client_id()?,
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
}

#[derive(Serialize)]
struct StartAnswer {
    url: String,
    state: String,
}

/// `POST /login/start`: makes state, nonce and PKCE here, keeps them in a `LoginSession`
/// for ten minutes and answers `{url, state}`.
pub async fn start(req: Request, env: &Env, config: &Config<'_>) -> Result<Response> {
    let params: StartParams = read_json(req, false).await?;
    check_len("redirectUri", &params.redirect_uri, MAX_URI_LEN)?;
    config.check_redirect_uri(&params.redirect_uri)?;
    let scope = match params.scope {
        Some(s) => {
            check_len("scope", &s, MAX_VALUE_LEN)?;
            s
        }
        None => config.login_scope(),
    };
    let endpoints = config.endpoints()?;
    let mut request = AuthorizeRequest::new(
        endpoints.authorization_endpoint,
        ClientIdentity::ClientId(config.client_id()?),
        params.redirect_uri.clone(),
        scope.split_whitespace().map(str::to_owned).collect(),
    );
    if let Some(flow) = params.requested_flow {
        check_len("requestedFlow", &flow, MAX_VALUE_LEN)?;
        request.requested_flow = Some(flow.parse::<RequestedFlow>()?);
    }
    let started = start_login(request, &mut SystemRandom)?;
    let session = Session {
        nonce: started.nonce.into_secret(),
        code_verifier: started.code_verifier.into_secret(),
        redirect_uri: params.redirect_uri,
        expires_at: now_secs() + SESSION_TTL_SECS,
    };
    let state = started.state.into_secret();
    login_session::put(&login_session::stub(env, &state)?, &session).await?;
    Ok(json_response(
        200,
        &StartAnswer {
            url: started.url,
            state,
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
    include_userinfo: Option<bool>,
}

#[derive(Serialize)]
struct TokenAnswer {
    #[serde(rename = "idToken")]
    id_token: String,
    claims: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    userinfo: Option<serde_json::Value>,
}

/// `POST /login/token`: `{code, codeVerifier, redirectUri, nonce}` from an SPA that started
/// the login itself, or `{code, state}` after `/login/start` (the session is used once).
pub async fn token(req: Request, env: &Env, config: &Config<'_>) -> Result<Response> {
    let params: TokenParams = read_json(req, false).await?;
    check_len("code", &params.code, MAX_CODE_LEN)?;
    if params.code.is_empty() {
        return Err(bad("code must not be empty"));
    }
    let session = match (
        &params.state,
        &params.code_verifier,
        &params.redirect_uri,
        &params.nonce,
    ) {
        (Some(state), None, None, None) => {
            check_len("state", state, MAX_VALUE_LEN)?;
            login_session::take(&login_session::stub(env, state)?).await?
        }
        (None, Some(verifier), Some(redirect_uri), Some(nonce)) => {
            check_len("codeVerifier", verifier, MAX_VALUE_LEN)?;
            check_len("redirectUri", redirect_uri, MAX_URI_LEN)?;
            check_len("nonce", nonce, MAX_VALUE_LEN)?;
            Session {
                nonce: nonce.clone(),
                code_verifier: verifier.clone(),
                redirect_uri: redirect_uri.clone(),
                expires_at: 0,
            }
        }
        _ => {
            return Err(bad(
                "send either {code, state} or {code, codeVerifier, redirectUri, nonce}",
            ))
        }
    };
    config.check_redirect_uri(&session.redirect_uri)?;

    let endpoints = config.endpoints()?;
    let client = config.login_client()?;
    let client_id = client.client_id.clone();
    let timeout = config.upstream_timeout_ms()?;
    let exchange = code_exchange_request(CodeExchange {
        token_endpoint: endpoints.token_endpoint.clone(),
        client_id: client.client_id,
        client_secret: client.client_secret,
        auth: client.auth,
        code: AuthorizationCode::new(params.code),
        redirect_uri: session.redirect_uri,
        code_verifier: CodeVerifier::new(session.code_verifier),
    })
    .map_err(|e| setting_error(e, Credentials::Vipps))?;
    // The code is single-use: never send it twice.
    let res = upstream::send(&exchange, RetryPolicy::once(timeout))
        .await
        .map_err(WorkerError::from_code_exchange)?;
    let tokens = process_code_exchange_response(&res).map_err(WorkerError::from_code_exchange)?;

    let verified = jwks::verify_id_token(config, &endpoints.jwks_uri, &tokens.id_token).await?;
    let mut expect =
        IdTokenExpectations::new(endpoints.issuer.clone(), Audience::ClientId(client_id));
    expect.nonce = Some(session.nonce);
    expect.access_token = Some(tokens.access_token.clone());
    let claims = id_token::validate(&verified, &expect, now_secs())?;
    let sub = claims.get_str("sub").map(str::to_owned);
    let claims_json = to_serde(claims);

    let userinfo = if params.include_userinfo.unwrap_or(true) {
        let request = userinfo_request(&endpoints.userinfo_endpoint, &tokens.access_token)?;
        let res = upstream::send(&request, RetryPolicy::idempotent(timeout))
            .await
            .map_err(WorkerError::from_upstream)?;
        let info =
            process_userinfo_response(&res, sub.as_deref()).map_err(WorkerError::from_upstream)?;
        Some(to_serde(&info))
    } else {
        None
    };
    Ok(json_response(
        200,
        &TokenAnswer {
            id_token: tokens.id_token,
            claims: claims_json,
            userinfo,
        },
    ))
}

fn to_serde(object: &json::Object) -> serde_json::Value {
    serde_json::from_str(&json::Value::Object(object.clone()).to_json())
        .unwrap_or(serde_json::Value::Null)
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
