//! Carries a core [`HttpRequest`] over the host's `fetch` (WHATWG Fetch Standard) and
//! returns an [`HttpResponse`], with a deadline enforced by an `AbortController`
//! (DOM Standard section 3.1) that covers the body as well as the headers.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

use super::describe;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};

/// Largest response body accepted (discovery documents and JWK sets are a few KB).
pub const MAX_BODY_BYTES: usize = 1 << 20;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, whichever the host is.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &RequestInit) -> core::result::Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Closure<dyn FnMut()>, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Aborts the request when it fires; cleared when dropped, so it never outlives the call.
struct Deadline {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Deadline {
    fn new(controller: &AbortController, timeout_ms: u32) -> Self {
        let controller = controller.clone();
        let callback = Closure::<dyn FnMut()>::new(move || controller.abort());
        let id = set_timeout(&callback, f64::from(timeout_ms));
        Deadline { id, _callback: callback }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

fn network(err: &JsValue) -> Error {
    Error::Network { reason: describe(err) }
}

/// Sends `req` and reads the whole response, failing with `ERR_TIMEOUT` after `timeout_ms`
/// and `ERR_NETWORK` when the host cannot carry it out (including a CORS refusal, which a
/// browser reports as a plain network error). Any status is returned as is.
pub async fn send(req: &HttpRequest, timeout_ms: u32) -> Result<HttpResponse> {
    let controller = AbortController::new().map_err(|e| network(&e))?;
    let init = RequestInit::new();
    init.set_method(req.method.as_str());
    let headers = Headers::new().map_err(|e| network(&e))?;
    for (name, value) in &req.headers {
        headers.append(name, value).map_err(|_| Error::InvalidParams { param: "headers", reason: "a header is not valid for fetch" })?;
    }
    init.set_headers(&headers);
    if !req.body.is_empty() {
        init.set_body(&Uint8Array::from(req.body.as_slice()));
    }
    init.set_signal(Some(&controller.signal()));
    let deadline = Deadline::new(&controller, timeout_ms);
    let timed_out = |err: &JsValue| if controller.signal().aborted() { Error::Timeout } else { network(err) };

    let promise = global_fetch(&req.url, &init).map_err(|e| timed_out(&e))?;
    let response: Response = JsFuture::from(promise).await.map_err(|e| timed_out(&e))?.unchecked_into();
    let status = response.status();
    let mut out_headers = Vec::new();
    for name in ["content-type", "cache-control", "age"] {
        if let Ok(Some(value)) = response.headers().get(name) {
            out_headers.push((name.to_owned(), value));
        }
    }
    let buffer = response.array_buffer().map_err(|e| timed_out(&e))?;
    let buffer = JsFuture::from(buffer).await.map_err(|e| timed_out(&e))?;
    drop(deadline);
    let bytes = Uint8Array::new(&buffer);
    if bytes.length() as usize > MAX_BODY_BYTES {
        return Err(Error::ResponseMalformed { reason: "the response body is too large" });
    }
    Ok(HttpResponse { status, headers: out_headers, body: bytes.to_vec() })
}
