//! Vipps environments, their endpoints, and OpenID Connect Discovery 1.0.
//!
//! [`Endpoints`] gives every URL this crate talks to for an [`Environment`] or a base URL
//! (the local emulator), from the paths Vipps documents. For the Login endpoints the
//! discovery document is the authority where it can be fetched: [`discovery_request`]
//! builds the request and [`process_discovery_response`] reads the answer into
//! [`ProviderMetadata`], checking the issuer (Discovery section 4.3) and every endpoint URL.

use alloc::{borrow::ToOwned, string::String, vec::Vec};
use core::str::FromStr;

use crate::error::{Error, ErrorKind, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::json;
use crate::text::concat;
use crate::url_check::check_endpoint_url;

/// The path Discovery section 4 appends to the issuer.
pub const WELL_KNOWN_PATH: &str = ".well-known/openid-configuration";

/// A Vipps environment (Vipps MobilePay docs, "Test and production environments").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Environment {
    /// The test environment, `https://apitest.vipps.no`.
    Test,
    /// Production, `https://api.vipps.no`.
    Production,
}

impl Environment {
    /// The name as configuration spells it: `test` or `production`.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Test => "test",
            Environment::Production => "production",
        }
    }

    /// The API base URL, without a trailing slash.
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Test => "https://apitest.vipps.no",
            Environment::Production => "https://api.vipps.no",
        }
    }
}

impl FromStr for Environment {
    type Err = Error;

    /// Reads `test` or `production` (exactly, lower case).
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "test" => Ok(Environment::Test),
            "production" => Ok(Environment::Production),
            _ => Err(ErrorKind::InvalidParams {
                param: "environment",
                reason: "must be \"test\" or \"production\"",
            }
            .into()),
        }
    }
}

/// Every Vipps URL this crate uses, derived from one base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The Login issuer, `<base>/access-management-1.0/access/` (with its trailing slash).
    pub issuer: String,
    /// `<issuer>oauth2/auth`.
    pub authorization_endpoint: String,
    /// `<issuer>oauth2/token`.
    pub token_endpoint: String,
    /// `<issuer>.well-known/jwks.json`.
    pub jwks_uri: String,
    /// `<base>/vipps-userinfo-api/userinfo`.
    pub userinfo_endpoint: String,
    /// The Access Token API, `<base>/accesstoken/get`.
    pub access_token_endpoint: String,
    /// The partner (specialized auth) token endpoint, `<base>/miami/v1/token`.
    pub miami_token_endpoint: String,
}

/// The issuer's path under the API base URL (Vipps Login).
const ISSUER_PATH: &str = "/access-management-1.0/access/";

impl Endpoints {
    /// The documented endpoints of a Vipps environment.
    pub fn for_environment(env: Environment) -> Self {
        Self::from_checked_base(env.base_url())
    }

    /// The endpoints under another base URL, such as `http://127.0.0.1:7480` for the local
    /// emulator. One trailing slash is tolerated. The base must pass
    /// [`check_endpoint_url`]: absolute, `https` (or `http` on a loopback host), no query
    /// or fragment. A path prefix is kept.
    pub fn for_base_url(base: &str) -> Result<Self> {
        check_endpoint_url(base, "baseUrl")?;
        let trimmed = base.strip_suffix('/').unwrap_or(base);
        if trimmed.ends_with('/') {
            return Err(ErrorKind::InvalidParams {
                param: "baseUrl",
                reason: "the URL ends with more than one slash",
            }
            .into());
        }
        Ok(Self::from_checked_base(trimmed))
    }

    /// The backchannel (CIBA) authentication endpoint of merchant-initiated login,
    /// `<base>/vipps-login-ciba/api/backchannel/authentication`, under the issuer's base URL.
    /// (A method, not a field: the browser package never needs it.)
    pub fn backchannel_authentication_endpoint(&self) -> String {
        let base = self
            .issuer
            .strip_suffix(ISSUER_PATH)
            .unwrap_or(&self.issuer);
        concat(&[base, crate::token::ciba::BACKCHANNEL_AUTHENTICATION_PATH])
    }

