//! The authorization response: the redirect back from Vipps to the `redirect_uri`
//! (RFC 6749 sections 4.1.2 and 4.1.2.1; OpenID Connect Core 1.0 sections 3.1.2.5 and 3.1.2.6).
//!
//! [`parse_callback`] reads the query of the callback URL, checks `state` against the value
//! sent and `iss` against the issuer (RFC 9207), and yields the authorization code or the
//! typed error Vipps sent.

use alloc::{borrow::ToOwned, string::String};
use core::fmt;

use crate::error::{ErrorKind, Result};
use crate::secret::{constant_time_eq, AuthorizationCode};
use crate::urlencoded;

/// The longest callback URL accepted: 8 KiB.
pub const MAX_CALLBACK_LEN: usize = 8 * 1024;
/// `error` and `error_description` are cut to this many characters before they reach an
/// [`Error`](crate::Error), so a hostile redirect cannot flood logs or UIs.
pub const MAX_ERROR_FIELD_CHARS: usize = 200;

/// The `error` values the Vipps Login API documents for the redirect back:
///
/// - `access_denied`: the user cancelled or refused;
/// - `server_error`: a failure at Vipps;
/// - `login_required`: the user must log in (e.g. a silent request could not be completed);
/// - `invalid_app_callback_uri`: `app_callback_uri` is not a valid URI;
/// - `app_callback_uri_not_registered`: `app_callback_uri` is not registered for the client;
/// - `outdated_app_version`: the user's Vipps app is too old for the requested flow;
/// - `wrong_challenge`: the PKCE challenge was refused;
/// - `unknown_reject_reason`: Vipps gave no reason.
///
/// Other values (including the RFC 6749 section 4.1.2.1 ones) may appear and are passed on
/// unchanged.
pub const KNOWN_VIPPS_ERRORS: &[&str] = &[
    "access_denied",
    "server_error",
    "login_required",
    "invalid_app_callback_uri",
    "app_callback_uri_not_registered",
    "outdated_app_version",
    "wrong_challenge",
    "unknown_reject_reason",
];

/// Whether `code` is one of the [`KNOWN_VIPPS_ERRORS`] (exact, case-sensitive match).
pub fn is_known_vipps_error(code: &str) -> bool {
    KNOWN_VIPPS_ERRORS.contains(&code)
}

/// A successful authorization response (RFC 6749 section 4.1.2). `Debug` hides both fields.
pub struct Callback {
    /// The single-use authorization code.
    pub code: AuthorizationCode,
    /// The `state` Vipps echoed, equal to the one expected.
    pub state: String,
}

impl fmt::Debug for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callback")
            .field("code", &self.code)
            .field("state", &"<redacted>")
            .finish()
    }
}

fn malformed<T>(reason: &'static str) -> Result<T> {
    Err(ErrorKind::CallbackMalformed { reason }.into())
}

