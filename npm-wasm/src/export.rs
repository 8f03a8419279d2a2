//! The wasm's one export. Each parameter has one meaning for every operation (unused ones are
//! empty): see docs/browser-package.md, "The wasm boundary".

use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::input::Call;
use crate::operations;

/// Runs operation `op` (its index in [`operations::OPERATIONS`]) and answers its reply's JSON
/// text ([`crate::reply`]). `request` is the JSON object of the arguments and I/O outcomes,
/// `token` the token argument, `keys` the JWK set a token is checked against (`undefined`
/// while it has not been fetched), `body` a fetched response's body.
///
/// Bytes rather than `&str`: the glue copies bytes natively, where it copies a string
/// character by character in JS. The JS entry encodes JS strings, so they are UTF-8.
#[wasm_bindgen]
pub fn call(op: u32, request: &[u8], token: &[u8], keys: Option<Vec<u8>>, body: &[u8]) -> String {
    operations::run(
        op,
        &Call {
            request,
            token,
            keys: keys.as_deref(),
            body,
        },
    )
}
