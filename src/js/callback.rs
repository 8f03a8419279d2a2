//! The authorization response at the redirect URI (RFC 6749 section 4.1.2 and 4.1.2.1).

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::{plain_object, string_arg};
use super::errors::JsResult;
use crate::callback;

/// Reads `code` and `state` from the callback URL (or its query) and checks `state`
/// against the one sent (`ERR_STATE_MISMATCH`). A Vipps `error` becomes
/// `ERR_AUTHORIZATION_RESPONSE` with `vippsError` / `vippsErrorDescription`.
#[wasm_bindgen(js_name = parseCallback, unchecked_return_type = "CallbackResult")]
pub fn parse_callback(
    #[wasm_bindgen(js_name = callbackUrl, unchecked_param_type = "string")] callback_url: JsValue,
    #[wasm_bindgen(js_name = expectedState, unchecked_param_type = "string")] expected_state: JsValue,
) -> JsResult {
    let url = string_arg(&callback_url, "callbackUrl")?;
    let expected = string_arg(&expected_state, "expectedState")?;
    let cb = callback::parse_callback(&url, &expected)?;
    Ok(plain_object(&[("code", JsValue::from_str(cb.code.secret())), ("state", JsValue::from_str(&cb.state))]))
}
