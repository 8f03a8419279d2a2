//! Core [`Error`]s as thrown JS `Error` objects (ECMA-262 section 20.5): `name` is
//! `"VippsAuthError"`, `code` the stable `ERR_...` string, and `vippsError`,
//! `vippsErrorDescription` and `status` are set when the failure came from Vipps.
//! The message is the core's [`Error::message`] (its `Display` text, built without
//! `core::fmt` to keep the package small), which never carries a secret.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use crate::error::Error;

/// The `name` of every error this package throws.
pub const ERROR_NAME: &str = "VippsAuthError";

/// What the exports return: a JS value, or a thrown `VippsAuthError`.
pub type JsResult<T = JsValue> = Result<T, JsValue>;

fn set(target: &JsValue, name: &str, value: &JsValue) {
    // Defining a property on a fresh Error object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}

/// The JS `Error` for a core error.
pub fn to_js(err: &Error) -> JsValue {
    let e = js_sys::Error::new(&err.message());
    e.set_name(ERROR_NAME);
    let e: JsValue = e.into();
    set(&e, "code", &JsValue::from_str(err.code()));
    if let Some(v) = err.vipps_error() {
        set(&e, "vippsError", &JsValue::from_str(v));
    }
    if let Some(v) = err.vipps_error_description() {
        set(&e, "vippsErrorDescription", &JsValue::from_str(v));
    }
    if let Some(status) = err.http_status() {
        set(&e, "status", &JsValue::from(status));
    }
    e
}

impl From<Error> for JsValue {
    fn from(err: Error) -> JsValue {
        to_js(&err)
    }
}

/// An `ERR_INVALID_PARAMS` error.
pub fn invalid(param: &'static str, reason: &'static str) -> Error {
    Error::InvalidParams { param, reason }
}
