//! The wasm half of the browser package (feature `js`): synchronous, sans-IO operations
//! that the hand-written JS entry module (`js/`, bundled into `vipps_auth.js`) calls. The public API of DESIGN.md is the JS module's; `fetch`, `crypto.subtle`,
//! promises and timeouts live there, where they cost nothing, instead of in async Rust
//! (state machines, `wasm-bindgen-futures`, externref shims), which cost a third of the wasm.
//!
//! Every operation takes plain strings, numbers and bytes (the JS arguments as one JSON array,
//! see [`args`]) and answers JSON text (see [`reply`]): no `Reflect`, no JS objects cross
//! the boundary. Only `exports` (the two `#[wasm_bindgen]` functions that dispatch to the
//! operations) is wasm32-only; the operations are plain Rust and host-tested. Nothing here
//! panics on bad input.

pub mod args;
pub mod reply;
pub mod authorize;
pub mod callback;
pub mod discovery;
pub mod endpoints;
pub mod jwt;
pub mod keyset;
pub mod pkce;
pub mod registry;
pub mod verify;
#[cfg(target_arch = "wasm32")]
pub mod exports;
