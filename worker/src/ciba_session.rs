//! The `CibaSession` Durable Object: one per `auth_req_id` of a merchant-initiated login
//! (CIBA), started by `POST /login/ciba/start`.
//!
//! It holds the login's polling schedule ([`PollSchedule`], CIBA Core 1.0 sections 7.3, 10.1
//! and 11) and is the only place that polls Vipps for it: however many callers poll the
//! worker, and however often, Vipps sees at most one poll per `interval` (5 s more after each
//! `slow_down`, later still after a `429` with `Retry-After`), never two at once, and none
//! after `expires_in`. A caller who comes early gets `202 {"status": "pending",
//! "retryAfter": s}` from the schedule, not a 429. The identity (`{idToken, claims,
//! userinfo?}`) is handed out once; then, and for an unknown `auth_req_id`, the answer is
//! 400 `ERR_CIBA_SESSION`. A denial or expiry is kept and repeated (`ERR_CIBA_DENIED`,
//! `ERR_CIBA_EXPIRED`) until the object deletes itself, a few minutes after the expiry.
//!
//! The redirect variant (`login_to_webpage`) is not polled: its code comes back through the
//! user's browser and is exchanged here once (`/token`), with the ID token's `auth_req_id`
//! claim checked against this object's.
//!
//! The object reads the credentials from its own `env`: no secret travels in its requests.
//! Errors go back inside `Ok` (an `Err` from a handler resets the object).

use std::cell::RefCell;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use vipps_auth::id_token::IdTokenExpectations;
use vipps_auth::secret::{AccessToken, AuthorizationCode};
use vipps_auth::token::ciba::schedule::seconds_until;
use vipps_auth::token::ciba::{
    ciba_poll_request, ciba_redirect_exchange_request, process_ciba_poll_response, CibaPoll,
    CibaStarted, PollDecision, PollSchedule,
};
use vipps_auth::token::login::process_code_exchange_response;
use worker::{
    durable_object, DurableObject, Env, Method, Request, RequestInit, Response, State, Stub,
};

use crate::config::{setting_error, Config, Credentials};
use crate::error::{ErrorBody, Result, WorkerError};
use crate::identity::{identity, Identity};
use crate::json_response;
use crate::login_client;
use crate::upstream::{self, RetryPolicy};

/// The binding name in wrangler.toml.
pub const BINDING: &str = "CIBA_SESSION";
/// How long the object outlives the login's expiry (repeating its outcome), in seconds.
const KEEP_AFTER_EXPIRY_SECS: i64 = 300;
const STORAGE_KEY: &str = "login";

/// Milliseconds since the epoch (workerd's clock advances at each I/O, so a time read just
/// before a fetch is the time it is sent).
pub fn now_ms() -> i64 {
    i64::try_from(worker::Date::now().as_millis()).unwrap_or(i64::MAX)
}

/// What `/login/ciba/start` hands the new object: Vipps' acknowledgement and its timing.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Init {
    pub auth_req_id: String,
    /// The redirect variant (`requested_flow=login_to_webpage`).
    pub redirect: bool,
    /// The merchant a partner started the login for (partner mode).
    pub msn: Option<String>,
    pub expires_in: i64,
    pub interval: i64,
    /// When the start request was sent and its answer received (ms since the epoch).
    pub sent_at: i64,
    pub received_at: i64,
}

/// The schedule as stored (a poll in flight is not: it ends with the request that sent it).
#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedSchedule {
    interval_ms: i64,
    next_poll_at: i64,
    expires_at: i64,
}

impl SavedSchedule {
    fn of(s: &PollSchedule) -> Self {
        SavedSchedule {
            interval_ms: s.interval_ms,
            next_poll_at: s.next_poll_at,
            expires_at: s.expires_at,
        }
    }
}

/// Where the login stands. Never logged.
#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
enum Outcome {
    /// Waiting for the user (poll) or for the browser's code (redirect).
    Pending,
    /// Vipps sent the tokens (the `auth_req_id` is used up at Vipps) but the identity could
    /// not be checked yet (e.g. the JWKS was unreachable): the next poll tries again.
    Approved {
        id_token: String,
        access_token: String,
    },
    /// The identity was handed out.
    HandedOut,
    /// The login ended without one: the error, repeated to every later poll.
    Failed { body: ErrorBody, status: u16 },
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    auth_req_id: String,
    redirect: bool,
    msn: Option<String>,
    schedule: SavedSchedule,
    outcome: Outcome,
}

