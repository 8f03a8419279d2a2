//! OpenID Connect Discovery 1.0: fetch the provider metadata and check that its `issuer`
//! is exactly the one asked for (section 4.3).

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

use super::convert::{object_to_js, string_arg};
use super::errors::{JsResult};
use crate::discovery;
use crate::platform::fetch;

/// Timeout of the discovery fetch.
const DISCOVERY_TIMEOUT_MS: u32 = 10_000;

/// Fetches `<issuer>.well-known/openid-configuration` (or the given configuration URL) and
/// returns the checked document as a plain object.
#[wasm_bindgen(js_name = discover, unchecked_return_type = "Promise<ProviderMetadata>")]
pub fn discover(#[wasm_bindgen(js_name = issuerOrConfigUrl, unchecked_param_type = "string")] issuer_or_config_url: JsValue) -> Promise {
    let arg = string_arg(&issuer_or_config_url, "issuerOrConfigUrl");
    future_to_promise(async move {
        let url = arg?;
        let request = discovery::discovery_request(&url)?;
        let response = fetch::send(&request, DISCOVERY_TIMEOUT_MS).await?;
        let metadata = discovery::process_discovery_response(&response, &discovery::issuer_from(&url))?;
        let out: JsResult = Ok(object_to_js(metadata.raw())?);
        out
    })
}