/// The query part of a callback: after the first `?` and before any `#`. Input without a
/// `?` is a bare query (`code=...&state=...`) unless it is a URL (has a scheme or starts
/// with `/`), which then has no parameters.
fn query_of(input: &str) -> &str {
    let before_fragment = input.split('#').next().unwrap_or_default();
    if let Some((_, query)) = before_fragment.split_once('?') {
        return query;
    }
    let has_scheme = before_fragment.split_once(':').is_some_and(|(scheme, _)| {
        let mut bytes = scheme.bytes();
        matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
            && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    if has_scheme || before_fragment.starts_with('/') {
        ""
    } else {
        before_fragment
    }
}

fn truncate_chars(value: &str) -> String {
    value.chars().take(MAX_ERROR_FIELD_CHARS).collect()
}

/// Parses the redirect back from Vipps (RFC 6749 sections 4.1.2 and 4.1.2.1, OpenID Connect
/// Core 1.0 sections 3.1.2.5 and 3.1.2.6), checks its `state` (RFC 6749 section 10.12) and,
/// when it carries one, its `iss` (RFC 9207, OAuth 2.0 Authorization Server Issuer
/// Identification).
///
/// `callback_url` is a full URL or a bare query (`?code=...` or `code=...`); only the query
/// is read (a fragment is ignored). `expected_issuer` is the issuer the authorization request
/// went to. The checks run in this order:
///
/// 1. `expected_state` empty: `InvalidParams { param: "expectedState" }`;
/// 2. longer than 8 KiB, bad percent-escapes, non-UTF-8, or a parameter present twice
///    (RFC 6749 section 3.1): `CallbackMalformed`;
/// 3. no `state`, or one that differs from `expected_state` (compared in constant time):
///    `StateMismatch`, on an error response too, so an error that cannot be tied to this
///    login (a forged one, or one for another login) is never reported as Vipps' words;
/// 4. an `iss` that differs from `expected_issuer`, or any `iss` when no issuer was given
///    (RFC 9207 section 2.4: the response MUST be rejected, error responses included):
///    `CallbackIssuer`, the value cut to 200 characters;
/// 5. an `error`: `AuthorizationResponse { error, description }`, both cut to 200 characters;
///    unknown codes pass through (see [`is_known_vipps_error`]);
/// 6. no or an empty `code`: `CallbackMalformed`.
pub fn parse_callback(
    callback_url: &str,
    expected_state: &str,
    expected_issuer: Option<&str>,
) -> Result<Callback> {
    if expected_state.is_empty() {
        return Err(ErrorKind::InvalidParams {
            param: "expectedState",
            reason: "must not be empty",
        }
        .into());
    }
    if callback_url.len() > MAX_CALLBACK_LEN {
        return malformed("the callback URL is longer than 8 KiB");
    }
    let pairs = match urlencoded::decode_pairs(query_of(callback_url)) {
        Ok(pairs) => pairs,
        Err(urlencoded::DecodeError::BadPercentEscape) => {
            return malformed("a percent-escape is invalid")
        }
        Err(urlencoded::DecodeError::NotUtf8) => {
            return malformed("a parameter is not valid UTF-8")
        }
    };
    for (i, (name, _)) in pairs.iter().enumerate() {
        if pairs.iter().take(i).any(|(earlier, _)| earlier == name) {
            return malformed("a parameter appears more than once (RFC 6749 section 3.1)");
        }
    }
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };

    let Some(state) =
        get("state").filter(|s| constant_time_eq(s.as_bytes(), expected_state.as_bytes()))
    else {
        return Err(ErrorKind::StateMismatch.into());
    };
    if let Some(iss) = get("iss") {
        if expected_issuer != Some(iss) {
            let expected = expected_issuer.map(str::to_owned);
            return Err(ErrorKind::CallbackIssuer {
                expected,
                found: truncate_chars(iss),
            }
            .into());
        }
    }
    if let Some(error) = get("error") {
        if error.is_empty() {
            return malformed("the error parameter is empty");
        }
        let description = get("error_description")
            .filter(|d| !d.is_empty())
            .map(truncate_chars);
        return Err(ErrorKind::AuthorizationResponse {
            error: truncate_chars(error),
            description,
        }
        .into());
    }
    match get("code") {
        Some(code) if !code.is_empty() => Ok(Callback {
            code: AuthorizationCode::new(code),
            state: state.to_owned(),
        }),
        _ => malformed("the code parameter is missing or empty"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    const STATE: &str = "expected-state-123";

    fn ok(url: &str) -> Callback {
        parse_callback(url, STATE, None).unwrap()
    }

    fn err(url: &str) -> Error {
        parse_callback(url, STATE, None).unwrap_err()
    }

    #[test]
    fn parses_a_full_callback_url() {
        let cb =
            ok("https://example.com/callback?code=abc-123&state=expected-state-123&scope=openid");
        assert_eq!(cb.code.secret(), "abc-123");
        assert_eq!(cb.state, STATE);
    }

    #[test]
    fn parses_bare_queries_with_and_without_question_mark() {
        assert_eq!(ok("?code=c1&state=expected-state-123").code.secret(), "c1");
        assert_eq!(ok("code=c2&state=expected-state-123").code.secret(), "c2");
        assert_eq!(
            ok("/callback?state=expected-state-123&code=c3")
                .code
                .secret(),
            "c3"
        );
    }

    #[test]
    fn decodes_percent_escapes_in_code_and_state() {
        let cb = parse_callback(
            "https://x/cb?code=a%2Bb%20c&state=s%26t%3Du%C3%A6",
            "s&t=uæ",
            None,
        )
        .unwrap();
        assert_eq!(cb.code.secret(), "a+b c");
        assert_eq!(cb.state, "s&t=uæ");
    }

    #[test]
    fn ignores_the_fragment() {
        assert_eq!(
            ok("https://x/cb?code=c&state=expected-state-123#code=evil&state=x")
                .code
                .secret(),
            "c"
        );
        // Parameters only in the fragment are not read.
        assert_eq!(
            err("https://x/cb#code=c&state=expected-state-123"),
            ErrorKind::StateMismatch.into(),
            "a fragment-only response has no state in the query"
        );
    }

    #[test]
    fn a_url_without_query_has_no_parameters() {
        assert_eq!(err("https://x/cb"), ErrorKind::StateMismatch.into());
        assert_eq!(err("/cb"), ErrorKind::StateMismatch.into());
    }

    #[test]
    fn rejects_an_empty_expected_state() {
        assert!(matches!(
            parse_callback("?code=c&state=", "", None).map_err(Error::into_kind),
            Err(ErrorKind::InvalidParams {
                param: "expectedState",
                ..
            })
        ));
    }

    #[test]
    fn rejects_a_mismatched_state() {
        assert_eq!(
            err("?code=c&state=other-state"),
            ErrorKind::StateMismatch.into()
        );
        assert_eq!(
            err("?code=c&state=expected-state-12"),
            ErrorKind::StateMismatch.into()
        );
        assert_eq!(err("?code=c&state="), ErrorKind::StateMismatch.into());
    }

    #[test]
    fn rejects_a_success_response_without_state() {
        assert_eq!(err("https://x/cb?code=c"), ErrorKind::StateMismatch.into());
    }

    #[test]
    fn returns_a_known_vipps_error_with_its_description() {
        let e = err("https://x/cb?error=access_denied&error_description=User+cancelled&state=expected-state-123");
        assert_eq!(
            e,
            ErrorKind::AuthorizationResponse {
                error: "access_denied".into(),
                description: Some("User cancelled".into())
            }
            .into()
        );
        assert_eq!(e.code(), "ERR_AUTHORIZATION_RESPONSE");
        assert!(is_known_vipps_error(e.vipps_error().unwrap()));
    }

    #[test]
    fn passes_an_unknown_error_through_unchanged() {
        let e = err("?error=brand_new_error&state=expected-state-123");
        assert_eq!(
            e,
            ErrorKind::AuthorizationResponse {
                error: "brand_new_error".into(),
                description: None
            }
            .into()
        );
        assert!(!is_known_vipps_error("brand_new_error"));
    }

    #[test]
    fn an_error_response_without_state_is_a_state_mismatch_not_vipps_words() {
        // Nothing ties it to this login: a forged redirect could put any words in Vipps' mouth.
        assert_eq!(
            err("?error=server_error&error_description=call+support"),
            ErrorKind::StateMismatch.into()
        );
        assert_eq!(err("?error=access_denied"), ErrorKind::StateMismatch.into());
    }

    #[test]
    fn an_error_wins_over_a_code() {
        let e = err("?code=c&error=login_required&state=expected-state-123");
        assert_eq!(e.vipps_error(), Some("login_required"));
    }

    #[test]
    fn rejects_an_error_response_with_a_mismatched_state() {
        assert_eq!(
            err("?error=access_denied&state=forged-state"),
            ErrorKind::StateMismatch.into()
        );
    }

    const ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";

    fn with_issuer(url: &str, issuer: Option<&str>) -> Result<Callback> {
        parse_callback(url, STATE, issuer)
    }

    #[test]
    fn accepts_an_iss_equal_to_the_issuer_and_no_iss_at_all() {
        let url = format!(
            "?code=c&state={STATE}&iss={}",
            urlencoded::encode_component(ISSUER)
        );
        assert_eq!(with_issuer(&url, Some(ISSUER)).unwrap().code.secret(), "c");
        assert_eq!(
            with_issuer(&format!("?code=c&state={STATE}"), Some(ISSUER))
                .unwrap()
                .code
                .secret(),
            "c"
        );
    }

    #[test]
    fn rejects_an_iss_of_another_issuer_rfc9207() {
        // The mix-up attack (RFC 9207 section 1): the response came from another authorization server.
        let url = format!("?code=c&state={STATE}&iss=https%3A%2F%2Fevil.example%2F");
        let e = with_issuer(&url, Some(ISSUER)).unwrap_err();
        assert_eq!(
            e,
            ErrorKind::CallbackIssuer {
                expected: Some(ISSUER.into()),
                found: "https://evil.example/".into()
            }
            .into()
        );
        assert_eq!(e.code(), "ERR_CALLBACK_ISSUER");
        // A trailing-slash difference is a different issuer (exact comparison).
        let url = format!(
            "?code=c&state={STATE}&iss={}",
            urlencoded::encode_component(ISSUER.trim_end_matches('/'))
        );
        assert_eq!(
            with_issuer(&url, Some(ISSUER)).unwrap_err().code(),
            "ERR_CALLBACK_ISSUER"
        );
    }

    #[test]
    fn rejects_an_iss_when_no_issuer_was_given_to_check_it() {
        let url = format!(
            "?code=c&state={STATE}&iss={}",
            urlencoded::encode_component(ISSUER)
        );
        assert_eq!(
            with_issuer(&url, None).unwrap_err(),
            ErrorKind::CallbackIssuer {
                expected: None,
                found: ISSUER.into()
            }
            .into()
        );
    }

    #[test]
    fn an_error_response_from_another_issuer_is_not_reported_as_vipps_words() {
        let url = format!("?error=access_denied&state={STATE}&iss=https%3A%2F%2Fevil.example%2F");
        assert_eq!(
            with_issuer(&url, Some(ISSUER)).unwrap_err().code(),
            "ERR_CALLBACK_ISSUER"
        );
    }

    #[test]
    fn cuts_an_echoed_iss_to_200_characters() {
        let url = format!("?code=c&state={STATE}&iss={}", "i".repeat(5000));
        match with_issuer(&url, Some(ISSUER)).unwrap_err().into_kind() {
            ErrorKind::CallbackIssuer { found, .. } => {
                assert_eq!(found, "i".repeat(MAX_ERROR_FIELD_CHARS))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rejects_an_empty_error_parameter() {
        assert!(matches!(
            err("?error=&state=expected-state-123").kind(),
            ErrorKind::CallbackMalformed { .. }
        ));
    }

    #[test]
    fn truncates_error_and_description_to_200_characters() {
        let long = "æ".repeat(300);
        let e = err(&format!(
            "?error={}&error_description={}&state={STATE}",
            "e".repeat(250),
            long
        ));
        match e.kind() {
            ErrorKind::AuthorizationResponse { error, description } => {
                assert_eq!(*error, "e".repeat(200));
                assert_eq!(description.as_deref(), Some("æ".repeat(200).as_str()));
            }
            other => panic!("{other:?}"),
        }
        let short = err("?error=access_denied&error_description=short&state=expected-state-123");
        assert_eq!(short.vipps_error_description(), Some("short"));
    }

    #[test]
    fn recognises_exactly_the_documented_vipps_errors() {
        for code in [
            "access_denied",
            "server_error",
            "login_required",
            "invalid_app_callback_uri",
            "app_callback_uri_not_registered",
            "outdated_app_version",
            "wrong_challenge",
            "unknown_reject_reason",
        ] {
            assert!(is_known_vipps_error(code), "{code}");
        }
        for code in ["", "ACCESS_DENIED", "invalid_request", "access_denied "] {
            assert!(!is_known_vipps_error(code), "{code:?}");
        }
    }

    #[test]
    fn rejects_a_parameter_that_appears_twice() {
        for url in [
            "?code=a&code=b&state=expected-state-123",
            "?code=a&state=expected-state-123&state=expected-state-123",
            "?error=x&error=y&state=expected-state-123",
            "?code=a&state=expected-state-123&iss=a&iss=b",
        ] {
            assert!(
                matches!(err(url).kind(), ErrorKind::CallbackMalformed { .. }),
                "{url}"
            );
        }
    }

    #[test]
    fn rejects_bad_percent_escapes_and_invalid_utf8() {
        for url in [
            "?code=%zz&state=expected-state-123",
            "?code=%4&state=expected-state-123",
            "?code=%FF&state=x",
        ] {
            assert!(
                matches!(err(url).kind(), ErrorKind::CallbackMalformed { .. }),
                "{url}"
            );
        }
    }

    #[test]
    fn rejects_a_missing_or_empty_code() {
        for url in [
            "?state=expected-state-123",
            "?code=&state=expected-state-123",
            "?code&state=expected-state-123",
        ] {
            assert!(
                matches!(err(url).kind(), ErrorKind::CallbackMalformed { .. }),
                "{url}"
            );
        }
    }

    #[test]
    fn rejects_a_callback_url_over_8_kib() {
        let base = "https://x/cb?code=c&state=expected-state-123&pad=";
        let at_limit = format!("{base}{}", "p".repeat(MAX_CALLBACK_LEN - base.len()));
        assert!(parse_callback(&at_limit, STATE, None).is_ok());
        let over = format!("{at_limit}p");
        assert!(matches!(
            err(&over).kind(),
            ErrorKind::CallbackMalformed { .. }
        ));
    }

    #[test]
    fn debug_output_hides_code_and_state() {
        let printed = format!("{:?}", ok("?code=sekrit-code&state=expected-state-123"));
        assert!(!printed.contains("sekrit"), "{printed}");
        assert!(!printed.contains(STATE), "{printed}");
    }

    #[test]
    fn errors_never_contain_the_code() {
        let e = err("?code=sekrit-code&state=wrong-state-123");
        assert!(!e.to_string().contains("sekrit") && !format!("{e:?}").contains("sekrit"));
    }
}
