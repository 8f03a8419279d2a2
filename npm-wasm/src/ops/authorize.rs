//! The Vipps Login authorize request (OpenID Connect Core 1.0 section 3.1.2.1 with PKCE,
//! RFC 7636): `buildAuthorizeUrl(params)` and `startLogin(params)`, reading `AuthorizeParams`
//! field by field in the order the API always has, so the first error reported stays the same.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use vipps_auth::authorize::{self, AuthorizeRequest, ClientIdentity};
use vipps_auth::Result;

use crate::input::{invalid, Fields, Input};
use crate::operations::AUTHORIZE_PARAMS;
use crate::random::Platform;
use crate::reply::{Members, Reply};

/// `clientId` or, for partners, `msn`: exactly one of them.
fn identity(o: &Fields<'_>) -> Result<ClientIdentity> {
    match (o.string("clientId")?, o.string("msn")?) {
        (Some(id), None) => Ok(ClientIdentity::ClientId(id.to_owned())),
        (None, Some(msn)) => Ok(ClientIdentity::Msn(msn.to_owned())),
        (Some(_), Some(_)) => Err(invalid("clientId", "give either clientId or msn, not both")),
        (None, None) => Err(invalid(
            "clientId",
            "clientId (or msn for partners) is required",
        )),
    }
}

/// Reads everything but `state`, `nonce` and `codeChallenge`. Each field is read straight
/// into `req`, so every early return drops one value (less cleanup code than locals).
fn request(o: &Fields<'_>) -> Result<AuthorizeRequest> {
    let mut req = AuthorizeRequest::new(
        String::new(),
        ClientIdentity::ClientId(String::new()),
        String::new(),
        Vec::new(),
    );
    req.authorization_endpoint = o.required_string("authorizationEndpoint")?.to_owned();
    req.identity = identity(o)?;
    req.redirect_uri = o.required_string("redirectUri")?.to_owned();
    req.scope = o.scope("scope")?;
    req.requested_flow = o.string("requestedFlow")?.map(str::parse).transpose()?;
    req.app_callback_uri = o.string("appCallbackUri")?.map(str::to_owned);
    req.final_redirect_is_app = o.boolean("finalRedirectIsApp")?;
    req.acr_values = o.string("acrValues")?.map(str::to_owned);
    if let Some(extra) = o.record("extraParams")? {
        req.extra_params = extra;
    }
    Ok(req)
}

/// `buildAuthorizeUrl(params)`: the authorization URL. Refuses a scope without `openid`, a
/// missing S256 `codeChallenge`, and `extraParams` that override a standard one.
pub fn build_authorize_url(input: &Input) -> Result<Reply> {
    let o = input.required_options("params", &AUTHORIZE_PARAMS)?;
    let mut req = request(&o)?;
    req.state = o.required_string("state")?.to_owned();
    req.nonce = o.string("nonce")?.map(str::to_owned);
    req.code_challenge = Some(o.required_string("codeChallenge")?.to_owned());
    Ok(Reply::string(&authorize::build_authorize_url(&req)?))
}

