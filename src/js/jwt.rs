//! JWTs (RFC 7519) in compact JWS serialization (RFC 7515 section 7.1): `decodeJwt`, which
//! checks nothing, and `verifyJwt`, which checks the signature only.

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::{field, options, string_arg, string_array};
use super::errors::JsResult;
use super::keyset::key_set_arg;
use super::task::{parts, spawn, AfterVerify, Task};
use crate::error::Result;
use crate::jose::{alg::DEFAULT_ALGORITHMS, jwt, Algorithm};

/// The allowed algorithms from an options object's `algorithms` (default `["RS256"]`).
pub(crate) fn algorithms(opts: Option<&js_sys::Object>) -> Result<Vec<Algorithm>> {
    match opts.map(|o| field(o, "algorithms")).transpose()?.flatten() {
        None => Ok(DEFAULT_ALGORITHMS.to_vec()),
        Some(v) => {
            let names = string_array(&v, "algorithms")?;
            Algorithm::parse_allowed(names.iter().map(String::as_str))
        }
    }
}

/// The header and claims of a JWT, WITHOUT checking its signature: never trust them.
#[wasm_bindgen(js_name = decodeJwt, unchecked_return_type = "JwtParts")]
pub fn decode_jwt(#[wasm_bindgen(unchecked_param_type = "string")] token: JsValue) -> JsResult {
    let token = jwt::parse(&string_arg(&token, "token")?)?;
    parts(token.header(), token.claims())
}

/// Checks the signature of `token` with a key from `keys` under one of `opts.algorithms`
/// (default `["RS256"]`; the token's `alg` must be in the list and suit the key) and
/// returns its header and claims. Claims are NOT validated: use `validateIdToken` for that.
#[wasm_bindgen(js_name = verifyJwt, unchecked_return_type = "Promise<JwtParts>")]
pub fn verify_jwt(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_param_type = "KeySet")] keys: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "VerifyOptions")] opts: Option<JsValue>,
) -> Promise {
    let args = (|| -> Result<_> {
        let token = string_arg(&token, "token")?;
        let keys = key_set_arg(&keys, "keys")?;
        let opts = options(&opts.unwrap_or(JsValue::UNDEFINED), "opts")?;
        Ok(Task::Verify(token, keys, algorithms(opts.as_ref())?, AfterVerify::Parts))
    })();
    spawn(args)
}
