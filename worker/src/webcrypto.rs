//! The worker's WebCrypto (W3C Web Cryptography API), which workerd provides on the global
//! object: the one cryptographic step of an ID-token check through `crypto.subtle`, and the
//! random values of `/login/start` through `crypto.getRandomValues` (getrandom's `wasm_js`
//! backend; the OS's generator in host builds, the unit tests). The core is sans-IO: it
//! prepares a [`SignatureCheck`] and takes randomness as a [`Random`]; this module supplies
//! both.
//!
//! Signatures: RS256 as RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 section 3.3) and ES256 as
//! ECDSA P-256 with SHA-256 over the raw `r || s` signature JWS uses (RFC 7518 section 3.4,
//! which is WebCrypto's ECDSA signature format). `crypto` is read off the global object,
//! never `window`, so the same code runs in workerd, browsers and Node >= 20 (the browser
//! tests run the Wycheproof vectors through it: tests/browser). Byte slices are copied into
//! fresh `Uint8Array`s before they are handed to `subtle`: a view into wasm memory could be
//! detached by a memory growth while the promise is pending. Public keys are imported from
//! JWK (RFC 7517) once and kept per isolate, by RFC 7638 thumbprint and algorithm.

use vipps_auth::jose::verify::SignatureCheck;
use vipps_auth::random::Random;
use vipps_auth::{Error, ErrorKind};

/// The platform's CSPRNG: `crypto.getRandomValues` in workerd.
pub struct SystemRandom;

impl Random for SystemRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error> {
        getrandom::fill(buf).map_err(|_| ErrorKind::Random.into())
    }
}

/// Whether the check's signature verifies. `Err` is a failure of WebCrypto itself.
#[cfg(target_arch = "wasm32")]
pub async fn verify(check: &SignatureCheck) -> Result<bool, Error> {
    thread_local! {
        /// One cache per isolate for the isolate's lifetime (a `'static` borrow can cross the
        /// await below; the cache holds no `RefCell` borrow across its own awaits).
        static KEYS: &'static subtle::KeyCache = Box::leak(Box::new(subtle::KeyCache::new()));
    }
    let cache = KEYS.with(|keys| *keys);
    subtle::verify_check(check, cache).await
}

/// Host builds (unit tests) have no WebCrypto.
#[cfg(not(target_arch = "wasm32"))]
pub async fn verify(_check: &SignatureCheck) -> Result<bool, Error> {
    Err(ErrorKind::Crypto {
        reason: "WebCrypto is only available on wasm32".into(),
    }
    .into())
}

/// `crypto.subtle`: key import, signature verification and the cache of imported keys.
#[cfg(target_arch = "wasm32")]
pub mod subtle {
    use core::cell::RefCell;

    use js_sys::{Array, Object, Reflect, Uint8Array};
    use vipps_auth::jose::verify::SignatureCheck;
    use vipps_auth::jose::Algorithm;
    use vipps_auth::{json, ErrorKind, Result};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{CryptoKey, SubtleCrypto};

    /// `crypto.subtle` of the current global object.
    pub fn subtle() -> Result<SubtleCrypto> {
        let unavailable = || {
            ErrorKind::Crypto {
                reason: "crypto.subtle is unavailable (WebCrypto needs a secure context)".into(),
            }
            .into()
        };
        let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
            .map_err(|_| unavailable())?;
        if crypto.is_undefined() || crypto.is_null() {
            return Err(unavailable());
        }
        let subtle =
            Reflect::get(&crypto, &JsValue::from_str("subtle")).map_err(|_| unavailable())?;
        if !subtle.is_object() {
            return Err(unavailable());
        }
        Ok(subtle.unchecked_into())
    }

    /// A short, secret-free description of a thrown JS value: its `name` and `message`.
    fn describe(err: &JsValue) -> String {
        match err.dyn_ref::<js_sys::Error>() {
            Some(e) => {
                let name: String = e.name().into();
                let message: String = e.message().into();
                format!("{name}: {}", message.chars().take(200).collect::<String>())
            }
            None => "a non-Error value was thrown".into(),
        }
    }

