//! The one rule every endpoint URL of this crate follows: an absolute `https` URL, or
//! `http` on a loopback host only (the local emulator, tests).
//!
//! OAuth 2.0 requires TLS for the authorization and token endpoints (RFC 6749 sections
//! 3.1 and 3.2) and their URIs carry no fragment; OpenID Connect Discovery 1.0 sections 2
//! and 3 require `https` for the issuer and every endpoint, and no query or fragment in the
//! issuer. This crate is stricter in one respect: an endpoint URL may carry neither a query
//! nor a fragment, so the request builders can append their own query without merging.
//!
//! The parse is deliberately narrow (RFC 3986 section 3, restricted): visible ASCII only,
//! no userinfo (`user@`), a host of letters, digits, `-` and `.` or a bracketed IPv6
//! literal, an optional port 1..=65535, and a path that is empty or starts with `/`.
//! Anything else, including a backslash or a percent-encoded host, is refused rather than
//! interpreted, so the host this check sees is the host a browser would connect to.

use crate::error::{ErrorKind, Result};

/// The hosts on which plain `http` is allowed.
pub const LOOPBACK_HOSTS: &[&str] = &["localhost", "127.0.0.1", "[::1]"];

/// Checks that `url` is an absolute `https` URL with no query or fragment, or an `http`
/// URL of that shape whose host is one of [`LOOPBACK_HOSTS`].
///
/// On failure returns [`ErrorKind::InvalidParams`] naming `param` (as the caller spells it);
/// callers that check a URL received from a server map it to their own error.
pub fn check_endpoint_url(url: &str, param: &'static str) -> Result<()> {
    check(url, param, false)
}

/// As [`check_endpoint_url`], but a query is allowed: RFC 6749 section 3.1 lets the
/// authorization endpoint URI carry one, and the authorize-URL builder appends to it.
pub fn check_authorization_endpoint_url(url: &str, param: &'static str) -> Result<()> {
    check(url, param, true)
}

fn check(url: &str, param: &'static str, allow_query: bool) -> Result<()> {
    let bad = |reason: &'static str| ErrorKind::InvalidParams { param, reason };
    if url.is_empty() {
        return Err(bad("the URL is empty").into());
    }
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad("the URL has whitespace, control or non-ASCII characters").into());
    }
    if url.contains('#') {
        return Err(bad("the URL has a fragment").into());
    }
    if !allow_query && url.contains('?') {
        return Err(bad("the URL has a query").into());
    }
    let (secure, rest) = if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
        (true, rest)
    } else if let Some(rest) = strip_prefix_ignore_case(url, "http://") {
        (false, rest)
    } else {
        return Err(bad("the URL is not an absolute http(s) URL").into());
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = parse_authority(authority).map_err(bad)?;
    if !secure && !is_loopback(host) {
        return Err(
            bad("http is allowed only for localhost, 127.0.0.1 and [::1]; use https").into(),
        );
    }
    Ok(())
}

/// Whether `host` (as written in a URL, IPv6 in brackets) is one of [`LOOPBACK_HOSTS`].
pub fn is_loopback(host: &str) -> bool {
    LOOPBACK_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host))
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

