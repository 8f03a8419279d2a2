//! The package's random source: `crypto.getRandomValues` (W3C Web Cryptography API section
//! 10.1.1) of the global object, which every host of the package has (browsers, Web
//! Workers, workerd, Node >= 20).
//!
//! Through the package's own small import rather than getrandom's: the same call in chunks
//! of at most 65536 bytes, but a failure comes back as `false` from a `try` in JS rather
//! than as a caught exception value, which spares the package wasm-bindgen's exception and
//! externref-table glue. Host builds (the unit tests) use the operating system's generator.

use vipps_auth::random::Random;
use vipps_auth::{ErrorKind, Result};

/// The platform's CSPRNG.
pub struct Platform;

#[cfg(target_arch = "wasm32")]
impl Random for Platform {
    fn fill(&mut self, buf: &mut [u8]) -> Result<()> {
        // `Crypto.getRandomValues` refuses more than 65536 bytes at once.
        for chunk in buf.chunks_mut(65536) {
            if !web::get_random_values(chunk) {
                return Err(ErrorKind::Random.into());
            }
        }
        Ok(())
    }
}

#[cfg(target_arch = "wasm32")]
mod web {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen(
        inline_js = "export function getRandomValues(b) { try { globalThis.crypto.getRandomValues(b); return true; } catch { return false; } }"
    )]
    extern "C" {
        /// `crypto.getRandomValues(buf)` on a view of `buf`; `false` when it threw.
        #[wasm_bindgen(js_name = getRandomValues)]
        pub fn get_random_values(buf: &mut [u8]) -> bool;
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Random for Platform {
    fn fill(&mut self, buf: &mut [u8]) -> Result<()> {
        getrandom::fill(buf).map_err(|_| ErrorKind::Random.into())
    }
}
