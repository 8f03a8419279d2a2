//! The `LoginSession` Durable Object: one per `state` made by `POST /login/start`.
//!
//! It holds the session's [`Record`] in memory and in storage (the user may take minutes at
//! Vipps, longer than an idle object lives), exchanges the code itself, and answers every
//! caller it cannot serve with the one `ERR_LOGIN_SESSION`.
//!
//! A Durable Object does not serialise requests while it awaits a fetch (TOOLCHAIN.md), so
//! the exchange runs as one future shared inside the object: a second `/login/token` for the
//! same session arriving meanwhile waits for that exchange instead of sending the code again,
//! then reads its outcome like any later caller.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use serde_json::json;
use vipps_auth::secret::{AuthorizationCode, CodeVerifier, Nonce};
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use super::record::{KeyHash, Phase, Record, Started, RESULT_TTL_SECS};
use super::Message;
use crate::config::Config;
use crate::error::WorkerError;
use crate::login_exchange::{self, ExchangeFailure, LoginExchange};
use crate::{bytes_response, json_response, now_secs};

const STORAGE_KEY: &str = "session";

/// What the exchange in flight came to.
#[derive(Clone)]
enum Outcome {
    /// The key's holder exchanged: its answer (JSON). The session is gone.
    Collected(Rc<String>),
    /// Exchanged for a browser without the key: the session holds the answer.
    HandedOff,
    /// Failed; the session is gone when the failure spent the code.
    Failed(ExchangeFailure),
}

type Flight = Shared<LocalBoxFuture<'static, Outcome>>;

#[derive(Default)]
struct Memory {
    loaded: bool,
    record: Option<Record>,
    in_flight: Option<Flight>,
}

#[durable_object]
pub struct LoginSession {
    state: Rc<State>,
    env: Env,
    memory: Rc<RefCell<Memory>>,
}

impl DurableObject for LoginSession {
    fn new(state: State, env: Env) -> Self {
        LoginSession {
            state: Rc::new(state),
            env,
            memory: Rc::new(RefCell::new(Memory::default())),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        // Every answer goes back inside `Ok`: an `Err` from a handler resets the object.
        let Ok(message) = req.json::<Message>().await else {
            return Ok(internal("an unreadable login session message"));
        };
        Ok(match message {
            Message::Start {
                key_hash,
                expires_at,
                started,
            } => self.start(key_hash, expires_at, started).await,
            Message::Exchange { code, key_hash } => self.exchange(code, key_hash).await,
            Message::Result { key_hash } => self.result(key_hash).await,
        })
    }

    async fn alarm(&self) -> worker::Result<Response> {
        let now = now_secs();
        match self.stored_record().await {
            Some(record) if record.is_live(now) => {
                // Extended (handed off) since the alarm was set: wait for the new end.
                set_alarm(&self.state, record.expires_at, now).await;
            }
            _ => {
                self.memory.borrow_mut().record = None;
                self.state.storage().delete_all().await?;
            }
        }
        Ok(Response::builder().with_status(204).empty())
    }
}

impl LoginSession {
    /// `/login/start`: a new session (never over an existing one).
    async fn start(&self, key_hash: KeyHash, expires_at: i64, started: Started) -> Response {
        if self.stored_record().await.is_some() || self.memory.borrow().in_flight.is_some() {
            return Response::builder().with_status(409).empty();
        }
        let record = Record {
            key_hash,
            expires_at,
            phase: Phase::Started(started),
        };
        self.memory.borrow_mut().record = Some(record.clone());
        if let Err(e) = persist(&self.state, &record).await {
            return internal(&e);
        }
        set_alarm(&self.state, expires_at, now_secs()).await;
        Response::builder().with_status(204).empty()
    }

    /// `/login/token` with `state`: with the key, the answer; without it, the answer kept for
    /// the key's holder and `handed_off`; with a wrong key, nothing (and no exchange).
    async fn exchange(&self, code: String, key_hash: Option<KeyHash>) -> Response {
        let record = self.live_record().await;
        let key_ok = match &key_hash {
            Some(presented) => presented.matches(&stored_hash(record.as_ref())),
            None => true,
        };
        let has_key = key_hash.is_some();
        let started = match record.map(|r| r.phase) {
            Some(Phase::Started(started)) if key_ok => started,
            Some(Phase::HandedOff { .. }) if key_ok => return self.after_exchange(has_key).await,
            _ => return WorkerError::LoginSession.to_response(),
        };

        let joined = self.memory.borrow().in_flight.clone();
        if let Some(flight) = joined {
            // Another request is exchanging this session's code: never send a code again.
            return match flight.await {
                Outcome::Failed(failure) if !failure.code_spent => failure.error.to_response(),
                _ => self.after_exchange(has_key).await,
            };
        }
        let flight = self.lead(started, code, has_key);
        self.memory.borrow_mut().in_flight = Some(flight.clone());
        let outcome = flight.clone().await;
        {
            let mut memory = self.memory.borrow_mut();
            if memory.in_flight.as_ref().is_some_and(|f| f.ptr_eq(&flight)) {
                memory.in_flight = None;
            }
        }
        match outcome {
            Outcome::Collected(answer) => answer_response(answer.as_bytes().to_vec()),
            Outcome::HandedOff => handed_off(),
            Outcome::Failed(failure) => failure.error.to_response(),
        }
    }

