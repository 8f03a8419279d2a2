//! Server-held login sessions (`POST /login/start`, `/login/token` with `state`,
//! `/login/result`), bound to the browser that started them (RFC 9700, OAuth 2.0 Security
//! BCP, section 4.7 on login CSRF; the IETF browser-based-apps BCP).
//!
//! `/login/start` makes `state`, `nonce`, the PKCE verifier and a `sessionKey` (256 random
//! bits) and gives the browser `state` and `sessionKey`. One `LoginSession` Durable Object
//! per `state` keeps the nonce, the verifier, the redirect URI, the scope asked for and whether
//! the answer carries userinfo (the starting browser's choices), and of the key only its
//! SHA-256: they go in and never come back out. The code exchange happens inside the object,
//! which is also what serialises two exchanges of one session (the code reaches Vipps once).
//!
//! Whoever holds `code` and `state` without the key (another browser, a leaked callback URL,
//! a login-CSRF victim) can at most make the object finish the exchange: the identity is kept
//! for the starting browser (`/login/result`), the caller gets `202 {"status":"handed_off"}`.
//! Every failure a caller could probe (unknown, expired, used, wrong key) is the same
//! `ERR_LOGIN_SESSION`; a `state` or key without the generated shape gets it before any
//! object is looked up.

mod object;
mod record;

pub use object::LoginSession;
pub use record::{KeyHash, Started, SESSION_TTL_SECS};

use serde::{Deserialize, Serialize};
use vipps_auth::authorize::is_random_value;
use vipps_auth::random;
use vipps_auth::secret::SessionKey;
use worker::{Env, Method, Request, RequestInit, Response, Stub};

use crate::bytes_response;
use crate::error::{Result, WorkerError};

/// The binding name in wrangler.toml.
pub const BINDING: &str = "LOGIN_SESSION";

/// Random octets behind a `sessionKey` (43 base64url characters): the shape of the core's
/// `state`, so [`is_random_value`] checks both.
const SESSION_KEY_OCTETS: usize = 32;

/// A fresh `sessionKey`: 256 bits from the platform's CSPRNG.
pub fn new_session_key() -> Result<SessionKey> {
    Ok(SessionKey::new(random::urlsafe_string(
        &mut crate::webcrypto::SystemRandom,
        SESSION_KEY_OCTETS,
    )?))
}

/// What the worker sends the object.
#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub(crate) enum Message {
    /// Store a new session.
    Start {
        #[serde(rename = "keyHash")]
        key_hash: KeyHash,
        #[serde(rename = "expiresAt")]
        expires_at: i64,
        started: Started,
    },
    /// Finish the login with `code`: for the key's holder, or (no key) for later collection.
    Exchange {
        code: String,
        #[serde(rename = "keyHash")]
        key_hash: Option<KeyHash>,
    },
    /// Collect a login finished for the key's holder.
    Result {
        #[serde(rename = "keyHash")]
        key_hash: KeyHash,
    },
}

/// A `state` with the generated shape, the only kind that names a session: anything else is
/// refused before an object is looked up (a malformed one cannot be a session, and costs
/// nothing but this check).
pub struct SessionState<'a>(&'a str);

impl<'a> SessionState<'a> {
    pub fn parse(state: &'a str) -> Result<Self> {
        if is_random_value(state) {
            Ok(SessionState(state))
        } else {
            Err(WorkerError::LoginSession)
        }
    }
}

/// The hash of a presented `sessionKey`, once it has the generated shape.
pub fn presented_key(key: &str) -> Result<KeyHash> {
    if is_random_value(key) {
        Ok(KeyHash::of(key))
    } else {
        Err(WorkerError::LoginSession)
    }
}

/// Stores a new session for `state`.
pub async fn start(
    env: &Env,
    state: &str,
    key: &SessionKey,
    expires_at: i64,
    started: Started,
) -> Result<()> {
    let message = Message::Start {
        key_hash: KeyHash::of(key.secret()),
        expires_at,
        started,
    };
    let res = send(&stub(env, state)?, &message).await?;
    if res.status_code() == 204 {
        Ok(())
    } else {
        Err(WorkerError::Internal {
            reason: "the login session was not stored".into(),
        })
    }
}

/// Finishes the session's login with `code`: the object's answer, as it rendered it.
pub async fn exchange(
    env: &Env,
    state: SessionState<'_>,
    code: String,
    key_hash: Option<KeyHash>,
) -> Result<Response> {
    let message = Message::Exchange { code, key_hash };
    relay(send(&stub(env, state.0)?, &message).await?).await
}

/// Collects a handed-off login: the object's answer, as it rendered it.
pub async fn result(env: &Env, state: SessionState<'_>, key_hash: KeyHash) -> Result<Response> {
    relay(send(&stub(env, state.0)?, &Message::Result { key_hash }).await?).await
}

fn stub(env: &Env, state: &str) -> Result<Stub> {
    Ok(env
        .durable_object(BINDING)?
        .id_from_name(state)?
        .get_stub()?)
}

async fn send(stub: &Stub, message: &Message) -> Result<Response> {
    let body = serde_json::to_string(message).map_err(|e| WorkerError::Internal {
        reason: e.to_string(),
    })?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(body.into()));
    let req = Request::new_with_init("https://login-session/", &init)?;
    Ok(stub.fetch_with_request(req).await?)
}

/// The object's answer as the worker's own (a fetched response's headers are immutable, and
/// the router adds CORS headers).
async fn relay(mut res: Response) -> Result<Response> {
    let status = res.status_code();
    let body = res.bytes().await?;
    Ok(bytes_response(
        status,
        body,
        "application/json; charset=utf-8",
        "no-store",
    ))
}
