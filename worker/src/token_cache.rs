//! The `TokenCache` Durable Object: one per credential set (a hash of the token kind, Vipps
//! base URL, client id, MSN and scope), so every isolate in the world asks the same object.
//!
//! Concurrent cold requests share one in-flight upstream call (a DO does not serialise
//! requests while it awaits a fetch: the future is shared inside it). The token is kept in
//! memory and in DO storage (it survives restarts), refreshed once past 90 % of its
//! lifetime, never handed out with under a minute left. Failures are not cached. Each
//! isolate also keeps the token it last saw ([`isolate_get`] / [`isolate_put`]).
//!
//! The DO reads the credentials from its own `env`: secrets never travel in its requests.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use serde::{Deserialize, Serialize};
use vipps_auth::token::access_token::{access_token_request, process_access_token_response};
use vipps_auth::token::expiry::TokenLifetime;
use vipps_auth::token::miami::{miami_token_request, process_miami_token_response};
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use crate::config::{cache_key, setting_error, Config, Credentials};
use crate::error::{Result, WorkerError};
use crate::upstream::{self, RetryPolicy};
use crate::{json_response, now_secs};

/// The binding name in wrangler.toml.
pub const BINDING: &str = "TOKEN_CACHE";
const STORAGE_KEY: &str = "token";

/// Which token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// The Access Token API (`POST /accesstoken/get`).
    AccessToken,
    /// The partner token (`POST /miami/v1/token`).
    Miami,
}

/// What the worker asks the DO for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenQuery {
    pub kind: TokenKind,
    pub scope: Option<String>,
}

/// A token as cached. Kept in DO storage and isolate memory; never logged.
#[derive(Clone, Serialize, Deserialize)]
pub struct CachedToken {
    #[serde(rename = "accessToken")]
    pub access_token: String,
    #[serde(rename = "tokenType")]
    pub token_type: String,
    #[serde(rename = "obtainedAt")]
    pub obtained_at: i64,
    #[serde(rename = "expiresOn")]
    pub expires_on: i64,
}

impl core::fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CachedToken")
            .field("expires_on", &self.expires_on)
            .finish_non_exhaustive()
    }
}

impl CachedToken {
    fn lifetime(&self) -> TokenLifetime {
        TokenLifetime {
            obtained_at: self.obtained_at,
            expires_at: self.expires_on,
        }
    }

    /// Good to hand out without refreshing: usable and not past 90 % of its lifetime.
    pub fn is_fresh(&self, now: i64) -> bool {
        let life = self.lifetime();
        life.is_usable(now) && !life.should_refresh(now)
    }

    /// Still good to hand out (a minute or more left), though due for a refresh.
    pub fn is_usable(&self, now: i64) -> bool {
        self.lifetime().is_usable(now)
    }
}

/// The DO's answer: the token and whether it came from a cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenAnswer {
    #[serde(flatten)]
    pub token: CachedToken,
    pub cached: bool,
}

/// The DO's name for a credential set: a hash, so no credential shows in clear.
pub fn object_name(config: &Config, query: &TokenQuery) -> Result<String> {
    let base = config.endpoints()?.issuer;
    let scope = query.scope.as_deref().unwrap_or("");
    match query.kind {
        TokenKind::AccessToken => {
            let id = config.client_id()?;
            let msn = config.msn()?.unwrap_or_default();
            Ok(cache_key(&["accesstoken", &base, &id, &msn, scope]))
        }
        TokenKind::Miami => {
            let (id, _) = config.miami_credentials()?;
            Ok(cache_key(&["miami", &base, &id, scope]))
        }
    }
}

thread_local! {
    static ISOLATE_TOKENS: RefCell<HashMap<String, CachedToken>> = RefCell::new(HashMap::new());
}

/// The token this isolate last saw for `key`, if still fresh.
pub fn isolate_get(key: &str, now: i64) -> Option<CachedToken> {
    ISOLATE_TOKENS.with(|m| m.borrow().get(key).filter(|t| t.is_fresh(now)).cloned())
}

/// Remembers the token for `key` in this isolate.
pub fn isolate_put(key: &str, token: &CachedToken) {
    ISOLATE_TOKENS.with(|m| {
        m.borrow_mut().insert(key.to_owned(), token.clone());
    });
}

type Flight = Shared<LocalBoxFuture<'static, Result<CachedToken>>>;

#[derive(Default)]
struct Slot {
    token: Option<CachedToken>,
    loaded: bool,
    in_flight: Option<Flight>,
}

#[durable_object]
pub struct TokenCache {
    state: State,
    env: Env,
    slot: Rc<RefCell<Slot>>,
}

