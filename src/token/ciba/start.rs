//! Starting a merchant-initiated login: the backchannel authentication request (CIBA Core
//! 1.0 section 7.1) and its acknowledgement (section 7.3), as Vipps documents them
//! ("Merchant-initiated login": "Authentication Request", "Authentication Request With
//! Redirect").
//!
//! `POST <base>/vipps-login-ciba/api/backchannel/authentication`, client authentication as
//! at the token endpoint, form body `scope`, `login_hint=urn:msisdn:<digits>`, an optional
//! `binding_message`, and for the redirect variant `requested_flow=login_to_webpage` with an
//! `https` `redirect_uri`. The answer is `{auth_req_id, expires_in, interval}`.

use alloc::{borrow::ToOwned, string::String};
use core::fmt;

use crate::error::{Error, ErrorKind, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::retry_after::RetryAfter;
use crate::token::client_auth::ClientAuth;
use crate::token::fields::{self, field};
use crate::token::login::form_request;
use crate::token::miami::check_scope;
use crate::url_check::{check_authorization_endpoint_url, check_endpoint_url};

use super::refusal::{classify, http_error, Refusal};
use super::LOGIN_TO_WEBPAGE;

/// The `interval` to use when Vipps sends none (CIBA Core 1.0 section 7.3: "clients MUST use
/// 5 as the default value").
pub const DEFAULT_INTERVAL_SEC: i64 = 5;
/// Longest `expires_in` accepted: a day (Vipps sends 600).
pub const MAX_EXPIRES_IN_SEC: i64 = 86_400;
/// Longest `interval` accepted: five minutes (Vipps sends 5).
pub const MAX_INTERVAL_SEC: i64 = 300;
/// Longest `auth_req_id` accepted (CIBA asks for at least 128 bits: ~22 characters).
pub const MAX_AUTH_REQ_ID_LEN: usize = 512;

/// What one merchant-initiated login needs. `Debug` shows neither the credentials nor the
/// phone number.
#[derive(Clone)]
pub struct CibaStart {
    /// The backchannel authentication endpoint,
    /// `<base>/vipps-login-ciba/api/backchannel/authentication`.
    pub endpoint: String,
    /// How the client authenticates (as at the token endpoint; partners included).
    pub client: ClientAuth,
    /// The user's phone number: country code and number, digits only (`4712345678`); one
    /// leading `+` is allowed and dropped.
    pub phone_number: String,
    /// The scope, space separated; must contain `openid`.
    pub scope: String,
    /// A code shown both on the merchant's device and in the app, `^[A-Z0-9-]{5,8}$`.
    pub binding_message: Option<String>,
    /// For the redirect variant: where the user's browser goes after approving (`https`).
    pub redirect_uri: Option<String>,
}

impl fmt::Debug for CibaStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CibaStart")
            .field("endpoint", &self.endpoint)
            .field("client", &self.client)
            .field("phone_number", &"<redacted>")
            .field("scope", &self.scope)
            .field("binding_message", &self.binding_message)
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

/// Vipps' acknowledgement of a started login (CIBA Core 1.0 section 7.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CibaStarted {
    /// The login's identifier for the token requests (`A-Z a-z 0-9 . - _`).
    pub auth_req_id: String,
    /// Seconds, counted from the request, after which the login can no longer finish.
    pub expires_in: i64,
    /// Least seconds between two token requests ([`DEFAULT_INTERVAL_SEC`] when not sent).
    pub interval: i64,
}

fn invalid(param: &'static str, reason: &'static str) -> Error {
    ErrorKind::InvalidParams { param, reason }.into()
}