/// `startLogin(params)`: fresh `state`, `nonce` and PKCE verifier, and the URL carrying them.
pub fn start_login(input: &Input) -> Result<Reply> {
    let o = input.required_options("params", &AUTHORIZE_PARAMS)?;
    let req = request(&o)?;
    for name in ["state", "nonce", "codeChallenge"] {
        if o.has(name) {
            return Err(invalid(name, "must not be set: startLogin generates it"));
        }
    }
    let start = authorize::start_login(req, &mut Platform)?;
    Ok(Reply::Value(
        Members::new()
            .string("url", &start.url)
            .string("state", start.state.secret())
            .string("nonce", start.nonce.secret())
            .string("codeVerifier", start.code_verifier.secret())
            .finish(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::ops::testing::{code, message, object, run, string};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";

    /// A request whose `params` are complete and valid, with `changes` (name and JSON text)
    /// replacing or adding fields.
    fn params(changes: &[(&str, &str)]) -> String {
        let endpoint = format!(r#""{ISSUER}oauth2/auth""#);
        let mut fields = vec![
            ("authorizationEndpoint", endpoint.as_str()),
            ("clientId", r#""client-1""#),
            ("redirectUri", r#""https://app.example/cb""#),
            ("scope", r#"["openid","name"]"#),
            ("state", r#""state-12345""#),
            ("nonce", r#""nonce-123""#),
            (
                "codeChallenge",
                r#""E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM""#,
            ),
        ];
        for (name, value) in changes {
            fields.retain(|(n, _)| n != name);
            fields.push((name, value));
        }
        let members: Vec<String> = fields
            .iter()
            .map(|(n, v)| format!(r#""{n}":{v}"#))
            .collect();
        format!(r#"{{"params":{{{}}}}}"#, members.join(","))
    }

    #[test]
    fn build_authorize_url_carries_every_parameter_with_s256() {
        let extra = [
            ("requestedFlow", r#""automatic_return_from_vipps_app""#),
            ("extraParams", r#"{"ui_locales":"nb"}"#),
        ];
        let url = string(run("buildAuthorizeUrl", &params(&extra)));
        assert!(url.starts_with(&format!("{ISSUER}oauth2/auth?")), "{url}");
        for part in [
            "response_type=code",
            "client_id=client-1",
            "redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
            "state=state-12345",
            "nonce=nonce-123",
            "code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method=S256",
            "requested_flow=automatic_return_from_vipps_app",
            "ui_locales=nb",
            "scope=openid",
        ] {
            assert!(url.contains(part), "{part} missing in {url}");
        }
    }

    #[test]
    fn build_authorize_url_refuses_wrong_types_and_missing_fields() {
        for (name, bad, why) in [
            ("scope", "5", "invalid parameter `scope`: must be a string or an array of strings"),
            ("scope", r#"["openid",5]"#, "invalid parameter `scope`: must be a string or an array of strings"),
            ("clientId", "7", "invalid parameter `clientId`: must be a string"),
            ("finalRedirectIsApp", r#""yes""#, "invalid parameter `finalRedirectIsApp`: must be a boolean"),
            ("extraParams", r#"{"a":1}"#, "invalid parameter `extraParams`: every value must be a string"),
            ("extraParams", "[]", "invalid parameter `extraParams`: must be an object"),
            ("requestedFlow", r#""teleport""#, "invalid parameter `requestedFlow`: must be automatic_return_from_vipps_app, app_to_app or app_to_app_v2"),
            ("msn", r#""123456""#, "invalid parameter `clientId`: give either clientId or msn, not both"),
            ("scope", r#""name email""#, "invalid parameter `scope`: must contain openid"),
            ("extraParams", r#"{"state":"other-state"}"#, "invalid parameter `extraParams`"),
            ("nonce", "true", "invalid parameter `nonce`: must be a string"),
        ] {
            let m = message(run("buildAuthorizeUrl", &params(&[(name, bad)])));
            assert!(m.starts_with(why), "{name} {bad}: {m}");
        }
        assert_eq!(
            message(run("buildAuthorizeUrl", r#"{"params":"not an object"}"#)),
            "invalid parameter `params`: must be an object"
        );
        assert_eq!(
            message(run("buildAuthorizeUrl", r#"{}"#)),
            "invalid parameter `params`: must be an object"
        );
        assert_eq!(
            message(run("buildAuthorizeUrl", r#"{"params":{}}"#)),
            "invalid parameter `authorizationEndpoint`: is required"
        );
    }

    #[test]
    fn start_login_returns_the_values_the_url_carries() {
        let p = format!(
            r#"{{"params":{{"authorizationEndpoint":"{ISSUER}oauth2/auth","clientId":"c","redirectUri":"https://app.example/cb","scope":"openid"}}}}"#
        );
        let start = object(run("startLogin", &p));
        let url = start.get_str("url").unwrap();
        let verifier = start.get_str("codeVerifier").unwrap();
        let challenge = string(run(
            "codeChallengeS256",
            &format!(r#"{{"verifier":"{verifier}"}}"#),
        ));
        assert!(url.contains(&format!("state={}", start.get_str("state").unwrap())));
        assert!(url.contains(&format!("nonce={}", start.get_str("nonce").unwrap())));
        assert!(url.contains(&format!("code_challenge={challenge}")));
        assert!(
            !url.contains(verifier),
            "the verifier must never be in the URL"
        );
        assert_eq!(
            message(run("startLogin", &params(&[]))),
            "invalid parameter `state`: must not be set: startLogin generates it"
        );
        assert_eq!(
            code(run("startLogin", r#"{"params":null}"#)),
            "ERR_INVALID_PARAMS"
        );
    }
}
