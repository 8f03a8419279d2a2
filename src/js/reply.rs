//! What every export returns: JSON text the entry module hands to `JSON.parse`, either
//! `{"ok": <value>}` or `{"err": {code, message, vippsError?, vippsErrorDescription?, status?}}`.
//! The entry module turns `err` into the thrown `VippsAuthError` (DESIGN.md), so codes and
//! messages stay the core's own ([`Error::code`], [`Error::message`], never a secret).

use crate::error::Result;
use crate::json::{Object, Value};
use crate::text::concat;

/// The reply for a value's JSON text.
pub fn reply(result: Result<String>) -> String {
    match result {
        Ok(json) => concat(&["{\"ok\":", &json, "}"]),
        Err(e) => {
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
    }
}

/// The reply for a JSON value.
pub fn value(result: Result<Value>) -> String {
    reply(result.map(|v| v.to_json()))
}

/// A plain object from name / value pairs.
pub fn object(members: Vec<(&str, Value)>) -> Value {
    let mut o = Object::new();
    for (name, v) in members {
        o.insert(name, v);
    }
    Value::Object(o)
}
