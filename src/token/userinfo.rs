//! The userinfo endpoint: `GET <base>/vipps-userinfo-api/userinfo` with the Login access
//! token (OpenID Connect Core 1.0 section 5.3; Vipps, "Userinfo API",
//! <https://developer.vippsmobilepay.com/docs/APIs/userinfo-api/>). Vipps answers 401 when
//! the word `Bearer` is missing from the `Authorization` header.

use crate::error::{ErrorKind, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::json::{Object, Value};
use crate::secret::AccessToken;
use alloc::{borrow::ToOwned, vec::Vec};

use super::fields::is_b64token;
use crate::url_check::check_endpoint_url;

/// Builds `GET <endpoint>` with `Authorization: Bearer <token>` (RFC 6750 section 2.1).
/// The token must be an RFC 6750 `b64token`, so it cannot inject a header.
pub fn userinfo_request(endpoint: &str, access_token: &AccessToken) -> Result<HttpRequest> {
    check_endpoint_url(endpoint, "userinfoEndpoint")?;
    if !is_b64token(access_token.secret()) {
        return Err(ErrorKind::InvalidParams {
            param: "accessToken",
            reason: "is not an RFC 6750 b64token",
        }
        .into());
    }
    let headers = vec![
        (
            "Authorization".to_owned(),
            format!("Bearer {}", access_token.secret()),
        ),
        ("Accept".to_owned(), "application/json".to_owned()),
    ];
    Ok(HttpRequest {
        method: Method::Get,
        url: endpoint.to_owned(),
        headers,
        body: Vec::new(),
    })
}

/// Reads a userinfo response as a JSON object (OpenID Connect Core 1.0 section 5.3.2). The
/// `sub` claim must be present and a non-empty string, and when `expected_sub` (the ID
/// token's `sub`) is given it must equal it exactly, or the response may belong to another
/// user and is refused ([`ErrorKind::ClaimMissing`] / [`ErrorKind::ClaimInvalid`] for `sub`).
pub fn process_userinfo_response(res: &HttpResponse, expected_sub: Option<&str>) -> Result<Object> {
    let obj = res.json_object()?;
    let sub = match obj.get("sub") {
        None | Some(Value::Null) => return Err(ErrorKind::ClaimMissing { claim: "sub" }.into()),
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(_) => {
            return Err(ErrorKind::ClaimInvalid {
                claim: "sub",
                reason: "is not a non-empty string",
            }
            .into())
        }
    };
    match expected_sub {
        Some(expected) if expected != sub => Err(ErrorKind::ClaimInvalid {
            claim: "sub",
            reason: "differs from the ID token's sub",
        }
        .into()),
        _ => Ok(obj),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENDPOINT: &str = "https://apitest.vipps.no/vipps-userinfo-api/userinfo";
    const SUB: &str = "c06c4afe-d9e1-4c5d-939a-177d752a0944";

    #[test]
    fn request_is_a_get_with_bearer_authorization() {
        let req = userinfo_request(ENDPOINT, &AccessToken::new("TOKEN-hel39X.WyV61h")).unwrap();
        assert_eq!(req.method, Method::Get);
        assert_eq!(req.url, ENDPOINT);
        assert_eq!(
            req.headers,
            vec![
                (
                    "Authorization".to_owned(),
                    "Bearer TOKEN-hel39X.WyV61h".to_owned()
                ),
                ("Accept".to_owned(), "application/json".to_owned()),
            ]
        );
        assert!(req.body.is_empty());
    }

    #[test]
    fn request_refuses_tokens_that_could_inject_headers_and_bad_endpoints() {
        for bad in ["", "abc\r\nX-Evil: 1", "a b", "=="] {
            assert_eq!(
                userinfo_request(ENDPOINT, &AccessToken::new(bad)).unwrap_err(),
                ErrorKind::InvalidParams {
                    param: "accessToken",
                    reason: "is not an RFC 6750 b64token"
                }
                .into(),
                "{bad:?}"
            );
        }
        let err = userinfo_request(
            "http://apitest.vipps.no/vipps-userinfo-api/userinfo",
            &AccessToken::new("t"),
        )
        .unwrap_err();
        assert!(matches!(
            err.kind(),
            ErrorKind::InvalidParams {
                param: "userinfoEndpoint",
                ..
            }
        ));
    }

    #[test]
    fn debug_of_the_request_shows_no_token() {
        let req = userinfo_request(ENDPOINT, &AccessToken::new("TOKEN-hel39X")).unwrap();
        assert!(!format!("{req:?}").contains("TOKEN-"));
    }

    fn body(sub_member: &str) -> HttpResponse {
        HttpResponse::new(
            200,
            format!(r#"{{{sub_member}"name":"Ada Lovelace","email":"ada@example.com"}}"#),
        )
    }

    #[test]
    fn returns_the_claims_when_sub_matches() {
        let claims =
            process_userinfo_response(&body(&format!(r#""sub":"{SUB}","#)), Some(SUB)).unwrap();
        assert_eq!(claims.get_str("sub"), Some(SUB));
        assert_eq!(claims.get_str("email"), Some("ada@example.com"));
    }

    #[test]
    fn returns_the_claims_without_an_expected_sub() {
        let claims = process_userinfo_response(&body(r#""sub":"x","#), None).unwrap();
        assert_eq!(claims.get_str("name"), Some("Ada Lovelace"));
    }

    #[test]
    fn refuses_a_sub_that_differs_from_the_id_token() {
        for other in [
            "c06c4afe-d9e1-4c5d-939a-177d752a0945",
            "C06C4AFE-D9E1-4C5D-939A-177D752A0944",
            "",
        ] {
            assert_eq!(
                process_userinfo_response(&body(&format!(r#""sub":"{SUB}","#)), Some(other))
                    .unwrap_err(),
                ErrorKind::ClaimInvalid {
                    claim: "sub",
                    reason: "differs from the ID token's sub"
                }
                .into(),
                "{other:?}"
            );
        }
    }

    #[test]
    fn refuses_a_missing_or_non_string_sub() {
        assert_eq!(
            process_userinfo_response(&body(""), Some(SUB)).unwrap_err(),
            ErrorKind::ClaimMissing { claim: "sub" }.into()
        );
        assert_eq!(
            process_userinfo_response(&body(r#""sub":null,"#), None).unwrap_err(),
            ErrorKind::ClaimMissing { claim: "sub" }.into()
        );
        for bad in [r#""sub":42,"#, r#""sub":"","#, r#""sub":["x"],"#] {
            let err = process_userinfo_response(&body(bad), None).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::ClaimInvalid { claim: "sub", .. }),
                "{bad}"
            );
        }
    }

    #[test]
    fn error_statuses_and_bad_bodies_are_reported() {
        let err = process_userinfo_response(
            &HttpResponse::new(401, r#"{"error":"invalid_token"}"#),
            None,
        )
        .unwrap_err();
        assert_eq!(
            (err.http_status(), err.vipps_error()),
            (Some(401), Some("invalid_token"))
        );
        let err = process_userinfo_response(&HttpResponse::new(500, "oops"), None).unwrap_err();
        assert_eq!(
            err,
            ErrorKind::Http {
                status: 500,
                error: None,
                description: None
            }
            .into()
        );
        let err =
            process_userinfo_response(&HttpResponse::new(200, "eyJhbGciOi.x.y"), None).unwrap_err();
        assert_eq!(err.code(), "ERR_RESPONSE_MALFORMED");
    }
}
