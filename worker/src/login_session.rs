//! The `LoginSession` Durable Object: one per `state` made by `POST /login/start`. It keeps
//! the nonce, PKCE verifier and redirect URI for [`SESSION_TTL_SECS`] and hands them out
//! exactly once (`POST /login/token` with `{code, state}` may come from another browser).

use std::cell::Cell;

use serde::{Deserialize, Serialize};
use worker::{
    durable_object, DurableObject, Env, Method, Request, RequestInit, Response, State, Stub,
};

use crate::error::{Result, WorkerError};
use crate::{json_response, now_secs};

/// The binding name in wrangler.toml.
pub const BINDING: &str = "LOGIN_SESSION";
/// How long a started login may be finished.
pub const SESSION_TTL_SECS: i64 = 600;
const STORAGE_KEY: &str = "session";

/// What a started login keeps. Never logged.
#[derive(Clone, Serialize, Deserialize)]
pub struct Session {
    pub nonce: String,
    #[serde(rename = "codeVerifier")]
    pub code_verifier: String,
    #[serde(rename = "redirectUri")]
    pub redirect_uri: String,
    #[serde(rename = "expiresAt")]
    pub expires_at: i64,
}

/// The stub of the session for `state`.
pub fn stub(env: &Env, state: &str) -> Result<Stub> {
    Ok(env
        .durable_object(BINDING)?
        .id_from_name(state)?
        .get_stub()?)
}

/// Stores a new session.
pub async fn put(stub: &Stub, session: &Session) -> Result<()> {
    let res = call(
        stub,
        "put",
        Some(serde_json::to_string(session).map_err(internal)?),
    )
    .await?;
    if res.status_code() == 204 {
        Ok(())
    } else {
        Err(WorkerError::Internal {
            reason: "the login session was not stored".into(),
        })
    }
}

/// Takes the session out: the first caller gets it, every later one `ERR_LOGIN_SESSION`.
pub async fn take(stub: &Stub) -> Result<Session> {
    let mut res = call(stub, "take", None).await?;
    if res.status_code() != 200 {
        return Err(WorkerError::LoginSession);
    }
    res.json::<Session>()
        .await
        .map_err(|_| WorkerError::LoginSession)
}

async fn call(stub: &Stub, action: &str, body: Option<String>) -> Result<Response> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post);
    if let Some(body) = body {
        init.with_body(Some(body.into()));
    }
    let req = Request::new_with_init(&format!("https://login-session/{action}"), &init)?;
    Ok(stub.fetch_with_request(req).await?)
}

fn internal(e: serde_json::Error) -> WorkerError {
    WorkerError::Internal {
        reason: e.to_string(),
    }
}

#[durable_object]
pub struct LoginSession {
    state: State,
    /// Set the moment a `take` succeeds, before any await, so two concurrent takes cannot
    /// both succeed even if storage has not yet seen the delete.
    taken: Cell<bool>,
}

impl DurableObject for LoginSession {
    fn new(state: State, _env: Env) -> Self {
        LoginSession {
            state,
            taken: Cell::new(false),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let storage = self.state.storage();
        match req.path().as_str() {
            "/put" => {
                let Ok(session) = req.json::<Session>().await else {
                    return Ok(Response::builder().with_status(400).empty());
                };
                if self.taken.get()
                    || storage
                        .get::<Session>(STORAGE_KEY)
                        .await
                        .ok()
                        .flatten()
                        .is_some()
                {
                    return Ok(Response::builder().with_status(409).empty());
                }
                storage.put(STORAGE_KEY, &session).await?;
                storage
                    .set_alarm(std::time::Duration::from_secs(SESSION_TTL_SECS as u64 + 5))
                    .await?;
                Ok(Response::builder().with_status(204).empty())
            }
            "/take" => {
                let session = storage.get::<Session>(STORAGE_KEY).await.ok().flatten();
                // No await between the check and the mark.
                let session = session.filter(|s| !self.taken.get() && s.expires_at > now_secs());
                let Some(session) = session else {
                    return Ok(Response::builder().with_status(404).empty());
                };
                self.taken.set(true);
                storage.delete(STORAGE_KEY).await?;
                Ok(json_response(200, &session))
            }
            _ => Ok(Response::builder().with_status(404).empty()),
        }
    }

    async fn alarm(&self) -> worker::Result<Response> {
        self.state.storage().delete_all().await?;
        Ok(Response::builder().with_status(204).empty())
    }
}
