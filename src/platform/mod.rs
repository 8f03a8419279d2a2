//! The platform layer for wasm32 hosts with WebCrypto (browsers, Web Workers, Cloudflare
//! Workers / workerd, Node >= 20): the only place besides `js` that touches the JS world.
//! `crypto` is reached through the global object, never `window`, so the same code runs in
//! every one of those hosts.
//!
//! Independent of the `js` feature: the worker verifies ID tokens with [`webcrypto`]. (The
//! browser package does its `fetch` and `crypto.subtle` calls in its JS entry, `js/`.)

pub mod webcrypto;

use alloc::string::String;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{Error, ErrorKind};
use crate::json;

/// A JSON object as a plain JS object, through `JSON.parse` of the core's own serialization
/// (small in the wasm, and exact).
pub fn object_to_js(object: &json::Object) -> Result<JsValue, Error> {
    js_sys::JSON::parse(&object.to_json())
        .map_err(|_| ErrorKind::Crypto { reason: "JSON.parse refused the core's JSON".into() }.into())
}

/// A short, secret-free description of a thrown JS value: its `name` and `message`.
pub(crate) fn describe(err: &JsValue) -> String {
    match err.dyn_ref::<js_sys::Error>() {
        Some(e) => {
            let name: String = e.name().into();
            let message: String = e.message().into();
            // Built without `format!` or slicing: both drag `core::fmt` into the package.
            let mut out = crate::text::concat(&[&name, ": "]);
            out.extend(message.chars().take(200));
            out
        }
        None => "a non-Error value was thrown".into(),
    }
}
