//! The `#[wasm_bindgen]` JS API of the browser package (feature `js`, wasm32 only), with the
//! names and shapes documented in DESIGN.md. One file per area; every function checks its
//! arguments itself and throws a `VippsAuthError` (see [`errors`]) rather than letting a
//! wrong type reach the core. Nothing here panics on bad input.

pub mod convert;
pub mod errors;
pub mod types;
pub mod authorize;
pub mod callback;
pub mod discovery;
pub mod endpoints;
pub mod id_token;
pub mod jwt;
pub mod keyset;
pub mod pkce;
pub mod task;
