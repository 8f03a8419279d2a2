//! Runs the core's [`SignatureCheck`] through WebCrypto with the core's platform layer
//! (`crypto.subtle` off the global object, which workerd provides). Imported keys are kept
//! per isolate, keyed by JWK thumbprint, so a key is imported once, not per login.

use vipps_auth::jose::verify::SignatureCheck;
use vipps_auth::Error;

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// One cache per isolate for the isolate's lifetime (a `'static` borrow can cross the
    /// await below; the cache holds no `RefCell` borrow across its own awaits).
    static KEYS: &'static vipps_auth::platform::webcrypto::KeyCache =
        Box::leak(Box::new(vipps_auth::platform::webcrypto::KeyCache::new()));
}

/// Whether the check's signature verifies. `Err` is a failure of WebCrypto itself.
#[cfg(target_arch = "wasm32")]
pub async fn verify(check: &SignatureCheck) -> Result<bool, Error> {
    let cache = KEYS.with(|keys| *keys);
    vipps_auth::platform::webcrypto::verify_check(check, cache).await
}

/// Host builds (unit tests) have no WebCrypto.
#[cfg(not(target_arch = "wasm32"))]
pub async fn verify(_check: &SignatureCheck) -> Result<bool, Error> {
    Err(vipps_auth::ErrorKind::Crypto {
        reason: "WebCrypto is only available on wasm32".into(),
    }
    .into())
}
