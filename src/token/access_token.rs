//! The Access Token API: `POST <base>/accesstoken/get` with the credentials in headers and
//! no body (Vipps, "Access token API", <https://developer.vippsmobilepay.com/api/access-token>).
//!
//! The token is valid 1 hour in the test environment and 24 hours in production, may be
//! reused for its whole validity, and several may be valid at once (see [`super::expiry`]).

use crate::error::{ErrorKind, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::secret::{AccessToken, ClientSecret, SubscriptionKey};
use alloc::{borrow::ToOwned, string::String, vec::Vec};

use super::check_token_chars;
use super::fields::{self, field, MAX_EXPIRES_IN_SEC, MAX_TIMESTAMP};
use crate::url_check::check_endpoint_url;

/// Longest value of a `Vipps-System-*` header (Vipps, "HTTP headers": "<= 30 characters").
pub const MAX_SYSTEM_HEADER_LEN: usize = 30;

/// The optional `Vipps-System-*` headers that tell Vipps which solution calls it
/// (Vipps, "HTTP headers", <https://developer.vippsmobilepay.com/docs/knowledge-base/http-headers/>).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemHeaders {
    /// `Vipps-System-Name`, e.g. `acme`.
    pub name: Option<String>,
    /// `Vipps-System-Version`, e.g. `3.1.2`.
    pub version: Option<String>,
    /// `Vipps-System-Plugin-Name`, e.g. `acme-webshop`.
    pub plugin_name: Option<String>,
    /// `Vipps-System-Plugin-Version`, e.g. `4.5.6`.
    pub plugin_version: Option<String>,
}

impl SystemHeaders {
    /// The headers to send, in Vipps' documented order, each checked by [`check_system_header`].
    pub fn to_headers(&self) -> Result<Vec<(String, String)>> {
        let all = [
            ("Vipps-System-Name", "systemName", &self.name),
            ("Vipps-System-Version", "systemVersion", &self.version),
            (
                "Vipps-System-Plugin-Name",
                "systemPluginName",
                &self.plugin_name,
            ),
            (
                "Vipps-System-Plugin-Version",
                "systemPluginVersion",
                &self.plugin_version,
            ),
        ];
        let mut out = Vec::new();
        for (header, param, value) in all {
            if let Some(v) = value {
                check_system_header(v, param)?;
                out.push((header.to_owned(), v.clone()));
            }
        }
        Ok(out)
    }
}

/// The credentials of one sales unit for the Access Token API (Vipps, "API keys").
/// `Debug` never shows the secret or the subscription key.
#[derive(Debug, Clone)]
pub struct AccessTokenCredentials {
    /// `client_id` (a GUID in practice).
    pub client_id: String,
    /// `client_secret`.
    pub client_secret: ClientSecret,
    /// `Ocp-Apim-Subscription-Key`.
    pub subscription_key: SubscriptionKey,
    /// `Merchant-Serial-Number`: 4-6 digits, for partners and multi-unit keys.
    pub merchant_serial_number: Option<String>,
    /// The `Vipps-System-*` headers.
    pub system: SystemHeaders,
}

/// A successful Access Token API response. `Debug` never shows the token.
#[derive(Debug, Clone)]
pub struct AccessTokenResponse {
    /// The bearer token.
    pub access_token: AccessToken,
    /// `Bearer` (checked ASCII case-insensitively).
    pub token_type: String,
    /// Lifetime in seconds (Vipps: 3600 in test, 86400 in production, less a little).
    pub expires_in: i64,
    /// `ext_expires_in` in seconds (Vipps sends `"0"`).
    pub ext_expires_in: Option<i64>,
    /// `expires_on`: when the token expires, in seconds since the epoch.
    pub expires_on: Option<i64>,
    /// `not_before`: when the token becomes valid, in seconds since the epoch.
    pub not_before: Option<i64>,
    /// `resource`: the audience the token was issued for.
    pub resource: Option<String>,
}

