//! Request builders and response processors for Vipps' secret-bearing endpoints, as
//! builder/processor pairs in the manner of panva's oauth4webapi: a `*_request` function
//! validates its inputs and returns an [`HttpRequest`](crate::http::HttpRequest) for the
//! platform layer to send; a `process_*` function reads the
//! [`HttpResponse`](crate::http::HttpResponse) into a typed value.
//!
//! - [`access_token`]: the Access Token API, `POST /accesstoken/get`.
//! - [`miami`]: the partner ("specialized") token, `POST /miami/v1/token`.
//! - [`login`]: the Login authorization-code exchange (RFC 6749 4.1.3, RFC 7636 4.5).
//! - [`client_auth`]: how the client authenticates there: its own keys, or a partner's
//!   Bearer token and `Merchant-Serial-Number`.
//! - [`ciba`]: merchant-initiated login (CIBA Core 1.0): start, poll, the polling schedule,
//!   and the redirect variant's code exchange.
//! - [`userinfo`]: `GET /vipps-userinfo-api/userinfo` (OpenID Connect Core 1.0 5.3).
//! - [`expiry`]: when a cached token should be refreshed.
//!
//! Builders fail with [`ErrorKind::InvalidParams`]; processors with [`ErrorKind::Http`] for a
//! non-2xx status (carrying Vipps' `error` / `error_description`) and
//! [`ErrorKind::ResponseMalformed`] for a 2xx body of the wrong shape. Endpoint URLs are the
//! caller's (from discovery, or `https://api.vipps.no` / `https://apitest.vipps.no` plus the
//! documented path); they must be absolute `https` URLs, or `http` on a loopback host for
//! the local emulator.

use crate::error::{Error, ErrorKind, Result};

pub mod access_token;
pub mod ciba;
pub mod client_auth;
pub mod expiry;
pub(crate) mod fields;
pub mod login;
pub mod miami;
pub mod userinfo;

pub use access_token::{
    access_token_request, process_access_token_response, AccessTokenCredentials,
    AccessTokenResponse, SystemHeaders,
};
pub use client_auth::ClientAuth;
pub use expiry::{TokenLifetime, MIN_REMAINING_SEC};
pub use login::{
    basic_auth_header, code_exchange_request, process_code_exchange_response, CodeExchange,
    LoginTokenResponse, TokenEndpointAuth,
};
pub use miami::{miami_token_request, process_miami_token_response, MiamiTokenResponse};
pub use userinfo::{process_userinfo_response, userinfo_request};

/// `Content-Type` of every OAuth token request body (RFC 6749 section 4.1.3, Appendix B).
pub(crate) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

fn invalid(param: &'static str, reason: &'static str) -> Error {
    ErrorKind::InvalidParams { param, reason }.into()
}

/// Refuses an empty value or one with a character outside visible ASCII (`!`..`~`), so it
/// can be sent as an HTTP header value (RFC 9110 section 5.5) without CR/LF injection.
pub(crate) fn check_token_chars(value: &str, param: &'static str) -> Result<()> {
    if value.is_empty() {
        return Err(invalid(param, "is empty"));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid(param, "contains a character outside visible ASCII"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_chars_must_be_visible_ascii() {
        assert_eq!(
            check_token_chars("fb492b5e-7907-4d83-ba20-c7fb60ca35de", "clientId"),
            Ok(())
        );
        assert_eq!(
            check_token_chars("Y8Kteew6GE2ZmeycEt6egg==", "clientSecret"),
            Ok(())
        );
        assert_eq!(
            check_token_chars("", "clientId"),
            Err(invalid("clientId", "is empty"))
        );
        for bad in ["a\r\nb", "a b", "a\tb", "æ", "a\u{7f}"] {
            assert_eq!(
                check_token_chars(bad, "clientSecret"),
                Err(invalid(
                    "clientSecret",
                    "contains a character outside visible ASCII"
                )),
                "{bad:?}"
            );
        }
    }
}
