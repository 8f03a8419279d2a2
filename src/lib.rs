//! # vipps-auth
//!
//! Vipps MobilePay authentication for the browser and the edge: PKCE, the Vipps Login
//! (OpenID Connect) authorize URL, callback parsing, JWT / JWKS signature checks and
//! ID-token validation, and the request builders and response processors for the
//! secret-bearing token endpoints (Access Token API, partner `miami` token, Login code
//! exchange, partner login, merchant-initiated login (CIBA), userinfo).
//!
//! The core is sans-IO and `no_std` (it needs only `alloc`): it builds
//! [`http::HttpRequest`] values and reads [`http::HttpResponse`] values, takes the time as an
//! argument, randomness as a [`random::Random`], and leaves the one cryptographic step of a
//! signature check to the platform ([`jose::verify`]: the caller runs WebCrypto on the
//! [`jose::SignatureCheck`] it prepares). It has no cargo features and nothing of the JS world
//! in its dependencies; its two users bring that themselves: the npm package's wasm
//! (`npm-wasm/`) and the Cloudflare Worker (`worker/`).
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

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
pub mod random;
pub mod retry_after;
pub mod secret;
pub mod sha256;
pub mod text;
pub mod token;
pub mod url_check;
pub mod urlencoded;

pub use error::{Cause, CauseValue, Error, ErrorKind, Result, ERROR_CODES};