#[derive(Default)]
struct Slot {
    loaded: bool,
    record: Option<Record>,
    /// When the poll now in flight was sent (the schedule's no-overlap rule).
    in_flight_since: Option<i64>,
    /// A finishing step (identity check, code exchange) is running.
    busy: bool,
}

impl Record {
    fn schedule(&self, in_flight_since: Option<i64>) -> PollSchedule {
        PollSchedule {
            interval_ms: self.schedule.interval_ms,
            next_poll_at: self.schedule.next_poll_at,
            expires_at: self.schedule.expires_at,
            in_flight_since,
        }
    }

    fn set_schedule(&mut self, s: &PollSchedule) {
        self.schedule = SavedSchedule::of(s);
    }
}

/// The object of `auth_req_id`. Check its shape first (`is_auth_req_id`).
pub fn stub(env: &Env, auth_req_id: &str) -> Result<Stub> {
    Ok(env
        .durable_object(BINDING)?
        .id_from_name(auth_req_id)?
        .get_stub()?)
}

/// Sends one action to the object; its answer goes to the caller as it is.
pub async fn call(stub: &Stub, action: &str, body: Option<String>) -> Result<Response> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post);
    if let Some(body) = body {
        init.with_body(Some(body.into()));
    }
    let req = Request::new_with_init(&format!("https://ciba-session/{action}"), &init)?;
    Ok(stub.fetch_with_request(req).await?)
}

fn session(reason: &'static str) -> WorkerError {
    WorkerError::CibaSession { reason }
}

/// `202 {"status": "pending", "retryAfter": s}` (and `Retry-After`).
fn pending(retry_after: i64) -> Response {
    let mut res = json_response(
        202,
        &serde_json::json!({ "status": "pending", "retryAfter": retry_after }),
    );
    let _ = res
        .headers_mut()
        .set("Retry-After", &retry_after.to_string());
    res
}

/// A failure that leaves the login as it was: Vipps or the network failing on the way, or
/// the worker's own means of reaching Vipps (in partner mode the `TokenCache` object, whose
/// failures come back relayed with their 5xx status, or its stub failing as `Internal`).
/// None of them is Vipps' answer about this login, so none may end it.
fn is_transient(e: &WorkerError) -> bool {
    match e {
        WorkerError::UpstreamUnreachable
        | WorkerError::UpstreamTimeout
        | WorkerError::Internal { .. } => true,
        WorkerError::Upstream { status, .. } | WorkerError::Relayed { status, .. } => {
            *status >= 500
        }
        _ => false,
    }
}

fn expired() -> WorkerError {
    WorkerError::Core(vipps_auth::ErrorKind::CibaExpired.into())
}

fn failed(e: &WorkerError) -> Outcome {
    Outcome::Failed {
        body: e.body(),
        status: e.status(),
    }
}

#[durable_object]
pub struct CibaSession {
    state: State,
    env: Env,
    slot: RefCell<Slot>,
}

impl DurableObject for CibaSession {
    fn new(state: State, env: Env) -> Self {
        CibaSession {
            state,
            env,
            slot: RefCell::new(Slot::default()),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let body = req.text().await.unwrap_or_default();
        let outcome = match req.path().as_str() {
            "/init" => self.init(&body).await,
            "/poll" => self.poll().await,
            "/token" => self.token(&body).await,
            _ => Err(WorkerError::NotFound),
        };
        Ok(outcome.unwrap_or_else(|e| e.to_response()))
    }

    async fn alarm(&self) -> worker::Result<Response> {
        self.state.storage().delete_all().await?;
        *self.slot.borrow_mut() = Slot {
            loaded: true,
            ..Slot::default()
        };
        Ok(Response::builder().with_status(204).empty())
    }
}

impl CibaSession {
    async fn load(&self) {
        if self.slot.borrow().loaded {
            return;
        }
        let stored = self
            .state
            .storage()
            .get::<Record>(STORAGE_KEY)
            .await
            .ok()
            .flatten();
        let mut slot = self.slot.borrow_mut();
        if !slot.loaded {
            slot.loaded = true;
            slot.record = stored;
        }
    }

