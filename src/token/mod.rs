//! Request builders and response processors for Vipps' secret-bearing endpoints, as
//! builder/processor pairs in the manner of panva's oauth4webapi: a `*_request` function
//! validates its inputs and returns an [`HttpRequest`](crate::http::HttpRequest) for the
//! platform layer to send; a `process_*` function reads the
//! [`HttpResponse`](crate::http::HttpResponse) into a typed value.
//!
//! - [`access_token`]: the Access Token API, `POST /accesstoken/get`.
//! - [`miami`]: the partner ("specialized") token, `POST /miami/v1/token`.
//! - [`login`]: the Login authorization-code exchange (RFC 6749 4.1.3, RFC 7636 4.5).
//! - [`userinfo`]: `GET /vipps-userinfo-api/userinfo` (OpenID Connect Core 1.0 5.3).
//! - [`expiry`]: when a cached token should be refreshed.
//!
//! Builders fail with [`Error::InvalidParams`]; processors with [`Error::Http`] for a
//! non-2xx status (carrying Vipps' `error` / `error_description`) and
//! [`Error::ResponseMalformed`] for a 2xx body of the wrong shape. Endpoint URLs are the
//! caller's (from discovery or [`DESIGN.md`'s table]); they must be absolute `https` URLs,
//! or `http` on a loopback host for the local emulator.
//!
//! [`DESIGN.md`'s table]: https://developer.vippsmobilepay.com/docs/APIs/access-token-api/

use crate::error::{Error, Result};

pub mod access_token;
pub mod expiry;
pub(crate) mod fields;
pub mod login;
pub mod miami;
pub mod userinfo;

pub use access_token::{
    access_token_request, process_access_token_response, AccessTokenCredentials, AccessTokenResponse, SystemHeaders,
};
pub use expiry::{TokenLifetime, MIN_REMAINING_SEC};
pub use login::{
    basic_auth_header, code_exchange_request, process_code_exchange_response, CodeExchange, LoginTokenResponse,
    TokenEndpointAuth,
};
pub use miami::{miami_token_request, process_miami_token_response, MiamiTokenResponse};
pub use userinfo::{process_userinfo_response, userinfo_request};

/// `Content-Type` of every OAuth token request body (RFC 6749 section 4.1.3, Appendix B).
pub(crate) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

fn invalid(param: &'static str, reason: &'static str) -> Error {
    Error::InvalidParams { param, reason }
}

