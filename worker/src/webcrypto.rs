//! Runs the core's [`SignatureCheck`] through WebCrypto (`crypto.subtle`, read off the global
//! object, which in workerd is a `ServiceWorkerGlobalScope`). The smallest possible glue:
//! import the public JWK, verify, answer whether the signature holds.

use js_sys::{Array, Object, Reflect, Uint8Array, JSON};
use vipps_auth::jose::verify::SignatureCheck;
use vipps_auth::jose::Algorithm;
use vipps_auth::{json, Error};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

/// Whether the check's signature verifies. `Err` is a failure of WebCrypto itself.
pub async fn verify(check: &SignatureCheck) -> Result<bool, Error> {
    let subtle = subtle()?;
    let (import, verify) = match check.alg() {
        Algorithm::RS256 => (params(&[("name", "RSASSA-PKCS1-v1_5"), ("hash", "SHA-256")]), params(&[("name", "RSASSA-PKCS1-v1_5")])),
        Algorithm::ES256 => {
            (params(&[("name", "ECDSA"), ("namedCurve", "P-256")]), params(&[("name", "ECDSA"), ("hash", "SHA-256")]))
        }
    };
    let refused = |_| Error::KeyUnsuitable { reason: "WebCrypto refused to import the key" };
    let jwk: Object = JSON::parse(&json::Value::Object(check.import_jwk()).to_json()).map_err(refused)?.unchecked_into();
    let usages = Array::of1(&JsValue::from_str("verify"));
    let key = JsFuture::from(subtle.import_key_with_object("jwk", &jwk, &import, false, &usages).map_err(refused)?)
        .await
        .map_err(refused)?;
    let key: CryptoKey = key.dyn_into().map_err(refused)?;
    // Copies, not views into wasm memory (which a memory growth could detach).
    let signature = Uint8Array::from(check.signature());
    let data = Uint8Array::from(check.signing_input());
    let crypto_error = |_| Error::Crypto { reason: "WebCrypto verify failed".into() };
    let promise = subtle.verify_with_object_and_js_u8_array_and_js_u8_array(&verify, &key, &signature, &data).map_err(crypto_error)?;
    Ok(JsFuture::from(promise).await.map_err(crypto_error)?.as_bool() == Some(true))
}

fn subtle() -> Result<SubtleCrypto, Error> {
    let unavailable = |_| Error::Crypto { reason: "crypto.subtle is unavailable".into() };
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).map_err(unavailable)?;
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).map_err(unavailable)?;
    if !subtle.is_object() {
        return Err(Error::Crypto { reason: "crypto.subtle is unavailable".into() });
    }
    Ok(subtle.unchecked_into())
}

fn params(members: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in members {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}
