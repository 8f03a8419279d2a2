//! `KeySet`: the public keys tokens are checked against, as a fixed JWK set
//! (RFC 7517 section 5) or fetched from a `jwks_uri` (OpenID Connect Discovery 1.0
//! section 3; OpenID Connect Core 1.0 section 10.1.1 on key rotation).
//!
//! A remote set is fetched lazily and used for `cacheMaxAgeSec`. A token whose key is not
//! in the set (`ERR_KEY_NOT_FOUND`) makes it fetch the set again, so a rotated-in key
//! verifies without a restart, but not more often than once per `cooldownSec`, so tokens
//! with made-up `kid`s cannot flood the JWKS endpoint. Concurrent callers share the one
//! fetch in flight (a held `Promise`). No `RefCell` borrow is held across an `.await`.
//!
//! JS code holds a `KeySet` object; Rust keeps the state in a registry keyed by a handle
//! the object carries, so a `KeySet` can also be read out of an options object.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::convert::{json_text, options, opt_number, string_arg};
use super::errors::{invalid, JsResult};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, Method};
use crate::jose::jwk::JwkSet;
use crate::jose::{jwt, verify, Algorithm, VerifiedJwt};
use crate::platform::webcrypto::{self, KeyCache};
use crate::platform::{clock, fetch};

/// The property of a `KeySet` object that carries its handle (not part of the public API).
const HANDLE_PROPERTY: &str = "__vippsKeySetHandle";