    fn from_checked_base(base: &str) -> Self {
        let issuer = concat(&[base, ISSUER_PATH]);
        Self {
            authorization_endpoint: concat(&[&issuer, "oauth2/auth"]),
            token_endpoint: concat(&[&issuer, "oauth2/token"]),
            jwks_uri: concat(&[&issuer, ".well-known/jwks.json"]),
            userinfo_endpoint: concat(&[base, "/vipps-userinfo-api/userinfo"]),
            access_token_endpoint: concat(&[base, "/accesstoken/get"]),
            miami_token_endpoint: concat(&[base, "/miami/v1/token"]),
            issuer,
        }
    }
}

/// Whether the input is already a configuration URL (ends with
/// `/.well-known/openid-configuration`).
fn is_config_url(input: &str) -> bool {
    input
        .strip_suffix(WELL_KNOWN_PATH)
        .is_some_and(|head| head.ends_with('/'))
}

/// The discovery document's URL (OpenID Connect Discovery 1.0 section 4): a configuration
/// URL is used as is; otherwise `/.well-known/openid-configuration` is appended to the
/// issuer, with no second slash when the issuer ends with one (as Vipps' does).
/// The input must pass [`check_endpoint_url`] (the issuer is `https` with no query or
/// fragment, Discovery section 2).
pub fn discovery_url(issuer_or_config_url: &str) -> Result<String> {
    check_endpoint_url(issuer_or_config_url, "issuer")?;
    if is_config_url(issuer_or_config_url) {
        return Ok(issuer_or_config_url.to_owned());
    }
    let slash = if issuer_or_config_url.ends_with('/') {
        ""
    } else {
        "/"
    };
    Ok(concat(&[issuer_or_config_url, slash, WELL_KNOWN_PATH]))
}

/// The issuer a discovery document fetched for this input must name: the input itself
/// when it is an issuer; for a configuration URL, the URL without
/// `.well-known/openid-configuration`, keeping the slash before it (Vipps' issuer ends
/// with `/`). An issuer without a trailing slash cannot be told apart from that form
/// by its configuration URL: pass such an issuer itself.
pub fn issuer_from(issuer_or_config_url: &str) -> String {
    if is_config_url(issuer_or_config_url) {
        let end = issuer_or_config_url.len() - WELL_KNOWN_PATH.len();
        issuer_or_config_url
            .get(..end)
            .unwrap_or(issuer_or_config_url)
            .to_owned()
    } else {
        issuer_or_config_url.to_owned()
    }
}

/// The discovery request (OpenID Connect Discovery 1.0 section 4.1): `GET` the
/// configuration URL with `Accept: application/json`.
pub fn discovery_request(issuer_or_config_url: &str) -> Result<HttpRequest> {
    Ok(HttpRequest {
        method: Method::Get,
        url: discovery_url(issuer_or_config_url)?,
        headers: vec![("Accept".to_owned(), "application/json".to_owned())],
        body: Vec::new(),
    })
}

/// The members of a discovery document this crate uses (OpenID Connect Discovery 1.0
/// section 3), and the whole document.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderMetadata {
    /// `issuer`, equal to the one asked for.
    pub issuer: String,
    /// `authorization_endpoint`.
    pub authorization_endpoint: String,
    /// `token_endpoint`.
    pub token_endpoint: String,
    /// `jwks_uri`.
    pub jwks_uri: String,
    /// `userinfo_endpoint`, when the document has one.
    pub userinfo_endpoint: Option<String>,
    raw: json::Object,
}

impl ProviderMetadata {
    /// The whole document as received.
    pub fn raw(&self) -> &json::Object {
        &self.raw
    }
}

/// A required URL member's name and the reasons reported when it is absent or bad.
struct UrlMember {
    name: &'static str,
    missing: &'static str,
    invalid: &'static str,
}

