//! OpenID Connect Discovery 1.0: fetch the provider metadata and check that its `issuer`
//! is exactly the one asked for (section 4.3).

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::string_arg;
use super::task::{spawn, Task};

/// Fetches `<issuer>.well-known/openid-configuration` (or the given configuration URL) and
/// returns the checked document as a plain object.
#[wasm_bindgen(js_name = discover, unchecked_return_type = "Promise<ProviderMetadata>")]
pub fn discover(#[wasm_bindgen(js_name = issuerOrConfigUrl, unchecked_param_type = "string")] issuer_or_config_url: JsValue) -> Promise {
    spawn(string_arg(&issuer_or_config_url, "issuerOrConfigUrl").map(Task::Discover))
}
