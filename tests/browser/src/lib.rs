//! Shared by the wasm-bindgen-test suites of vipps-auth (`tests/api.rs`, `tests/vectors.rs`);
//! the suites need nothing beyond the crate itself today, and this library is the place
//! for helpers they come to share.
#![cfg(target_arch = "wasm32")]
