//! Shared state: config, keys, login sessions, counters and faults.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::config::Config;
use crate::faults::Faults;
use crate::keys::KeyRing;
use crate::stats::Stats;

/// Whether PKCE was requested, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pkce {
    None,
    Plain(String),
    S256(String),
}

/// A validated authorization request, waiting for consent or bound to a code.
#[derive(Clone, Debug)]
pub struct AuthRequest {
    pub client_id: String,
    pub msn: Option<String>,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: String,
    pub nonce: Option<String>,
    pub pkce: Pkce,
    /// When the authorize request arrived (the `rat` claim).
    pub requested_at: u64,
}

pub struct Pending {
    pub request: AuthRequest,
    pub expires_at: u64,
}

pub struct Code {
    pub request: AuthRequest,
    pub auth_time: u64,
    pub expires_at: u64,
    pub used: bool,
}

pub struct LoginToken {
    pub sub: String,
    pub scopes: Vec<String>,
    pub expires_at: u64,
}

/// The clock behind the Access Token API's absolute times (`expires_on`, `not_before`), set
/// by `POST /_emulator/clock`: Vipps' clock need not agree with the caller's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccessTokenClock {
    /// Seconds added to the emulator's clock for those times (negative: Vipps is behind).
    pub skew_secs: i64,
    /// An `expires_on` sent as is instead of the computed one (e.g. `0`).
    pub fixed_expires_on: Option<i64>,
}

/// Who authenticated at the token or backchannel endpoint: the sales unit with its own keys
/// (`msn: None`), or a partner acting for the merchant `msn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub client_id: String,
    pub msn: Option<String>,
}

/// Where a merchant-initiated (CIBA) login stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CibaStatus {
    /// Waiting for the user.
    Pending,
    /// The user approved; the tokens are not collected yet.
    Approved,
    /// The user denied.
    Denied,
    /// Expired early through `/_emulator/ciba/expire`.
    Expired,
    /// The tokens were handed out (or the redirect code was issued): the id is used up.
    Done,
}

/// A merchant-initiated login, keyed by its `auth_req_id`.
#[derive(Clone, Debug)]
pub struct CibaLogin {
    pub client: Client,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    /// `Some` for the redirect variant (`requested_flow=login_to_webpage`).
    pub redirect_uri: Option<String>,
    pub status: CibaStatus,
    /// The current least time between polls, ms (`interval`, + 5 s per `slow_down`).
    pub interval_ms: u64,
    /// When the last poll (or, before any, the acknowledgement) arrived, ms since the epoch.
    pub last_poll_ms: u64,
    pub requested_at: u64,
    pub approved_at: u64,
    pub expires_at: u64,
}

/// The code of the redirect variant, for `grant_type=urn:vipps:params:grant-type:ciba-redirect`.
pub struct CibaCode {
    pub auth_req_id: String,
    pub expires_at: u64,
    pub used: bool,
}

/// Login state that `/_emulator/reset` clears.
#[derive(Default)]
pub struct Sessions {
    pub pending: HashMap<String, Pending>,
    pub codes: HashMap<String, Code>,
    pub tokens: HashMap<String, LoginToken>,
    /// Access Token API tokens issued (token -> expiry): the partner's Bearer tokens.
    pub access_tokens: HashMap<String, u64>,
    pub ciba: HashMap<String, CibaLogin>,
    pub ciba_codes: HashMap<String, CibaCode>,
    /// Claims the next ID token gets instead of (or beside) its own, set by
    /// `POST /_emulator/id-token-claims`; a `null` removes the claim. Used once.
    pub next_id_token_claims: Option<serde_json::Map<String, serde_json::Value>>,
    /// Fields the next token response gets instead of (or beside) its own, set by
    /// `POST /_emulator/token-response-fields`; a `null` removes the field. Used once.
    pub next_token_response_fields: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Sessions {
    /// Drops entries long past their expiry so memory stays bounded.
    pub fn prune(&mut self, now: u64) {
        const KEEP_USED_CODES_SECS: u64 = 600;
        self.pending.retain(|_, p| p.expires_at > now);
        self.codes
            .retain(|_, c| c.expires_at.saturating_add(KEEP_USED_CODES_SECS) > now);
        self.tokens.retain(|_, t| t.expires_at > now);
        self.access_tokens.retain(|_, expires_at| *expires_at > now);
        // Expired logins are kept a while, so that polls get `expired_token`.
        self.ciba
            .retain(|_, l| l.expires_at.saturating_add(KEEP_USED_CODES_SECS) > now);
        self.ciba_codes
            .retain(|_, c| c.expires_at.saturating_add(KEEP_USED_CODES_SECS) > now);
    }
}

pub struct AppState {
    pub config: Config,
    pub keys: Mutex<KeyRing>,
    pub sessions: Mutex<Sessions>,
    pub stats: Mutex<Stats>,
    pub faults: Mutex<Faults>,
    pub clock: Mutex<AccessTokenClock>,
    /// `POST /_emulator/authorization-iss`: authorization redirects carry `iss` (RFC 9207).
    pub authorization_iss: AtomicBool,
}

pub type Shared = Arc<AppState>;

/// Locks a mutex; a poisoned lock (a panic elsewhere) still yields the data.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    pub fn new(config: Config) -> Shared {
        Arc::new(Self {
            config,
            keys: Mutex::new(KeyRing::new()),
            sessions: Mutex::new(Sessions::default()),
            stats: Mutex::new(Stats::default()),
            faults: Mutex::new(Faults::default()),
            clock: Mutex::new(AccessTokenClock::default()),
            authorization_iss: AtomicBool::new(false),
        })
    }

    pub fn issuer(&self) -> String {
        self.config.issuer()
    }

    pub fn reset(&self) {
        *lock(&self.keys) = KeyRing::new();
        *lock(&self.sessions) = Sessions::default();
        *lock(&self.stats) = Stats::default();
        *lock(&self.faults) = Faults::default();
        *lock(&self.clock) = AccessTokenClock::default();
        self.authorization_iss.store(false, Ordering::Relaxed);
    }
}
