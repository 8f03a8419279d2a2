//! The arguments of an export, as the package's JS entry module sends them: one JSON array
//! (`JSON.stringify` of the arguments, ECMA-262 section 25.5.2), read here with the same
//! checks and messages the API has always had. JSON text is the whole boundary, so the wasm
//! needs no `Reflect` calls or externref shims per field.
//!
//! Values JSON cannot carry arrive as an opaque marker object whose only member is named
//! `"\u{0}"` (see `js/args.js`): a function, symbol, bigint or non-finite number
//! (`"\u{0}": "<typeof>"`), a property whose getter threw (`"unreadable"`), and a `KeySet`
//! (`"KeySet"`, or `"freed"` after `free()`). No reader accepts a marker where a plain value
//! is expected, so each keeps its old answer. `undefined` and `null` read as absent.

use alloc::{borrow::ToOwned, string::String, vec::Vec};
use crate::error::{Error, ErrorKind, Result};
use crate::json::{self, Object, Value};
use crate::text::parse_number;

/// The name of the marker member.
const MARKER: &str = "\u{0}";

/// An `ERR_INVALID_PARAMS` error.
pub fn invalid(param: &'static str, reason: &'static str) -> Error {
    ErrorKind::InvalidParams { param, reason }.into()
}

/// The arguments of one call.
pub struct Args(Vec<Value>);

impl Args {
    /// Parses the JSON array the entry module sent.
    pub fn parse(text: &str) -> Result<Args> {
        match json::parse(text.as_bytes()) {
            Ok(Value::Array(values)) => Ok(Args(values)),
            _ => Err(invalid("arguments", "cannot be read")),
        }
    }

    /// The argument at `index`; absent reads as `null`.
    pub fn get(&self, index: usize) -> &Value {
        self.0.get(index).unwrap_or(&Value::Null)
    }
}

/// The marker's kind, when `value` is one.
pub fn marker(value: &Value) -> Option<&str> {
    value.as_object().and_then(|o| o.get_str(MARKER))
}

/// Whether the value is absent (`null`, or `undefined` dropped by `JSON.stringify`).
fn absent(value: &Value) -> bool {
    matches!(value, Value::Null)
}

/// A required string argument.
pub fn string_arg<'a>(value: &'a Value, param: &'static str) -> Result<&'a str> {
    value.as_str().ok_or_else(|| invalid(param, "must be a string"))
}

/// The token argument of `decodeJwt`, `verifyJwt` and `validateIdToken`: a string, or the
/// marker `{"\0": "token"}` when the entry module sent the token apart, as the `token`
/// bytes of `call` (so it is neither JSON-escaped there nor scanned as JSON here).
pub fn token_arg<'a>(value: &'a Value, token: &'a str) -> Result<&'a str> {
    match marker(value) {
        Some("token") => Ok(token),
        _ => string_arg(value, "token"),
    }
}

/// An option object: absent gives `None`; anything but a plain object is an error.
pub fn options<'a>(value: &'a Value, param: &'static str) -> Result<Option<&'a Object>> {
    if absent(value) {
        return Ok(None);
    }
    match value.as_object() {
        Some(o) if marker(value).is_none() => Ok(Some(o)),
        _ => Err(invalid(param, "must be an object")),
    }
}

/// A required option object.
pub fn req_options<'a>(value: &'a Value, param: &'static str) -> Result<&'a Object> {
    options(value, param)?.ok_or_else(|| invalid(param, "must be an object"))
}

/// A field of an option object; `null` reads as absent.
pub fn field<'a>(object: &'a Object, name: &'static str) -> Result<Option<&'a Value>> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) if marker(v) == Some("unreadable") => Err(invalid(name, "cannot be read")),
        Some(v) => Ok(Some(v)),
    }
}

/// An optional string field.
pub fn opt_string(object: &Object, name: &'static str) -> Result<Option<String>> {
    field(object, name)?.map(|v| string_arg(v, name).map(str::to_owned)).transpose()
}

/// A required string field.
pub fn req_string(object: &Object, name: &'static str) -> Result<String> {
    opt_string(object, name)?.ok_or_else(|| invalid(name, "is required"))
}

/// An optional boolean field.
pub fn opt_bool(object: &Object, name: &'static str) -> Result<Option<bool>> {
    field(object, name)?.map(|v| v.as_bool().ok_or_else(|| invalid(name, "must be a boolean"))).transpose()
}

/// An optional finite number field.
pub fn opt_number(object: &Object, name: &'static str) -> Result<Option<f64>> {
    field(object, name)?
        .map(|v| match v {
            Value::Number(n) => parse_number(n.as_str()).ok_or_else(|| invalid(name, "must be a finite number")),
            _ => Err(invalid(name, "must be a finite number")),
        })
        .transpose()
}

/// An optional non-negative whole-number field, read as `i64`.
pub fn opt_integer(object: &Object, name: &'static str) -> Result<Option<i64>> {
    match opt_number(object, name)? {
        None => Ok(None),
        Some(n) if (0.0..=9.0e15).contains(&n) && (n as i64) as f64 == n => Ok(Some(n as i64)),
        Some(_) => Err(invalid(name, "must be a non-negative whole number")),
    }
}

/// An array of strings (for `algorithms`).
pub fn string_array(value: &Value, name: &'static str) -> Result<Vec<String>> {
    let bad = || invalid(name, "must be an array of strings");
    let items = value.as_array().ok_or_else(bad)?;
    let mut strings = Vec::with_capacity(items.len());
    for item in items {
        strings.push(item.as_str().ok_or_else(bad)?.to_owned());
    }
    Ok(strings)
}

/// The string-valued members of a plain object (for `extraParams`).
pub fn string_record(value: &Value, name: &'static str) -> Result<Vec<(String, String)>> {
    let object = options(value, name)?.ok_or_else(|| invalid(name, "must be an object"))?;
    let mut record = Vec::with_capacity(object.len());
    for (k, v) in object.iter() {
        let v = v.as_str().ok_or_else(|| invalid(name, "every value must be a string"))?;
        record.push((k.to_owned(), v.to_owned()));
    }
    Ok(record)
}

// `f64::floor` and `f64::round` are std's (the npm package's wasm is `no_std`): the same
// results, from integer conversions.

/// `x.floor() as i64`.
pub fn floor(x: f64) -> i64 {
    let t = x as i64; // toward zero, saturating; NaN -> 0
    t.saturating_sub(i64::from((t as f64) > x))
}

/// `x.round() as i64` (halves away from zero).
pub fn round(x: f64) -> i64 {
    let t = x as i64;
    // Exact: below 2^52 a number minus its integer part loses nothing; above it `t == x`.
    let frac = x - t as f64;
    if frac >= 0.5 {
        t.saturating_add(1)
    } else if frac <= -0.5 {
        t.saturating_sub(1)
    } else {
        t
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: [f64; 24] = [
        0.0, -0.0, 0.49999999999999994, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1.0e-300, 123.456, -123.456,
        1_700_000_000_123.0, 1_700_000_000.999, 4_503_599_627_370_495.5, 9.0e15, 1.0e19, -1.0e19,
        9.223_372_036_854_776e18, -9.223_372_036_854_776e18, f64::MAX, f64::MIN, f64::INFINITY, f64::NAN,
    ];

    #[test]
    fn floor_and_round_match_std() {
        for x in SAMPLES.into_iter().chain((-3000..3000).map(|i| f64::from(i) / 7.0)) {
            assert_eq!(floor(x), x.floor() as i64, "floor({x})");
            assert_eq!(round(x), x.round() as i64, "round({x})");
        }
    }
}
