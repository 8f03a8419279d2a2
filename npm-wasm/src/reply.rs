//! What a call answers: JSON text for the JS entry's `JSON.parse`, one of
//!
//! - `{"ok": <value>}`: the operation's value;
//! - `{"err": {code, message, cause?, vippsError?, vippsErrorDescription?, status?}}`: the
//!   core's error, thrown by the JS entry as a `VippsAuthError`: `code` and `message` are
//!   [`ErrorKind::code`] and [`ErrorKind::message`], `cause` is [`ErrorKind::cause`] (never a
//!   secret), and Vipps' words are repeated at the top for the API's older fields;
//! - `{"need": "keys" | "signature" | "fetch", ...}`: the I/O the operation needs first; the
//!   JS entry does it and calls the operation again with the outcome (docs/browser-package.md).
//!
//! Replies are written member by member, not built as `json::Value` trees to be serialized
//! (which cost the package ~1 KB of wasm).

use alloc::string::String;

use vipps_auth::json::write_string;
use vipps_auth::text::push_decimal;
use vipps_auth::{Cause, CauseValue, Error, Result};

/// An operation's answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// Its value, as JSON text.
    Value(String),
    /// The I/O it needs: `"keys"`; or `"signature"` / `"fetch"` with what to check or fetch
    /// (JSON text of an object), sent as the member of that name.
    Need(&'static str, Option<String>),
}

impl Reply {
    /// A string value.
    pub fn string(s: &str) -> Reply {
        Reply::Value(quoted(s))
    }
}

/// The reply's JSON text.
pub fn write(result: Result<Reply>) -> String {
    let mut reply = Members::new();
    match result {
        Ok(Reply::Value(json)) => reply.json("ok", &json),
        Ok(Reply::Need(need, detail)) => {
            reply.string("need", need);
            if let Some(detail) = detail {
                reply.json(need, &detail);
            }
            &mut reply
        }
        Err(e) => reply.json("err", &error(&e)),
    };
    reply.finish()
}

/// The `err` object of `e`.
fn error(e: &Error) -> String {
    let mut err = Members::new();
    err.string("code", e.code()).string("message", &e.message());
    if let Some(cause) = e.cause() {
        err.json("cause", &cause_object(&cause));
    }
    if let Some(v) = e.vipps_error() {
        err.string("vippsError", v);
    }
    if let Some(v) = e.vipps_error_description() {
        err.string("vippsErrorDescription", v);
    }
    if let Some(status) = e.http_status() {
        err.integer("status", i64::from(status));
    }
    err.finish()
}

/// `{param}`, `{claim, expected?, found?}` or `{vippsError?, vippsErrorDescription?, status?}`.
fn cause_object(cause: &Cause<'_>) -> String {
    let mut o = Members::new();
    let value = |o: &mut Members, name, v: &Option<CauseValue<'_>>| match v {
        Some(CauseValue::Str(s)) => {
            o.string(name, s);
        }
        Some(CauseValue::Int(n)) => {
            o.integer(name, *n);
        }
        None => {}
    };
    match cause {
        Cause::Param(param) => {
            o.string("param", param);
        }
        Cause::Claim {
            claim,
            expected,
            found,
        } => {
            o.string("claim", claim);
            value(&mut o, "expected", expected);
            value(&mut o, "found", found);
        }
        Cause::Vipps {
            error,
            description,
            status,
        } => {
            if let Some(e) = error {
                o.string("vippsError", e);
            }
            if let Some(d) = description {
                o.string("vippsErrorDescription", d);
            }
            if let Some(s) = status {
                o.integer("status", i64::from(*s));
            }
        }
    }
    o.finish()
}

/// JSON text of a string value.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_string(&mut out, s);
    out
}

/// An object written member by member: the text serializing an object of the same members
/// gives, with no object built. Names are the API's own, distinct.
pub struct Members(String);

impl Default for Members {
    fn default() -> Self {
        Members(String::from("{"))
    }
}

impl Members {
    /// No members yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts the next member: a comma after the previous one, then `"name":`.
    fn name(&mut self, name: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        write_string(&mut self.0, name);
        self.0.push(':');
        &mut self.0
    }