thread_local! {
    static REGISTRY: RefCell<Vec<(u32, Rc<Inner>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_HANDLE: Cell<u32> = const { Cell::new(1) };
}

struct Remote {
    uri: String,
    max_age_ms: f64,
    cooldown_ms: f64,
    timeout_ms: u32,
}

#[derive(Default)]
struct State {
    jwks: Option<Rc<JwkSet>>,
    fetched_at_ms: f64,
    last_fetch_ms: Option<f64>,
    in_flight: Option<Promise>,
    last_error: Option<Error>,
    fetches: u32,
}

/// The shared state behind a `KeySet`.
pub struct Inner {
    remote: Option<Remote>,
    state: RefCell<State>,
    crypto_keys: KeyCache,
}

/// A set of public keys to check JWT signatures with. Make one with `KeySet.fromJwks` or
/// `KeySet.remote`.
#[wasm_bindgen]
pub struct KeySet {
    handle: u32,
}

impl Drop for KeySet {
    fn drop(&mut self) {
        let handle = self.handle;
        REGISTRY.with(|r| r.borrow_mut().retain(|(h, _)| *h != handle));
    }
}

impl KeySet {
    fn register(inner: Inner) -> KeySet {
        let handle = NEXT_HANDLE.with(|n| {
            let h = n.get();
            n.set(h.wrapping_add(1).max(1));
            h
        });
        REGISTRY.with(|r| r.borrow_mut().push((handle, Rc::new(inner))));
        KeySet { handle }
    }

    fn inner(&self) -> Result<Rc<Inner>> {
        lookup(self.handle).ok_or(invalid("keys", "this KeySet has been freed"))
    }
}

fn lookup(handle: u32) -> Option<Rc<Inner>> {
    REGISTRY.with(|r| r.borrow().iter().find(|(h, _)| *h == handle).map(|(_, i)| i.clone()))
}

/// The `KeySet` a JS argument refers to (`ERR_INVALID_PARAMS` when it is not one).
pub fn key_set_arg(value: &JsValue, param: &'static str) -> Result<Rc<Inner>> {
    let not_a_key_set = invalid(param, "must be a KeySet (KeySet.fromJwks or KeySet.remote)");
    if !value.is_object() {
        return Err(not_a_key_set);
    }
    let handle = Reflect::get(value, &JsValue::from_str(HANDLE_PROPERTY)).ok().and_then(|h| h.as_f64());
    match handle {
        Some(h) if (1.0..=f64::from(u32::MAX)).contains(&h) && h.fract() == 0.0 => {
            lookup(h as u32).ok_or(invalid(param, "this KeySet has been freed"))
        }
        _ => Err(not_a_key_set),
    }
}

fn seconds_option(opts: Option<&js_sys::Object>, name: &'static str, default: f64) -> Result<f64> {
    match opts.map(|o| opt_number(o, name)).transpose()?.flatten() {
        None => Ok(default),
        Some(n) if (0.0..=31_536_000.0).contains(&n) => Ok(n),
        Some(_) => Err(invalid(name, "must be between 0 and 31536000")),
    }
}

#[wasm_bindgen]
impl KeySet {
    /// A fixed key set from a JWK set (RFC 7517 section 5), as an object or JSON text.
    #[wasm_bindgen(js_name = fromJwks)]
    pub fn from_jwks(#[wasm_bindgen(unchecked_param_type = "object | string")] jwks: JsValue) -> JsResult<KeySet> {
        let text = json_text(&jwks, "jwks")?;
        let set = JwkSet::parse(text.as_bytes())?;
        let state = State { jwks: Some(Rc::new(set)), ..State::default() };
        Ok(KeySet::register(Inner { remote: None, state: RefCell::new(state), crypto_keys: KeyCache::new() }))
    }

    /// A key set fetched from `jwksUri` on first use; see the module docs for caching.
    pub fn remote(
        #[wasm_bindgen(js_name = jwksUri, unchecked_param_type = "string")] jwks_uri: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RemoteKeySetOptions")] opts: Option<JsValue>,
    ) -> JsResult<KeySet> {
        let uri = string_arg(&jwks_uri, "jwksUri")?;
        if !(uri.starts_with("https://") || uri.starts_with("http://")) {
            return Err(invalid("jwksUri", "must be an http(s) URL").into());
        }
        let opts = options(&opts.unwrap_or(JsValue::UNDEFINED), "opts")?;
        let max_age = seconds_option(opts.as_ref(), "cacheMaxAgeSec", 600.0)?;
        let cooldown = seconds_option(opts.as_ref(), "cooldownSec", 30.0)?;
        let timeout_ms = match opts.as_ref().map(|o| opt_number(o, "timeoutMs")).transpose()?.flatten() {
            None => 5000,
            Some(n) if (1.0..=600_000.0).contains(&n) => n as u32,
            Some(_) => return Err(invalid("timeoutMs", "must be between 1 and 600000").into()),
        };
        let remote = Remote { uri, max_age_ms: max_age * 1000.0, cooldown_ms: cooldown * 1000.0, timeout_ms };
        Ok(KeySet::register(Inner {
            remote: Some(remote),
            state: RefCell::new(State::default()),
            crypto_keys: KeyCache::new(),
        }))
    }

    /// The handle the JS object carries (internal).
    #[wasm_bindgen(getter = __vippsKeySetHandle, skip_typescript)]
    pub fn handle(&self) -> u32 {
        self.handle
    }

    /// How many times this set has fetched its JWKS (0 for `fromJwks`); for monitoring.
    #[wasm_bindgen(getter, js_name = fetchCount)]
    pub fn fetch_count(&self) -> u32 {
        self.inner().map(|i| i.state.borrow().fetches).unwrap_or(0)
    }
}

impl Inner {
    /// The current key set, fetching it when absent, stale, or (`force`) when a key was not
    /// found, subject to the cooldown.
    async fn keys(self: &Rc<Self>, force: bool) -> JsResult<Rc<JwkSet>> {
        let in_flight = {
            let mut st = self.state.borrow_mut();
            let Some(remote) = &self.remote else {
                return st.jwks.clone().ok_or_else(|| Error::KeyNotFound { kid: None }.into());
            };
            match &st.in_flight {
                Some(p) => p.clone(),
                None => {
                    let now = clock::now_ms();
                    let fresh = st.jwks.is_some() && now - st.fetched_at_ms < remote.max_age_ms;
                    let cooling = st.last_fetch_ms.is_some_and(|t| now - t < remote.cooldown_ms);
                    if cooling || (fresh && !force) {
                        return match (&st.jwks, &st.last_error) {
                            (Some(set), _) => Ok(set.clone()),
                            (None, Some(e)) => Err(e.clone().into()),
                            (None, None) => Err(Error::KeyNotFound { kid: None }.into()),
                        };
                    }
                    st.last_fetch_ms = Some(now);
                    st.fetches = st.fetches.saturating_add(1);
                    let me = self.clone();
                    let p = future_to_promise(async move {
                        me.refresh().await.map(|()| JsValue::UNDEFINED).map_err(JsValue::from)
                    });
                    st.in_flight = Some(p.clone());
                    p
                }
            }
        };
        let outcome = JsFuture::from(in_flight).await;
        let current = self.state.borrow().jwks.clone();
        match (current, outcome) {
            (Some(set), _) => Ok(set),
            (None, Err(e)) => Err(e),
            (None, Ok(_)) => Err(Error::KeyNotFound { kid: None }.into()),
        }
    }

    /// Fetches the JWKS once and stores the outcome; a failure keeps the previous set.
    async fn refresh(self: Rc<Self>) -> Result<()> {
        let (uri, timeout) = match &self.remote {
            Some(r) => (r.uri.clone(), r.timeout_ms),
            None => return Ok(()),
        };
        let request = HttpRequest {
            method: Method::Get,
            url: uri,
            headers: vec![("Accept".into(), "application/json".into())],
            body: Vec::new(),
        };
        let parsed = match fetch::send(&request, timeout).await {
            Ok(response) => response.error_for_status().and_then(|r| JwkSet::parse(&r.body)),
            Err(e) => Err(e),
        };
        let mut st = self.state.borrow_mut();
        st.in_flight = None;
        match parsed {
            Ok(set) => {
                st.jwks = Some(Rc::new(set));
                st.fetched_at_ms = clock::now_ms();
                st.last_error = None;
                Ok(())
            }
            Err(e) => {
                st.last_error = Some(e.clone());
                Err(e)
            }
        }
    }
}

/// Parses `token` and checks its signature (RFC 7515 section 5.2) with a key of `keys`
/// under one of `allowed`, refetching a remote set once when no key matches.
pub async fn verify_token(token: &str, keys: &Rc<Inner>, allowed: &[Algorithm]) -> JsResult<VerifiedJwt> {
    let jwt = jwt::parse(token)?;
    let set = keys.keys(false).await?;
    let check = match verify::prepare(&jwt, &set, allowed) {
        Err(Error::KeyNotFound { kid }) if keys.remote.is_some() => {
            let newer = keys.keys(true).await?;
            if Rc::ptr_eq(&set, &newer) {
                return Err(Error::KeyNotFound { kid }.into());
            }
            verify::prepare(&jwt, &newer, allowed)?
        }
        other => other?,
    };
    let valid = webcrypto::verify_check(&check, &keys.crypto_keys).await?;
    Ok(check.finish(valid)?)
}