    /// Writes the record, best effort: the memory stays right while the object lives (and
    /// decides every answer), so a failed write costs at most a repeated step after a
    /// restart, never a stuck login.
    async fn save(&self) {
        let record = self.slot.borrow().record.clone();
        if let Some(record) = record {
            if self
                .state
                .storage()
                .put(STORAGE_KEY, &record)
                .await
                .is_err()
            {
                worker::console_error!("ciba session: the state was not stored");
            }
        }
    }

    /// When the schedule allows the next poll to Vipps (`or` when there is no record).
    fn next_poll_at(&self, or: i64) -> i64 {
        self.slot
            .borrow()
            .record
            .as_ref()
            .map_or(or, |r| r.schedule.next_poll_at)
    }

    fn set_outcome(&self, outcome: Outcome) {
        if let Some(record) = self.slot.borrow_mut().record.as_mut() {
            record.outcome = outcome;
        }
    }

    async fn init(&self, body: &str) -> Result<Response> {
        let init: Init = serde_json::from_str(body).map_err(|_| WorkerError::Internal {
            reason: "ciba session init".into(),
        })?;
        self.load().await;
        let started = CibaStarted {
            auth_req_id: init.auth_req_id.clone(),
            expires_in: init.expires_in,
            interval: init.interval,
        };
        let schedule = PollSchedule::new(&started, init.sent_at, init.received_at);
        let record = {
            let mut slot = self.slot.borrow_mut();
            if slot.record.is_some() {
                return Ok(Response::builder().with_status(409).empty());
            }
            let record = Record {
                auth_req_id: init.auth_req_id,
                redirect: init.redirect,
                msn: init.msn,
                schedule: SavedSchedule::of(&schedule),
                outcome: Outcome::Pending,
            };
            slot.record = Some(record.clone());
            record
        };
        // Unlike later writes, this one must succeed: the start's answer depends on it.
        self.state.storage().put(STORAGE_KEY, &record).await?;
        let until_gone = (schedule.expires_at - now_ms()) / 1000 + KEEP_AFTER_EXPIRY_SECS;
        self.state
            .storage()
            .set_alarm(Duration::from_secs(u64::try_from(until_gone).unwrap_or(0)))
            .await?;
        Ok(Response::builder().with_status(204).empty())
    }

    async fn poll(&self) -> Result<Response> {
        /// What to do once the slot is no longer borrowed.
        enum Step {
            Finish(Record, String, String),
            Expired,
            /// The record, and the time the poll was reserved at.
            Poll(Record, i64),
        }
        self.load().await;
        let now = now_ms();
        let step = {
            let mut slot = self.slot.borrow_mut();
            let Slot {
                record,
                in_flight_since,
                busy,
                ..
            } = &mut *slot;
            let Some(rec) = record.as_mut() else {
                return Err(session("unknown, expired or already handed out"));
            };
            if rec.redirect {
                return Err(session(
                    "this login finishes with its code through /login/ciba/token",
                ));
            }
            match &rec.outcome {
                Outcome::Pending => {
                    let mut schedule = rec.schedule(*in_flight_since);
                    match schedule.decide(now) {
                        PollDecision::Wait { until } => {
                            return Ok(pending(seconds_until(until, now)))
                        }
                        PollDecision::Expired => Step::Expired,
                        PollDecision::PollNow => {
                            // Reserved now (no other caller polls meanwhile); stamped again
                            // when it is sent (`poll_vipps`).
                            schedule.poll_sent(now);
                            *in_flight_since = schedule.in_flight_since;
                            rec.set_schedule(&schedule);
                            Step::Poll(rec.clone(), now)
                        }
                    }
                }
                Outcome::HandedOut => {
                    return Err(session("unknown, expired or already handed out"))
                }
                Outcome::Failed { body, status } => return Err(relayed(body, *status)),
                Outcome::Approved { .. } if *busy => return Ok(pending(1)),
                Outcome::Approved {
                    id_token,
                    access_token,
                } => {
                    *busy = true;
                    Step::Finish(rec.clone(), id_token.clone(), access_token.clone())
                }
            }
        };
        let (record, reserved_at) = match step {
            Step::Poll(record, reserved_at) => (record, reserved_at),
            Step::Finish(record, id_token, access_token) => {
                return self.finish(&record, id_token, access_token).await
            }
            Step::Expired => {
                let e = expired();
                self.set_outcome(failed(&e));
                self.save().await;
                return Err(e);
            }
        };

        let Some(answer) = self.poll_vipps(&record, reserved_at).await.transpose() else {
            // Another caller took the poll over (this one was taken as lost): its poll is
            // the one in flight, and its answer updates the schedule.
            let now = now_ms();
            return Ok(pending(seconds_until(self.next_poll_at(now), now)));
        };
        let received = now_ms();
        {
            let mut slot = self.slot.borrow_mut();
            let in_flight = slot.in_flight_since.take();
            if let Some(rec) = slot.record.as_mut() {
                let mut schedule = rec.schedule(in_flight);
                match &answer {
                    Ok(poll) => schedule.answered(poll, received),
                    Err(e) if is_transient(e) => schedule.failed(received),
                    Err(_) => {}
                }
                rec.set_schedule(&schedule);
            }
        }
        match answer {
            Ok(CibaPoll::Approved(tokens)) => {
                let access_token = tokens.access_token.into_secret();
                self.set_outcome(Outcome::Approved {
                    id_token: tokens.id_token.clone(),
                    access_token: access_token.clone(),
                });
                self.slot.borrow_mut().busy = true;
                self.save().await;
                self.finish(&record, tokens.id_token, access_token).await
            }
            Ok(_) => {
                self.save().await;
                Ok(pending(seconds_until(
                    self.next_poll_at(received),
                    received,
                )))
            }
            Err(e) if is_transient(&e) => {
                self.save().await;
                Err(e)
            }
            Err(e) => {
                self.set_outcome(failed(&e));
                self.save().await;
                Err(e)
            }
        }
    }