    /// A member whose value is JSON text already.
    pub fn json(&mut self, name: &str, json: &str) -> &mut Self {
        self.name(name).push_str(json);
        self
    }

    /// A string member.
    pub fn string(&mut self, name: &str, value: &str) -> &mut Self {
        write_string(self.name(name), value);
        self
    }

    /// An integer member.
    pub fn integer(&mut self, name: &str, value: i64) -> &mut Self {
        push_decimal(self.name(name), value);
        self
    }

    /// The object's JSON text.
    pub fn finish(&mut self) -> String {
        let mut out = core::mem::take(&mut self.0);
        out.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vipps_auth::json::{Object, Value};
    use vipps_auth::ErrorKind;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn err_of(kind: ErrorKind) -> Object {
        let reply = write(Err(kind.into()));
        let parsed = vipps_auth::json::parse_object(reply.as_bytes()).unwrap();
        parsed
            .get("err")
            .and_then(Value::as_object)
            .cloned()
            .unwrap()
    }

    #[test]
    fn an_error_reply_carries_code_message_and_cause() {
        let e = err_of(ErrorKind::InvalidParams {
            param: "nonce",
            reason: "must be a string",
        });
        assert_eq!(e.get_str("code"), Some("ERR_INVALID_PARAMS"));
        assert_eq!(
            e.get_str("message"),
            Some("invalid parameter `nonce`: must be a string")
        );
        assert_eq!(e.get("cause").unwrap().to_json(), r#"{"param":"nonce"}"#);
        let e = err_of(ErrorKind::ClaimIssuer {
            expected: "https://a/".into(),
            found: "https://\"b\"/".into(),
        });
        assert_eq!(
            e.get("cause").unwrap().to_json(),
            r#"{"claim":"iss","expected":"https://a/","found":"https://\"b\"/"}"#
        );
        let e = err_of(ErrorKind::ClaimExpired { exp: 5, now: 9 });
        assert_eq!(
            e.get("cause").unwrap().to_json(),
            r#"{"claim":"exp","found":5}"#
        );
        assert!(err_of(ErrorKind::SignatureInvalid).get("cause").is_none());
    }

    #[test]
    fn an_error_from_vipps_carries_its_words_in_the_cause_and_at_the_top() {
        let e = err_of(ErrorKind::Http {
            status: 400,
            error: Some("invalid_grant".into()),
            description: Some("a \"b\"\n".into()),
        });
        assert_eq!(
            e.get("cause").unwrap().to_json(),
            r#"{"vippsError":"invalid_grant","vippsErrorDescription":"a \"b\"\n","status":400}"#
        );
        assert_eq!(
            (
                e.get_str("vippsError"),
                e.get("status").and_then(Value::as_i64)
            ),
            (Some("invalid_grant"), Some(400))
        );
        let e = err_of(ErrorKind::Http {
            status: 503,
            error: None,
            description: None,
        });
        assert_eq!(e.get("cause").unwrap().to_json(), r#"{"status":503}"#);
    }

    #[test]
    fn values_and_needs_are_written_as_their_envelopes() {
        assert_eq!(write(Ok(Reply::Value("[1]".into()))), r#"{"ok":[1]}"#);
        assert_eq!(write(Ok(Reply::string("a\"b"))), r#"{"ok":"a\"b"}"#);
        assert_eq!(write(Ok(Reply::Need("keys", None))), r#"{"need":"keys"}"#);
        assert_eq!(
            write(Ok(Reply::Need("fetch", Some("{}".into())))),
            r#"{"need":"fetch","fetch":{}}"#
        );
    }

    #[test]
    fn members_are_written_in_order_as_a_serialized_object() {
        let mut expected = Object::new();
        expected.insert("b", 1);
        expected.insert("a\"", "x\n");
        expected.insert("c", Value::Array(vec![Value::Null]));
        let written = Members::new()
            .integer("b", 1)
            .string("a\"", "x\n")
            .json("c", "[null]")
            .finish();
        assert_eq!(written, expected.to_json());
        assert_eq!(Members::new().finish(), "{}");
        assert_eq!(quoted("\u{1}é"), r#""\u0001é""#);
    }
}
