//! Package-wide choices of the npm package (feature `npm-package`, enabled only by
//! `scripts/build-pkg.sh`; never a default, so Rust dependents of this crate keep their own).
//!
//! The global allocator is talc's single-threaded WebAssembly allocator instead of std's
//! dlmalloc: the same dlmalloc-style design (boundary tags, binned free lists) in about a
//! third of the code. `new_wasm_dynamic_allocator` refuses, at compile time, any target that
//! is not single-threaded wasm, the one case where its unlocked cell is sound.
//!
//! The crate is `no_std` in this build (src/lib.rs), so the panic handler is this one: a
//! trap, as std's handler ends in with `panic = "abort"`, minus the message formatting
//! (which nothing in a browser would read). The operations do not panic on any input; a
//! panic would be a bug, and the trap surfaces in JS as a `RuntimeError: unreachable`.
//! Because of this handler, `npm-package` is for building the package's wasm only: a wasm32
//! *test* build with it links wasm-bindgen-test's std, and so a second panic handler.

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(not(test))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