    /// One poll of Vipps' token endpoint: sent once, never retried here (the schedule decides
    /// when the next one goes). `None`: not sent, another caller's poll took this one's place.
    ///
    /// The client authentication comes first: in partner mode it is a `TokenCache` lookup
    /// that may itself wait on Vipps (up to three upstream timeouts). The poll reserved at
    /// `reserved_at` is stamped as sent only when it leaves, so that the interval counts
    /// "from the instant when a polling request is sent" and a slow lookup can never make a
    /// later poll early or overlapping (CIBA Core 1.0 sections 7.3 and 10.1). A lookup so slow
    /// that another caller took the reservation as lost (`LOST_POLL_MS`) sends nothing, and
    /// neither does one that ends after the login expired.
    async fn poll_vipps(&self, record: &Record, reserved_at: i64) -> Result<Option<CibaPoll>> {
        let config = Config::new(&self.env);
        let endpoints = config.endpoints()?;
        let client = login_client::client_auth(&self.env, &config, record.msn.as_deref()).await;
        let now = now_ms();
        let client = {
            let mut slot = self.slot.borrow_mut();
            let Slot {
                record: rec,
                in_flight_since,
                ..
            } = &mut *slot;
            let Some(rec) = rec.as_mut() else {
                return Ok(None);
            };
            if *in_flight_since != Some(reserved_at) {
                return Ok(None);
            }
            let client = client?;
            if now >= rec.schedule.expires_at {
                return Err(expired());
            }
            let mut schedule = rec.schedule(*in_flight_since);
            schedule.poll_sent(now);
            *in_flight_since = schedule.in_flight_since;
            rec.set_schedule(&schedule);
            client
        };
        let request = ciba_poll_request(&endpoints.token_endpoint, &client, &record.auth_req_id)
            .map_err(|e| setting_error(e, Credentials::Vipps))?;
        let res = upstream::send(&request, RetryPolicy::once(config.upstream_timeout_ms()?))
            .await
            .map_err(WorkerError::from_upstream)?;
        process_ciba_poll_response(&res)
            .map(Some)
            .map_err(WorkerError::from_upstream)
    }

    /// Checks the identity in the tokens and hands it out; keeps the tokens for another try
    /// when the check failed on the way (JWKS or userinfo unreachable).
    async fn finish(
        &self,
        record: &Record,
        id_token: String,
        access_token: String,
    ) -> Result<Response> {
        let config = Config::new(&self.env);
        let outcome = async {
            let endpoints = config.endpoints()?;
            let expect = self.expectations(&config, record, &endpoints.issuer)?;
            identity(
                &config,
                &endpoints,
                id_token,
                &AccessToken::new(access_token),
                expect,
                true,
            )
            .await
        }
        .await;
        self.handed_out_or(outcome, true).await
    }

