//! Helpers for the wasm-bindgen-test suites of the vipps-auth JS API: error inspection,
//! JSON access, and a WebCrypto RSA signer that makes test ID tokens.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use vipps_auth::base64;

/// Reads a property.
pub fn get(v: &JsValue, name: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(name)).unwrap()
}

/// A plain object from JSON text.
pub fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

/// JSON text of a JS value.
pub fn json_of(v: &JsValue) -> String {
    js_sys::JSON::stringify(v).unwrap().as_string().unwrap()
}

/// The `code` of a thrown VippsAuthError (asserting its `name`).
pub fn code(err: &JsValue) -> String {
    assert_eq!(get(err, "name").as_string().as_deref(), Some("VippsAuthError"), "not a VippsAuthError: {:?}", err);
    get(err, "code").as_string().unwrap()
}

/// Awaits a promise the API returned.
pub async fn wait(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

/// The code a rejected promise carries; panics when it resolved.
pub async fn rejected_code(p: Promise) -> String {
    match wait(p).await {
        Ok(v) => panic!("expected a rejection, got {}", json_of(&v)),
        Err(e) => code(&e),
    }
}

fn subtle() -> web_sys::SubtleCrypto {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).unwrap();
    Reflect::get(&crypto, &"subtle".into()).unwrap().unchecked_into()
}

/// An RSA-2048 key pair made with WebCrypto, to sign test tokens (RS256).
pub struct Signer {
    private: web_sys::CryptoKey,
    /// The public JWK, with `kid`.
    pub public_jwk: JsValue,
    /// The `kid`.
    pub kid: String,
}

impl Signer {
    /// A fresh key pair with that `kid`.
    pub async fn new(kid: &str) -> Signer {
        let alg = js(r#"{"name":"RSASSA-PKCS1-v1_5","modulusLength":2048,"publicExponent":[1,0,1],"hash":"SHA-256"}"#);
        let exp = get(&alg, "publicExponent");
        Reflect::set(&alg, &"publicExponent".into(), &Uint8Array::new(&exp)).unwrap();
        let usages = Array::of2(&"sign".into(), &"verify".into());
        let pair = JsFuture::from(subtle().generate_key_with_object(alg.unchecked_ref::<Object>(), true, &usages).unwrap()).await.unwrap();
        let private: web_sys::CryptoKey = get(&pair, "privateKey").unchecked_into();
        let public: web_sys::CryptoKey = get(&pair, "publicKey").unchecked_into();
        let jwk = JsFuture::from(subtle().export_key("jwk", &public).unwrap()).await.unwrap();
        let minimal = js(&format!(
            r#"{{"kty":"RSA","n":{},"e":{},"kid":"{kid}","alg":"RS256","use":"sig"}}"#,
            json_of(&get(&jwk, "n")),
            json_of(&get(&jwk, "e"))
        ));
        Signer { private, public_jwk: minimal, kid: kid.to_owned() }
    }

    /// `{"keys":[<public JWK>]}`.
    pub fn jwks(&self) -> String {
        format!(r#"{{"keys":[{}]}}"#, json_of(&self.public_jwk))
    }

    /// A compact RS256 JWS of `claims` (JSON text) with this key's `kid`.
    pub async fn sign(&self, claims: &str) -> String {
        let header = format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{}"}}"#, self.kid);
        let input = format!("{}.{}", base64::encode_url(header.as_bytes()), base64::encode_url(claims.as_bytes()));
        let data = Uint8Array::from(input.as_bytes());
        let sig = subtle().sign_with_str_and_js_u8_array("RSASSA-PKCS1-v1_5", &self.private, &data).unwrap();
        let sig = Uint8Array::new(&JsFuture::from(sig).await.unwrap()).to_vec();
        format!("{input}.{}", base64::encode_url(&sig))
    }
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
