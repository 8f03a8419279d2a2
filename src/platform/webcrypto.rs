//! JWS signature checks through WebCrypto (W3C Web Cryptography API, `crypto.subtle`):
//! RS256 as RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 section 3.3) and ES256 as ECDSA P-256
//! with SHA-256 over the raw `r || s` signature JWS uses (RFC 7518 section 3.4, which is
//! WebCrypto's ECDSA signature format).
//!
//! `crypto` is read off the global object, so this works in a window, a Web Worker,
//! workerd and Node >= 20. Byte slices are copied into fresh `Uint8Array`s before they are
//! handed to `subtle`: a view into wasm memory could be detached by a memory growth while
//! the promise is pending. Public keys are imported from JWK (RFC 7517) and cached per
//! RFC 7638 thumbprint and algorithm in a [`KeyCache`].

use alloc::{borrow::ToOwned, string::String, vec::Vec};
use core::cell::RefCell;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use super::{describe, object_to_js};
use crate::error::{ErrorKind, Result};
use crate::jose::Algorithm;
use crate::json;

/// `crypto.subtle` of the current global object.
pub fn subtle() -> Result<SubtleCrypto> {
    let unavailable = || ErrorKind::Crypto { reason: "crypto.subtle is unavailable (WebCrypto needs a secure context)".into() }.into();
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).map_err(|_| unavailable())?;
    if crypto.is_undefined() || crypto.is_null() {
        return Err(unavailable());
    }
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).map_err(|_| unavailable())?;
    if !subtle.is_object() {
        return Err(unavailable());
    }
    Ok(subtle.unchecked_into())
}

fn object(members: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in members {
        // Setting a data property on a fresh plain object cannot fail.
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

/// The `importKey` algorithm (WebCrypto sections 20.4 RsaHashedImportParams, 23.6 EcKeyImportParams).
fn import_params(alg: Algorithm) -> Object {
    match alg {
        Algorithm::RS256 => object(&[("name", "RSASSA-PKCS1-v1_5"), ("hash", "SHA-256")]),
        Algorithm::ES256 => object(&[("name", "ECDSA"), ("namedCurve", "P-256")]),
    }
}

/// The `verify` algorithm (WebCrypto section 23.5 EcdsaParams; RSASSA-PKCS1-v1_5 takes its hash from the key).
fn verify_params(alg: Algorithm) -> Object {
    match alg {
        Algorithm::RS256 => object(&[("name", "RSASSA-PKCS1-v1_5")]),
        Algorithm::ES256 => object(&[("name", "ECDSA"), ("hash", "SHA-256")]),
    }
}

async fn await_promise(p: Promise) -> core::result::Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

/// Imports a public JWK (RFC 7517; give it only `kty`, `n`/`e` or `crv`/`x`/`y`) as a
/// non-extractable `verify` key for `alg`. A key WebCrypto refuses is `ERR_KEY_UNSUITABLE`.
pub async fn import_public_jwk(jwk: &json::Object, alg: Algorithm) -> Result<CryptoKey> {
    let subtle = subtle()?;
    let key_data: Object = object_to_js(jwk)?.unchecked_into();
    let usages = Array::of1(&JsValue::from_str("verify"));
    let refused = || ErrorKind::KeyUnsuitable { reason: "WebCrypto refused to import the key" }.into();
    let promise = subtle
        .import_key_with_object("jwk", &key_data, &import_params(alg), false, &usages)
        .map_err(|_| refused())?;
    let key = await_promise(promise).await.map_err(|_| refused())?;
    key.dyn_into::<CryptoKey>().map_err(|_| refused())
}

/// Checks `signature` over `data` with `key` under `alg`. `Ok(false)` is a signature that
/// does not verify; `Err` is a failure of WebCrypto itself.
pub async fn verify(alg: Algorithm, key: &CryptoKey, signature: &[u8], data: &[u8]) -> Result<bool> {
    let subtle = subtle()?;
    let signature = Uint8Array::from(signature);
    let data = Uint8Array::from(data);
    let promise = subtle
        .verify_with_object_and_js_u8_array_and_js_u8_array(&verify_params(alg), key, &signature, &data)
        .map_err(|e| ErrorKind::Crypto { reason: describe(&e) })?;
    let result = await_promise(promise).await.map_err(|e| ErrorKind::Crypto { reason: describe(&e) })?;
    Ok(result.as_bool() == Some(true))
}

/// Most keys a [`KeyCache`] holds; when full it starts over (key rotation keeps few live keys).
const MAX_CACHED_KEYS: usize = 32;

/// Imported `CryptoKey`s, keyed by RFC 7638 thumbprint and algorithm.
#[derive(Default)]
pub struct KeyCache {
    keys: RefCell<Vec<(String, Algorithm, CryptoKey)>>,
}

impl KeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The key of that thumbprint for `alg`, imported from `jwk` on first use.
    pub async fn get_or_import(&self, thumbprint: &str, jwk: &json::Object, alg: Algorithm) -> Result<CryptoKey> {
        if let Some((_, _, key)) = self.keys.borrow().iter().find(|(t, a, _)| t == thumbprint && *a == alg) {
            return Ok(key.clone());
        }
        // No borrow is held across this await.
        let key = import_public_jwk(jwk, alg).await?;
        let mut keys = self.keys.borrow_mut();
        if keys.len() >= MAX_CACHED_KEYS {
            keys.clear();
        }
        keys.push((thumbprint.to_owned(), alg, key.clone()));
        Ok(key)
    }

    /// How many keys are cached.
    pub fn len(&self) -> usize {
        self.keys.borrow().len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Runs the signature check the core prepared (`jose::verify::prepare`): imports (or
/// reuses) the selected key for the check's algorithm and verifies the signature over the
/// JWS signing input. The algorithm comes from the check, never from the token.
pub async fn verify_check(check: &crate::jose::verify::SignatureCheck, cache: &KeyCache) -> Result<bool> {
    let key = cache.get_or_import(&check.key().thumbprint(), &check.key().import_jwk(), check.alg()).await?;
    verify(check.alg(), &key, check.signature(), check.signing_input()).await
}
