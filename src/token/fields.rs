//! Readers for the members of token-endpoint responses, shared by every processor in
//! [`crate::token`].
//!
//! Vipps' endpoints disagree on types: the Access Token API sends its numbers as JSON
//! strings (`"expires_in": "86398"`) while its OpenAPI document and the OAuth endpoints
//! (RFC 6749 section 5.1) send JSON integers. [`integer`] accepts both, and nothing looser:
//! no sign, no fraction, no exponent, no whitespace, no value beyond a stated bound.
//! A failure is [`ErrorKind::ResponseMalformed`] naming the member; the member's value is never
//! copied into the error (it may be a token).

use crate::error::{Error, ErrorKind, Result};
use crate::json::{Object, Value};
use crate::secret::AccessToken;
use alloc::string::String;

/// A response member and the fixed texts of its errors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    /// The member's name.
    pub name: &'static str,
    /// The error text when a required member is absent.
    pub missing: &'static str,
    /// The error text when the member has the wrong type or an out-of-range value.
    pub invalid: &'static str,
}

/// Builds a [`Field`] with its error texts at compile time.
macro_rules! field {
    ($name:literal) => {
        $crate::token::fields::Field {
            name: $name,
            missing: concat!("`", $name, "` is missing"),
            invalid: concat!("`", $name, "` has the wrong type or an out-of-range value"),
        }
    };
}
pub(crate) use field;

/// Longest lifetime in seconds accepted in `expires_in` / `ext_expires_in`: seven days,
/// seven times the longest Vipps documents (24 h production tokens). Anything longer is a
/// broken response, and caching a token on its word would keep it far past revocation.
pub const MAX_EXPIRES_IN_SEC: i64 = 7 * 86_400;

/// Latest instant accepted in `expires_on` / `not_before`: 9999-12-31T23:59:59Z.
pub const MAX_TIMESTAMP: i64 = 253_402_300_799;

/// Digits accepted in an integer sent as a string; more cannot be an `i64` in range anyway.
const MAX_DIGITS: usize = 18;

fn malformed(reason: &'static str) -> Error {
    ErrorKind::ResponseMalformed { reason }.into()
}

/// Reads a non-negative integer member sent either as a JSON integer (`3599`) or as a
/// string of ASCII digits (`"3599"`), refusing values above `max`. `null` or absence gives
/// `None`.
pub(crate) fn integer(obj: &Object, f: Field, max: i64) -> Result<Option<i64>> {
    let n = match obj.get(f.name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => digits(s),
        Some(_) => None,
    };
    match n {
        Some(n) if (0..=max).contains(&n) => Ok(Some(n)),
        _ => Err(malformed(f.invalid)),
    }
}

