//! PKCE (RFC 7636) and the random `state` / `nonce` values (RFC 6749 section 10.12,
//! OpenID Connect Core 1.0 section 3.1.2.1), from the platform CSPRNG
//! (`crypto.getRandomValues`).

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::string_arg;
use super::errors::JsResult;
use crate::{authorize, pkce};

/// A fresh PKCE `code_verifier` (RFC 7636 section 4.1): 43..128 characters of
/// `[A-Za-z0-9-._~]`.
#[wasm_bindgen(js_name = generateCodeVerifier)]
pub fn generate_code_verifier() -> JsResult<String> {
    Ok(pkce::generate_code_verifier()?.into_secret())
}

/// `BASE64URL(SHA256(ASCII(verifier)))` without padding (RFC 7636 section 4.2, S256).
#[wasm_bindgen(js_name = codeChallengeS256)]
pub fn code_challenge_s256(#[wasm_bindgen(unchecked_param_type = "string")] verifier: JsValue) -> JsResult<String> {
    let verifier = string_arg(&verifier, "verifier")?;
    Ok(pkce::code_challenge_s256(&verifier)?)
}

/// A fresh, URL-safe `state` of at least 8 characters.
#[wasm_bindgen(js_name = randomState)]
pub fn random_state() -> JsResult<String> {
    Ok(authorize::random_state()?.into_secret())
}

/// A fresh, URL-safe `nonce`.
#[wasm_bindgen(js_name = randomNonce)]
pub fn random_nonce() -> JsResult<String> {
    Ok(authorize::random_nonce()?.into_secret())
}
