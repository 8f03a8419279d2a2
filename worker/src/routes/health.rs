//! `GET /healthz`: answers without touching any setting or upstream.

use serde_json::json;
use worker::Response;

use crate::error::Result;
use crate::json_response;

pub fn healthz() -> Result<Response> {
    Ok(json_response(
        200,
        &json!({ "ok": true, "version": env!("CARGO_PKG_VERSION") }),
    ))
}
