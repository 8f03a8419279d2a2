//! The Login code exchange, one pass from code to answer: exchange request -> send once ->
//! process -> the granted scope (`crate::login_scope`) -> the identity checks of
//! `crate::identity` (signature, claims per OpenID Connect Core 1.0 section 3.1.3.7,
//! userinfo). Used by `POST /login/token` for a login the SPA started itself, and inside the
//! `LoginSession` Durable Object for one the worker started.
//!
//! The answer is `{idToken, claims, userinfo?}`: never the access token.

use vipps_auth::id_token::IdTokenExpectations;
use vipps_auth::secret::{AuthorizationCode, CodeVerifier, Nonce};
use vipps_auth::token::login::{
    code_exchange_request, process_code_exchange_response, CodeExchange,
};
use worker::Env;

use crate::config::{setting_error, Config, Credentials};
use crate::error::WorkerError;
use crate::identity::{identity, Identity};
use crate::login_client;
use crate::login_scope;
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
    /// The scope a login started with `/login/start` asked for: Vipps may grant no more. `None`
    /// for a login the SPA started itself, which only `LOGIN_SCOPE` limits.
    pub scope: Option<String>,
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
) -> Result<Identity, ExchangeFailure> {
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
    let login_scope = config.login_scope();
    let limits: Vec<&str> = core::iter::once(login_scope.as_str())
        .chain(x.scope.as_deref())
        .collect();
    login_scope::check_granted(tokens.scope.as_deref(), &limits).map_err(ExchangeFailure::spent)?;
    let mut expect = IdTokenExpectations::new(endpoints.issuer.clone(), audience);
    expect.nonce = Some(x.nonce.into_secret());
    identity(
        config,
        &endpoints,
        tokens.id_token,
        &tokens.access_token,
        expect,
        x.include_userinfo,
    )
    .await
    .map_err(ExchangeFailure::spent)
}
