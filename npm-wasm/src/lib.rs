//! The wasm of the `vipps-auth` npm package: the browser package's operations, compiled with
//! the core (`vipps-auth`) into the package's `vipps_auth_bg.wasm`.
//!
//! The public API (DESIGN.md) is the package's hand-written JS entry (`js/`): it reads the JS
//! arguments, does what only JS can do (`fetch`, `crypto.subtle`, promises, timers) and calls
//! the operations here through one export, `call` (`export.rs`). Each call carries everything
//! the operation needs and nothing is kept between calls but a cache of parsed key sets by
//! their text (`key_sets.rs`); docs/browser-package.md, "The wasm boundary", is the protocol
//! in one page:
//!
//! - `operations.rs`: the table of operations (name, parameters and their types, error
//!   codes), the single source the JS entry's `js/operations.js` and the `.d.ts` error-code
//!   union are generated from (`generated.rs` tests they are current);
//! - `input.rs`: what a call carries, and the readers of its request with the API's checks;
//! - `reply.rs`: what a call answers: a value, an error with its `cause`, or the I/O it needs;
//! - `ops/`: the operations, one file per area of the API;
//! - `random.rs`: the package's random source, `crypto.getRandomValues`.
//!
//! Everything but `export.rs` and `random.rs` is plain Rust, tested on the host by `cargo
//! test` and in Chromium and Node by wasm-bindgen-test (scripts/test-browser.sh).
//!
//! The package's wasm links no std (`no_std` on wasm32): its allocator is talc and its
//! panic handler a trap (docs/decisions.md). Host builds, which exist for the tests, and
//! test builds link std as usual.
#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]
#![forbid(unsafe_code)]
// Only the wasm32 build has the export that reaches everything; host builds are for the tests.
#![cfg_attr(not(any(target_arch = "wasm32", test)), allow(dead_code))]

extern crate alloc;

mod input;
mod key_sets;
mod operations;
mod ops;
mod random;
mod reply;

#[cfg(target_arch = "wasm32")]
mod export;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod generated;

/// The package's global allocator: talc's single-threaded WebAssembly allocator, a
/// dlmalloc-style design (boundary tags, binned free lists) in about a third of the code of
/// std's. `new_wasm_dynamic_allocator` refuses, at compile time, any target that is not
/// single-threaded wasm, the one case where its unlocked cell is sound.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The package's panic handler: a trap, as std's handler ends in with `panic = "abort"`,
/// minus the message formatting (which nothing in a browser would read). No operation panics
/// on any input; a panic would be a bug, and surfaces in JS as `RuntimeError: unreachable`.
#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
