//! What a non-2xx answer of the backchannel or token endpoint means for a CIBA login.
//!
//! CIBA Core 1.0 section 11 (token endpoint) and section 13 (backchannel endpoint) send
//! `{"error", "error_description"}`; Vipps adds `error_code` values (`old_app`,
//! `invalid_user`) and answers `429` with `Retry-After` when too many logins are started
//! toward one user ("Merchant-initiated login", error responses). Vipps' docs write the
//! codes as `error_code=old_app`; an `error` member with one of those values is read the
//! same way, and an `error_code` that is not a string (Vipps' general error schema puts the
//! HTTP status there) is ignored.

use crate::error::{Error, ErrorKind};
use crate::http::HttpResponse;
use crate::json;
use crate::retry_after::RetryAfter;

use super::IneligibleUser;

/// One error answer, classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `authorization_pending`.
    Pending,
    /// `slow_down`.
    SlowDown,
    /// `access_denied`.
    Denied,
    /// `expired_token`.
    Expired,
    /// Vipps cannot log this user in this way.
    Ineligible(IneligibleUser),
    /// `429`, or `503` with a `Retry-After` (RFC 9110 section 10.2.3).
    RetryLater(Option<RetryAfter>),
    /// Anything else: an ordinary HTTP failure.
    Other,
}

/// Classifies a non-2xx answer.
pub(crate) fn classify(res: &HttpResponse) -> Refusal {
    let retry_after = RetryAfter::of(res);
    if res.status == 429 || (res.status == 503 && retry_after.is_some()) {
        return Refusal::RetryLater(retry_after);
    }
    let Ok(body) = json::parse_object(&res.body) else {
        return Refusal::Other;
    };
    let error = body.get_str("error").unwrap_or_default();
    let ineligible = body
        .get_str("error_code")
        .and_then(IneligibleUser::from_vipps)
        .or_else(|| IneligibleUser::from_vipps(error));
    if let Some(reason) = ineligible {
        return Refusal::Ineligible(reason);
    }
    match error {
        "authorization_pending" => Refusal::Pending,
        "slow_down" => Refusal::SlowDown,
        "access_denied" => Refusal::Denied,
        "expired_token" => Refusal::Expired,
        _ => Refusal::Other,
    }
}

/// A non-2xx answer as [`ErrorKind::Http`], with Vipps' `error` and `error_description`.
pub(crate) fn http_error(res: &HttpResponse) -> Error {
    match res.error_for_status() {
        Err(e) => e,
        Ok(_) => ErrorKind::Http {
            status: res.status,
            error: None,
            description: None,
        }
        .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(status: u16, body: &str) -> Refusal {
        classify(&HttpResponse::new(status, body.to_owned()))
    }

    #[test]
    fn reads_the_ciba_token_errors() {
        assert_eq!(
            of(
                400,
                r#"{"error":"authorization_pending","error_description":"still pending"}"#
            ),
            Refusal::Pending
        );
        assert_eq!(of(400, r#"{"error":"slow_down"}"#), Refusal::SlowDown);
        assert_eq!(of(400, r#"{"error":"access_denied"}"#), Refusal::Denied);
        assert_eq!(of(403, r#"{"error":"access_denied"}"#), Refusal::Denied);
        assert_eq!(of(400, r#"{"error":"expired_token"}"#), Refusal::Expired);
        assert_eq!(of(400, r#"{"error":"invalid_grant"}"#), Refusal::Other);
    }

    #[test]
    fn reads_vipps_error_codes_as_codes() {
        let old = Refusal::Ineligible(IneligibleUser::OldApp);
        assert_eq!(
            of(400, r#"{"error":"invalid_request","error_code":"old_app"}"#),
            old
        );
        assert_eq!(of(400, r#"{"error":"old_app"}"#), old);
        assert_eq!(
            of(
                400,
                r#"{"error":"invalid_request","error_code":"invalid_user","error_description":"U15"}"#
            ),
            Refusal::Ineligible(IneligibleUser::InvalidUser)
        );
        assert_eq!(
            of(400, r#"{"error":"unknown_user_id"}"#),
            Refusal::Ineligible(IneligibleUser::UnknownUserId)
        );
        // Vipps' general error schema: `error_code` is the HTTP status, not a reason.
        assert_eq!(
            of(400, r#"{"error":"invalid_request","error_code":400}"#),
            Refusal::Other
        );
        // The description is text, never read for a decision.
        assert_eq!(
            of(
                400,
                r#"{"error":"invalid_request","error_description":"old_app"}"#
            ),
            Refusal::Other
        );
    }

    #[test]
    fn a_429_or_a_503_with_retry_after_means_wait() {
        let mut res = HttpResponse::new(429, "");
        assert_eq!(classify(&res), Refusal::RetryLater(None));
        res.headers.push(("Retry-After".into(), "12".into()));
        assert_eq!(
            classify(&res),
            Refusal::RetryLater(Some(RetryAfter::Delay(12)))
        );
        res.status = 503;
        assert_eq!(
            classify(&res),
            Refusal::RetryLater(Some(RetryAfter::Delay(12)))
        );
        assert_eq!(of(503, r#"{"error":"server_error"}"#), Refusal::Other);
        assert_eq!(of(502, "<html>"), Refusal::Other);
    }
}
