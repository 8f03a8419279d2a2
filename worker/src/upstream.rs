//! Carries a core [`HttpRequest`] to Vipps over `fetch`, with a per-attempt timeout and a
//! bounded retry with backoff for 5xx answers, timeouts and network failures.
//!
//! Failures come back as core errors (`ErrorKind::Timeout`, `ErrorKind::Network`); a non-2xx answer
//! comes back as the [`HttpResponse`] for the core's processors to read (after retries for
//! 5xx). Nothing here logs a header or a body.

use std::time::Duration;

use futures_util::future::{select, Either};
use futures_util::pin_mut;
use js_sys::Uint8Array;
use vipps_auth::http::{HttpRequest, HttpResponse, Method as CoreMethod};
use vipps_auth::{Error, ErrorKind};
use worker::{
    AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
};

use crate::body::{collect, CollectError};

/// Largest Vipps answer read, in bytes.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// How often and how patiently to try.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all (at least 1).
    pub attempts: u32,
    /// Timeout of one attempt.
    pub timeout: Duration,
    /// Wait before the second attempt; doubled for each further one.
    pub backoff: Duration,
}

impl RetryPolicy {
    /// For idempotent calls (Access Token API, miami, JWKS, userinfo): three attempts.
    pub fn idempotent(timeout_ms: u32) -> Self {
        RetryPolicy {
            attempts: 3,
            timeout: Duration::from_millis(timeout_ms.into()),
            backoff: Duration::from_millis(200),
        }
    }

    /// For calls that must not be repeated (the single-use Login code): one attempt.
    pub fn once(timeout_ms: u32) -> Self {
        RetryPolicy {
            attempts: 1,
            ..Self::idempotent(timeout_ms)
        }
    }
}

/// Sends `req`, retrying per `policy`. A 5xx answer that survives the retries is returned
/// as is, so the caller's processor reports it with Vipps' error fields.
pub async fn send(req: &HttpRequest, policy: RetryPolicy) -> Result<HttpResponse, Error> {
    let attempts = policy.attempts.max(1);
    let mut backoff = policy.backoff;
    let mut attempt = 1;
    loop {
        let outcome = send_once(req, policy.timeout).await;
        let retryable = match &outcome {
            Ok(res) => res.status >= 500 || res.status == 429,
            Err(e) => matches!(e.kind(), ErrorKind::Timeout | ErrorKind::Network { .. }),
        };
        if !retryable || attempt >= attempts {
            return outcome;
        }
        Delay::from(backoff).await;
        backoff *= 2;
        attempt += 1;
    }
}

/// One attempt, aborted after `timeout`.
async fn send_once(req: &HttpRequest, timeout: Duration) -> Result<HttpResponse, Error> {
    let request = to_worker_request(req)?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let work = async {
        let fetch = Fetch::Request(request);
        let mut res = fetch.send_with_signal(&signal).await.map_err(network)?;
        let status = res.status_code();
        let headers = res.headers().entries().collect::<Vec<_>>();
        // Counted while it streams in: an endless answer cannot grow the isolate's memory.
        let body = match res.stream() {
            Ok(stream) => collect(stream, MAX_RESPONSE_BYTES)
                .await
                .map_err(|e| match e {
                    CollectError::TooLarge => Error::from(ErrorKind::ResponseMalformed {
                        reason: "the answer is too large",
                    }),
                    CollectError::Read => ErrorKind::Network {
                        reason: "the answer could not be read".into(),
                    }
                    .into(),
                })?,
            // No body at all.
            Err(_) => Vec::new(),
        };
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    };
    let timer = Delay::from(timeout);
    pin_mut!(work);
    pin_mut!(timer);
    match select(work, timer).await {
        Either::Left((outcome, _)) => outcome,
        Either::Right(((), _)) => {
            controller.abort();
            Err(ErrorKind::Timeout.into())
        }
    }
}

fn to_worker_request(req: &HttpRequest) -> Result<Request, Error> {
    let headers = Headers::new();
    for (name, value) in &req.headers {
        headers.append(name, value).map_err(|_| {
            Error::from(ErrorKind::InvalidParams {
                param: "header",
                reason: "not a valid HTTP header",
            })
        })?;
    }
    let mut init = RequestInit::new();
    init.with_method(match req.method {
        CoreMethod::Get => Method::Get,
        CoreMethod::Post => Method::Post,
    })
    .with_headers(headers)
    // Credentials travel in headers: never let a redirect carry them elsewhere.
    .with_redirect(RequestRedirect::Manual);
    if !req.body.is_empty() {
        init.with_body(Some(Uint8Array::from(req.body.as_slice()).into()));
    }
    Request::new_with_init(&req.url, &init).map_err(|_| {
        ErrorKind::InvalidParams {
            param: "url",
            reason: "not a valid URL",
        }
        .into()
    })
}

/// The platform's message may name the URL but never a credential (those are in headers).
fn network(e: worker::Error) -> Error {
    ErrorKind::Network {
        reason: e.to_string(),
    }
    .into()
}
