//! Request counters per path, reported by `GET /_emulator/stats`.

use std::collections::BTreeMap;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::{lock, Shared};

#[derive(Default)]
pub struct Stats {
    counts: BTreeMap<String, u64>,
}

impl Stats {
    pub fn record(&mut self, path: &str) {
        *self.counts.entry(path.to_string()).or_insert(0) += 1;
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!(self.counts)
    }
}

/// Counts every request by its path, before any fault applies. The control surface
/// (`/_emulator/...`) is not counted, so reading the stats does not change them.
pub async fn count_requests(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.starts_with("/_emulator/") {
        lock(&state.stats).record(path);
    }
    next.run(req).await
}
