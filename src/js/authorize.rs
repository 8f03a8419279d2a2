//! The Vipps Login authorize request (OpenID Connect Core 1.0 section 3.1.2.1 with PKCE,
//! RFC 7636): `buildAuthorizeUrl` and `startLogin`, reading `AuthorizeParams` field by field
//! in the order the API always has, so the first error reported stays the same.


use alloc::{borrow::ToOwned, string::String, vec::Vec};
use super::args::{field, invalid, opt_bool, opt_string, req_options, req_string, string_record, Args};
use super::reply::{quoted, reply, Members};
use crate::authorize::{self, AuthorizeRequest, ClientIdentity};
use crate::error::Result;
use crate::json::{Object, Value};

/// `clientId` or, for partners, `msn`: exactly one of them.
fn identity(o: &Object) -> Result<ClientIdentity> {
    match (opt_string(o, "clientId")?, opt_string(o, "msn")?) {
        (Some(id), None) => Ok(ClientIdentity::ClientId(id)),
        (None, Some(msn)) => Ok(ClientIdentity::Msn(msn)),
        (Some(_), Some(_)) => Err(invalid("clientId", "give either clientId or msn, not both")),
        (None, None) => Err(invalid("clientId", "clientId (or msn for partners) is required")),
    }
}

/// `scope` as a space-separated string or an array of strings.
fn scope(o: &Object) -> Result<Vec<String>> {
    let bad = || invalid("scope", "must be a string or an array of strings");
    match field(o, "scope")?.ok_or_else(|| invalid("scope", "is required"))? {
        Value::String(s) => {
            let mut scope = Vec::new();
            for token in s.split_whitespace() {
                scope.push(token.to_owned());
            }
            Ok(scope)
        }
        Value::Array(items) => {
            let mut scope = Vec::with_capacity(items.len());
            for item in items {
                scope.push(item.as_str().ok_or_else(bad)?.to_owned());
            }
            Ok(scope)
        }
        _ => Err(bad()),
    }
}

/// Reads everything but `state`, `nonce` and `codeChallenge`. Each field is read straight
/// into `req`, so every early return drops one value (less cleanup code than locals).
fn request(o: &Object) -> Result<AuthorizeRequest> {
    let mut req = AuthorizeRequest::new(String::new(), ClientIdentity::ClientId(String::new()), String::new(), Vec::new());
    req.authorization_endpoint = req_string(o, "authorizationEndpoint")?;
    req.identity = identity(o)?;
    req.redirect_uri = req_string(o, "redirectUri")?;
    req.scope = scope(o)?;
    req.requested_flow = opt_string(o, "requestedFlow")?.map(|s| s.parse()).transpose()?;
    req.app_callback_uri = opt_string(o, "appCallbackUri")?;
    req.final_redirect_is_app = opt_bool(o, "finalRedirectIsApp")?;
    req.acr_values = opt_string(o, "acrValues")?;
    if let Some(extra) = field(o, "extraParams")? {
        req.extra_params = string_record(extra, "extraParams")?;
    }
    Ok(req)
}

/// `buildAuthorizeUrl([params])`: the authorization URL. Refuses a scope without `openid`,
/// a missing S256 `codeChallenge`, and `extraParams` that override a standard one.
pub fn build_authorize_url(args: &str) -> String {
    reply((|| {
        let args = Args::parse(args)?;
        let o = req_options(args.get(0), "params")?;
        let mut req = request(o)?;
        req.state = req_string(o, "state")?;
        req.nonce = opt_string(o, "nonce")?;
        req.code_challenge = Some(req_string(o, "codeChallenge")?);
        Ok(quoted(&authorize::build_authorize_url(&req)?))
    })())
}

/// `startLogin([params])`: fresh `state`, `nonce` and PKCE verifier, and the URL carrying them.
pub fn start_login(args: &str) -> String {
    reply((|| {
        let args = Args::parse(args)?;
        let o = req_options(args.get(0), "params")?;
        let req = request(o)?;
        for name in ["state", "nonce", "codeChallenge"] {
            if field(o, name)?.is_some() {
                return Err(invalid(name, "must not be set: startLogin generates it"));
            }
        }
        let start = authorize::start_login(req)?;
        Ok(Members::new()
            .string("url", &start.url)
            .string("state", start.state.secret())
            .string("nonce", start.nonce.secret())
            .string("codeVerifier", start.code_verifier.secret())
            .finish())
    })())
}
