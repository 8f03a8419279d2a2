//! The wasm-bindgen-test suite of the worker's WebCrypto layer (`tests/vectors.rs`), run in
//! headless Chromium and in Node by scripts/test-browser.sh. (The npm package's operations
//! are tested in its own crate, npm-wasm/, on the host and through wasm-bindgen-test as well.)
//! The suite needs nothing beyond its dependencies; this library is where shared helpers
//! would go.
#![cfg(target_arch = "wasm32")]
