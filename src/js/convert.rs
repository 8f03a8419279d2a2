//! Between the core's `json::Value` (RFC 8259) and JS values, without serde: JSON text is
//! the bridge (`JSON.parse` / `JSON.stringify`, ECMA-262 section 25.5), which is exact for
//! every value the core produces and keeps the wasm small. Also the readers for option
//! objects: each field is read by its camelCase name, checked for type, and unknown keys
//! are ignored.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::errors::invalid;
use crate::error::{Error, Result};
use crate::json;
use crate::platform::json_to_js;

/// A core JSON value as a JS value.
pub fn to_js(value: &json::Value) -> Result<JsValue> {
    json_to_js(value)
}

/// A core JSON object as a plain JS object.
pub fn object_to_js(object: &json::Object) -> Result<JsValue> {
    crate::platform::object_to_js(object)
}

/// A JS value as JSON text (`JSON.stringify`); `None` when it has no JSON form.
pub fn stringify(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string())
}

/// Builds a plain object from name / value pairs.
pub fn plain_object(members: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (name, value) in members {
        let _ = Reflect::set(&o, &JsValue::from_str(name), value);
    }
    o.into()
}

/// A required string argument.
pub fn string_arg(value: &JsValue, param: &'static str) -> Result<String> {
    value.as_string().ok_or(invalid(param, "must be a string"))
}

/// An option object: `undefined` / `null` give `None`, a non-object is an error.
pub fn options(value: &JsValue, param: &'static str) -> Result<Option<Object>> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() || Array::is_array(value) {
        return Err(invalid(param, "must be an object"));
    }
    Ok(Some(value.clone().unchecked_into()))
}

/// A field of an option object; `undefined` and `null` read as absent.
pub fn field(object: &Object, name: &'static str) -> Result<Option<JsValue>> {
    let v = Reflect::get(object, &JsValue::from_str(name)).map_err(|_| invalid(name, "cannot be read"))?;
    Ok(if v.is_undefined() || v.is_null() { None } else { Some(v) })
}

/// An optional string field.
pub fn opt_string(object: &Object, name: &'static str) -> Result<Option<String>> {
    field(object, name)?.map(|v| v.as_string().ok_or(invalid(name, "must be a string"))).transpose()
}

/// A required string field.
pub fn req_string(object: &Object, name: &'static str) -> Result<String> {
    opt_string(object, name)?.ok_or(invalid(name, "is required"))
}

/// An optional boolean field.
pub fn opt_bool(object: &Object, name: &'static str) -> Result<Option<bool>> {
    field(object, name)?.map(|v| v.as_bool().ok_or(invalid(name, "must be a boolean"))).transpose()
}

/// An optional finite number field.
pub fn opt_number(object: &Object, name: &'static str) -> Result<Option<f64>> {
    field(object, name)?
        .map(|v| v.as_f64().filter(|n| n.is_finite()).ok_or(invalid(name, "must be a finite number")))
        .transpose()
}

/// An optional non-negative whole-number field, read as `i64`.
pub fn opt_integer(object: &Object, name: &'static str) -> Result<Option<i64>> {
    match opt_number(object, name)? {
        None => Ok(None),
        Some(n) if (0.0..=9.0e15).contains(&n) && n.fract() == 0.0 => Ok(Some(n as i64)),
        Some(_) => Err(invalid(name, "must be a non-negative whole number")),
    }
}

/// An array of strings (for `algorithms`).
pub fn string_array(value: &JsValue, name: &'static str) -> Result<Vec<String>> {
    if !Array::is_array(value) {
        return Err(invalid(name, "must be an array of strings"));
    }
    Array::from(value).iter().map(|v| v.as_string().ok_or(invalid(name, "must be an array of strings"))).collect()
}

/// The own enumerable string-valued members of a plain object (for `extraParams`).
pub fn string_record(value: &JsValue, name: &'static str) -> Result<Vec<(String, String)>> {
    let object = options(value, name)?.ok_or(invalid(name, "must be an object"))?;
    Object::entries(&object)
        .iter()
        .map(|entry| {
            let pair = Array::from(&entry);
            let k = pair.get(0).as_string();
            let v = pair.get(1).as_string();
            k.zip(v).ok_or(invalid(name, "every value must be a string"))
        })
        .collect()
}

/// The JSON text of a value the caller gave as an object or a JSON string.
pub fn json_text(value: &JsValue, name: &'static str) -> Result<String> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    if value.is_object() {
        return stringify(value).ok_or(invalid(name, "has no JSON form"));
    }
    Err(Error::InvalidParams { param: name, reason: "must be an object or a JSON string" })
}