/// The `login_hint` for a phone number: `urn:msisdn:<digits>` (Vipps: "Norwegian mobile
/// phone numbers can be targeted by passing login hint as an MSISDN"). The number must be
/// the country code and the subscriber number in digits (E.164 without the `+`, ITU-T
/// E.164 section 6: at most 15 digits); one leading `+` is dropped. Refused (`phoneNumber`):
/// anything but digits, a leading `0` (a national or `00` prefix instead of the country
/// code), and fewer than 10 digits: a Norwegian or Danish number is 8 digits after its
/// 2-digit country code, so 8 or 9 digits is a number without one.
pub fn msisdn_login_hint(phone_number: &str) -> Result<String> {
    let digits = phone_number.strip_prefix('+').unwrap_or(phone_number);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "phoneNumber",
            "must be the country code and number in digits only, e.g. 4712345678",
        ));
    }
    if digits.starts_with('0') {
        return Err(invalid(
            "phoneNumber",
            "must start with the country code (no leading 0 or 00), e.g. 4712345678",
        ));
    }
    if !(10..=15).contains(&digits.len()) {
        return Err(invalid(
            "phoneNumber",
            "must be 10 to 15 digits: the country code and the number",
        ));
    }
    Ok(["urn:msisdn:", digits].concat())
}

/// Checks a `binding_message` against Vipps' rule `^[A-Z0-9-]{5,8}$` (CIBA Core 1.0 section
/// 7.1 leaves the format to the provider).
pub fn check_binding_message(message: &str) -> Result<()> {
    let ok = (5..=8).contains(&message.len())
        && message
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "bindingMessage",
            "must be 5 to 8 characters of A-Z, 0-9 and -",
        ))
    }
}

/// Checks the scope of a backchannel request: RFC 6749 section 3.3 tokens, `openid` present
/// (CIBA Core 1.0 section 7.1), and not the legacy `nnin` scope, which Vipps refuses in this
/// flow ("use `nin` instead").
pub fn check_ciba_scope(scope: &str) -> Result<()> {
    check_scope(scope)?;
    if scope.split(' ').any(|t| t == "nnin") {
        return Err(invalid(
            "scope",
            "the legacy nnin scope is not supported: use nin",
        ));
    }
    if !scope.split(' ').any(|t| t == "openid") {
        return Err(invalid(
            "scope",
            "must contain openid (CIBA Core 1.0 section 7.1)",
        ));
    }
    Ok(())
}

