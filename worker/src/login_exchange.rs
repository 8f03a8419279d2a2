//! The Login code exchange, one pass from code to answer: exchange request -> send once ->
//! process -> verify the ID token's signature -> validate its claims (OpenID Connect Core
//! 1.0 section 3.1.3.7) -> userinfo. Used by `POST /login/token` for a login the SPA started
//! itself, and inside the `LoginSession` Durable Object for one the worker started.
//!
//! The answer is `{idToken, claims, userinfo?}`: never the access token.

use serde::{Deserialize, Serialize};
use vipps_auth::id_token::{self, IdTokenExpectations};
use vipps_auth::json;
use vipps_auth::secret::{AuthorizationCode, CodeVerifier, Nonce};
use vipps_auth::token::login::{
    code_exchange_request, process_code_exchange_response, CodeExchange,
};
use vipps_auth::token::userinfo::{process_userinfo_response, userinfo_request};
use worker::Env;

use crate::config::{setting_error, Config, Credentials};
use crate::error::WorkerError;
use crate::jwks;
use crate::login_client;
use crate::now_secs;
use crate::upstream::{self, RetryPolicy};

/// What one code exchange needs. Never logged.
pub struct LoginExchange {
    pub code: AuthorizationCode,
    pub code_verifier: CodeVerifier,
    pub redirect_uri: String,
    pub nonce: Nonce,
    pub include_userinfo: bool,
    /// The merchant a partner logs the user in for (partner mode), else `None`.
    pub msn: Option<String>,
}

/// The answer of a finished login.
#[derive(Serialize, Deserialize)]
pub struct LoginAnswer {
    #[serde(rename = "idToken")]
    pub id_token: String,
    pub claims: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub userinfo: Option<serde_json::Value>,
}

/// A failed exchange, and whether it used the code up.
#[derive(Debug, Clone)]
pub struct ExchangeFailure {
    pub error: WorkerError,
    /// Vipps took the code (its token endpoint answered 2xx, so a later step failed) or
    /// refused it (`invalid_grant` and other 400s about the code): the code cannot finish a
    /// login any more. `false` for failures that never reached a verdict on the code: the
    /// worker's configuration, a network failure, a timeout, a 5xx.
    pub code_spent: bool,
}

impl ExchangeFailure {
    fn unspent(error: WorkerError) -> Self {
        ExchangeFailure {
            error,
            code_spent: false,
        }
    }

    fn spent(error: WorkerError) -> Self {
        ExchangeFailure {
            error,
            code_spent: true,
        }
    }
}

/// Exchanges the code once (it is single-use: never sent twice, never retried here) and
/// checks everything before answering.
pub async fn exchange(
    env: &Env,
    config: &Config<'_>,
    x: LoginExchange,
) -> Result<LoginAnswer, ExchangeFailure> {
    let endpoints = config.endpoints().map_err(ExchangeFailure::unspent)?;
    let msn = x.msn.as_deref();
    let audience = login_client::audience(config, msn).map_err(ExchangeFailure::unspent)?;
    let client = login_client::client_auth(env, config, msn)
        .await
        .map_err(ExchangeFailure::unspent)?;
    let timeout = config
        .upstream_timeout_ms()
        .map_err(ExchangeFailure::unspent)?;
    let request = code_exchange_request(CodeExchange {
        token_endpoint: endpoints.token_endpoint.clone(),
        client,
        code: x.code,
        redirect_uri: x.redirect_uri,
        code_verifier: x.code_verifier,
    })
    .map_err(|e| ExchangeFailure::unspent(setting_error(e, Credentials::Vipps)))?;
    let res = upstream::send(&request, RetryPolicy::once(timeout))
        .await
        .map_err(|e| ExchangeFailure::unspent(WorkerError::from_code_exchange(e)))?;
    let accepted = (200..300).contains(&res.status);
    let tokens = process_code_exchange_response(&res).map_err(|e| {
        let error = WorkerError::from_code_exchange(e);
        if accepted || matches!(error, WorkerError::CodeRejected { .. }) {
            ExchangeFailure::spent(error)
        } else {
            ExchangeFailure::unspent(error)
        }
    })?;

    // From here on Vipps has taken the code: every failure uses the login up.
    let verified = jwks::verify_id_token(config, &endpoints.jwks_uri, &tokens.id_token)
        .await
        .map_err(ExchangeFailure::spent)?;
    let mut expect = IdTokenExpectations::new(endpoints.issuer.clone(), audience);
    expect.nonce = Some(x.nonce.into_secret());
    expect.access_token = Some(tokens.access_token.clone());
    let claims = id_token::validate(&verified, &expect, now_secs())
        .map_err(|e| ExchangeFailure::spent(e.into()))?;
    let sub = claims.get_str("sub").map(str::to_owned);
    let claims_json = to_serde(claims);

    let userinfo = if x.include_userinfo {
        let request = userinfo_request(&endpoints.userinfo_endpoint, &tokens.access_token)
            .map_err(|e| ExchangeFailure::spent(e.into()))?;
        let res = upstream::send(&request, RetryPolicy::idempotent(timeout))
            .await
            .map_err(|e| ExchangeFailure::spent(WorkerError::from_upstream(e)))?;
        let info = process_userinfo_response(&res, sub.as_deref())
            .map_err(|e| ExchangeFailure::spent(WorkerError::from_upstream(e)))?;
        Some(to_serde(&info))
    } else {
        None
    };
    Ok(LoginAnswer {
        id_token: tokens.id_token,
        claims: claims_json,
        userinfo,
    })
}

fn to_serde(object: &json::Object) -> serde_json::Value {
    serde_json::from_str(&json::Value::Object(object.clone()).to_json())
        .unwrap_or(serde_json::Value::Null)
}