    fn object(members: &[(&str, &str)]) -> Object {
        let o = Object::new();
        for (k, v) in members {
            // Setting a data property on a fresh plain object cannot fail.
            let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
        }
        o
    }

    /// The `importKey` algorithm (WebCrypto sections 20.4 RsaHashedImportParams, 23.6
    /// EcKeyImportParams).
    fn import_params(alg: Algorithm) -> Object {
        match alg {
            Algorithm::RS256 => object(&[("name", "RSASSA-PKCS1-v1_5"), ("hash", "SHA-256")]),
            Algorithm::ES256 => object(&[("name", "ECDSA"), ("namedCurve", "P-256")]),
        }
    }

    /// The `verify` algorithm (WebCrypto section 23.5 EcdsaParams; RSASSA-PKCS1-v1_5 takes
    /// its hash from the key).
    fn verify_params(alg: Algorithm) -> Object {
        match alg {
            Algorithm::RS256 => object(&[("name", "RSASSA-PKCS1-v1_5")]),
            Algorithm::ES256 => object(&[("name", "ECDSA"), ("hash", "SHA-256")]),
        }
    }

    /// Imports a public JWK (RFC 7517; give it only `kty`, `n`/`e` or `crv`/`x`/`y`) as a
    /// non-extractable `verify` key for `alg`. A key WebCrypto refuses is `ERR_KEY_UNSUITABLE`.
    pub async fn import_public_jwk(jwk: &json::Object, alg: Algorithm) -> Result<CryptoKey> {
        let subtle = subtle()?;
        let refused = || {
            ErrorKind::KeyUnsuitable {
                reason: "WebCrypto refused to import the key",
            }
            .into()
        };
        // A plain JS object through `JSON.parse` of the core's own serialization (exact).
        let key_data: Object = js_sys::JSON::parse(&jwk.to_json())
            .map_err(|_| refused())?
            .unchecked_into();
        let usages = Array::of1(&JsValue::from_str("verify"));
        let promise = subtle
            .import_key_with_object("jwk", &key_data, &import_params(alg), false, &usages)
            .map_err(|_| refused())?;
        let key = JsFuture::from(promise).await.map_err(|_| refused())?;
        key.dyn_into::<CryptoKey>().map_err(|_| refused())
    }

    /// Checks `signature` over `data` with `key` under `alg`. `Ok(false)` is a signature that
    /// does not verify; `Err` is a failure of WebCrypto itself.
    pub async fn verify(
        alg: Algorithm,
        key: &CryptoKey,
        signature: &[u8],
        data: &[u8],
    ) -> Result<bool> {
        let subtle = subtle()?;
        let signature = Uint8Array::from(signature);
        let data = Uint8Array::from(data);
        let failed = |e: JsValue| ErrorKind::Crypto {
            reason: describe(&e),
        };
        let promise = subtle
            .verify_with_object_and_js_u8_array_and_js_u8_array(
                &verify_params(alg),
                key,
                &signature,
                &data,
            )
            .map_err(failed)?;
        let result = JsFuture::from(promise).await.map_err(failed)?;
        Ok(result.as_bool() == Some(true))
    }

    /// Most keys a [`KeyCache`] holds; when full it starts over (key rotation keeps few live
    /// keys).
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
        pub async fn get_or_import(
            &self,
            thumbprint: &str,
            jwk: &json::Object,
            alg: Algorithm,
        ) -> Result<CryptoKey> {
            if let Some((_, _, key)) = self
                .keys
                .borrow()
                .iter()
                .find(|(t, a, _)| t == thumbprint && *a == alg)
            {
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
    }

    /// Runs the signature check the core prepared (`jose::verify::prepare`): imports (or
    /// reuses) the selected key for the check's algorithm and verifies the signature over the
    /// JWS signing input. The algorithm comes from the check, never from the token.
    pub async fn verify_check(check: &SignatureCheck, cache: &KeyCache) -> Result<bool> {
        let key = cache
            .get_or_import(&check.key().thumbprint(), &check.import_jwk(), check.alg())
            .await?;
        verify(check.alg(), &key, check.signature(), check.signing_input()).await
    }
}