/// Splits an RFC 3986 authority `host[:port]` (no userinfo), checks both, and returns the
/// host (an IPv6 literal keeps its brackets).
pub(crate) fn parse_authority(authority: &str) -> core::result::Result<&str, &'static str> {
    if authority.is_empty() {
        return Err("the URL has no host");
    }
    if authority.contains('@') {
        return Err("the URL carries credentials (user@host)");
    }
    let (host, port) = if authority.starts_with('[') {
        let close = authority
            .find(']')
            .ok_or("the IPv6 host has no closing bracket")?;
        let (host, after) = authority
            .split_at_checked(close + 1)
            .ok_or("the IPv6 host is invalid")?;
        let inner = host.get(1..close).unwrap_or_default();
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err("the IPv6 host is invalid");
        }
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err("unexpected characters after the IPv6 host"),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("the URL has no host");
    }
    if !host.starts_with('[')
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err("the host has characters outside letters, digits, '-' and '.'");
    }
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && crate::text::parse_i64(port).is_some_and(|p| (1..=65535).contains(&p));
        if !valid {
            return Err("the port is not a number from 1 to 65535");
        }
    }
    Ok(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn reason(url: &str) -> &'static str {
        match check_endpoint_url(url, "url").map_err(Error::into_kind) {
            Err(ErrorKind::InvalidParams {
                param: "url",
                reason,
            }) => reason,
            other => panic!("{url}: expected InvalidParams, got {other:?}"),
        }
    }

    #[test]
    fn accepts_https_urls_with_host_port_and_path() {
        for url in [
            "https://api.vipps.no",
            "https://api.vipps.no/",
            "https://apitest.vipps.no/access-management-1.0/access/oauth2/token",
            "HTTPS://api.vipps.no:443/accesstoken/get",
            "https://[2001:db8::1]:8443/x",
        ] {
            assert_eq!(check_endpoint_url(url, "url"), Ok(()), "{url}");
        }
    }

    #[test]
    fn accepts_http_only_on_loopback_hosts() {
        for url in [
            "http://localhost:7480/",
            "http://127.0.0.1:7480",
            "http://[::1]:7480/a",
            "http://LOCALHOST/",
        ] {
            assert_eq!(check_endpoint_url(url, "url"), Ok(()), "{url}");
        }
        for url in [
            "http://api.vipps.no/",
            "http://127.0.0.2/",
            "http://localhost.evil.example/",
            "http://[::2]/",
        ] {
            assert!(reason(url).starts_with("http is allowed only"), "{url}");
        }
    }

    #[test]
    fn refuses_other_schemes_and_relative_urls() {
        for url in [
            "ftp://api.vipps.no/",
            "javascript:alert(1)",
            "/oauth2/token",
            "api.vipps.no",
            "https:/x",
            "",
        ] {
            assert!(check_endpoint_url(url, "url").is_err(), "{url}");
        }
    }

    #[test]
    fn refuses_query_and_fragment() {
        assert_eq!(reason("https://api.vipps.no/x?a=b"), "the URL has a query");
        assert_eq!(reason("https://api.vipps.no?a=b"), "the URL has a query");
        assert_eq!(
            reason("https://api.vipps.no/x#frag"),
            "the URL has a fragment"
        );
    }

    #[test]
    fn authorization_endpoints_may_carry_a_query_but_no_fragment() {
        assert_eq!(
            check_authorization_endpoint_url("https://api.vipps.no/auth?a=b", "url"),
            Ok(())
        );
        assert_eq!(
            check_authorization_endpoint_url("https://api.vipps.no?a=b", "url"),
            Ok(())
        );
        assert!(
            check_authorization_endpoint_url("https://api.vipps.no/auth?a=b#f", "url").is_err()
        );
        assert!(check_authorization_endpoint_url("http://api.vipps.no/auth?a=b", "url").is_err());
        assert!(check_authorization_endpoint_url("https://user@api.vipps.no?a=b", "url").is_err());
    }

    #[test]
    fn refuses_credentials_and_confusable_hosts() {
        assert_eq!(
            reason("https://user:pw@api.vipps.no/"),
            "the URL carries credentials (user@host)"
        );
        assert_eq!(
            reason("http://localhost@evil.example/"),
            "the URL carries credentials (user@host)"
        );
        assert!(check_endpoint_url("https://evil.example\\.api.vipps.no/", "url").is_err());
        assert!(check_endpoint_url("https://api%2evipps.no/", "url").is_err());
        assert!(check_endpoint_url("https://api.vipps.no /x", "url").is_err());
        assert!(check_endpoint_url("https://api.vippś.no/", "url").is_err());
    }

    #[test]
    fn refuses_empty_hosts_and_bad_ports() {
        assert_eq!(reason("https:///path"), "the URL has no host");
        assert_eq!(reason("https://:443/"), "the URL has no host");
        for url in [
            "https://api.vipps.no:/",
            "https://api.vipps.no:0/",
            "https://x.example:65536/",
            "https://a:b/",
        ] {
            assert_eq!(
                reason(url),
                "the port is not a number from 1 to 65535",
                "{url}"
            );
        }
        assert_eq!(
            check_endpoint_url("https://api.vipps.no:65535/", "url"),
            Ok(())
        );
    }

    #[test]
    fn refuses_malformed_ipv6_hosts() {
        assert_eq!(
            reason("https://[::1/"),
            "the IPv6 host has no closing bracket"
        );
        assert_eq!(reason("https://[]/"), "the IPv6 host is invalid");
        assert_eq!(
            reason("https://[::1]x/"),
            "unexpected characters after the IPv6 host"
        );
        assert_eq!(reason("https://[zz::1]/"), "the IPv6 host is invalid");
    }
}
