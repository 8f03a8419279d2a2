//! Polling for the result of a merchant-initiated login: the token request with the CIBA
//! grant (CIBA Core 1.0 section 10.1) and every answer Vipps documents, typed
//! (sections 10.1.1 and 11; Vipps, "Merchant-initiated login": "Token request", "Polling",
//! "Error responses").
//!
//! When to send the next poll is [`super::schedule`]'s business.

use crate::error::{ErrorKind, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::retry_after::RetryAfter;
use crate::token::client_auth::ClientAuth;
use crate::token::login::{form_request, process_code_exchange_response, LoginTokenResponse};
use crate::url_check::check_endpoint_url;

use super::refusal::{classify, http_error, Refusal};
use super::start::is_auth_req_id;
use super::CIBA_GRANT_TYPE;

/// An answer to one poll that is not the end of the login, or the tokens that end it.
///
/// The answers that end it unapproved are errors with their own codes: `access_denied`
/// ([`ErrorKind::CibaDenied`]), `expired_token` ([`ErrorKind::CibaExpired`]), Vipps'
/// `old_app` / `invalid_user` ([`ErrorKind::CibaIneligible`]); any other error (e.g.
/// `invalid_grant` for an `auth_req_id` Vipps does not know, or one already redeemed) is
/// [`ErrorKind::Http`]. After any of those, polling that `auth_req_id` must stop (RFC 8628
/// section 3.5, which CIBA's `slow_down` and `authorization_pending` come from).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum CibaPoll {
    /// 200: the user approved. The ID token is still to be validated (OpenID Connect Core
    /// 1.0 section 3.1.3.7). The `auth_req_id` is now used up (CIBA Core 1.0 section 10.1.1).
    Approved(LoginTokenResponse),
    /// `authorization_pending`: the user has not answered yet; poll again after `interval`.
    Pending,
    /// `slow_down`: still pending, and the interval grows by 5 seconds for this and every
    /// later poll (CIBA Core 1.0 section 11).
    SlowDown,
    /// `429 Too Many Requests` (or `503` with `Retry-After`): still pending as far as the
    /// client knows; poll again no sooner than the `Retry-After` says (RFC 9110 section
    /// 10.2.3), or, without a readable one, than `interval`.
    RetryAfter(Option<RetryAfter>),
}

/// Builds the poll (CIBA Core 1.0 section 10.1): `POST <token_endpoint>` with the client
/// authentication of [`ClientAuth`] (a partner sends the same Bearer token and
/// `Merchant-Serial-Number` as at the start) and the form body
/// `grant_type=urn:openid:params:grant-type:ciba&auth_req_id=...`. The `auth_req_id` must
/// have the shape of [`is_auth_req_id`] (`authReqId`).
pub fn ciba_poll_request(
    token_endpoint: &str,
    client: &ClientAuth,
    auth_req_id: &str,
) -> Result<HttpRequest> {
    check_endpoint_url(token_endpoint, "tokenEndpoint")?;
    if !is_auth_req_id(auth_req_id) {
        return Err(ErrorKind::InvalidParams {
            param: "authReqId",
            reason: "must be 1 to 512 characters of A-Z a-z 0-9 . - _",
        }
        .into());
    }
    form_request(
        token_endpoint,
        client,
        vec![
            ("grant_type", CIBA_GRANT_TYPE),
            ("auth_req_id", auth_req_id),
        ],
    )
}

