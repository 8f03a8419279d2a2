//! The partner ("specialized") token: `POST <base>/miami/v1/token`, an OAuth 2.0
//! client-credentials grant (RFC 6749 section 4.4) with HTTP Basic client authentication
//! and no `Ocp-Apim-Subscription-Key` (Vipps, "Access token API: Specialized
//! authentication", <https://developer.vippsmobilepay.com/docs/APIs/access-token-api/specialized-authentication/>).
//! Its tokens live 15 minutes (`expires_in: 900`) in test and production alike.

use crate::error::{ErrorKind, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::secret::{AccessToken, ClientSecret};
use crate::urlencoded;
use alloc::{borrow::ToOwned, string::String};

use super::fields::{self, field, MAX_EXPIRES_IN_SEC};
use super::login::basic_auth_header;
use super::{check_token_chars, FORM_CONTENT_TYPE};
use crate::authorize::is_nqchar;
use crate::url_check::check_endpoint_url;

/// A successful partner token response. `Debug` never shows the token.
#[derive(Debug, Clone)]
pub struct MiamiTokenResponse {
    /// The bearer token.
    pub access_token: AccessToken,
    /// `Bearer` (checked ASCII case-insensitively).
    pub token_type: String,
    /// Lifetime in seconds (Vipps: 900).
    pub expires_in: i64,
    /// The granted scopes, when sent.
    pub scope: Option<String>,
}

/// Checks a `scope` value against RFC 6749 section 3.3:
/// `scope = scope-token *( SP scope-token )`, `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`
/// (NQCHAR: visible ASCII but `"` and `\`), tokens separated by single spaces.
pub fn check_scope(scope: &str) -> Result<()> {
    if scope
        .split(' ')
        .all(|t| !t.is_empty() && t.bytes().all(is_nqchar))
    {
        Ok(())
    } else {
        Err(ErrorKind::InvalidParams {
            param: "scope",
            reason: "must be RFC 6749 scope tokens separated by single spaces",
        }
        .into())
    }
}

/// Builds `POST <endpoint>` (`<base>/miami/v1/token`) with `Authorization: Basic`
/// (see [`basic_auth_header`]), `Content-Type: application/x-www-form-urlencoded` and the
/// body `grant_type=client_credentials` plus `scope` when given (RFC 6749 section 4.4.2;
/// Vipps answers `invalid_client` without the grant type). No subscription key is sent.
pub fn miami_token_request(
    endpoint: &str,
    client_id: &str,
    client_secret: &ClientSecret,
    scope: Option<&str>,
) -> Result<HttpRequest> {
    check_endpoint_url(endpoint, "miamiTokenEndpoint")?;
    check_token_chars(client_id, "clientId")?;
    if client_secret.secret().is_empty() {
        return Err(ErrorKind::InvalidParams {
            param: "clientSecret",
            reason: "is empty",
        }
        .into());
    }
    let mut pairs = vec![("grant_type", "client_credentials")];
    if let Some(scope) = scope {
        check_scope(scope)?;
        pairs.push(("scope", scope));
    }
    let headers = vec![
        (
            "Authorization".to_owned(),
            basic_auth_header(client_id, client_secret),
        ),
        ("Content-Type".to_owned(), FORM_CONTENT_TYPE.to_owned()),
        ("Accept".to_owned(), "application/json".to_owned()),
    ];
    let body = urlencoded::encode_pairs(pairs).into_bytes();
    Ok(HttpRequest {
        method: Method::Post,
        url: endpoint.to_owned(),
        headers,
        body,
    })
}

/// Reads a partner token response (RFC 6749 section 5.1): `access_token`, a Bearer
/// `token_type`, `expires_in` (integer or digit string) and the optional `scope`.
/// An OAuth error (`invalid_client`, `invalid_scope`, RFC 6749 section 5.2) is [`ErrorKind::Http`].
pub fn process_miami_token_response(res: &HttpResponse) -> Result<MiamiTokenResponse> {
    let obj = res.json_object()?;
    Ok(MiamiTokenResponse {
        access_token: fields::access_token(&obj)?,
        token_type: fields::bearer_token_type(&obj)?,
        expires_in: fields::required_integer(&obj, field!("expires_in"), MAX_EXPIRES_IN_SEC)?,
        scope: fields::string(&obj, field!("scope"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    const ENDPOINT: &str = "https://api.vipps.no/miami/v1/token";

    fn secret() -> ClientSecret {
        ClientSecret::new("SECRET-Y8Kteew6GE2ZmeycEt6egg==")
    }

    #[test]
    fn request_sends_basic_auth_form_body_and_no_subscription_key() {
        let req = miami_token_request(ENDPOINT, "partner-id", &secret(), None).unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, ENDPOINT);
        assert_eq!(
            req.headers,
            vec![
                (
                    "Authorization".to_owned(),
                    basic_auth_header("partner-id", &secret())
                ),
                (
                    "Content-Type".to_owned(),
                    "application/x-www-form-urlencoded".to_owned()
                ),
                ("Accept".to_owned(), "application/json".to_owned()),
            ]
        );
        assert!(req.header("Authorization").unwrap().starts_with("Basic "));
        assert_eq!(req.header("Ocp-Apim-Subscription-Key"), None);
        assert_eq!(req.body, b"grant_type=client_credentials");
    }

    #[test]
    fn request_carries_a_valid_scope_form_encoded() {
        let req = miami_token_request(
            ENDPOINT,
            "partner-id",
            &secret(),
            Some("donations:read management:write"),
        )
        .unwrap();
        assert_eq!(
            core::str::from_utf8(&req.body).unwrap(),
            "grant_type=client_credentials&scope=donations%3Aread%20management%3Awrite"
        );
    }

    #[test]
    fn scope_tokens_follow_rfc_6749_nqchar() {
        assert_eq!(check_scope("donations:read"), Ok(()));
        assert_eq!(check_scope("a b !#[]~"), Ok(()));
        for bad in [
            "", " ", "a  b", " a", "a ", "a\"b", "a\\b", "a\tb", "a\r\nb", "blå",
        ] {
            assert_eq!(
                check_scope(bad).unwrap_err().code(),
                "ERR_INVALID_PARAMS",
                "{bad:?}"
            );
            let err = miami_token_request(ENDPOINT, "id", &secret(), Some(bad)).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::InvalidParams { param: "scope", .. }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn rejects_bad_endpoint_and_credentials() {
        let param = |r: Result<HttpRequest>| match r.map_err(Error::into_kind) {
            Err(ErrorKind::InvalidParams { param, .. }) => param,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            param(miami_token_request(
                "http://api.vipps.no/miami/v1/token",
                "id",
                &secret(),
                None
            )),
            "miamiTokenEndpoint"
        );
        assert_eq!(
            param(miami_token_request(ENDPOINT, "", &secret(), None)),
            "clientId"
        );
        assert_eq!(
            param(miami_token_request(ENDPOINT, "id\r\n", &secret(), None)),
            "clientId"
        );
        assert_eq!(
            param(miami_token_request(
                ENDPOINT,
                "id",
                &ClientSecret::new(""),
                None
            )),
            "clientSecret"
        );
        assert!(miami_token_request(
            "http://127.0.0.1:9000/miami/v1/token",
            "id",
            &secret(),
            None
        )
        .is_ok());
    }

    #[test]
    fn debug_of_the_request_shows_no_credential() {
        let req =
            miami_token_request(ENDPOINT, "partner-id", &secret(), Some("donations:read")).unwrap();
        let basic = req
            .header("Authorization")
            .unwrap()
            .trim_start_matches("Basic ")
            .to_owned();
        let printed = format!("{req:?}");
        assert!(!printed.contains(&basic), "{printed}");
        assert!(!printed.contains("SECRET"), "{printed}");
    }

    #[test]
    fn reads_the_documented_response_with_integer_or_string_expires_in() {
        let body =
            r#"{"access_token":"TOKEN-eyJhbGciOi.x.y","token_type":"Bearer","expires_in":900}"#;
        let t = process_miami_token_response(&HttpResponse::new(200, body)).unwrap();
        assert_eq!(t.access_token.secret(), "TOKEN-eyJhbGciOi.x.y");
        assert_eq!(
            (t.token_type.as_str(), t.expires_in, t.scope),
            ("Bearer", 900, None)
        );
        let body = r#"{"access_token":"t","token_type":"bearer","expires_in":"900","scope":"donations:read"}"#;
        let t = process_miami_token_response(&HttpResponse::new(200, body)).unwrap();
        assert_eq!(
            (t.expires_in, t.scope.as_deref()),
            (900, Some("donations:read"))
        );
    }

    fn malformed(body: &str) -> &'static str {
        match process_miami_token_response(&HttpResponse::new(200, body.to_owned()))
            .map_err(Error::into_kind)
        {
            Err(ErrorKind::ResponseMalformed { reason }) => reason,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn refuses_missing_token_wrong_type_and_bad_expires_in() {
        assert_eq!(
            malformed(r#"{"token_type":"Bearer","expires_in":900}"#),
            "`access_token` is missing"
        );
        assert_eq!(
            malformed(r#"{"access_token":"t","token_type":"Basic","expires_in":900}"#),
            "`token_type` is not Bearer"
        );
        assert_eq!(
            malformed(r#"{"access_token":"t","token_type":"Bearer"}"#),
            "`expires_in` is missing"
        );
        assert_eq!(
            malformed(r#"{"access_token":"t","token_type":"Bearer","expires_in":-900}"#),
            field!("expires_in").invalid
        );
        assert_eq!(
            malformed(r#"{"access_token":"t","token_type":"Bearer","expires_in":"9e2"}"#),
            field!("expires_in").invalid
        );
    }

    #[test]
    fn oauth_error_bodies_come_out_as_http_errors() {
        let err =
            process_miami_token_response(&HttpResponse::new(400, r#"{"error":"invalid_client"}"#))
                .unwrap_err();
        assert_eq!(
            (err.http_status(), err.vipps_error()),
            (Some(400), Some("invalid_client"))
        );
        let body = r#"[{"errorCode":"invalid_scope","errorMessage":"unknown scope"}]"#;
        let err = process_miami_token_response(&HttpResponse::new(400, body)).unwrap_err();
        assert_eq!(
            (err.vipps_error(), err.vipps_error_description()),
            (Some("invalid_scope"), Some("unknown scope"))
        );
        let err = process_miami_token_response(&HttpResponse::new(502, "Bad Gateway")).unwrap_err();
        assert_eq!(
            err,
            ErrorKind::Http {
                status: 502,
                error: None,
                description: None
            }
            .into()
        );
    }

    #[test]
    fn debug_of_the_response_shows_no_token() {
        let body = r#"{"access_token":"TOKEN-abc","token_type":"Bearer","expires_in":900}"#;
        let printed = format!(
            "{:?}",
            process_miami_token_response(&HttpResponse::new(200, body)).unwrap()
        );
        assert!(!printed.contains("TOKEN-"), "{printed}");
    }
}
