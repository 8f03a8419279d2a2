//! The operations of the table (`operations.rs`), one file per area of the API. Each takes
//! the [`Input`](crate::input::Input) of a call and answers a [`Reply`](crate::reply::Reply)
//! or the core's error; none keeps anything between calls (`key_sets.rs` caches parsed key
//! sets by their text, which changes no answer).

pub mod authorize;
pub mod callback;
pub mod discovery;
pub mod endpoints;
pub mod fetch;
pub mod jwt;
pub mod keyset;
pub mod pkce;
pub mod verify;

/// Runs operations by name in the host and wasm-bindgen tests, as the JS entry would, and
/// checks that every error is one the table lists for that operation.
#[cfg(test)]
pub mod testing {
    use alloc::string::String;

    use vipps_auth::json::{self, Object, Value};
    use vipps_auth::Result;

    use crate::input::{Call, Input};
    use crate::operations::OPERATIONS;
    use crate::reply::Reply;

    /// The slots of a call besides its request.
    #[derive(Default, Clone, Copy)]
    pub struct Slots<'a> {
        /// `call`'s `token`.
        pub token: &'a str,
        /// `call`'s `keys`.
        pub keys: Option<&'a str>,
        /// `call`'s `body`.
        pub body: &'a [u8],
    }

    /// Runs operation `name` on the JSON `request` and `slots`.
    pub fn run_with(name: &str, request: &str, slots: Slots<'_>) -> Result<Reply> {
        let op = OPERATIONS
            .iter()
            .position(|o| o.name == name)
            .unwrap_or_else(|| panic!("no operation {name}"));
        let operation = &OPERATIONS[op];
        let call = Call {
            request: request.as_bytes(),
            token: slots.token.as_bytes(),
            keys: slots.keys.map(str::as_bytes),
            body: slots.body,
        };
        let result = Input::read(op, &call).and_then(|input| (operation.run)(&input));
        if let Err(e) = &result {
            assert!(
                operation.errors.contains(&e.code()),
                "{name} answered {}, which the table does not list",
                e.code()
            );
        }
        result
    }

    /// Runs operation `name` on the JSON `request` alone.
    pub fn run(name: &str, request: &str) -> Result<Reply> {
        run_with(name, request, Slots::default())
    }

    /// The value of a reply, parsed (panics on an error or a need).
    pub fn value(result: Result<Reply>) -> Value {
        match result {
            Ok(Reply::Value(json)) => json::parse(json.as_bytes()).unwrap(),
            other => panic!("expected a value, got {other:?}"),
        }
    }

    /// The value of a reply as an object.
    pub fn object(result: Result<Reply>) -> Object {
        value(result).as_object().cloned().unwrap()
    }

    /// The value of a reply as a string.
    pub fn string(result: Result<Reply>) -> String {
        value(result).as_str().unwrap().into()
    }

    /// The code of an error reply (panics on a value).
    pub fn code(result: Result<Reply>) -> &'static str {
        result.expect_err("expected an error").code()
    }

    /// The message of an error reply.
    pub fn message(result: Result<Reply>) -> String {
        result.expect_err("expected an error").message()
    }
}
