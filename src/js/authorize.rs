//! The Vipps Login authorize request (OpenID Connect Core 1.0 section 3.1.2.1 with PKCE,
//! RFC 7636): `buildAuthorizeUrl` and `startLogin`, reading `AuthorizeParams` field by field.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::{field, options, opt_bool, opt_string, plain_object, req_string, string_record};
use super::errors::{invalid, JsResult};
use crate::authorize::{self, AuthorizeRequest, ClientIdentity};
use crate::error::Result;

/// `clientId` or, for partners, `msn`: exactly one of them.
pub(crate) fn identity(o: &Object) -> Result<ClientIdentity> {
    match (opt_string(o, "clientId")?, opt_string(o, "msn")?) {
        (Some(id), None) => Ok(ClientIdentity::ClientId(id)),
        (None, Some(msn)) => Ok(ClientIdentity::Msn(msn)),
        (Some(_), Some(_)) => Err(invalid("clientId", "give either clientId or msn, not both")),
        (None, None) => Err(invalid("clientId", "clientId (or msn for partners) is required")),
    }
}

/// `scope` as a space-separated string or an array of strings.
fn scope(o: &Object) -> Result<Vec<String>> {
    let value = field(o, "scope")?.ok_or(invalid("scope", "is required"))?;
    if let Some(s) = value.as_string() {
        return Ok(s.split_whitespace().map(str::to_owned).collect());
    }
    if Array::is_array(&value) {
        return Array::from(&value)
            .iter()
            .map(|v| v.as_string().ok_or(invalid("scope", "must be a string or an array of strings")))
            .collect();
    }
    Err(invalid("scope", "must be a string or an array of strings"))
}

/// Reads everything but `state`, `nonce` and `codeChallenge`.
fn request(params: &JsValue) -> Result<(Object, AuthorizeRequest)> {
    let o = options(params, "params")?.ok_or(invalid("params", "must be an object"))?;
    let mut req = AuthorizeRequest::new(
        req_string(&o, "authorizationEndpoint")?,
        identity(&o)?,
        req_string(&o, "redirectUri")?,
        scope(&o)?,
    );
    req.requested_flow = opt_string(&o, "requestedFlow")?.map(|s| s.parse()).transpose()?;
    req.app_callback_uri = opt_string(&o, "appCallbackUri")?;
    req.final_redirect_is_app = opt_bool(&o, "finalRedirectIsApp")?;
    req.acr_values = opt_string(&o, "acrValues")?;
    if let Some(extra) = field(&o, "extraParams")? {
        req.extra_params = string_record(&extra, "extraParams")?;
    }
    Ok((o, req))
}

/// The authorization URL for `params` (`AuthorizeParams`). Refuses a scope without
/// `openid`, a missing S256 `codeChallenge`, and `extraParams` that override a standard one.
#[wasm_bindgen(js_name = buildAuthorizeUrl)]
pub fn build_authorize_url(#[wasm_bindgen(unchecked_param_type = "AuthorizeParams")] params: JsValue) -> JsResult<String> {
    let (o, mut req) = request(&params)?;
    req.state = req_string(&o, "state")?;
    req.nonce = opt_string(&o, "nonce")?;
    req.code_challenge = Some(req_string(&o, "codeChallenge")?);
    Ok(authorize::build_authorize_url(&req)?)
}

/// Starts a login: fresh `state`, `nonce` and PKCE verifier, and the URL carrying them.
/// Keep `state`, `nonce` and `codeVerifier` until the callback.
#[wasm_bindgen(js_name = startLogin, unchecked_return_type = "LoginStart")]
pub fn start_login(#[wasm_bindgen(unchecked_param_type = "StartLoginParams")] params: JsValue) -> JsResult {
    let (o, req) = request(&params)?;
    for name in ["state", "nonce", "codeChallenge"] {
        if field(&o, name)?.is_some() {
            return Err(invalid(name, "must not be set: startLogin generates it").into());
        }
    }
    let start = authorize::start_login(req)?;
    Ok(plain_object(&[
        ("url", JsValue::from_str(&start.url)),
        ("state", JsValue::from_str(start.state.secret())),
        ("nonce", JsValue::from_str(start.nonce.secret())),
        ("codeVerifier", JsValue::from_str(start.code_verifier.secret())),
    ]))
}