/// Like [`integer`], for a member the response must have.
pub(crate) fn required_integer(obj: &Object, f: Field, max: i64) -> Result<i64> {
    integer(obj, f, max)?.ok_or_else(|| malformed(f.missing))
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > MAX_DIGITS || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Reads an optional string member; `null` or absence gives `None`.
pub(crate) fn string(obj: &Object, f: Field) -> Result<Option<String>> {
    match obj.get(f.name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(malformed(f.invalid)),
    }
}

/// Reads a string member the response must have, refusing the empty string.
pub(crate) fn required_string(obj: &Object, f: Field) -> Result<String> {
    match string(obj, f)? {
        Some(s) if !s.is_empty() => Ok(s),
        Some(_) => Err(malformed(f.invalid)),
        None => Err(malformed(f.missing)),
    }
}

/// Reads `token_type`, which must be `Bearer` compared ASCII case-insensitively
/// (RFC 6749 section 5.1 and 7.1; Vipps' Login sends `bearer`, its Access Token API `Bearer`).
pub(crate) fn bearer_token_type(obj: &Object) -> Result<String> {
    const TOKEN_TYPE: Field = field!("token_type");
    let t = required_string(obj, TOKEN_TYPE)?;
    if t.eq_ignore_ascii_case("bearer") {
        Ok(t)
    } else {
        Err(malformed("`token_type` is not Bearer"))
    }
}

/// Reads `access_token`, which must be an RFC 6750 section 2.1 `b64token`, the only form
/// that can be sent back in `Authorization: Bearer` (so a response cannot smuggle a CR/LF
/// into a later request's headers).
pub(crate) fn access_token(obj: &Object) -> Result<AccessToken> {
    const ACCESS_TOKEN: Field = field!("access_token");
    let t = required_string(obj, ACCESS_TOKEN)?;
    if is_b64token(&t) {
        Ok(AccessToken::new(t))
    } else {
        Err(malformed("`access_token` is not an RFC 6750 b64token"))
    }
}

/// Whether `s` matches RFC 6750 section 2.1:
/// `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
pub(crate) fn is_b64token(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    const EXPIRES_IN: Field = field!("expires_in");

    fn obj(text: &str) -> Object {
        json::parse_object(text.as_bytes()).unwrap()
    }

    #[test]
    fn integer_accepts_json_integers_and_digit_strings() {
        assert_eq!(
            integer(&obj(r#"{"expires_in":3599}"#), EXPIRES_IN, 86_400).unwrap(),
            Some(3599)
        );
        assert_eq!(
            integer(&obj(r#"{"expires_in":"86398"}"#), EXPIRES_IN, 86_400).unwrap(),
            Some(86_398)
        );
        assert_eq!(
            integer(&obj(r#"{"expires_in":"0"}"#), EXPIRES_IN, 86_400).unwrap(),
            Some(0)
        );
    }

    #[test]
    fn integer_treats_absent_and_null_as_none() {
        assert_eq!(integer(&obj("{}"), EXPIRES_IN, 10).unwrap(), None);
        assert_eq!(
            integer(&obj(r#"{"expires_in":null}"#), EXPIRES_IN, 10).unwrap(),
            None
        );
    }

    #[test]
    fn integer_refuses_negative_fractional_exponent_and_padded_values() {
        for body in [
            r#"{"expires_in":-1}"#,
            r#"{"expires_in":"-1"}"#,
            r#"{"expires_in":"+5"}"#,
            r#"{"expires_in":3599.5}"#,
            r#"{"expires_in":"3599.0"}"#,
            r#"{"expires_in":1e3}"#,
            r#"{"expires_in":"1e3"}"#,
            r#"{"expires_in":" 60"}"#,
            r#"{"expires_in":""}"#,
            r#"{"expires_in":true}"#,
            r#"{"expires_in":[60]}"#,
        ] {
            let err = integer(&obj(body), EXPIRES_IN, 86_400).unwrap_err();
            assert_eq!(
                err,
                ErrorKind::ResponseMalformed {
                    reason: EXPIRES_IN.invalid
                }
                .into(),
                "{body}"
            );
        }
    }

    #[test]
    fn integer_refuses_values_above_the_bound_and_beyond_i64() {
        assert!(integer(&obj(r#"{"expires_in":86401}"#), EXPIRES_IN, 86_400).is_err());
        assert!(integer(&obj(r#"{"expires_in":"86401"}"#), EXPIRES_IN, 86_400).is_err());
        assert!(integer(
            &obj(r#"{"expires_in":99999999999999999999}"#),
            EXPIRES_IN,
            i64::MAX
        )
        .is_err());
        assert!(integer(
            &obj(r#"{"expires_in":"99999999999999999999"}"#),
            EXPIRES_IN,
            i64::MAX
        )
        .is_err());
        assert_eq!(
            integer(&obj(r#"{"expires_in":86400}"#), EXPIRES_IN, 86_400).unwrap(),
            Some(86_400)
        );
    }

    #[test]
    fn required_integer_names_the_missing_member() {
        let err = required_integer(&obj("{}"), EXPIRES_IN, 10).unwrap_err();
        assert_eq!(
            err,
            ErrorKind::ResponseMalformed {
                reason: "`expires_in` is missing"
            }
            .into()
        );
        assert_eq!(
            required_integer(&obj(r#"{"expires_in":"7"}"#), EXPIRES_IN, 10).unwrap(),
            7
        );
    }

    #[test]
    fn required_string_refuses_missing_empty_and_non_string_members() {
        const SCOPE: Field = field!("scope");
        assert_eq!(
            required_string(&obj(r#"{"scope":"openid"}"#), SCOPE).unwrap(),
            "openid"
        );
        assert_eq!(
            required_string(&obj("{}"), SCOPE).unwrap_err(),
            ErrorKind::ResponseMalformed {
                reason: SCOPE.missing
            }
            .into()
        );
        assert_eq!(
            required_string(&obj(r#"{"scope":""}"#), SCOPE)
                .unwrap_err()
                .code(),
            "ERR_RESPONSE_MALFORMED"
        );
        assert_eq!(
            required_string(&obj(r#"{"scope":1}"#), SCOPE)
                .unwrap_err()
                .code(),
            "ERR_RESPONSE_MALFORMED"
        );
        assert_eq!(string(&obj(r#"{"scope":null}"#), SCOPE).unwrap(), None);
    }

    #[test]
    fn bearer_token_type_ignores_case_and_refuses_other_types() {
        assert_eq!(
            bearer_token_type(&obj(r#"{"token_type":"Bearer"}"#)).unwrap(),
            "Bearer"
        );
        assert_eq!(
            bearer_token_type(&obj(r#"{"token_type":"bearer"}"#)).unwrap(),
            "bearer"
        );
        assert_eq!(
            bearer_token_type(&obj(r#"{"token_type":"BEARER"}"#)).unwrap(),
            "BEARER"
        );
        for body in [
            r#"{"token_type":"mac"}"#,
            r#"{"token_type":"DPoP"}"#,
            r#"{"token_type":"Bearer "}"#,
            "{}",
        ] {
            assert_eq!(
                bearer_token_type(&obj(body)).unwrap_err().code(),
                "ERR_RESPONSE_MALFORMED",
                "{body}"
            );
        }
    }

    #[test]
    fn access_token_must_be_a_b64token() {
        let t = access_token(&obj(r#"{"access_token":"eyJ0eXAi.a-b_c~d+e/f=="}"#)).unwrap();
        assert_eq!(t.secret(), "eyJ0eXAi.a-b_c~d+e/f==");
        for body in [
            r#"{"access_token":"abc\r\nX-Evil: 1"}"#,
            r#"{"access_token":"abc def"}"#,
            r#"{"access_token":"=="}"#,
            r#"{"access_token":"a=b"}"#,
            r#"{"access_token":""}"#,
            r#"{"access_token":42}"#,
        ] {
            let err = access_token(&obj(body)).unwrap_err();
            assert_eq!(err.code(), "ERR_RESPONSE_MALFORMED", "{body}");
            assert!(!err.to_string().contains("abc"), "{err}");
        }
        assert_eq!(
            access_token(&obj("{}")).unwrap_err(),
            ErrorKind::ResponseMalformed {
                reason: "`access_token` is missing"
            }
            .into()
        );
    }
}
