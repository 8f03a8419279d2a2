//! What one call carries ([`Call`], as bytes) and the readers of its request ([`Input`]),
//! with the API's checks and words. The request is one JSON object: a member per parameter of
//! the operation, named as in [`crate::operations`] (`null` or absent when the JS value was
//! `undefined` or `null`), options objects holding only their declared fields; a token and a
//! key set cross apart ([`Call::token`], [`Call::keys`]); and the JS side adds the outcome of
//! the I/O an operation asked for (`signature`, `response`, `clockMs`: see `ops/verify.rs` and
//! `ops/fetch.rs`).
//!
//! Every reader names a parameter or field; in test builds it also checks that the table
//! declares it with the type it is read as (see `operations.rs`), and fails the test if not.

use alloc::{borrow::ToOwned, string::String, vec::Vec};

use vipps_auth::json::{self, Object, Value};
use vipps_auth::text::parse_number;
use vipps_auth::{Error, ErrorKind, Result};

#[cfg(test)]
use crate::operations::Operation;
use crate::operations::{Options, Type};

/// Why a value is refused: the words of the API, which the JS entry uses too (generated into
/// `js/operations.js`; the ones only the JS entry can meet are used only there).
#[allow(dead_code)]
pub mod reason {
    /// A value of [`Type::String`] or [`Type::Token`](super::Type::Token).
    pub const STRING: &str = "must be a string";
    /// [`Type::Number`](super::Type::Number).
    pub const NUMBER: &str = "must be a finite number";
    /// [`Type::Boolean`](super::Type::Boolean).
    pub const BOOLEAN: &str = "must be a boolean";
    /// [`Type::Strings`](super::Type::Strings).
    pub const STRINGS: &str = "must be an array of strings";
    /// [`Type::Scope`](super::Type::Scope).
    pub const SCOPE: &str = "must be a string or an array of strings";
    /// [`Type::Record`](super::Type::Record) and [`Type::Options`](super::Type::Options).
    pub const OBJECT: &str = "must be an object";
    /// A member of a [`Type::Record`](super::Type::Record).
    pub const RECORD_VALUE: &str = "every value must be a string";
    /// [`Type::Jwks`](super::Type::Jwks).
    pub const JWKS: &str = "must be an object or a JSON string";
    /// [`Type::KeySet`](super::Type::KeySet) (checked by the JS entry only).
    pub const KEY_SET: &str = "must be a KeySet (KeySet.fromJwks or KeySet.remote)";
    /// A `KeySet` after `free()` (checked by the JS entry only).
    pub const FREED: &str = "this KeySet has been freed";
    /// A property whose getter threw (checked by the JS entry only).
    pub const UNREADABLE: &str = "cannot be read";
    /// A required option field that is absent.
    pub const REQUIRED: &str = "is required";
}

impl Type {
    /// Why a value is refused as this type (for the JS entry: the readers below name the
    /// reason of what they read).
    #[allow(dead_code)]
    pub fn reason(self) -> &'static str {
        match self {
            Type::String | Type::Token => reason::STRING,
            Type::Number => reason::NUMBER,
            Type::Boolean => reason::BOOLEAN,
            Type::Strings => reason::STRINGS,
            Type::Scope => reason::SCOPE,
            Type::Record | Type::Options(_) => reason::OBJECT,
            Type::Jwks => reason::JWKS,
            Type::KeySet => reason::KEY_SET,
        }
    }
}

/// An `ERR_INVALID_PARAMS` error.
pub fn invalid(param: &'static str, reason: &'static str) -> Error {
    ErrorKind::InvalidParams { param, reason }.into()
}

/// The arguments of `call`, as the JS entry sends them (docs/browser-package.md, "The wasm
/// boundary").
pub struct Call<'a> {
    /// The request: a JSON object.
    pub request: &'a [u8],
    /// The token argument (`decodeJwt`, `verifyJwt`, `validateIdToken`), UTF-8; else empty.
    pub token: &'a [u8],
    /// The JWK set a token is checked against, as JSON text; `None` while the `KeySet` has not
    /// fetched it.
    pub keys: Option<&'a [u8]>,
    /// The body of a fetched response named in the request's `response`; else empty.
    pub body: &'a [u8],
}