    /// `/login/result`: the answer once the login was handed off, `pending` before.
    async fn result(&self, key_hash: KeyHash) -> Response {
        let record = self.live_record().await;
        // The comparison runs whether or not there is a session, and every refusal is alike.
        let key_ok = key_hash.matches(&stored_hash(record.as_ref()));
        match record.map(|r| r.phase) {
            Some(Phase::Started(_)) if key_ok => {
                json_response(202, &json!({ "status": "pending" }))
            }
            Some(Phase::HandedOff { answer }) if key_ok => self.collect(answer).await,
            _ => WorkerError::LoginSession.to_response(),
        }
    }

    /// After an exchange (this request's or another's): the key's holder collects, anyone
    /// else learns that it was handed off; a session that is gone is gone.
    async fn after_exchange(&self, has_key: bool) -> Response {
        match self.live_record().await.map(|r| r.phase) {
            Some(Phase::HandedOff { answer }) if has_key => self.collect(answer).await,
            Some(Phase::HandedOff { .. }) => handed_off(),
            _ => WorkerError::LoginSession.to_response(),
        }
    }

    /// Hands the answer out once: the session is forgotten before anything is awaited.
    async fn collect(&self, answer: String) -> Response {
        self.memory.borrow_mut().record = None;
        if let Err(e) = self.state.storage().delete_all().await {
            worker::console_error!("login session: delete failed: {e}");
        }
        answer_response(answer.into_bytes())
    }

    /// The exchange, as a future other requests can wait on. It updates the session in
    /// memory as soon as the outcome is known (before it awaits storage), so every waiter
    /// reads the new phase.
    fn lead(&self, started: Started, code: String, has_key: bool) -> Flight {
        let env = self.env.clone();
        let state = self.state.clone();
        let memory = self.memory.clone();
        async move {
            let exchange = LoginExchange {
                code: AuthorizationCode::new(code),
                code_verifier: CodeVerifier::new(started.code_verifier),
                redirect_uri: started.redirect_uri,
                nonce: Nonce::new(started.nonce),
                include_userinfo: started.include_userinfo,
                msn: started.msn,
                scope: started.scope,
            };
            let outcome = login_exchange::exchange(&env, &Config::new(&env), exchange).await;
            let answer = match outcome {
                Ok(answer) => answer,
                Err(failure) => {
                    if failure.code_spent {
                        memory.borrow_mut().record = None;
                        forget(&state).await;
                    }
                    return Outcome::Failed(failure);
                }
            };
            let answer = match serde_json::to_string(&answer) {
                Ok(json) => json,
                Err(e) => {
                    memory.borrow_mut().record = None;
                    forget(&state).await;
                    return Outcome::Failed(ExchangeFailure {
                        error: WorkerError::Internal {
                            reason: e.to_string(),
                        },
                        code_spent: true,
                    });
                }
            };
            if has_key {
                memory.borrow_mut().record = None;
                forget(&state).await;
                return Outcome::Collected(Rc::new(answer));
            }
            let now = now_secs();
            let handed_off = memory.borrow_mut().record.as_mut().map(|record| {
                record.expires_at = now + RESULT_TTL_SECS;
                record.phase = Phase::HandedOff { answer };
                record.clone()
            });
            if let Some(record) = handed_off {
                if let Err(e) = persist(&state, &record).await {
                    worker::console_error!("login session: {e}");
                }
                set_alarm(&state, record.expires_at, now).await;
            }
            Outcome::HandedOff
        }
        .boxed_local()
        .shared()
    }

    /// The session, unless gone or expired.
    async fn live_record(&self) -> Option<Record> {
        let now = now_secs();
        self.stored_record().await.filter(|r| r.is_live(now))
    }

    /// The session as kept, read from storage the first time.
    async fn stored_record(&self) -> Option<Record> {
        if !self.memory.borrow().loaded {
            let stored = self
                .state
                .storage()
                .get::<String>(STORAGE_KEY)
                .await
                .ok()
                .flatten()
                .and_then(|json| serde_json::from_str::<Record>(&json).ok());
            let mut memory = self.memory.borrow_mut();
            if !memory.loaded {
                memory.loaded = true;
                memory.record = stored;
            }
        }
        self.memory.borrow().record.clone()
    }
}

fn stored_hash(record: Option<&Record>) -> KeyHash {
    record.map_or_else(KeyHash::none, |r| r.key_hash.clone())
}

async fn persist(state: &State, record: &Record) -> Result<(), String> {
    let json = serde_json::to_string(record).map_err(|e| e.to_string())?;
    state
        .storage()
        .put(STORAGE_KEY, json)
        .await
        .map_err(|e| format!("the login session was not stored: {e}"))
}

/// Deletes the session from storage (memory is the caller's).
async fn forget(state: &State) {
    if let Err(e) = state.storage().delete_all().await {
        worker::console_error!("login session: delete failed: {e}");
    }
}

/// Wakes the object just after `expires_at` to delete what is left.
async fn set_alarm(state: &State, expires_at: i64, now: i64) {
    let secs = u64::try_from(expires_at.saturating_sub(now)).unwrap_or(0) + 1;
    if let Err(e) = state.storage().set_alarm(Duration::from_secs(secs)).await {
        worker::console_error!("login session: alarm not set: {e}");
    }
}

fn answer_response(body: Vec<u8>) -> Response {
    bytes_response(200, body, "application/json; charset=utf-8", "no-store")
}

fn handed_off() -> Response {
    json_response(202, &json!({ "status": "handed_off" }))
}

fn internal(reason: &str) -> Response {
    worker::console_error!("login session: {reason}");
    WorkerError::Internal {
        reason: reason.to_owned(),
    }
    .to_response()
}
