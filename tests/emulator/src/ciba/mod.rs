//! Merchant-initiated login ("Login from phone number", OpenID Connect CIBA Core 1.0 in poll
//! mode, as Vipps documents it): the backchannel authentication endpoint, the two token
//! grants, and the `/_emulator/ciba/*` controls that play the user's phone.

pub mod backchannel;
pub mod control;
pub mod grant;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::util::{json as json_response, no_store};

/// The CIBA grant type (CIBA Core 1.0 section 10.1).
pub const CIBA_GRANT_TYPE: &str = "urn:openid:params:grant-type:ciba";
/// Vipps' grant type for the code of the redirect variant.
pub const CIBA_REDIRECT_GRANT_TYPE: &str = "urn:vipps:params:grant-type:ciba-redirect";
/// The `requested_flow` of the redirect variant.
pub const LOGIN_TO_WEBPAGE: &str = "login_to_webpage";
/// How much earlier than `interval` a poll may arrive before it is "too fast" (network
/// jitter between the client's clock and this server's).
pub const POLL_TOLERANCE_MS: u64 = 100;
/// What `slow_down` adds to the interval (CIBA Core 1.0 section 11).
pub const SLOW_DOWN_STEP_MS: u64 = 5_000;

/// A 400 carrying one of Vipps' `error_code` values (`old_app`, `invalid_user`).
pub fn vipps_error_code(error_code: &str, description: &str) -> Response {
    let mut resp = json_response(
        StatusCode::BAD_REQUEST,
        json!({
            "error": "invalid_request",
            "error_code": error_code,
            "error_description": description,
        }),
    );
    no_store(&mut resp);
    resp
}
