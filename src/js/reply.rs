//! What every export returns: JSON text the entry module hands to `JSON.parse`, either
//! `{"ok": <value>}` or `{"err": {code, message, vippsError?, vippsErrorDescription?, status?}}`.
//! The entry module turns `err` into the thrown `VippsAuthError` (DESIGN.md), so codes and
//! messages stay the core's own ([`code`](crate::ErrorKind::code) and
//! [`message`](crate::ErrorKind::message) of the error's kind, never a secret).

use alloc::string::String;
use crate::error::Result;
use crate::json::write_string;
use crate::text::push_decimal;

/// The reply for a value's JSON text, or for the error.
pub fn reply(result: Result<String>) -> String {
    match result {
        Ok(json) => Members::new().json("ok", &json).finish(),
        Err(e) => {
            let mut err = Members::new();
            err.string("code", e.code()).string("message", &e.message());
            if let Some(v) = e.vipps_error() {
                err.string("vippsError", v);
            }
            if let Some(v) = e.vipps_error_description() {
                err.string("vippsErrorDescription", v);
            }
            if let Some(status) = e.http_status() {
                err.integer("status", i64::from(status));
            }
            Members::new().json("err", &err.finish()).finish()
        }
    }
}

/// JSON text of a string value.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_string(&mut out, s);
    out
}

/// A reply object written member by member: the text serializing an object of the same
/// members gives, with no object built (each member is one call, where an object of values
/// cost the package ~1 KB of wasm for its few replies). Names are the API's own, distinct.
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
    use crate::error::{Error, ErrorKind};
    use crate::json::{Object, Value};

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
    fn members_are_written_in_order_as_a_serialized_object() {
        let mut expected = Object::new();
        expected.insert("b", 1);
        expected.insert("a\"", "x\n");
        expected.insert("c", Value::Array(vec![Value::Null]));
        let written = Members::new().integer("b", 1).string("a\"", "x\n").json("c", "[null]").finish();
        assert_eq!(written, expected.to_json());
        assert_eq!(Members::new().finish(), "{}");
        assert_eq!(quoted("\u{1}é"), r#""\u0001é""#);
    }
}