impl DurableObject for TokenCache {
    fn new(state: State, env: Env) -> Self {
        TokenCache {
            state,
            env,
            slot: Rc::new(RefCell::new(Slot::default())),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        // Errors go back inside `Ok`: an `Err` from a DO handler resets the object.
        let outcome = match req.json::<TokenQuery>().await {
            Ok(query) => self.token(query).await,
            Err(_) => Err(WorkerError::BadRequest {
                reason: "token query".into(),
            }),
        };
        Ok(match outcome {
            Ok(answer) => json_response(200, &answer),
            Err(e) => e.to_response(),
        })
    }
}

impl TokenCache {
    async fn token(&self, query: TokenQuery) -> Result<TokenAnswer> {
        let now = now_secs();
        if let Some(token) = self.fresh_in_memory(now) {
            return Ok(TokenAnswer {
                token,
                cached: true,
            });
        }
        if !self.slot.borrow().loaded {
            let stored = self
                .state
                .storage()
                .get::<CachedToken>(STORAGE_KEY)
                .await
                .ok()
                .flatten();
            let mut slot = self.slot.borrow_mut();
            slot.loaded = true;
            if slot.token.is_none() {
                slot.token = stored;
            }
            if let Some(token) = slot.token.clone().filter(|t| t.is_fresh(now)) {
                return Ok(TokenAnswer {
                    token,
                    cached: true,
                });
            }
        }

        let (flight, leader) = self.join_or_start(&query)?;
        let outcome = flight.clone().await;
        {
            let mut slot = self.slot.borrow_mut();
            if slot.in_flight.as_ref().is_some_and(|f| f.ptr_eq(&flight)) {
                slot.in_flight = None;
            }
        }
        match outcome {
            Ok(token) => {
                if leader {
                    // Best effort: a failed write only costs a refetch after a restart.
                    let _ = self.state.storage().put(STORAGE_KEY, &token).await;
                }
                Ok(TokenAnswer {
                    token,
                    cached: false,
                })
            }
            Err(e) => {
                // A failed refresh of a still-usable token: hand out the old one.
                let old = self
                    .slot
                    .borrow()
                    .token
                    .clone()
                    .filter(|t| t.is_usable(now_secs()));
                match old {
                    Some(token) => Ok(TokenAnswer {
                        token,
                        cached: true,
                    }),
                    None => Err(e),
                }
            }
        }
    }

    fn fresh_in_memory(&self, now: i64) -> Option<CachedToken> {
        self.slot.borrow().token.clone().filter(|t| t.is_fresh(now))
    }

    /// The call in flight, or a new one; `true` when this request started it.
    fn join_or_start(&self, query: &TokenQuery) -> Result<(Flight, bool)> {
        if let Some(flight) = self.slot.borrow().in_flight.clone() {
            return Ok((flight, false));
        }
        let flight = fetch_token(&Config::new(&self.env), query, self.slot.clone())?;
        self.slot.borrow_mut().in_flight = Some(flight.clone());
        Ok((flight, true))
    }
}

/// Builds the upstream call (reading the credentials now) as a shareable future that also
/// stores the new token in the slot.
fn fetch_token(config: &Config, query: &TokenQuery, slot: Rc<RefCell<Slot>>) -> Result<Flight> {
    let endpoints = config.endpoints()?;
    let policy = RetryPolicy::idempotent(config.upstream_timeout_ms()?);
    let kind = query.kind;
    let request = match kind {
        TokenKind::AccessToken => access_token_request(
            &endpoints.access_token_endpoint,
            &config.access_token_credentials()?,
        )
        .map_err(|e| setting_error(e, Credentials::Vipps))?,
        TokenKind::Miami => {
            let (id, secret) = config.miami_credentials()?;
            miami_token_request(
                &endpoints.miami_token_endpoint,
                &id,
                &secret,
                query.scope.as_deref(),
            )
            .map_err(|e| setting_error(e, Credentials::Miami))?
        }
    };
    let future = async move {
        let sent_at = now_secs();
        let res = upstream::send(&request, policy)
            .await
            .map_err(WorkerError::from_upstream)?;
        // Lifetimes count from when the request left (the conservative end), by the core's
        // rule: Vipps' absolute `expires_on` only shortens them, and one not after the send
        // time (Vipps' clock behind ours, or 0) is ignored rather than expiring the token.
        let (access_token, token_type, lifetime) = match kind {
            TokenKind::AccessToken => {
                let t = process_access_token_response(&res).map_err(WorkerError::from_upstream)?;
                let lifetime = TokenLifetime::for_access_token(&t, sent_at);
                (t.access_token, t.token_type, lifetime)
            }
            TokenKind::Miami => {
                let t = process_miami_token_response(&res).map_err(WorkerError::from_upstream)?;
                let lifetime = TokenLifetime::for_miami_token(&t, sent_at);
                (t.access_token, t.token_type, lifetime)
            }
        };
        let token = CachedToken {
            access_token: access_token.into_secret(),
            token_type,
            obtained_at: lifetime.obtained_at,
            expires_on: lifetime.expires_at,
        };
        slot.borrow_mut().token = Some(token.clone());
        Ok(token)
    };
    Ok(future.boxed_local().shared())
}