/// Checks a `Vipps-System-*` header value: at most [`MAX_SYSTEM_HEADER_LEN`] characters of
/// printable ASCII (space to `~`), not empty and without leading or trailing space
/// (which HTTP would strip, RFC 9110 section 5.5). No CR or LF can pass, so no header
/// injection.
pub fn check_system_header(value: &str, param: &'static str) -> Result<()> {
    let reason = if value.is_empty() {
        "is empty"
    } else if value.len() > MAX_SYSTEM_HEADER_LEN {
        "is longer than 30 characters"
    } else if !value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        "contains a character outside printable ASCII"
    } else if value.starts_with(' ') || value.ends_with(' ') {
        "has leading or trailing spaces"
    } else {
        return Ok(());
    };
    Err(ErrorKind::InvalidParams { param, reason }.into())
}

/// Checks a Merchant Serial Number: exactly 4 to 6 ASCII digits (Vipps, "HTTP headers":
/// `Merchant-Serial-Number`).
pub fn check_merchant_serial_number(msn: &str) -> Result<()> {
    if (4..=6).contains(&msn.len()) && msn.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ErrorKind::InvalidParams {
            param: "merchantSerialNumber",
            reason: "must be 4 to 6 digits",
        }
        .into())
    }
}

/// Builds `POST <endpoint>` (`<base>/accesstoken/get`) with no body and the headers
/// `client_id`, `client_secret`, `Ocp-Apim-Subscription-Key`, the optional
/// `Merchant-Serial-Number` and the `Vipps-System-*` headers
/// (Vipps, "Access token API: Get an access token").
pub fn access_token_request(endpoint: &str, creds: &AccessTokenCredentials) -> Result<HttpRequest> {
    check_endpoint_url(endpoint, "accessTokenEndpoint")?;
    check_token_chars(&creds.client_id, "clientId")?;
    check_token_chars(creds.client_secret.secret(), "clientSecret")?;
    check_token_chars(creds.subscription_key.secret(), "subscriptionKey")?;
    let mut headers = vec![
        ("client_id".to_owned(), creds.client_id.clone()),
        (
            "client_secret".to_owned(),
            creds.client_secret.secret().to_owned(),
        ),
        (
            "Ocp-Apim-Subscription-Key".to_owned(),
            creds.subscription_key.secret().to_owned(),
        ),
    ];
    if let Some(msn) = &creds.merchant_serial_number {
        check_merchant_serial_number(msn)?;
        headers.push(("Merchant-Serial-Number".to_owned(), msn.clone()));
    }
    headers.extend(creds.system.to_headers()?);
    Ok(HttpRequest {
        method: Method::Post,
        url: endpoint.to_owned(),
        headers,
        body: Vec::new(),
    })
}