const ISSUER: UrlMember = UrlMember {
    name: "issuer",
    missing: "the discovery document has no issuer string",
    invalid: "the discovery document's issuer is not an https URL without query or fragment",
};
const AUTHORIZATION_ENDPOINT: UrlMember = UrlMember {
    name: "authorization_endpoint",
    missing: "the discovery document has no authorization_endpoint string",
    invalid: "the discovery document's authorization_endpoint is not an https URL",
};
const TOKEN_ENDPOINT: UrlMember = UrlMember {
    name: "token_endpoint",
    missing: "the discovery document has no token_endpoint string",
    invalid: "the discovery document's token_endpoint is not an https URL",
};
const JWKS_URI: UrlMember = UrlMember {
    name: "jwks_uri",
    missing: "the discovery document has no jwks_uri string",
    invalid: "the discovery document's jwks_uri is not an https URL",
};
const USERINFO_ENDPOINT: UrlMember = UrlMember {
    name: "userinfo_endpoint",
    missing: "the discovery document's userinfo_endpoint is not a string",
    invalid: "the discovery document's userinfo_endpoint is not an https URL",
};

/// Reads a URL member: `Ok(None)` when absent, an error when present but not a string or
/// not a URL [`check_endpoint_url`] accepts.
fn optional_url(doc: &json::Object, member: &UrlMember) -> Result<Option<String>> {
    let Some(value) = doc.get(member.name) else {
        return Ok(None);
    };
    let Some(url) = value.as_str() else {
        return Err(ErrorKind::ResponseMalformed {
            reason: member.missing,
        }
        .into());
    };
    check_endpoint_url(url, member.name).map_err(|_| ErrorKind::ResponseMalformed {
        reason: member.invalid,
    })?;
    Ok(Some(url.to_owned()))
}

fn required_url(doc: &json::Object, member: &UrlMember) -> Result<String> {
    match optional_url(doc, member)? {
        Some(url) => Ok(url),
        None => Err(ErrorKind::ResponseMalformed {
            reason: member.missing,
        }
        .into()),
    }
}