/// Refuses an endpoint URL that is not absolute, or not `https` unless its host is a
/// loopback name (`localhost`, `127.0.0.1`, `[::1]`), as RFC 6749 section 3.2 requires TLS
/// for the token endpoint (and RFC 8252 section 8.3 allows loopback as the exception).
/// Also refuses whitespace, control and non-ASCII characters, user information
/// (`user:pass@`) and fragments (RFC 6749 section 3.1.2).
// TODO(lead): replace with crate::url_check::check_endpoint_url when merged
pub(crate) fn check_endpoint(url: &str, param: &'static str) -> Result<()> {
    if url.bytes().any(|b| !b.is_ascii_graphic()) {
        return Err(invalid(param, "contains whitespace, control or non-ASCII characters"));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(invalid(param, "is not an absolute URL"));
    };
    if url.contains('#') {
        return Err(invalid(param, "has a fragment"));
    }
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(invalid(param, "carries user information"));
    }
    let split = if authority.starts_with('[') {
        match authority.find(']') {
            Some(i) => authority.split_at_checked(i + 1),
            None => return Err(invalid(param, "has an unterminated IPv6 address")),
        }
    } else {
        authority.find(':').and_then(|i| authority.split_at_checked(i))
    };
    let (host, port) = split.unwrap_or((authority, ""));
    if host.is_empty() {
        return Err(invalid(param, "has no host"));
    }
    if let Some(digits) = port.strip_prefix(':') {
        if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(param, "has an invalid port"));
        }
    } else if !port.is_empty() {
        return Err(invalid(param, "has an invalid port"));
    }
    if scheme.eq_ignore_ascii_case("https") {
        return Ok(());
    }
    let loopback = host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "[::1]";
    if scheme.eq_ignore_ascii_case("http") && loopback {
        return Ok(());
    }
    Err(invalid(param, "must be an https URL (http only on a loopback host)"))
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

    fn reason(url: &str) -> &'static str {
        match check_endpoint(url, "tokenEndpoint") {
            Err(Error::InvalidParams { param: "tokenEndpoint", reason }) => reason,
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn accepts_https_endpoints_with_and_without_port_and_query() {
        for url in [
            "https://api.vipps.no/accesstoken/get",
            "https://apitest.vipps.no/access-management-1.0/access/oauth2/token",
            "HTTPS://api.vipps.no:443/miami/v1/token",
            "https://api.vipps.no?x=1",
            "https://[2001:db8::1]:8443/token",
        ] {
            assert_eq!(check_endpoint(url, "tokenEndpoint"), Ok(()), "{url}");
        }
    }

    #[test]
    fn accepts_http_only_on_loopback_hosts() {
        for url in ["http://localhost:8787/accesstoken/get", "http://LOCALHOST/x", "http://127.0.0.1:1/x", "http://[::1]:9/x"] {
            assert_eq!(check_endpoint(url, "tokenEndpoint"), Ok(()), "{url}");
        }
        for url in [
            "http://api.vipps.no/accesstoken/get",
            "http://localhost.evil.example/x",
            "http://127.0.0.2/x",
            "http://[::2]/x",
        ] {
            assert_eq!(reason(url), "must be an https URL (http only on a loopback host)", "{url}");
        }
    }

    #[test]
    fn refuses_relative_and_non_http_urls() {
        assert_eq!(reason("/accesstoken/get"), "is not an absolute URL");
        assert_eq!(reason("api.vipps.no/accesstoken/get"), "is not an absolute URL");
        assert_eq!(reason(""), "is not an absolute URL");
        assert_eq!(reason("ftp://api.vipps.no/x"), "must be an https URL (http only on a loopback host)");
        assert_eq!(reason("javascript://localhost/x"), "must be an https URL (http only on a loopback host)");
    }

    #[test]
    fn refuses_malformed_authorities() {
        assert_eq!(reason("https:///x"), "has no host");
        assert_eq!(reason("https://user:pw@api.vipps.no/x"), "carries user information");
        assert_eq!(reason("https://api.vipps.no:/x"), "has an invalid port");
        assert_eq!(reason("https://api.vipps.no:44a/x"), "has an invalid port");
        assert_eq!(reason("https://api.vipps.no:123456/x"), "has an invalid port");
        assert_eq!(reason("https://[::1/x"), "has an unterminated IPv6 address");
        assert_eq!(reason("https://[::1]x/x"), "has an invalid port");
    }

    #[test]
    fn refuses_fragments_whitespace_and_control_characters() {
        assert_eq!(reason("https://api.vipps.no/x#frag"), "has a fragment");
        assert_eq!(reason("https://api.vipps.no/x y"), "contains whitespace, control or non-ASCII characters");
        assert_eq!(reason("https://api.vipps.no/x\r\n"), "contains whitespace, control or non-ASCII characters");
        assert_eq!(reason("https://api.vipps.no/ø"), "contains whitespace, control or non-ASCII characters");
    }

    #[test]
    fn token_chars_must_be_visible_ascii() {
        assert_eq!(check_token_chars("fb492b5e-7907-4d83-ba20-c7fb60ca35de", "clientId"), Ok(()));
        assert_eq!(check_token_chars("Y8Kteew6GE2ZmeycEt6egg==", "clientSecret"), Ok(()));
        assert_eq!(check_token_chars("", "clientId"), Err(invalid("clientId", "is empty")));
        for bad in ["a\r\nb", "a b", "a\tb", "æ", "a\u{7f}"] {
            assert_eq!(
                check_token_chars(bad, "clientSecret"),
                Err(invalid("clientSecret", "contains a character outside visible ASCII")),
                "{bad:?}"
            );
        }
    }
}