/// A call, read: its request parsed, for one operation.
pub struct Input<'a> {
    /// The operation's entry in the table, for the checks of what it reads (test builds only:
    /// the wasm carries no table).
    #[cfg(test)]
    operation: &'static Operation,
    request: Object,
    /// The token argument.
    pub token: &'a str,
    /// The JWK set a token is checked against, when at hand.
    pub keys: Option<&'a [u8]>,
    /// A fetched response's body.
    pub body: &'a [u8],
}

impl<'a> Input<'a> {
    /// Parses `call`'s request for operation `op` (its id).
    pub fn read(op: usize, call: &Call<'a>) -> Result<Input<'a>> {
        let unreadable = || invalid("arguments", reason::UNREADABLE);
        let request = json::parse_object(call.request).map_err(|_| unreadable())?;
        let token = core::str::from_utf8(call.token).map_err(|_| unreadable())?;
        #[cfg(test)]
        let operation = &crate::operations::OPERATIONS[op];
        #[cfg(not(test))]
        let _ = op;
        Ok(Input {
            #[cfg(test)]
            operation,
            request,
            token,
            keys: call.keys,
            body: call.body,
        })
    }

    /// A member of the request that is not an API parameter: an I/O outcome the JS side added.
    pub fn outcome(&self, name: &str) -> Option<&Value> {
        present(self.request.get(name))
    }

    /// The value of parameter `name` (absent and `null` read as `None`), which the table must
    /// declare as `ty` (checked in test builds).
    fn param(&self, name: &'static str, ty: Type) -> Option<&Value> {
        #[cfg(test)]
        assert!(
            self.operation.params.contains(&(name, ty)),
            "{}: `{name}` is not a {ty:?} parameter",
            self.operation.name
        );
        #[cfg(not(test))]
        let _ = ty;
        present(self.request.get(name))
    }

    /// A string parameter; the API's positional strings are all required.
    pub fn string(&self, name: &'static str) -> Result<&str> {
        self.param(name, Type::String)
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(name, reason::STRING))
    }

    /// The raw JSON of a [`Type::Jwks`] parameter.
    pub fn jwks(&self, name: &'static str) -> Option<&Value> {
        self.param(name, Type::Jwks)
    }

    /// The token parameter.
    pub fn token(&self) -> &'a str {
        #[cfg(test)]
        assert!(
            self.operation
                .params
                .iter()
                .any(|(_, ty)| *ty == Type::Token),
            "{}: no token",
            self.operation.name
        );
        self.token
    }

    /// An optional options parameter, of the options type `options`.
    pub fn options(
        &self,
        name: &'static str,
        options: &'static Options,
    ) -> Result<Option<Fields<'_>>> {
        match self.param(name, Type::Options(options)) {
            None => Ok(None),
            Some(Value::Object(object)) => Ok(Some(Fields {
                object,
                #[cfg(test)]
                options,
            })),
            Some(_) => Err(invalid(name, reason::OBJECT)),
        }
    }

    /// A required options parameter, of the options type `options`.
    pub fn required_options(
        &self,
        name: &'static str,
        options: &'static Options,
    ) -> Result<Fields<'_>> {
        self.options(name, options)?
            .ok_or_else(|| invalid(name, reason::OBJECT))
    }
}

/// `None` for absent and `null` (JS `undefined` and `null`).
fn present(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !matches!(v, Value::Null))
}

/// The fields of an options object, read by name.
pub struct Fields<'a> {
    object: &'a Object,
    /// Its options type, for the checks of what is read (test builds only).
    #[cfg(test)]
    options: &'static Options,
}

impl<'a> Fields<'a> {
    /// The value of field `name`, which the options type must declare as `ty` (checked in
    /// test builds).
    fn field(&self, name: &'static str, ty: Type) -> Option<&'a Value> {
        #[cfg(test)]
        assert!(
            self.options.fields.contains(&(name, ty)),
            "{}: `{name}` is not a {ty:?} field",
            self.options.name
        );
        #[cfg(not(test))]
        let _ = ty;
        present(self.object.get(name))
    }

    /// Whether field `name` is present (of whatever declared type).
    pub fn has(&self, name: &'static str) -> bool {
        #[cfg(test)]
        assert!(
            self.options.fields.iter().any(|(n, _)| *n == name),
            "{}: no field `{name}`",
            self.options.name
        );
        present(self.object.get(name)).is_some()
    }

    /// An optional string field.
    pub fn string(&self, name: &'static str) -> Result<Option<&'a str>> {
        match self.field(name, Type::String) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| invalid(name, reason::STRING)),
        }
    }

