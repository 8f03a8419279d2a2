//! Random values from the platform's CSPRNG (getrandom: `crypto.getRandomValues` in
//! browsers, workerd and Node; the OS elsewhere).
//!
//! The npm package (feature `npm-package`) calls `crypto.getRandomValues` through its own
//! small import instead of getrandom's: the same call in chunks of at most 65536 bytes, but
//! a failure comes back as `false` from a `try` in JS rather than as a caught exception
//! value, which spares the package wasm-bindgen's exception and externref-table glue.

use alloc::string::String;
use crate::base64;
use crate::error::{ErrorKind, Result};

/// Fills `buf` with cryptographically secure random bytes.
#[cfg(not(all(feature = "npm-package", target_arch = "wasm32")))]
pub fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|_| ErrorKind::Random.into())
}

/// Fills `buf` with cryptographically secure random bytes.
#[cfg(all(feature = "npm-package", target_arch = "wasm32"))]
pub fn fill(buf: &mut [u8]) -> Result<()> {
    // `Crypto.getRandomValues` refuses more than 65536 bytes at once.
    for chunk in buf.chunks_mut(65536) {
        if !web::get_random_values(chunk) {
            return Err(ErrorKind::Random.into());
        }
    }
    Ok(())
}

#[cfg(all(feature = "npm-package", target_arch = "wasm32"))]
mod web {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen(inline_js = "export function getRandomValues(b) { try { globalThis.crypto.getRandomValues(b); return true; } catch { return false; } }")]
    extern "C" {
        /// `crypto.getRandomValues(buf)` on a view of `buf`; `false` when it threw.
        #[wasm_bindgen(js_name = getRandomValues)]
        pub fn get_random_values(buf: &mut [u8]) -> bool;
    }
}

/// `bytes` random bytes as base64url without padding: `ceil(bytes * 4 / 3)` characters of
/// the RFC 7636 unreserved set, so usable as a PKCE verifier, `state` or `nonce`.
pub fn urlsafe_string(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    fill(&mut buf)?;
    Ok(base64::encode_url(&buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlsafe_string_has_the_expected_length_and_alphabet() {
        let s = urlsafe_string(32).unwrap();
        assert_eq!(s.len(), 43);
        assert!(s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn urlsafe_strings_differ() {
        assert_ne!(urlsafe_string(16).unwrap(), urlsafe_string(16).unwrap());
    }
}
