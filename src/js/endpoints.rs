//! The documented Vipps endpoints of an environment (Vipps Login API and Access Token API).

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::{plain_object, string_arg};
use super::errors::JsResult;
use crate::discovery::{Endpoints, Environment};

/// The endpoints of `"test"` (`apitest.vipps.no`) or `"production"` (`api.vipps.no`).
#[wasm_bindgen(js_name = endpoints, unchecked_return_type = "VippsEndpoints")]
pub fn endpoints(#[wasm_bindgen(unchecked_param_type = "Environment")] env: JsValue) -> JsResult {
    let env: Environment = string_arg(&env, "env")?.parse()?;
    let e = Endpoints::for_environment(env);
    Ok(plain_object(&[
        ("issuer", JsValue::from_str(&e.issuer)),
        ("authorizationEndpoint", JsValue::from_str(&e.authorization_endpoint)),
        ("tokenEndpoint", JsValue::from_str(&e.token_endpoint)),
        ("jwksUri", JsValue::from_str(&e.jwks_uri)),
        ("userinfoEndpoint", JsValue::from_str(&e.userinfo_endpoint)),
        ("accessTokenEndpoint", JsValue::from_str(&e.access_token_endpoint)),
        ("miamiTokenEndpoint", JsValue::from_str(&e.miami_token_endpoint)),
    ]))
}
