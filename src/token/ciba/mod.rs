//! Merchant-initiated login ("Login from phone number"): OpenID Connect Client-Initiated
//! Backchannel Authentication (CIBA Core 1.0) in poll mode, as Vipps runs it (Vipps Login API,
//! "Merchant-initiated login",
//! <https://developer.vippsmobilepay.com/docs/APIs/login-api/api-guide/merchant-initiated-login-integration/>).
//!
//! A merchant's backend or till starts a login for a phone number; the user approves in the
//! Vipps or MobilePay app; the backend polls the token endpoint until the tokens come:
//!
//! 1. [`start`]: `POST <base>/vipps-login-ciba/api/backchannel/authentication` with
//!    `login_hint=urn:msisdn:<digits>`, `scope` and an optional `binding_message`, answered
//!    with `{auth_req_id, expires_in, interval}` (CIBA Core 1.0 sections 7.1 and 7.3).
//! 2. [`poll`]: the token endpoint with `grant_type=urn:openid:params:grant-type:ciba`,
//!    never more often than [`schedule`] allows (CIBA Core 1.0 sections 10.1 and 11).
//! 3. The ID token is validated as any other ([`crate::id_token`]).
//!
//! The redirect variant ([`redirect`]): started with `requested_flow=login_to_webpage` and an
//! `https` `redirect_uri`, it ends with the user's browser at `redirect_uri?code=...` (no
//! `state`); the code is exchanged with `grant_type=urn:vipps:params:grant-type:ciba-redirect`,
//! and the ID token's `auth_req_id` claim must be the one started
//! ([`crate::id_token::IdTokenExpectations::auth_req_id`]).
//!
//! Client authentication is the token endpoint's ([`super::ClientAuth`]), partners included.

pub mod poll;
pub mod redirect;
mod refusal;
pub mod schedule;
pub mod start;

pub use poll::{ciba_poll_request, process_ciba_poll_response, CibaPoll};
pub use redirect::ciba_redirect_exchange_request;
pub use schedule::{PollDecision, PollSchedule};
pub use start::{
    check_binding_message, check_ciba_scope, ciba_start_request, is_auth_req_id, msisdn_login_hint,
    process_ciba_start_response, CibaStart, CibaStartAnswer, CibaStarted,
};

/// The path of Vipps' backchannel authentication endpoint under the API base URL (its
/// discovery document's `backchannel_authentication_endpoint`).
pub const BACKCHANNEL_AUTHENTICATION_PATH: &str =
    "/vipps-login-ciba/api/backchannel/authentication";

/// The CIBA grant type of the token request (CIBA Core 1.0 section 10.1).
pub const CIBA_GRANT_TYPE: &str = "urn:openid:params:grant-type:ciba";

/// Vipps' grant type for the code of the redirect variant.
pub const CIBA_REDIRECT_GRANT_TYPE: &str = "urn:vipps:params:grant-type:ciba-redirect";

/// The `requested_flow` that starts the redirect variant.
pub const LOGIN_TO_WEBPAGE: &str = "login_to_webpage";

/// Why Vipps cannot log a user in from a phone number ([`crate::ErrorKind::CibaIneligible`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IneligibleUser {
    /// `error_code=old_app`: the user's app is too old for this flow.
    OldApp,
    /// `error_code=invalid_user`: no account, an inactive one, or a user not allowed this
    /// flow (e.g. under 15).
    InvalidUser,
    /// `unknown_user_id` (CIBA Core 1.0 section 13): no user for the `login_hint`.
    UnknownUserId,
}

impl IneligibleUser {
    /// Vipps' own name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            IneligibleUser::OldApp => "old_app",
            IneligibleUser::InvalidUser => "invalid_user",
            IneligibleUser::UnknownUserId => "unknown_user_id",
        }
    }

    /// Reads Vipps' name.
    pub fn from_vipps(code: &str) -> Option<Self> {
        match code {
            "old_app" => Some(IneligibleUser::OldApp),
            "invalid_user" => Some(IneligibleUser::InvalidUser),
            "unknown_user_id" => Some(IneligibleUser::UnknownUserId),
            _ => None,
        }
    }
}
