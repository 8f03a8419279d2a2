//! The one `future_to_promise` of the exports: every async export (`discover`, `verifyJwt`,
//! `validateIdToken`) hands a [`Task`] to [`spawn`], so the wasm holds a single future type,
//! state machine and promise glue instead of one per export (each cost about 1 KB).

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen_futures::future_to_promise;

use super::convert::{object_to_js, plain_object};
use super::errors::JsResult;
use super::keyset::{verify_token, Inner};
use crate::discovery;
use crate::error::Result;
use crate::id_token::{self, IdTokenExpectations};
use crate::jose::Algorithm;
use crate::json;
use crate::platform::fetch;

/// Timeout of the discovery fetch.
const DISCOVERY_TIMEOUT_MS: u32 = 10_000;

/// What an async export does once its arguments are read.
pub enum Task {
    /// `discover`: fetch and check the provider metadata of this issuer or configuration URL.
    Discover(String),
    /// `verifyJwt` / `validateIdToken`: check the signature of `token` with `keys` under
    /// one of the algorithms, then [`AfterVerify`].
    Verify(String, Rc<Inner>, Vec<Algorithm>, AfterVerify),
}

/// What to return once a token's signature verified.
pub enum AfterVerify {
    /// `verifyJwt`: the header and claims.
    Parts,
    /// `validateIdToken`: the claims, after every ID-token rule at `now`.
    IdToken(Box<IdTokenExpectations>, i64),
}

/// Runs `task` (or rejects with its argument error) as a JS `Promise`.
pub fn spawn(task: Result<Task>) -> Promise {
    future_to_promise(async move {
        match task? {
            Task::Discover(url) => {
                let request = discovery::discovery_request(&url)?;
                let response = fetch::send(&request, DISCOVERY_TIMEOUT_MS).await?;
                let metadata = discovery::process_discovery_response(&response, &discovery::issuer_from(&url))?;
                Ok(object_to_js(metadata.raw())?)
            }
            Task::Verify(token, keys, allowed, after) => {
                let verified = verify_token(&token, &keys, &allowed).await?;
                match after {
                    AfterVerify::Parts => parts(verified.header(), verified.claims()),
                    AfterVerify::IdToken(expected, now) => {
                        Ok(object_to_js(id_token::validate(&verified, &expected, now)?)?)
                    }
                }
            }
        }
    })
}

/// A JWT's header and claims as a `JwtParts` object.
pub fn parts(header: &json::Object, claims: &json::Object) -> JsResult {
    Ok(plain_object(&[("header", object_to_js(header)?), ("claims", object_to_js(claims)?)]))
}