/// Reads a discovery response (OpenID Connect Discovery 1.0 sections 3, 4.2 and 4.3).
///
/// 1. A non-2xx status becomes [`ErrorKind::Http`]; a body that is not a JSON object,
///    [`ErrorKind::ResponseMalformed`] (4.2).
/// 2. `issuer` must be a string identical to `expected_issuer`, with no normalisation
///    (4.3), else [`ErrorKind::DiscoveryIssuer`].
/// 3. `authorization_endpoint`, `token_endpoint` and `jwks_uri` must be present (3), and
///    they and `userinfo_endpoint` (when present) must be absolute `https` URLs (`http` only
///    on loopback hosts) with no query or fragment, else [`ErrorKind::ResponseMalformed`].
pub fn process_discovery_response(
    res: &HttpResponse,
    expected_issuer: &str,
) -> Result<ProviderMetadata> {
    // Step 1.
    let doc = res.json_object()?;
    // Step 2.
    let Some(issuer) = doc.get_str(ISSUER.name) else {
        return Err(ErrorKind::ResponseMalformed {
            reason: ISSUER.missing,
        }
        .into());
    };
    if issuer != expected_issuer {
        return Err(ErrorKind::DiscoveryIssuer {
            expected: expected_issuer.to_owned(),
            found: issuer.to_owned(),
        }
        .into());
    }
    // Step 3.
    let issuer = required_url(&doc, &ISSUER)?;
    let authorization_endpoint = required_url(&doc, &AUTHORIZATION_ENDPOINT)?;
    let token_endpoint = required_url(&doc, &TOKEN_ENDPOINT)?;
    let jwks_uri = required_url(&doc, &JWKS_URI)?;
    let userinfo_endpoint = optional_url(&doc, &USERINFO_ENDPOINT)?;
    Ok(ProviderMetadata {
        issuer,
        authorization_endpoint,
        token_endpoint,
        jwks_uri,
        userinfo_endpoint,
        raw: doc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";

    fn document(issuer: &str) -> json::Object {
        let mut doc = json::Object::new();
        doc.insert("issuer", issuer);
        doc.insert("authorization_endpoint", format!("{issuer}oauth2/auth"));
        doc.insert("token_endpoint", format!("{issuer}oauth2/token"));
        doc.insert("jwks_uri", format!("{issuer}.well-known/jwks.json"));
        doc.insert(
            "userinfo_endpoint",
            "https://apitest.vipps.no/vipps-userinfo-api/userinfo",
        );
        doc.insert("response_types_supported", vec![json::Value::from("code")]);
        doc
    }

    fn response(doc: json::Object) -> HttpResponse {
        HttpResponse::new(200, json::Value::Object(doc).to_json().into_bytes())
    }

    fn without(doc: &json::Object, name: &str) -> json::Object {
        let mut out = json::Object::new();
        for (n, v) in doc.iter().filter(|(n, _)| *n != name) {
            out.insert(n, v.clone());
        }
        out
    }

    #[test]
    fn environment_names_round_trip_and_unknown_names_are_refused() {
        for env in [Environment::Test, Environment::Production] {
            assert_eq!(env.as_str().parse::<Environment>(), Ok(env));
        }
        for name in ["Test", "prod", "", " test"] {
            assert_eq!(
                name.parse::<Environment>().unwrap_err().code(),
                "ERR_INVALID_PARAMS",
                "{name}"
            );
        }
    }

    #[test]
    fn test_environment_endpoints_follow_the_vipps_documentation() {
        let e = Endpoints::for_environment(Environment::Test);
        assert_eq!(
            e.issuer,
            "https://apitest.vipps.no/access-management-1.0/access/"
        );
        assert_eq!(
            e.authorization_endpoint,
            "https://apitest.vipps.no/access-management-1.0/access/oauth2/auth"
        );
        assert_eq!(
            e.token_endpoint,
            "https://apitest.vipps.no/access-management-1.0/access/oauth2/token"
        );
        assert_eq!(
            e.jwks_uri,
            "https://apitest.vipps.no/access-management-1.0/access/.well-known/jwks.json"
        );
        assert_eq!(
            e.userinfo_endpoint,
            "https://apitest.vipps.no/vipps-userinfo-api/userinfo"
        );
        assert_eq!(
            e.access_token_endpoint,
            "https://apitest.vipps.no/accesstoken/get"
        );
        assert_eq!(
            e.miami_token_endpoint,
            "https://apitest.vipps.no/miami/v1/token"
        );
        assert_eq!(
            e.backchannel_authentication_endpoint(),
            "https://apitest.vipps.no/vipps-login-ciba/api/backchannel/authentication"
        );
    }

    #[test]
    fn production_endpoints_follow_the_vipps_documentation() {
        let e = Endpoints::for_environment(Environment::Production);
        assert_eq!(
            e.issuer,
            "https://api.vipps.no/access-management-1.0/access/"
        );
        assert_eq!(
            e.authorization_endpoint,
            "https://api.vipps.no/access-management-1.0/access/oauth2/auth"
        );
        assert_eq!(
            e.token_endpoint,
            "https://api.vipps.no/access-management-1.0/access/oauth2/token"
        );
        assert_eq!(
            e.jwks_uri,
            "https://api.vipps.no/access-management-1.0/access/.well-known/jwks.json"
        );
        assert_eq!(
            e.userinfo_endpoint,
            "https://api.vipps.no/vipps-userinfo-api/userinfo"
        );
        assert_eq!(
            e.access_token_endpoint,
            "https://api.vipps.no/accesstoken/get"
        );
        assert_eq!(
            e.miami_token_endpoint,
            "https://api.vipps.no/miami/v1/token"
        );
        assert_eq!(
            e.backchannel_authentication_endpoint(),
            "https://api.vipps.no/vipps-login-ciba/api/backchannel/authentication"
        );
    }

    #[test]
    fn base_url_override_tolerates_one_trailing_slash() {
        let e = Endpoints::for_base_url("http://127.0.0.1:7480").unwrap();
        assert_eq!(
            e.issuer,
            "http://127.0.0.1:7480/access-management-1.0/access/"
        );
        assert_eq!(
            e.access_token_endpoint,
            "http://127.0.0.1:7480/accesstoken/get"
        );
        assert_eq!(
            Endpoints::for_base_url("http://127.0.0.1:7480/").unwrap(),
            e
        );
        let test = Endpoints::for_environment(Environment::Test);
        assert_eq!(
            Endpoints::for_base_url("https://apitest.vipps.no").unwrap(),
            test
        );
        assert_eq!(
            Endpoints::for_base_url("http://127.0.0.1:7480//")
                .unwrap_err()
                .code(),
            "ERR_INVALID_PARAMS"
        );
    }

    #[test]
    fn base_url_override_keeps_a_path_prefix() {
        let e = Endpoints::for_base_url("https://proxy.example/vipps/").unwrap();
        assert_eq!(
            e.miami_token_endpoint,
            "https://proxy.example/vipps/miami/v1/token"
        );
        assert_eq!(
            e.backchannel_authentication_endpoint(),
            "https://proxy.example/vipps/vipps-login-ciba/api/backchannel/authentication"
        );
    }

    #[test]
    fn base_url_override_refuses_plain_http_off_loopback_and_queries() {
        for base in [
            "http://api.vipps.no",
            "https://api.vipps.no?x=1",
            "https://api.vipps.no#f",
            "api.vipps.no",
            "",
        ] {
            match Endpoints::for_base_url(base).map_err(Error::into_kind) {
                Err(ErrorKind::InvalidParams {
                    param: "baseUrl", ..
                }) => {}
                other => panic!("{base}: {other:?}"),
            }
        }
    }

    #[test]
    fn discovery_url_appends_the_well_known_path_to_an_issuer() {
        assert_eq!(
            discovery_url(TEST_ISSUER).unwrap(),
            "https://apitest.vipps.no/access-management-1.0/access/.well-known/openid-configuration"
        );
        assert_eq!(
            discovery_url("https://example.com/tenant").unwrap(),
            "https://example.com/tenant/.well-known/openid-configuration"
        );
        let bare = "https://example.com/.well-known/openid-configuration";
        assert_eq!(discovery_url("https://example.com").unwrap(), bare);
    }

    #[test]
    fn discovery_url_uses_a_configuration_url_as_is() {
        let url = "https://apitest.vipps.no/access-management-1.0/access/.well-known/openid-configuration";
        assert_eq!(discovery_url(url).unwrap(), url);
        // Not a configuration URL: the suffix is not a whole path segment.
        assert_eq!(
            discovery_url("https://x.example/a.well-known/openid-configuration").unwrap(),
            "https://x.example/a.well-known/openid-configuration/.well-known/openid-configuration"
        );
    }

    #[test]
    fn discovery_url_refuses_non_https_issuers() {
        for input in [
            "http://apitest.vipps.no/access/",
            "https://x.example/?a=1",
            "not a url",
        ] {
            assert_eq!(
                discovery_url(input).unwrap_err().code(),
                "ERR_INVALID_PARAMS",
                "{input}"
            );
        }
        assert!(discovery_url("http://localhost:7480/access-management-1.0/access/").is_ok());
    }

    #[test]
    fn issuer_from_handles_both_input_forms() {
        assert_eq!(issuer_from(TEST_ISSUER), TEST_ISSUER);
        assert_eq!(
            issuer_from(&format!("{TEST_ISSUER}.well-known/openid-configuration")),
            TEST_ISSUER
        );
        assert_eq!(
            issuer_from("https://example.com/tenant"),
            "https://example.com/tenant"
        );
    }

    #[test]
    fn discovery_request_is_a_json_get() {
        let req = discovery_request(TEST_ISSUER).unwrap();
        assert_eq!(req.method, Method::Get);
        assert_eq!(
            req.url,
            format!("{TEST_ISSUER}.well-known/openid-configuration")
        );
        assert_eq!(req.header("accept"), Some("application/json"));
        assert!(req.body.is_empty());
        assert!(discovery_request("http://api.vipps.no/").is_err());
    }

    #[test]
    fn reads_a_vipps_discovery_document() {
        let doc = document(TEST_ISSUER);
        let meta = process_discovery_response(&response(doc.clone()), TEST_ISSUER).unwrap();
        let expected = Endpoints::for_environment(Environment::Test);
        assert_eq!(meta.issuer, expected.issuer);
        assert_eq!(meta.authorization_endpoint, expected.authorization_endpoint);
        assert_eq!(meta.token_endpoint, expected.token_endpoint);
        assert_eq!(meta.jwks_uri, expected.jwks_uri);
        assert_eq!(meta.userinfo_endpoint, Some(expected.userinfo_endpoint));
        assert_eq!(meta.raw(), &doc);
    }

    #[test]
    fn userinfo_endpoint_is_optional() {
        let doc = without(&document(TEST_ISSUER), "userinfo_endpoint");
        assert_eq!(
            process_discovery_response(&response(doc), TEST_ISSUER)
                .unwrap()
                .userinfo_endpoint,
            None
        );
    }

    #[test]
    fn refuses_a_document_for_another_issuer() {
        let other = "https://api.vipps.no/access-management-1.0/access/";
        assert_eq!(
            process_discovery_response(&response(document(other)), TEST_ISSUER).unwrap_err(),
            ErrorKind::DiscoveryIssuer {
                expected: TEST_ISSUER.into(),
                found: other.into()
            }
            .into()
        );
        // No normalisation: the same issuer without its trailing slash is another issuer.
        let no_slash = TEST_ISSUER.trim_end_matches('/');
        let err =
            process_discovery_response(&response(document(TEST_ISSUER)), no_slash).unwrap_err();
        assert_eq!(err.code(), "ERR_DISCOVERY_ISSUER");
    }

    #[test]
    fn refuses_documents_missing_a_required_member() {
        for name in [
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
        ] {
            let doc = without(&document(TEST_ISSUER), name);
            match process_discovery_response(&response(doc), TEST_ISSUER).map_err(Error::into_kind)
            {
                Err(ErrorKind::ResponseMalformed { reason }) => {
                    assert!(reason.contains(name), "{name}: {reason}")
                }
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    #[test]
    fn refuses_members_that_are_not_strings() {
        for name in ["issuer", "token_endpoint", "userinfo_endpoint"] {
            let mut doc = document(TEST_ISSUER);
            doc.insert(name, 42_i64);
            let err = process_discovery_response(&response(doc), TEST_ISSUER).unwrap_err();
            assert_eq!(err.code(), "ERR_RESPONSE_MALFORMED", "{name}");
        }
    }

    #[test]
    fn refuses_plain_http_endpoints_on_non_loopback_hosts() {
        for name in [
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "userinfo_endpoint",
        ] {
            let mut doc = document(TEST_ISSUER);
            doc.insert(name, "http://apitest.vipps.no/x");
            match process_discovery_response(&response(doc), TEST_ISSUER).map_err(Error::into_kind)
            {
                Err(ErrorKind::ResponseMalformed { reason }) => {
                    assert!(reason.contains(name), "{name}: {reason}")
                }
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    #[test]
    fn refuses_an_http_issuer_on_a_non_loopback_host_even_when_expected() {
        let issuer = "http://apitest.vipps.no/access-management-1.0/access/";
        let err = process_discovery_response(&response(document(issuer)), issuer).unwrap_err();
        assert_eq!(err.code(), "ERR_RESPONSE_MALFORMED");
    }

    #[test]
    fn accepts_http_endpoints_on_the_loopback_emulator() {
        let issuer = Endpoints::for_base_url("http://127.0.0.1:7480")
            .unwrap()
            .issuer;
        let meta = process_discovery_response(&response(document(&issuer)), &issuer).unwrap();
        assert_eq!(
            meta.token_endpoint,
            "http://127.0.0.1:7480/access-management-1.0/access/oauth2/token"
        );
    }

    #[test]
    fn refuses_a_body_that_is_not_a_json_object() {
        for body in [&b"<html>hello</html>"[..], b"[]", b"", b"{\"issuer\":"] {
            let err =
                process_discovery_response(&HttpResponse::new(200, body), TEST_ISSUER).unwrap_err();
            assert_eq!(err.code(), "ERR_RESPONSE_MALFORMED");
        }
    }

    #[test]
    fn turns_server_errors_into_http_errors() {
        let res = HttpResponse::new(503, &br#"{"error":"temporarily_unavailable"}"#[..]);
        assert_eq!(
            process_discovery_response(&res, TEST_ISSUER).unwrap_err(),
            ErrorKind::Http {
                status: 503,
                error: Some("temporarily_unavailable".into()),
                description: None
            }
            .into()
        );
        let err = process_discovery_response(&HttpResponse::new(404, Vec::new()), TEST_ISSUER)
            .unwrap_err();
        assert_eq!(err.http_status(), Some(404));
    }
}
