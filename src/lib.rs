//! # vipps-auth
//!
//! Vipps MobilePay authentication for the browser and the edge: PKCE, the Vipps Login
//! (OpenID Connect) authorize URL, callback parsing, JWT / JWKS signature checks and
//! ID-token validation, and the request builders and response processors for the
//! secret-bearing token endpoints (Access Token API, partner `miami` token, Login code
//! exchange, partner login, merchant-initiated login (CIBA), userinfo).
//!
//! The core is sans-IO: it builds [`http::HttpRequest`] values and reads
//! [`http::HttpResponse`] values, and takes the time as an argument. WebCrypto lives in
//! `platform` (wasm32 only, default feature `platform`); the `#[wasm_bindgen]` JS API lives
//! in `js` behind the default `js` feature.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// The core needs only `core` and `alloc`. The npm package (feature `npm-package`, see
// src/npm.rs) builds it `no_std`, so its wasm links none of std's panic and formatting
// machinery; every other build (host, worker, browser tests) links std as usual.
#![cfg_attr(all(feature = "npm-package", target_arch = "wasm32", not(test)), no_std)]

#[macro_use]
extern crate alloc;

pub mod authorize;
pub mod base64;
pub mod callback;
pub mod discovery;
pub mod error;
pub mod http;
pub mod id_token;
pub mod jose;
pub mod json;
pub mod pkce;
#[cfg(all(feature = "platform", target_arch = "wasm32"))]
pub mod platform;
pub mod random;
pub mod retry_after;
pub mod secret;
pub mod sha256;
#[cfg(feature = "js")]
mod sync;
pub mod text;
pub mod token;
pub mod url_check;
pub mod urlencoded;

#[cfg(feature = "js")]
#[doc(hidden)]
pub mod js;

#[cfg(all(feature = "npm-package", target_arch = "wasm32"))]
mod npm;

pub use error::{Error, ErrorKind, Result, ERROR_CODES};