/// Reads an Access Token API response. A non-2xx status (401 for wrong keys, Vipps' error
/// bodies) is [`ErrorKind::Http`]; a 2xx body must carry `access_token`, a Bearer `token_type`
/// and `expires_in`. The numbers are JSON strings in real responses (`"86398"`) and
/// integers in Vipps' OpenAPI document: both are accepted, nothing negative, fractional
/// or absurd (over seven days, or timestamps past the year 9999).
pub fn process_access_token_response(res: &HttpResponse) -> Result<AccessTokenResponse> {
    let obj = res.json_object()?;
    Ok(AccessTokenResponse {
        access_token: fields::access_token(&obj)?,
        token_type: fields::bearer_token_type(&obj)?,
        expires_in: fields::required_integer(&obj, field!("expires_in"), MAX_EXPIRES_IN_SEC)?,
        ext_expires_in: fields::integer(&obj, field!("ext_expires_in"), MAX_EXPIRES_IN_SEC)?,
        expires_on: fields::integer(&obj, field!("expires_on"), MAX_TIMESTAMP)?,
        not_before: fields::integer(&obj, field!("not_before"), MAX_TIMESTAMP)?,
        resource: fields::string(&obj, field!("resource"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    const ENDPOINT: &str = "https://apitest.vipps.no/accesstoken/get";

    fn creds() -> AccessTokenCredentials {
        AccessTokenCredentials {
            client_id: "fb492b5e-7907-4d83-ba20-c7fb60ca35de".into(),
            client_secret: ClientSecret::new("SECRET-Y8Kteew6GE2ZmeycEt6egg=="),
            subscription_key: SubscriptionKey::new("SUBKEY-0f14ebcab0ec4b29ae0cb90d91b4a84a"),
            merchant_serial_number: Some("123456".into()),
            system: SystemHeaders {
                name: Some("acme".into()),
                version: Some("3.1.2".into()),
                plugin_name: Some("acme-webshop".into()),
                plugin_version: Some("4.5.6".into()),
            },
        }
    }

    fn param_of(err: Error) -> &'static str {
        match err.kind() {
            ErrorKind::InvalidParams { param, .. } => param,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn request_is_a_bodyless_post_with_every_documented_header() {
        let req = access_token_request(ENDPOINT, &creds()).unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, ENDPOINT);
        assert!(req.body.is_empty());
        let expected: Vec<(String, String)> = [
            ("client_id", "fb492b5e-7907-4d83-ba20-c7fb60ca35de"),
            ("client_secret", "SECRET-Y8Kteew6GE2ZmeycEt6egg=="),
            (
                "Ocp-Apim-Subscription-Key",
                "SUBKEY-0f14ebcab0ec4b29ae0cb90d91b4a84a",
            ),
            ("Merchant-Serial-Number", "123456"),
            ("Vipps-System-Name", "acme"),
            ("Vipps-System-Version", "3.1.2"),
            ("Vipps-System-Plugin-Name", "acme-webshop"),
            ("Vipps-System-Plugin-Version", "4.5.6"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        assert_eq!(req.headers, expected);
    }

    #[test]
    fn optional_headers_are_left_out_when_not_given() {
        let mut c = creds();
        c.merchant_serial_number = None;
        c.system = SystemHeaders::default();
        let req = access_token_request(ENDPOINT, &c).unwrap();
        let names: Vec<&str> = req.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["client_id", "client_secret", "Ocp-Apim-Subscription-Key"]
        );
        assert_eq!(req.header("Authorization"), None);
    }

    #[test]
    fn accepts_merchant_serial_numbers_of_four_to_six_digits() {
        for msn in ["1234", "12345", "123456"] {
            let mut c = creds();
            c.merchant_serial_number = Some(msn.into());
            assert_eq!(
                access_token_request(ENDPOINT, &c)
                    .unwrap()
                    .header("Merchant-Serial-Number"),
                Some(msn)
            );
        }
    }

    #[test]
    fn rejects_merchant_serial_numbers_of_three_or_seven_digits_or_with_letters() {
        for msn in ["123", "1234567", "12a456", "", " 1234", "１２３４", "-1234"] {
            let mut c = creds();
            c.merchant_serial_number = Some(msn.into());
            assert_eq!(
                access_token_request(ENDPOINT, &c).unwrap_err(),
                ErrorKind::InvalidParams {
                    param: "merchantSerialNumber",
                    reason: "must be 4 to 6 digits"
                }
                .into(),
                "{msn:?}"
            );
        }
    }

    #[test]
    fn accepts_a_system_header_of_exactly_30_printable_characters() {
        let mut c = creds();
        c.system.name = Some("a".repeat(30));
        c.system.plugin_version = Some("1.0 (build 7) ~!@#$%^&*()".into());
        let req = access_token_request(ENDPOINT, &c).unwrap();
        assert_eq!(
            req.header("Vipps-System-Name"),
            Some("a".repeat(30).as_str())
        );
    }

    #[test]
    fn rejects_a_31_character_system_header() {
        type Slot = fn(&mut SystemHeaders) -> &mut Option<String>;
        let cases: [(Slot, &str); 4] = [
            (|s| &mut s.name, "systemName"),
            (|s| &mut s.version, "systemVersion"),
            (|s| &mut s.plugin_name, "systemPluginName"),
            (|s| &mut s.plugin_version, "systemPluginVersion"),
        ];
        for (slot, param) in cases {
            let mut c = creds();
            *slot(&mut c.system) = Some("a".repeat(31));
            let err = access_token_request(ENDPOINT, &c).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::InvalidParams { param: p, reason: "is longer than 30 characters" } if *p == param)
            );
        }
    }

    #[test]
    fn rejects_cr_lf_and_non_ascii_in_system_headers() {
        for bad in [
            "acme\r\nX-Injected: 1",
            "acme\n",
            "acme\tx",
            "blåbær",
            "a\u{0}",
        ] {
            let mut c = creds();
            c.system.version = Some(bad.into());
            assert_eq!(
                access_token_request(ENDPOINT, &c).unwrap_err(),
                ErrorKind::InvalidParams {
                    param: "systemVersion",
                    reason: "contains a character outside printable ASCII"
                }
                .into(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn rejects_empty_and_space_padded_system_headers() {
        let mut c = creds();
        c.system.plugin_name = Some(String::new());
        assert_eq!(
            access_token_request(ENDPOINT, &c).unwrap_err(),
            ErrorKind::InvalidParams {
                param: "systemPluginName",
                reason: "is empty"
            }
            .into()
        );
        c.system.plugin_name = Some(" acme".into());
        assert_eq!(
            param_of(access_token_request(ENDPOINT, &c).unwrap_err()),
            "systemPluginName"
        );
    }

    #[test]
    fn rejects_cr_lf_in_credentials_without_echoing_them() {
        let mut c = creds();
        c.client_secret = ClientSecret::new("SECRET\r\nX-Injected: 1");
        let err = access_token_request(ENDPOINT, &c).unwrap_err();
        assert_eq!(param_of(err.clone()), "clientSecret");
        assert!(!format!("{err} {err:?}").contains("SECRET"));

        let mut c = creds();
        c.subscription_key = SubscriptionKey::new("SUBKEY\nx");
        assert_eq!(
            param_of(access_token_request(ENDPOINT, &c).unwrap_err()),
            "subscriptionKey"
        );

        let mut c = creds();
        c.client_id = "id\r\n".into();
        assert_eq!(
            param_of(access_token_request(ENDPOINT, &c).unwrap_err()),
            "clientId"
        );

        let mut c = creds();
        c.client_id = String::new();
        assert_eq!(
            param_of(access_token_request(ENDPOINT, &c).unwrap_err()),
            "clientId"
        );
    }

    #[test]
    fn rejects_non_https_endpoints() {
        let err =
            access_token_request("http://apitest.vipps.no/accesstoken/get", &creds()).unwrap_err();
        assert_eq!(param_of(err), "accessTokenEndpoint");
        assert!(access_token_request("http://localhost:8080/accesstoken/get", &creds()).is_ok());
    }

    #[test]
    fn debug_of_credentials_and_request_shows_no_secret() {
        let c = creds();
        let req = access_token_request(ENDPOINT, &c).unwrap();
        let printed = format!("{c:?} {req:?}");
        assert!(!printed.contains("SECRET"), "{printed}");
        assert!(!printed.contains("SUBKEY"), "{printed}");
        assert!(printed.contains("123456"));
    }

    const REAL_BODY: &str = r#"{
        "token_type": "Bearer",
        "expires_in": "86398",
        "ext_expires_in": "0",
        "expires_on": "1495271273",
        "not_before": "1495184574",
        "resource": "00000002-0000-0000-c000-000000000000",
        "access_token": "TOKEN-eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1Ni.x.y"
    }"#;

    #[test]
    fn reads_a_real_response_with_numbers_as_strings() {
        let t = process_access_token_response(&HttpResponse::new(200, REAL_BODY)).unwrap();
        assert_eq!(
            t.access_token.secret(),
            "TOKEN-eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1Ni.x.y"
        );
        assert_eq!(t.token_type, "Bearer");
        assert_eq!(t.expires_in, 86_398);
        assert_eq!(t.ext_expires_in, Some(0));
        assert_eq!(t.expires_on, Some(1_495_271_273));
        assert_eq!(t.not_before, Some(1_495_184_574));
        assert_eq!(
            t.resource.as_deref(),
            Some("00000002-0000-0000-c000-000000000000")
        );
    }

    #[test]
    fn reads_the_openapi_shape_with_numbers_as_integers() {
        let body = r#"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"expires_on":1547823408,
            "not_before":1547819508,"resource":"00000002-0000-0000-c000-000000000000","access_token":"TOKEN-abc"}"#;
        let t = process_access_token_response(&HttpResponse::new(200, body)).unwrap();
        assert_eq!((t.expires_in, t.ext_expires_in), (3599, Some(3599)));
        assert_eq!(
            (t.expires_on, t.not_before),
            (Some(1_547_823_408), Some(1_547_819_508))
        );
    }

    #[test]
    fn optional_members_may_be_absent() {
        let body = r#"{"token_type":"bearer","expires_in":"3600","access_token":"TOKEN-abc"}"#;
        let t = process_access_token_response(&HttpResponse::new(200, body)).unwrap();
        assert_eq!(
            (t.ext_expires_in, t.expires_on, t.not_before, t.resource),
            (None, None, None, None)
        );
    }

    fn malformed(body: &str) -> &'static str {
        match process_access_token_response(&HttpResponse::new(200, body.to_owned()))
            .map_err(Error::into_kind)
        {
            Err(ErrorKind::ResponseMalformed { reason }) => reason,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn refuses_a_missing_access_token_or_expires_in() {
        assert_eq!(
            malformed(r#"{"token_type":"Bearer","expires_in":"3600"}"#),
            "`access_token` is missing"
        );
        assert_eq!(
            malformed(r#"{"token_type":"Bearer","access_token":"abc"}"#),
            "`expires_in` is missing"
        );
        assert_eq!(
            malformed(r#"{"expires_in":"3600","access_token":"abc"}"#),
            "`token_type` is missing"
        );
    }

    #[test]
    fn refuses_a_token_type_other_than_bearer() {
        assert_eq!(
            malformed(r#"{"token_type":"MAC","expires_in":"3600","access_token":"abc"}"#),
            "`token_type` is not Bearer"
        );
    }

    #[test]
    fn refuses_negative_fractional_and_absurd_numbers() {
        for (member, value) in [
            ("expires_in", r#""-1""#),
            ("expires_in", "-1"),
            ("expires_in", "3600.5"),
            ("expires_in", r#""8e4""#),
            ("expires_in", "604801"),
            ("ext_expires_in", r#""-5""#),
            ("expires_on", "-1"),
            ("expires_on", r#""253402300800""#),
            ("not_before", r#""soon""#),
        ] {
            let mut body = String::from(r#"{"token_type":"Bearer","access_token":"abc""#);
            if member != "expires_in" {
                body.push_str(r#","expires_in":"3600""#);
            }
            body.push_str(&format!(r#","{member}":{value}}}"#));
            assert!(
                malformed(&body).starts_with(&format!("`{member}`")),
                "{body}"
            );
        }
    }

    #[test]
    fn refuses_a_success_body_that_is_not_a_json_object() {
        assert_eq!(
            malformed("<html>ok</html>"),
            "the body is not a JSON object"
        );
        assert_eq!(malformed("[]"), "the body is not a JSON object");
    }

    #[test]
    fn a_401_from_the_access_token_api_is_an_http_error_with_vipps_fields() {
        let body = r#"{"error":"unauthorized_client","error_description":"AADSTS70002: Error validating credentials.",
            "error_codes":[70002],"timestamp":"2019-01-18 13:30:02Z"}"#;
        let err = process_access_token_response(&HttpResponse::new(401, body)).unwrap_err();
        assert_eq!(err.http_status(), Some(401));
        assert_eq!(err.vipps_error(), Some("unauthorized_client"));
        assert_eq!(
            err.vipps_error_description(),
            Some("AADSTS70002: Error validating credentials.")
        );
    }

    #[test]
    fn a_401_from_the_api_gateway_without_oauth_fields_is_still_an_http_error() {
        let body =
            r#"{"statusCode":401,"message":"Access denied due to invalid subscription key."}"#;
        let err = process_access_token_response(&HttpResponse::new(401, body)).unwrap_err();
        assert_eq!(
            err,
            ErrorKind::Http {
                status: 401,
                error: None,
                description: None
            }
            .into()
        );
    }

    #[test]
    fn reads_vipps_error_arrays_and_non_json_server_errors() {
        let body = r#"[{"errorCode":"InvalidSubscriptionKey","errorMessage":"Access denied due to invalid subscription key."}]"#;
        let err = process_access_token_response(&HttpResponse::new(401, body)).unwrap_err();
        assert_eq!(err.vipps_error(), Some("InvalidSubscriptionKey"));
        assert_eq!(
            err.vipps_error_description(),
            Some("Access denied due to invalid subscription key.")
        );
        let err = process_access_token_response(&HttpResponse::new(
            503,
            "<html>Service Unavailable</html>",
        ))
        .unwrap_err();
        assert_eq!(
            err,
            ErrorKind::Http {
                status: 503,
                error: None,
                description: None
            }
            .into()
        );
    }

    #[test]
    fn debug_of_the_response_shows_no_token() {
        let t = process_access_token_response(&HttpResponse::new(200, REAL_BODY)).unwrap();
        let printed = format!("{t:?}");
        assert!(!printed.contains("TOKEN-"), "{printed}");
        assert!(printed.contains("86398"));
    }
}
