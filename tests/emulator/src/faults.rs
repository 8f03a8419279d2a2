//! Fault injection: the next N requests to a path get a status, a delay, a malformed body,
//! or a dropped connection.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::state::{lock, Shared};

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    Status,
    Delay,
    Malformed,
    Drop,
}

/// The JSON body of `POST /_emulator/faults`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    pub path: String,
    pub kind: FaultKind,
    pub status: Option<u16>,
    pub delay_ms: Option<u64>,
    pub count: Option<u32>,
    /// For `status` faults: a `Retry-After` header, in seconds (e.g. with status 429).
    pub retry_after: Option<u64>,
}

#[derive(Clone, Copy, Debug)]
pub struct Fault {
    pub kind: FaultKind,
    pub status: StatusCode,
    pub delay: Duration,
    pub remaining: u32,
    pub retry_after: Option<u64>,
}

/// Largest delay accepted, so a typo cannot hang a test run for hours.
const MAX_DELAY_MS: u64 = 120_000;

impl FaultSpec {
    pub fn into_fault(self) -> Result<(String, Fault), String> {
        if !self.path.starts_with('/') || self.path.starts_with("/_emulator/") {
            return Err("path must start with '/' and not be under /_emulator/".into());
        }
        let status = match (self.kind, self.status) {
            (FaultKind::Status, None) => StatusCode::SERVICE_UNAVAILABLE,
            (_, Some(code)) => StatusCode::from_u16(code)
                .ok()
                .filter(|s| s.as_u16() >= 200)
                .ok_or("status must be an HTTP status code from 200 to 999")?,
            (_, None) => StatusCode::OK,
        };
        let delay_ms = match (self.kind, self.delay_ms) {
            (FaultKind::Delay, None) => 3000,
            (_, ms) => ms.unwrap_or(0),
        };
        if delay_ms > MAX_DELAY_MS {
            return Err(format!("delayMs may be at most {MAX_DELAY_MS}"));
        }
        if self.retry_after.is_some() && self.kind != FaultKind::Status {
            return Err("retryAfter goes with kind \"status\" only".into());
        }
        let remaining = self.count.unwrap_or(1);
        if remaining == 0 {
            return Err("count must be at least 1".into());
        }
        Ok((
            self.path,
            Fault {
                kind: self.kind,
                status,
                delay: Duration::from_millis(delay_ms),
                remaining,
                retry_after: self.retry_after,
            },
        ))
    }
}

#[derive(Default)]
pub struct Faults {
    by_path: HashMap<String, Fault>,
}

impl Faults {
    pub fn set(&mut self, path: String, fault: Fault) {
        self.by_path.insert(path, fault);
    }

    /// Takes one use of the fault armed for `path`, if any.
    pub fn take(&mut self, path: &str) -> Option<Fault> {
        let fault = self.by_path.get_mut(path)?;
        let taken = *fault;
        fault.remaining -= 1;
        if fault.remaining == 0 {
            self.by_path.remove(path);
        }
        Some(taken)
    }

    pub fn to_json(&self) -> serde_json::Value {
        let list: Vec<_> = self
            .by_path
            .iter()
            .map(|(path, f)| {
                serde_json::json!({
                    "path": path,
                    "kind": format!("{:?}", f.kind).to_lowercase(),
                    "status": f.status.as_u16(),
                    "delayMs": f.delay.as_millis() as u64,
                    "count": f.remaining,
                    "retryAfter": f.retry_after,
                })
            })
            .collect();
        serde_json::json!({ "faults": list })
    }
}

/// Marks a response whose connection the server must close without answering.
#[derive(Clone, Copy, Debug)]
pub struct DropConnection;

/// The body of a `malformed` fault: JSON cut off in the middle.
pub const MALFORMED_BODY: &str = "{\"token_type\":\"Bearer\",\"access_tok";

pub async fn inject_faults(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let fault = lock(&state.faults).take(req.uri().path());
    let Some(fault) = fault else {
        return next.run(req).await;
    };
    match fault.kind {
        FaultKind::Delay => {
            tokio::time::sleep(fault.delay).await;
            next.run(req).await
        }
        FaultKind::Status => {
            tokio::time::sleep(fault.delay).await;
            let body = serde_json::json!({
                "error": "server_error",
                "error_description": format!("emulated fault: HTTP {}", fault.status.as_u16()),
            });
            let mut resp = (fault.status, axum::Json(body)).into_response();
            if let Some(secs) = fault.retry_after {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            resp
        }
        FaultKind::Malformed => {
            tokio::time::sleep(fault.delay).await;
            let mut resp = (fault.status, MALFORMED_BODY).into_response();
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            resp
        }
        FaultKind::Drop => {
            tokio::time::sleep(fault.delay).await;
            // `serve` closes the connection when it sees this marker. A bare `app()` router
            // (no `serve`) cannot drop a connection and answers 500 instead.
            let mut resp = (
                StatusCode::INTERNAL_SERVER_ERROR,
                "drop fault: connection should have been closed",
            )
                .into_response();
            resp.extensions_mut().insert(DropConnection);
            resp
        }
    }
}
