//! Bodies read with a bound that holds while they stream in: a request body past
//! [`MAX_BODY_BYTES`] is refused with 413 the moment it crosses the bound, whether or not it
//! announced a `Content-Length` (a chunked body has none), and nothing more of it is read.
//! So neither a large nor a never-ending body can make the isolate buffer it or wait for it.
//! A body that trickles in is given [`BODY_READ_TIMEOUT`] in all: past it the answer is 408
//! and nothing more is read, so a request never stays open on a client's pace.
//! The same counting bounds what the worker reads of Vipps' answers.

use std::time::Duration;

use futures_util::future::{select, Either};
use futures_util::{pin_mut, StreamExt};
use worker::{ByteStream, Delay, Request};

use crate::error::{Result, WorkerError};

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// How long a request body may take to arrive, in all (the worker's bodies are under 1 KiB).
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Why [`collect`] stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum CollectError {
    /// More than the limit arrived; the rest was not read (the stream is cancelled).
    TooLarge,
    /// The stream failed.
    Read,
}

/// Reads `stream` to its end, but not past `limit` bytes: the chunk that crosses the limit
/// ends the reading, and dropping the stream cancels it.
pub async fn collect(mut stream: ByteStream, limit: usize) -> Result<Vec<u8>, CollectError> {
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| CollectError::Read)?;
        if chunk.len() > limit - body.len() {
            return Err(CollectError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The request body, at most [`MAX_BODY_BYTES`]: 413 `ERR_BODY_TOO_LARGE` as soon as more
/// is announced (`Content-Length`) or has arrived; 408 `ERR_BODY_TIMEOUT` when it has not
/// all arrived within [`BODY_READ_TIMEOUT`].
pub async fn read_request(req: &mut Request) -> Result<Vec<u8>> {
    if let Some(len) = req.headers().get("Content-Length").ok().flatten() {
        if len
            .trim()
            .parse::<usize>()
            .map_or(true, |n| n > MAX_BODY_BYTES)
        {
            return Err(WorkerError::BodyTooLarge);
        }
    }
    if req.inner().body().is_none() {
        return Ok(Vec::new());
    }
    let stream = req.stream().map_err(|_| unreadable())?;
    let reading = collect(stream, MAX_BODY_BYTES);
    let deadline = Delay::from(BODY_READ_TIMEOUT);
    pin_mut!(reading);
    pin_mut!(deadline);
    match select(reading, deadline).await {
        Either::Left((outcome, _)) => outcome.map_err(|e| match e {
            CollectError::TooLarge => WorkerError::BodyTooLarge,
            CollectError::Read => unreadable(),
        }),
        // Dropping the reading future cancels the stream: nothing more is read.
        Either::Right(((), _)) => Err(WorkerError::BodyTimeout),
    }
}

fn unreadable() -> WorkerError {
    WorkerError::BadRequest {
        reason: "the body could not be read".into(),
    }
}

/// Reads a JSON body of at most [`MAX_BODY_BYTES`] into `T`. An empty body reads as `{}`
/// when `empty_ok`. Requires `Content-Type: application/json` when there is a body, which
/// also makes browsers preflight every cross-origin call.
pub async fn read_json<T: serde::de::DeserializeOwned>(
    mut req: Request,
    empty_ok: bool,
) -> Result<T> {
    let body = read_request(&mut req).await?;
    if body.iter().all(u8::is_ascii_whitespace) {
        if empty_ok {
            return serde_json::from_slice(b"{}").map_err(bad_json);
        }
        return Err(WorkerError::BadRequest {
            reason: "a JSON body is required".into(),
        });
    }
    let content_type = req
        .headers()
        .get("Content-Type")
        .ok()
        .flatten()
        .unwrap_or_default();
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("application/json") {
        return Err(WorkerError::UnsupportedMediaType);
    }
    serde_json::from_slice(&body).map_err(bad_json)
}

fn bad_json(e: serde_json::Error) -> WorkerError {
    // serde's "invalid type" messages quote the caller's value: name only the safe ones.
    let text = e.to_string();
    let reason = match e.classify() {
        serde_json::error::Category::Data
            if text.starts_with("unknown field") || text.starts_with("missing field") =>
        {
            text.split(" at line")
                .next()
                .unwrap_or("unexpected JSON shape")
                .to_owned()
        }
        serde_json::error::Category::Data => "a field has the wrong type or value".to_owned(),
        _ => "the body is not valid JSON".to_owned(),
    };
    WorkerError::BadRequest { reason }
}