    /// A required string field.
    pub fn required_string(&self, name: &'static str) -> Result<&'a str> {
        self.string(name)?
            .ok_or_else(|| invalid(name, reason::REQUIRED))
    }

    /// An optional boolean field.
    pub fn boolean(&self, name: &'static str) -> Result<Option<bool>> {
        match self.field(name, Type::Boolean) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| invalid(name, reason::BOOLEAN)),
        }
    }

    /// An optional finite number field.
    pub fn number(&self, name: &'static str) -> Result<Option<f64>> {
        match self.field(name, Type::Number) {
            None => Ok(None),
            Some(Value::Number(n)) => parse_number(n.as_str())
                .map(Some)
                .ok_or_else(|| invalid(name, reason::NUMBER)),
            Some(_) => Err(invalid(name, reason::NUMBER)),
        }
    }

    /// An optional number field that must be a non-negative whole number, as `i64`.
    pub fn whole_number(&self, name: &'static str) -> Result<Option<i64>> {
        match self.number(name)? {
            None => Ok(None),
            Some(n) if (0.0..=9.0e15).contains(&n) && (n as i64) as f64 == n => Ok(Some(n as i64)),
            Some(_) => Err(invalid(name, "must be a non-negative whole number")),
        }
    }

    /// An optional array-of-strings field.
    pub fn strings(&self, name: &'static str) -> Result<Option<Vec<&'a str>>> {
        let Some(value) = self.field(name, Type::Strings) else {
            return Ok(None);
        };
        strings(value)
            .map(Some)
            .ok_or_else(|| invalid(name, reason::STRINGS))
    }

    /// A required scope field: a space-separated string or an array of strings.
    pub fn scope(&self, name: &'static str) -> Result<Vec<String>> {
        let mut scope = Vec::new();
        match self.field(name, Type::Scope) {
            None => return Err(invalid(name, reason::REQUIRED)),
            Some(Value::String(s)) => {
                for token in s.split_whitespace() {
                    scope.push(token.to_owned());
                }
            }
            Some(value) => {
                for item in strings(value).ok_or_else(|| invalid(name, reason::SCOPE))? {
                    scope.push(item.to_owned());
                }
            }
        }
        Ok(scope)
    }

    /// An optional record field: an object whose values are strings.
    pub fn record(&self, name: &'static str) -> Result<Option<Vec<(String, String)>>> {
        let Some(value) = self.field(name, Type::Record) else {
            return Ok(None);
        };
        let object = value
            .as_object()
            .ok_or_else(|| invalid(name, reason::OBJECT))?;
        let mut record = Vec::with_capacity(object.len());
        for (k, v) in object.iter() {
            let v = v
                .as_str()
                .ok_or_else(|| invalid(name, reason::RECORD_VALUE))?;
            record.push((k.to_owned(), v.to_owned()));
        }
        Ok(Some(record))
    }
}

/// The strings of an array of strings.
fn strings(value: &Value) -> Option<Vec<&str>> {
    let items = value.as_array()?;
    let mut strings = Vec::with_capacity(items.len());
    for item in items {
        strings.push(item.as_str()?);
    }
    Some(strings)
}

// `f64::floor` and `f64::round` are std's (the package's wasm is `no_std`): the same
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
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const SAMPLES: [f64; 24] = [
        0.0,
        -0.0,
        0.49999999999999994,
        0.5,
        1.5,
        2.5,
        -0.5,
        -1.5,
        -2.5,
        1.0e-300,
        123.456,
        -123.456,
        1_700_000_000_123.0,
        1_700_000_000.999,
        4_503_599_627_370_495.5,
        9.0e15,
        1.0e19,
        -1.0e19,
        9.223_372_036_854_776e18,
        -9.223_372_036_854_776e18,
        f64::MAX,
        f64::MIN,
        f64::INFINITY,
        f64::NAN,
    ];

    #[test]
    fn floor_and_round_match_std() {
        for x in SAMPLES
            .into_iter()
            .chain((-3000..3000).map(|i| f64::from(i) / 7.0))
        {
            assert_eq!(floor(x), x.floor() as i64, "floor({x})");
            assert_eq!(round(x), x.round() as i64, "round({x})");
        }
    }
}