    /// The ID token must be for this client (or, for a partner, name the merchant's MSN), and
    /// for the redirect variant carry this login's `auth_req_id`.
    fn expectations(
        &self,
        config: &Config<'_>,
        record: &Record,
        issuer: &str,
    ) -> Result<IdTokenExpectations> {
        let audience = login_client::audience(config, record.msn.as_deref())?;
        let mut expect = IdTokenExpectations::new(issuer, audience);
        if record.redirect {
            expect.auth_req_id = Some(record.auth_req_id.clone());
        }
        Ok(expect)
    }

    /// Ends a finishing step: the identity is handed out (once), or the failure is kept
    /// (`keep_failure`) unless it was on the way.
    async fn handed_out_or(
        &self,
        outcome: Result<Identity>,
        keep_failure: bool,
    ) -> Result<Response> {
        self.slot.borrow_mut().busy = false;
        match outcome {
            Ok(identity) => {
                self.set_outcome(Outcome::HandedOut);
                self.save().await;
                Ok(json_response(200, &identity))
            }
            Err(e) if is_transient(&e) || !keep_failure => Err(e),
            Err(e) => {
                self.set_outcome(failed(&e));
                self.save().await;
                Err(e)
            }
        }
    }

    /// The redirect variant: exchanges the code the user's browser brought back, once, and
    /// only before the login expires (`expires_in`, CIBA Core 1.0 section 7.3): after it the
    /// answer is `ERR_CIBA_EXPIRED` and nothing goes to Vipps.
    async fn token(&self, body: &str) -> Result<Response> {
        #[derive(Deserialize)]
        struct CodeBody {
            code: String,
        }
        let CodeBody { code } = serde_json::from_str(body).map_err(|_| WorkerError::Internal {
            reason: "ciba session token".into(),
        })?;
        self.load().await;
        let now = now_ms();
        let record = {
            let mut slot = self.slot.borrow_mut();
            let busy = slot.busy;
            let Some(rec) = slot.record.as_ref() else {
                return Err(session("unknown, expired or already handed out"));
            };
            if !rec.redirect {
                return Err(session("this login is not the redirect variant: poll it"));
            }
            match &rec.outcome {
                Outcome::Pending if busy => {
                    return Err(session("a code exchange for this login is in progress"))
                }
                Outcome::Pending if now >= rec.schedule.expires_at => None,
                Outcome::Pending => {
                    let rec = rec.clone();
                    slot.busy = true;
                    Some(rec)
                }
                Outcome::Failed { body, status } => return Err(relayed(body, *status)),
                _ => return Err(session("unknown, expired or already handed out")),
            }
        };
        let Some(record) = record else {
            let e = expired();
            self.set_outcome(failed(&e));
            self.save().await;
            return Err(e);
        };
        let config = Config::new(&self.env);
        let outcome = async {
            let endpoints = config.endpoints()?;
            let client =
                login_client::client_auth(&self.env, &config, record.msn.as_deref()).await?;
            // The lookup may have waited on Vipps: the login may be over by now.
            if now_ms() >= record.schedule.expires_at {
                return Err(expired());
            }
            let request = ciba_redirect_exchange_request(
                &endpoints.token_endpoint,
                &client,
                AuthorizationCode::new(code),
            )?;
            // The code is single-use: never sent twice.
            let res = upstream::send(&request, RetryPolicy::once(config.upstream_timeout_ms()?))
                .await
                .map_err(WorkerError::from_code_exchange)?;
            let tokens =
                process_code_exchange_response(&res).map_err(WorkerError::from_code_exchange)?;
            let expect = self.expectations(&config, &record, &endpoints.issuer)?;
            identity(
                &config,
                &endpoints,
                tokens.id_token,
                &tokens.access_token,
                expect,
                true,
            )
            .await
        }
        .await;
        // A refused code (another login's, a used one) leaves this login waiting for its own.
        self.handed_out_or(outcome, false).await
    }
}

fn relayed(body: &ErrorBody, status: u16) -> WorkerError {
    WorkerError::Relayed {
        status,
        code: body.error.clone(),
        message: body.message.clone(),
        vipps_error: body.vipps_error.clone(),
    }
}
