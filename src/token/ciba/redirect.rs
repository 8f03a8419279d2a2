//! The redirect variant of merchant-initiated login ("Redirect to browser"): started with
//! `requested_flow=login_to_webpage` ([`super::start`]), it sends the user's browser to
//! `redirect_uri?code=...` (with no `state`: the `auth_req_id` claim binds the code to the
//! login instead). The code is exchanged here, with Vipps' own grant type (Vipps Login API,
//! "Merchant-initiated login", redirect to browser, step 3):
//!
//! ```text
//! POST <token_endpoint>
//! grant_type=urn:vipps:params:grant-type:ciba-redirect&code=...
//! ```
//!
//! The answer is an ordinary token response: read it with
//! [`process_code_exchange_response`](crate::token::login::process_code_exchange_response),
//! and validate the ID token with
//! [`IdTokenExpectations::auth_req_id`](crate::id_token::IdTokenExpectations::auth_req_id)
//! set to the login's `auth_req_id`: "The merchant must validate that it contains the
//! `auth_req_id` they have previously received". Without that check, a code from any other
//! login of the same merchant would finish this one.

use crate::error::Result;
use crate::http::HttpRequest;
use crate::secret::AuthorizationCode;
use crate::token::client_auth::ClientAuth;
use crate::token::login::{check_plain, form_request};
use crate::url_check::check_endpoint_url;

use super::CIBA_REDIRECT_GRANT_TYPE;

/// Builds the code exchange of the redirect variant: `POST <token_endpoint>` with the client
/// authentication of [`ClientAuth`] and the form body
/// `grant_type=urn:vipps:params:grant-type:ciba-redirect&code=...`. Consumes the single-use
/// code; refuses an empty one or one with whitespace or control characters (`code`).
pub fn ciba_redirect_exchange_request(
    token_endpoint: &str,
    client: &ClientAuth,
    code: AuthorizationCode,
) -> Result<HttpRequest> {
    check_endpoint_url(token_endpoint, "tokenEndpoint")?;
    check_plain(code.secret(), "code")?;
    form_request(
        token_endpoint,
        client,
        vec![
            ("grant_type", CIBA_REDIRECT_GRANT_TYPE),
            ("code", code.secret()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, ErrorKind};
    use crate::secret::ClientSecret;
    use crate::token::login::TokenEndpointAuth;
    use crate::urlencoded;

    const TOKEN: &str = "https://apitest.vipps.no/access-management-1.0/access/oauth2/token";

    fn client() -> ClientAuth {
        ClientAuth::ClientSecret {
            client_id: "client-1".into(),
            client_secret: ClientSecret::new("SECRET-1"),
            method: TokenEndpointAuth::ClientSecretBasic,
        }
    }

    #[test]
    fn sends_vipps_ciba_redirect_grant_with_the_code() {
        let req =
            ciba_redirect_exchange_request(TOKEN, &client(), AuthorizationCode::new("CODE-1"))
                .unwrap();
        let pairs = urlencoded::decode_pairs(core::str::from_utf8(&req.body).unwrap()).unwrap();
        assert_eq!(
            pairs,
            [
                (
                    "grant_type".to_owned(),
                    "urn:vipps:params:grant-type:ciba-redirect".to_owned()
                ),
                ("code".to_owned(), "CODE-1".to_owned())
            ]
        );
        assert!(req.header("Authorization").unwrap().starts_with("Basic "));
        assert!(
            !format!("{req:?}").contains("CODE-1"),
            "Debug shows no code"
        );
    }

    #[test]
    fn refuses_an_empty_or_broken_code() {
        for bad in ["", "a b", "a\r\nb"] {
            match ciba_redirect_exchange_request(TOKEN, &client(), AuthorizationCode::new(bad))
                .map_err(Error::into_kind)
            {
                Err(ErrorKind::InvalidParams { param: "code", .. }) => {}
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}