/// Whether `id` has the shape CIBA Core 1.0 section 7.3 gives an `auth_req_id`: 1 to
/// [`MAX_AUTH_REQ_ID_LEN`] characters of `A-Z a-z 0-9 . - _`. Check an `auth_req_id` that a
/// caller hands back before using it as a key.
pub fn is_auth_req_id(id: &str) -> bool {
    (1..=MAX_AUTH_REQ_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// Builds the backchannel authentication request (CIBA Core 1.0 section 7.1): `POST
/// <endpoint>`, the client authentication of [`ClientAuth`], and the form body `scope`,
/// `login_hint`, `binding_message` (when given), and `requested_flow=login_to_webpage` with
/// `redirect_uri` for the redirect variant. Every input is checked first (see
/// [`msisdn_login_hint`], [`check_binding_message`], [`check_ciba_scope`]); the
/// `redirect_uri` must be an absolute `https` URL without a fragment (`redirectUri`).
pub fn ciba_start_request(x: &CibaStart) -> Result<HttpRequest> {
    check_endpoint_url(&x.endpoint, "backchannelAuthenticationEndpoint")?;
    let login_hint = msisdn_login_hint(&x.phone_number)?;
    check_ciba_scope(&x.scope)?;
    let mut pairs = vec![
        ("scope", x.scope.as_str()),
        ("login_hint", login_hint.as_str()),
    ];
    if let Some(message) = &x.binding_message {
        check_binding_message(message)?;
        pairs.push(("binding_message", message));
    }
    if let Some(uri) = &x.redirect_uri {
        check_authorization_endpoint_url(uri, "redirectUri")?;
        if !uri
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        {
            return Err(invalid(
                "redirectUri",
                "must be an https URL (Vipps: login_to_webpage)",
            ));
        }
        pairs.push(("requested_flow", LOGIN_TO_WEBPAGE));
        pairs.push(("redirect_uri", uri));
    }
    form_request(&x.endpoint, &x.client, pairs)
}

/// The answer to a start.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CibaStartAnswer {
    /// The login started: poll it (or, for the redirect variant, wait for its code).
    Started(CibaStarted),
    /// `429 Too Many Requests`: "Too many login requests started towards the same user at the
    /// same time. Please respect the `Retry-After` header returned." Nothing started; start
    /// again no sooner than the `Retry-After` says (when it was readable).
    RetryAfter(Option<RetryAfter>),
}

/// Reads the answer to a start. A 200 is the acknowledgement (CIBA Core 1.0 section 7.3):
/// `auth_req_id` (required, the characters of [`is_auth_req_id`]), `expires_in` (required,
/// 1 to [`MAX_EXPIRES_IN_SEC`]) and `interval` (1 to [`MAX_INTERVAL_SEC`], default
/// [`DEFAULT_INTERVAL_SEC`]); integers or digit strings. A 429 is
/// [`CibaStartAnswer::RetryAfter`].
///
/// Refusals: Vipps' `old_app` / `invalid_user` and CIBA's `unknown_user_id` are
/// [`ErrorKind::CibaIneligible`]; anything else is [`ErrorKind::Http`] with Vipps' `error`
/// (CIBA Core 1.0 section 13).
pub fn process_ciba_start_response(res: &HttpResponse) -> Result<CibaStartAnswer> {
    if !res.is_success() {
        return match classify(res) {
            Refusal::Ineligible(reason) => Err(ErrorKind::CibaIneligible { reason }.into()),
            Refusal::RetryLater(after) if res.status == 429 => {
                Ok(CibaStartAnswer::RetryAfter(after))
            }
            _ => Err(http_error(res)),
        };
    }
    let obj = res.json_object()?;
    let auth_req_id = fields::required_string(&obj, field!("auth_req_id"))?;
    if !is_auth_req_id(&auth_req_id) {
        return Err(ErrorKind::ResponseMalformed {
            reason: "`auth_req_id` is not 1 to 512 characters of A-Z a-z 0-9 . - _",
        }
        .into());
    }
    const EXPIRES_IN: fields::Field = field!("expires_in");
    const INTERVAL: fields::Field = field!("interval");
    let expires_in = fields::required_integer(&obj, EXPIRES_IN, MAX_EXPIRES_IN_SEC)?;
    let interval =
        fields::integer(&obj, INTERVAL, MAX_INTERVAL_SEC)?.unwrap_or(DEFAULT_INTERVAL_SEC);
    if expires_in == 0 {
        return Err(ErrorKind::ResponseMalformed {
            reason: EXPIRES_IN.invalid,
        }
        .into());
    }
    if interval == 0 {
        return Err(ErrorKind::ResponseMalformed {
            reason: INTERVAL.invalid,
        }
        .into());
    }
    Ok(CibaStartAnswer::Started(CibaStarted {
        auth_req_id: auth_req_id.to_owned(),
        expires_in,
        interval,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{AccessToken, ClientSecret};
    use crate::token::ciba::IneligibleUser;
    use crate::token::login::TokenEndpointAuth;
    use crate::urlencoded;

    const ENDPOINT: &str =
        "https://apitest.vipps.no/vipps-login-ciba/api/backchannel/authentication";

    fn start() -> CibaStart {
        CibaStart {
            endpoint: ENDPOINT.into(),
            client: ClientAuth::ClientSecret {
                client_id: "client-1".into(),
                client_secret: ClientSecret::new("SECRET-1"),
                method: TokenEndpointAuth::ClientSecretBasic,
            },
            phone_number: "4712345678".into(),
            scope: "openid name phoneNumber".into(),
            binding_message: None,
            redirect_uri: None,
        }
    }

    fn body(req: &HttpRequest) -> Vec<(String, String)> {
        urlencoded::decode_pairs(core::str::from_utf8(&req.body).unwrap()).unwrap()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn param_of(x: &CibaStart) -> &'static str {
        match ciba_start_request(x).map_err(Error::into_kind) {
            Err(ErrorKind::InvalidParams { param, .. }) => param,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn builds_the_backchannel_request_with_an_msisdn_hint() {
        let req = ciba_start_request(&start()).unwrap();
        assert_eq!(req.url, ENDPOINT);
        assert_eq!(
            req.header("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        assert!(req.header("Authorization").unwrap().starts_with("Basic "));
        assert_eq!(
            body(&req),
            pairs(&[
                ("scope", "openid name phoneNumber"),
                ("login_hint", "urn:msisdn:4712345678")
            ])
        );
    }

    #[test]
    fn adds_the_binding_message_and_the_redirect_variant() {
        let mut x = start();
        x.binding_message = Some("4MZ-CQ3".into());
        x.redirect_uri = Some("https://shop.example/ciba/callback?x=1".into());
        let req = ciba_start_request(&x).unwrap();
        assert_eq!(
            body(&req),
            pairs(&[
                ("scope", "openid name phoneNumber"),
                ("login_hint", "urn:msisdn:4712345678"),
                ("binding_message", "4MZ-CQ3"),
                ("requested_flow", "login_to_webpage"),
                ("redirect_uri", "https://shop.example/ciba/callback?x=1"),
            ])
        );
    }

    #[test]
    fn a_partner_starts_with_its_bearer_token_and_the_merchants_msn() {
        let mut x = start();
        x.client = ClientAuth::Partner {
            access_token: AccessToken::new("PARTNER.tok"),
            msn: "654321".into(),
        };
        let req = ciba_start_request(&x).unwrap();
        assert_eq!(req.header("Authorization"), Some("Bearer PARTNER.tok"));
        assert_eq!(req.header("Merchant-Serial-Number"), Some("654321"));
    }

    #[test]
    fn the_phone_number_must_be_digits_with_a_country_code() {
        assert_eq!(
            msisdn_login_hint("4712345678").unwrap(),
            "urn:msisdn:4712345678"
        );
        assert_eq!(
            msisdn_login_hint("+4591234567").unwrap(),
            "urn:msisdn:4591234567"
        );
        assert_eq!(
            msisdn_login_hint("358401234567").unwrap(),
            "urn:msisdn:358401234567"
        );
        for bad in [
            "",
            "+",
            "12345678",
            "912345678",
            "004712345678",
            "04712345678",
            "47 12 34 56 78",
            "+47-12345678",
            "47123456789012345",
            "++4712345678",
            "４712345678",
        ] {
            let mut x = start();
            x.phone_number = bad.into();
            assert_eq!(param_of(&x), "phoneNumber", "{bad:?}");
        }
    }

    #[test]
    fn the_binding_message_must_match_vipps_pattern() {
        for good in ["ABCDE", "4MZ-CQ3", "12345678", "-----"] {
            assert_eq!(check_binding_message(good), Ok(()), "{good}");
        }
        for bad in [
            "ABCD",
            "ABCDEFGHI",
            "abcde",
            "AB CD",
            "ÆØÅ12",
            "AB_CD",
            "ABC\nD",
        ] {
            let mut x = start();
            x.binding_message = Some(bad.into());
            assert_eq!(param_of(&x), "bindingMessage", "{bad:?}");
        }
    }

    #[test]
    fn the_scope_needs_openid_and_refuses_the_legacy_nnin() {
        for bad in [
            "name email",
            "",
            "openid  name",
            "openid nnin",
            "nnin openid name",
            "openid \"x\"",
        ] {
            let mut x = start();
            x.scope = bad.into();
            assert_eq!(param_of(&x), "scope", "{bad:?}");
        }
        let e = check_ciba_scope("openid nnin").unwrap_err();
        assert!(e.message().contains("use nin"), "{e}");
        assert_eq!(check_ciba_scope("openid nin birthDate"), Ok(()));
    }

    #[test]
    fn the_redirect_uri_must_be_https() {
        for bad in [
            "http://shop.example/cb",
            "http://localhost/cb",
            "https://shop.example/cb#x",
            "shop.example/cb",
            "https://",
            "https://a b/",
        ] {
            let mut x = start();
            x.redirect_uri = Some(bad.into());
            assert_eq!(param_of(&x), "redirectUri", "{bad:?}");
        }
    }

    #[test]
    fn debug_shows_neither_the_phone_number_nor_the_secret() {
        let printed = format!("{:?}", start());
        assert!(
            !printed.contains("4712345678") && !printed.contains("SECRET-1"),
            "{printed}"
        );
    }

    #[test]
    fn reads_the_acknowledgement() {
        let res = HttpResponse::new(
            200,
            r#"{"auth_req_id":"VYGaaAMRkI6SyAm_uIywhxsN2K0","expires_in":600,"interval":5}"#,
        );
        assert_eq!(
            process_ciba_start_response(&res).unwrap(),
            CibaStartAnswer::Started(CibaStarted {
                auth_req_id: "VYGaaAMRkI6SyAm_uIywhxsN2K0".into(),
                expires_in: 600,
                interval: 5
            })
        );
        let res = HttpResponse::new(200, r#"{"auth_req_id":"a.b-c_d","expires_in":"120"}"#);
        let Ok(CibaStartAnswer::Started(started)) = process_ciba_start_response(&res) else {
            panic!("not started")
        };
        assert_eq!(
            started.interval, DEFAULT_INTERVAL_SEC,
            "CIBA 7.3: 5 when not sent"
        );
    }

    #[test]
    fn refuses_an_acknowledgement_of_the_wrong_shape() {
        let malformed = |body: &str| match process_ciba_start_response(&HttpResponse::new(
            200,
            body.to_owned(),
        ))
        .map_err(Error::into_kind)
        {
            Err(ErrorKind::ResponseMalformed { reason }) => reason,
            other => panic!("{body}: {other:?}"),
        };
        assert_eq!(
            malformed(r#"{"expires_in":600}"#),
            "`auth_req_id` is missing"
        );
        assert!(malformed(r#"{"auth_req_id":"a/b","expires_in":600}"#).contains("A-Z a-z 0-9"));
        assert!(malformed(&format!(
            r#"{{"auth_req_id":"{}","expires_in":600}}"#,
            "a".repeat(513)
        ))
        .contains("A-Z a-z 0-9"));
        assert_eq!(
            malformed(r#"{"auth_req_id":"a"}"#),
            "`expires_in` is missing"
        );
        assert_eq!(
            malformed(r#"{"auth_req_id":"a","expires_in":0}"#),
            field!("expires_in").invalid
        );
        assert_eq!(
            malformed(r#"{"auth_req_id":"a","expires_in":86401}"#),
            field!("expires_in").invalid
        );
        assert_eq!(
            malformed(r#"{"auth_req_id":"a","expires_in":60,"interval":0}"#),
            field!("interval").invalid
        );
        assert_eq!(
            malformed(r#"{"auth_req_id":"a","expires_in":60,"interval":301}"#),
            field!("interval").invalid
        );
    }

    #[test]
    fn a_429_is_an_answer_to_start_again_after_retry_after() {
        let mut res = HttpResponse::new(429, r#"{"error":"too_many_requests"}"#);
        assert_eq!(
            process_ciba_start_response(&res).unwrap(),
            CibaStartAnswer::RetryAfter(None)
        );
        res.headers.push(("Retry-After".into(), "30".into()));
        assert_eq!(
            process_ciba_start_response(&res).unwrap(),
            CibaStartAnswer::RetryAfter(Some(RetryAfter::Delay(30)))
        );
    }

    #[test]
    fn types_vipps_refusals_of_the_start() {
        let code = |status: u16, body: &str| {
            process_ciba_start_response(&HttpResponse::new(status, body.to_owned()))
                .unwrap_err()
                .into_kind()
        };
        assert_eq!(
            code(400, r#"{"error":"invalid_request","error_code":"old_app"}"#),
            ErrorKind::CibaIneligible {
                reason: IneligibleUser::OldApp
            }
        );
        assert_eq!(
            code(400, r#"{"error_code":"invalid_user"}"#),
            ErrorKind::CibaIneligible {
                reason: IneligibleUser::InvalidUser
            }
        );
        assert_eq!(
            code(400, r#"{"error":"unknown_user_id"}"#),
            ErrorKind::CibaIneligible {
                reason: IneligibleUser::UnknownUserId
            }
        );
        let e = code(503, r#"{"error":"server_error"}"#);
        assert_eq!((e.code(), e.http_status()), ("ERR_HTTP", Some(503)));
        let e = code(
            400,
            r#"{"error":"invalid_scope","error_description":"nnin"}"#,
        );
        assert_eq!(
            (e.code(), e.vipps_error()),
            ("ERR_HTTP", Some("invalid_scope"))
        );
        assert_eq!(
            code(401, r#"{"error":"invalid_client"}"#).http_status(),
            Some(401)
        );
    }
}