/// Reads the answer to a poll. A 200 is the token response of CIBA Core 1.0 section 10.1.1
/// (read as [`process_code_exchange_response`] reads a code exchange's: `access_token`,
/// `id_token`, Bearer `token_type`); the rest is typed as [`CibaPoll`] says.
pub fn process_ciba_poll_response(res: &HttpResponse) -> Result<CibaPoll> {
    if res.is_success() {
        return process_code_exchange_response(res).map(CibaPoll::Approved);
    }
    match classify(res) {
        Refusal::Pending => Ok(CibaPoll::Pending),
        Refusal::SlowDown => Ok(CibaPoll::SlowDown),
        Refusal::RetryLater(after) => Ok(CibaPoll::RetryAfter(after)),
        Refusal::Denied => Err(ErrorKind::CibaDenied.into()),
        Refusal::Expired => Err(ErrorKind::CibaExpired.into()),
        Refusal::Ineligible(reason) => Err(ErrorKind::CibaIneligible { reason }.into()),
        Refusal::Other => Err(http_error(res)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::secret::{AccessToken, ClientSecret};
    use crate::token::ciba::IneligibleUser;
    use crate::token::login::TokenEndpointAuth;
    use crate::urlencoded;

    const TOKEN: &str = "https://apitest.vipps.no/access-management-1.0/access/oauth2/token";

    fn client() -> ClientAuth {
        ClientAuth::ClientSecret {
            client_id: "client-1".into(),
            client_secret: ClientSecret::new("SECRET-1"),
            method: TokenEndpointAuth::ClientSecretPost,
        }
    }

    fn answer(status: u16, body: &str) -> Result<CibaPoll> {
        process_ciba_poll_response(&HttpResponse::new(status, body.to_owned()))
    }

    #[test]
    fn builds_the_ciba_grant_request() {
        let req = ciba_poll_request(TOKEN, &client(), "VYGaaAMRkI6SyAm_uIywhxsN2K0").unwrap();
        assert_eq!(req.url, TOKEN);
        let pairs = urlencoded::decode_pairs(core::str::from_utf8(&req.body).unwrap()).unwrap();
        let names: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("grant_type", "urn:openid:params:grant-type:ciba"),
                ("auth_req_id", "VYGaaAMRkI6SyAm_uIywhxsN2K0"),
                ("client_id", "client-1"),
                ("client_secret", "SECRET-1"),
            ]
        );
    }

    #[test]
    fn a_partner_polls_with_the_same_bearer_token_and_msn() {
        let partner = ClientAuth::Partner {
            access_token: AccessToken::new("PARTNER.tok"),
            msn: "1234".into(),
        };
        let req = ciba_poll_request(TOKEN, &partner, "id-1").unwrap();
        assert_eq!(req.header("Authorization"), Some("Bearer PARTNER.tok"));
        assert_eq!(req.header("Merchant-Serial-Number"), Some("1234"));
    }

    #[test]
    fn refuses_an_auth_req_id_that_could_smuggle_parameters() {
        for bad in ["", "a&grant_type=x", "a b", "a/b", "æ"] {
            match ciba_poll_request(TOKEN, &client(), bad).map_err(Error::into_kind) {
                Err(ErrorKind::InvalidParams {
                    param: "authReqId", ..
                }) => {}
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn approved_gives_the_tokens() {
        let body = r#"{"access_token":"ciba.W_IfBcSr-askdjhsakjhd","token_type":"Bearer","expires_in":300,"id_token":"h.p.s"}"#;
        match answer(200, body).unwrap() {
            CibaPoll::Approved(t) => {
                assert_eq!((t.id_token.as_str(), t.expires_in), ("h.p.s", Some(300)))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            answer(200, r#"{"access_token":"a","token_type":"Bearer"}"#)
                .unwrap_err()
                .code(),
            "ERR_RESPONSE_MALFORMED"
        );
    }

    #[test]
    fn pending_slow_down_and_429_are_answers_to_keep_polling() {
        assert!(matches!(
            answer(400, r#"{"error":"authorization_pending"}"#),
            Ok(CibaPoll::Pending)
        ));
        assert!(matches!(
            answer(400, r#"{"error":"slow_down"}"#),
            Ok(CibaPoll::SlowDown)
        ));
        let mut res = HttpResponse::new(429, r#"{"error":"too_many_requests"}"#);
        res.headers.push(("Retry-After".into(), "7".into()));
        assert!(matches!(
            process_ciba_poll_response(&res),
            Ok(CibaPoll::RetryAfter(Some(RetryAfter::Delay(7))))
        ));
        assert!(matches!(answer(429, ""), Ok(CibaPoll::RetryAfter(None))));
    }

    #[test]
    fn denied_expired_and_ineligible_end_the_login_with_their_own_codes() {
        assert_eq!(
            answer(400, r#"{"error":"access_denied"}"#)
                .unwrap_err()
                .code(),
            "ERR_CIBA_DENIED"
        );
        assert_eq!(
            answer(400, r#"{"error":"expired_token"}"#)
                .unwrap_err()
                .code(),
            "ERR_CIBA_EXPIRED"
        );
        assert_eq!(
            answer(400, r#"{"error":"invalid_request","error_code":"old_app"}"#)
                .unwrap_err()
                .into_kind(),
            ErrorKind::CibaIneligible {
                reason: IneligibleUser::OldApp
            }
        );
        let e = answer(
            400,
            r#"{"error":"invalid_grant","error_description":"unknown auth_req_id"}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.code(), e.vipps_error(), e.http_status()),
            ("ERR_HTTP", Some("invalid_grant"), Some(400))
        );
        assert_eq!(answer(500, "oops").unwrap_err().http_status(), Some(500));
    }
}
