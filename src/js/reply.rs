//! What every export returns: JSON text the entry module hands to `JSON.parse`, either
//! `{"ok": <value>}` or `{"err": {code, message, vippsError?, vippsErrorDescription?, status?}}`.
//! The entry module turns `err` into the thrown `VippsAuthError` (DESIGN.md), so codes and
//! messages stay the core's own ([`code`](crate::ErrorKind::code) and
//! [`message`](crate::ErrorKind::message) of the error's kind, never a secret).

use alloc::{string::String, vec::Vec};
use crate::error::Result;
use crate::json::{write_string, Object, Value};
use crate::text::{concat, push_decimal};

/// The reply for a value's JSON text. The error object is written directly (the same text
/// as building a JSON object and serializing it, in less code).
pub fn reply(result: Result<String>) -> String {
    match result {
        Ok(json) => concat(&["{\"ok\":", &json, "}"]),
        Err(e) => {
            let mut out = String::from("{\"err\":{\"code\":");
            write_string(&mut out, e.code());
            out.push_str(",\"message\":");
            write_string(&mut out, &e.message());
            if let Some(v) = e.vipps_error() {
                out.push_str(",\"vippsError\":");
                write_string(&mut out, v);
            }
            if let Some(v) = e.vipps_error_description() {
                out.push_str(",\"vippsErrorDescription\":");
                write_string(&mut out, v);
            }
            if let Some(status) = e.http_status() {
                out.push_str(",\"status\":");
                push_decimal(&mut out, i64::from(status));
            }
            out.push_str("}}");
            out
        }
    }
}

/// The reply for a JSON value.
pub fn value(result: Result<Value>) -> String {
    reply(result.map(|v| v.to_json()))
}

/// A plain object from name / value pairs (distinct literal names).
pub fn object(members: Vec<(&str, Value)>) -> Value {
    let mut distinct = Vec::with_capacity(members.len());
    for (name, v) in members {
        distinct.push((String::from(name), v));
    }
    Value::Object(Object::from_distinct(distinct))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, ErrorKind};

    /// The error reply as it was built before: a JSON object serialized.
    fn as_object(e: &Error) -> String {
        let mut err = Object::new();
        err.insert("code", e.code());
        err.insert("message", e.message());
        if let Some(v) = e.vipps_error() {
            err.insert("vippsError", v);
        }
        if let Some(v) = e.vipps_error_description() {
            err.insert("vippsErrorDescription", v);
        }
        if let Some(status) = e.http_status() {
            err.insert("status", i64::from(status));
        }
        let mut out = Object::new();
        out.insert("err", err);
        out.to_json()
    }

    #[test]
    fn error_replies_are_the_serialized_error_object() {
        let errors = [
            ErrorKind::InvalidParams { param: "state", reason: "is required" },
            ErrorKind::Http { status: 400, error: Some("invalid_grant".into()), description: Some("a \"quoted\"\n\u{1}".into()) },
            ErrorKind::Http { status: 503, error: None, description: None },
            ErrorKind::AuthorizationResponse { error: "access_denied".into(), description: None },
            ErrorKind::KeyNotFound { kid: Some("k\\1".into()) },
        ];
        for kind in errors {
            let e = Error::from(kind);
            assert_eq!(reply(Err(e.clone())), as_object(&e));
        }
        assert_eq!(reply(Ok("[1]".into())), r#"{"ok":[1]}"#);
    }

    #[test]
    fn objects_keep_member_order() {
        let o = object(vec![("b", Value::from(1)), ("a", Value::from("x"))]);
        assert_eq!(o.to_json(), r#"{"b":1,"a":"x"}"#);
    }
}
