//! The Vipps Login authorization-code exchange at the token endpoint
//! (`<issuer>oauth2/token`): RFC 6749 section 4.1.3 with the PKCE `code_verifier` of
//! RFC 7636 section 4.5, and the client authentication of RFC 6749 section 2.3.1 or, for
//! partners, their Bearer token and `Merchant-Serial-Number` ([`ClientAuth`]) (Vipps,
//! "Login API: OAuth 2.0 Token",
//! <https://developer.vippsmobilepay.com/docs/APIs/login-api/api-guide/browser-flow-integration/>).
//!
//! Vipps Login issues no refresh tokens; codes live a couple of minutes and are single use
//! (a second exchange answers `invalid_grant`).

use alloc::{borrow::ToOwned, string::String, vec::Vec};
use core::fmt;
use core::str::FromStr;

use crate::base64;
use crate::error::{Error, ErrorKind, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::secret::{AccessToken, AuthorizationCode, ClientSecret, CodeVerifier};
use crate::urlencoded;

use super::client_auth::ClientAuth;
use super::fields::{self, field, MAX_EXPIRES_IN_SEC};
use super::FORM_CONTENT_TYPE;
use crate::url_check::check_endpoint_url;

/// How the client authenticates at the token endpoint (OpenID Connect Core 1.0 section 9).
/// Vipps sets one per sales unit in the portal; `client_secret_basic` is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenEndpointAuth {
    /// `client_secret_basic`: `Authorization: Basic` (RFC 6749 section 2.3.1).
    #[default]
    ClientSecretBasic,
    /// `client_secret_post`: `client_id` and `client_secret` in the form body.
    ClientSecretPost,
}

impl TokenEndpointAuth {
    /// The registered name (OAuth `token_endpoint_auth_method`, RFC 7591 section 2).
    pub fn as_str(self) -> &'static str {
        match self {
            TokenEndpointAuth::ClientSecretBasic => "client_secret_basic",
            TokenEndpointAuth::ClientSecretPost => "client_secret_post",
        }
    }
}

impl FromStr for TokenEndpointAuth {
    type Err = Error;

    /// Parses `client_secret_basic` or `client_secret_post` (exactly; the worker's
    /// `LOGIN_TOKEN_AUTH`).
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "client_secret_basic" => Ok(TokenEndpointAuth::ClientSecretBasic),
            "client_secret_post" => Ok(TokenEndpointAuth::ClientSecretPost),
            _ => Err(ErrorKind::InvalidParams {
                param: "tokenEndpointAuth",
                reason: "must be client_secret_basic or client_secret_post",
            }
            .into()),
        }
    }
}

/// Everything one code exchange needs. The code and verifier are moved in and consumed:
/// they are single use. `Debug` shows no secret, token, code or verifier.
#[derive(Debug)]
pub struct CodeExchange {
    /// The token endpoint, from discovery (`<issuer>oauth2/token`).
    pub token_endpoint: String,
    /// How the client authenticates: the sales unit's keys, or a partner's token and MSN.
    pub client: ClientAuth,
    /// The `code` from the callback.
    pub code: AuthorizationCode,
    /// The `redirect_uri` of the authorize request, exactly as sent there.
    pub redirect_uri: String,
    /// The PKCE verifier whose S256 challenge went into the authorize request.
    pub code_verifier: CodeVerifier,
}

/// A successful Login token response. `Debug` shows neither token.
#[derive(Clone)]
pub struct LoginTokenResponse {
    /// The access token for userinfo.
    pub access_token: AccessToken,
    /// The ID token (a compact JWS), still to be validated (OpenID Connect Core 3.1.3.7).
    pub id_token: String,
    /// `bearer` (Vipps sends it in lower case; checked ASCII case-insensitively).
    pub token_type: String,
    /// Lifetime of the access token in seconds, when sent.
    pub expires_in: Option<i64>,
    /// The granted scopes, space separated, when sent.
    pub scope: Option<String>,
}

impl fmt::Debug for LoginTokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginTokenResponse")
            .field("access_token", &self.access_token)
            .field("id_token", &"<redacted>")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish()
    }
}

/// Whether a credential byte must be percent-encoded by [`basic_auth_header`]: the bytes a
/// form-urlencoded decoder would otherwise change (`%`, `+`), and in the user-id the `:`
/// that RFC 7617 section 2 forbids there.
fn needs_escape(b: u8, is_user_id: bool) -> bool {
    b == b'%' || b == b'+' || (is_user_id && b == b':')
}

fn escape_credential(value: &str, is_user_id: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match u8::try_from(c) {
            Ok(b) if needs_escape(b, is_user_id) => out.push_str(match b {
                b'%' => "%25",
                b'+' => "%2B",
                _ => "%3A",
            }),
            _ => out.push(c),
        }
    }
    out
}

/// The `Authorization` header value for HTTP Basic client authentication, used for the
/// Login token endpoint (`client_secret_basic`) and the partner `miami` token endpoint.
///
/// # The encoding, and why
/// RFC 6749 section 2.3.1 says the client id and secret are each
/// `application/x-www-form-urlencoded` before `base64(id ":" secret)`; Vipps' guides
/// (Login "OAuth 2.0 Token", "Specialized authentication") show plain
/// `base64(client_id:client_secret)`, and Vipps' own WordPress plugin sends that. The two
/// agree for ids and secrets of unreserved characters, but Vipps secrets are base64
/// (`Y8Kteew6GE2ZmeycEt6egg==`), so they may hold `+`, `/` and `=`.
///
/// Vipps Login runs on an authorization server that form-decodes the Basic credentials
/// (its discovery document and `public:<uuid>` key ids are those of Ory Hydra, whose fosite
/// core `QueryUnescape`s them), and Vipps tells integrators to use certified OpenID
/// libraries, which encode per RFC 6749. A form decoder turns a raw `+` into a space and
/// reads `%xx` as an escape, but leaves `/`, `=` and every other byte alone.
///
/// So this function escapes exactly `%` (as `%25`) and `+` (as `%2B`), plus `:` (as `%3A`)
/// in the client id, where RFC 7617 forbids it, and leaves every other byte as it is.
/// A form-decoding server reads the exact credentials back for every input; and for every
/// credential without `%` or `+` (Vipps' own examples included) the header is byte for byte
/// Vipps' documented `base64(client_id:client_secret)`, so a server that does not decode
/// accepts it too. Only a secret holding `+` or `%` depends on the server decoding, as RFC
/// 6749 requires and Vipps Login's server does.
pub fn basic_auth_header(client_id: &str, client_secret: &ClientSecret) -> String {
    let user_pass = format!(
        "{}:{}",
        escape_credential(client_id, true),
        escape_credential(client_secret.secret(), false)
    );
    format!("Basic {}", base64::encode_std(user_pass.as_bytes()))
}

fn invalid(param: &'static str, reason: &'static str) -> Error {
    ErrorKind::InvalidParams { param, reason }.into()
}

/// Whether `v` is a PKCE `code_verifier`: 43 to 128 characters of `[A-Za-z0-9-._~]`
/// (RFC 7636 section 4.1).
fn is_code_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Refuses an empty value or one with whitespace or control characters.
pub(crate) fn check_plain(value: &str, param: &'static str) -> Result<()> {
    if value.is_empty() {
        return Err(invalid(param, "is empty"));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(param, "contains whitespace or control characters"));
    }
    Ok(())
}

/// Builds the token request of RFC 6749 section 4.1.3 with RFC 7636 section 4.5:
/// `POST <token_endpoint>`, form body `grant_type=authorization_code&code&redirect_uri&code_verifier`,
/// and the client authentication of [`ClientAuth`]: `Authorization: Basic` (see
/// [`basic_auth_header`]) for `client_secret_basic`, `client_id&client_secret` appended to
/// the body for `client_secret_post` (RFC 6749 section 2.3.1), or a partner's
/// `Authorization: Bearer` and `Merchant-Serial-Number` (Vipps Login API, "Partner keys":
/// "Token endpoint"). Consumes the single-use code and verifier.
pub fn code_exchange_request(x: CodeExchange) -> Result<HttpRequest> {
    check_endpoint_url(&x.token_endpoint, "tokenEndpoint")?;
    check_plain(x.code.secret(), "code")?;
    check_plain(&x.redirect_uri, "redirectUri")?;
    if !is_code_verifier(x.code_verifier.secret()) {
        return Err(invalid(
            "codeVerifier",
            "must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~",
        ));
    }
    let pairs = vec![
        ("grant_type", "authorization_code"),
        ("code", x.code.secret()),
        ("redirect_uri", x.redirect_uri.as_str()),
        ("code_verifier", x.code_verifier.secret()),
    ];
    form_request(&x.token_endpoint, &x.client, pairs)
}

/// `POST <endpoint>` with the form `pairs` and the client authentication of `client`
/// added (the shape of every token and backchannel request, RFC 6749 Appendix B).
pub(crate) fn form_request<'a>(
    endpoint: &str,
    client: &'a ClientAuth,
    mut pairs: Vec<(&'a str, &'a str)>,
) -> Result<HttpRequest> {
    let mut headers = vec![
        ("Content-Type".to_owned(), FORM_CONTENT_TYPE.to_owned()),
        ("Accept".to_owned(), "application/json".to_owned()),
    ];
    client.apply(&mut headers, &mut pairs)?;
    let body = urlencoded::encode_pairs(pairs).into_bytes();
    Ok(HttpRequest {
        method: Method::Post,
        url: endpoint.to_owned(),
        headers,
        body,
    })
}

/// Reads a Login token response (RFC 6749 section 5.1, OpenID Connect Core 1.0 section
/// 3.1.3.3): `access_token`, `id_token` (required: Vipps Login is OpenID Connect), a Bearer
/// `token_type`, and the optional `expires_in` (integer or digit string) and `scope`.
/// An OAuth error (RFC 6749 section 5.2: `invalid_grant` for a used or expired code,
/// `invalid_client` for wrong credentials) is [`ErrorKind::Http`] with `error` set.
pub fn process_code_exchange_response(res: &HttpResponse) -> Result<LoginTokenResponse> {
    let obj = res.json_object()?;
    Ok(LoginTokenResponse {
        access_token: fields::access_token(&obj)?,
        id_token: fields::required_string(&obj, field!("id_token"))?,
        token_type: fields::bearer_token_type(&obj)?,
        expires_in: fields::integer(&obj, field!("expires_in"), MAX_EXPIRES_IN_SEC)?,
        scope: fields::string(&obj, field!("scope"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENDPOINT: &str = "https://apitest.vipps.no/access-management-1.0/access/oauth2/token";
    const VERIFIER: &str = "VERIFIER-dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    fn exchange(method: TokenEndpointAuth) -> CodeExchange {
        CodeExchange {
            token_endpoint: ENDPOINT.into(),
            client: ClientAuth::ClientSecret {
                client_id: "fb492b5e-7907-4d83-ba20-c7fb60ca35de".into(),
                client_secret: ClientSecret::new("SECRET-Y8Kteew6GE2ZmeycEt6egg=="),
                method,
            },
            code: AuthorizationCode::new("CODE-shxuQPSLpKAiBrgD.Y5aH3P"),
            redirect_uri: "https://shop.example/callback?x=1".into(),
            code_verifier: CodeVerifier::new(VERIFIER),
        }
    }

    fn basic_decoded(header: &str) -> String {
        let b64 = header.strip_prefix("Basic ").unwrap();
        // Standard base64 decoding for the test only.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut bits = 0u32;
        let mut n = 0;
        let mut out = Vec::new();
        for c in b64.bytes().filter(|&c| c != b'=') {
            bits = (bits << 6) | alphabet.iter().position(|&a| a == c).unwrap() as u32;
            n += 6;
            if n >= 8 {
                n -= 8;
                out.push((bits >> n) as u8);
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn basic_auth_of_unreserved_credentials_is_plain_base64_of_id_colon_secret() {
        let h = basic_auth_header("client-id", &ClientSecret::new("secret"));
        assert_eq!(
            h,
            format!("Basic {}", base64::encode_std(b"client-id:secret"))
        );
        assert_eq!(basic_decoded(&h), "client-id:secret");
    }

    #[test]
    fn basic_auth_matches_vipps_documented_example_byte_for_byte() {
        let id = "123456-test-4a3d-a47c-412136fd0871";
        let secret = "testdzlJbUZaM1lqODlnUUtrUHI=";
        let h = basic_auth_header(id, &ClientSecret::new(secret));
        assert_eq!(
            h,
            format!(
                "Basic {}",
                base64::encode_std(format!("{id}:{secret}").as_bytes())
            )
        );
    }

    #[test]
    fn basic_auth_keeps_slash_equals_and_colon_in_the_secret() {
        let h = basic_auth_header("id", &ClientSecret::new("a/b=c:d"));
        assert_eq!(basic_decoded(&h), "id:a/b=c:d");
    }

    #[test]
    fn basic_auth_escapes_plus_and_percent_that_a_form_decoder_would_change() {
        let h = basic_auth_header("id", &ClientSecret::new("ab+c%2Fd"));
        assert_eq!(basic_decoded(&h), "id:ab%2Bc%252Fd");
        let decoded = urlencoded::decode_component("ab%2Bc%252Fd").unwrap();
        assert_eq!(decoded, "ab+c%2Fd");
    }

    #[test]
    fn basic_auth_escapes_a_colon_in_the_client_id() {
        let h = basic_auth_header("urn:client", &ClientSecret::new("s"));
        assert_eq!(basic_decoded(&h), "urn%3Aclient:s");
    }

    #[test]
    fn basic_auth_passes_non_ascii_through_as_utf8() {
        let h = basic_auth_header("id", &ClientSecret::new("blåbær"));
        assert_eq!(basic_decoded(&h), "id:blåbær");
    }

    #[test]
    fn token_endpoint_auth_parses_both_method_names() {
        assert_eq!(
            "client_secret_basic".parse::<TokenEndpointAuth>(),
            Ok(TokenEndpointAuth::ClientSecretBasic)
        );
        assert_eq!(
            "client_secret_post".parse::<TokenEndpointAuth>(),
            Ok(TokenEndpointAuth::ClientSecretPost)
        );
        assert_eq!(
            TokenEndpointAuth::ClientSecretPost.as_str(),
            "client_secret_post"
        );
        assert_eq!(
            TokenEndpointAuth::default(),
            TokenEndpointAuth::ClientSecretBasic
        );
    }

    #[test]
    fn token_endpoint_auth_refuses_other_method_names() {
        for bad in [
            "private_key_jwt",
            "none",
            "CLIENT_SECRET_BASIC",
            " client_secret_post",
            "",
        ] {
            assert_eq!(
                bad.parse::<TokenEndpointAuth>().unwrap_err().code(),
                "ERR_INVALID_PARAMS",
                "{bad:?}"
            );
        }
    }

    fn body_pairs(req: &HttpRequest) -> Vec<(String, String)> {
        urlencoded::decode_pairs(core::str::from_utf8(&req.body).unwrap()).unwrap()
    }

    #[test]
    fn basic_exchange_sends_the_form_body_and_basic_authorization() {
        let req = code_exchange_request(exchange(TokenEndpointAuth::ClientSecretBasic)).unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, ENDPOINT);
        assert_eq!(
            req.headers,
            vec![
                (
                    "Content-Type".to_owned(),
                    "application/x-www-form-urlencoded".to_owned()
                ),
                ("Accept".to_owned(), "application/json".to_owned()),
                (
                    "Authorization".to_owned(),
                    basic_auth_header(
                        "fb492b5e-7907-4d83-ba20-c7fb60ca35de",
                        &ClientSecret::new("SECRET-Y8Kteew6GE2ZmeycEt6egg==")
                    )
                ),
            ]
        );
        let pairs = body_pairs(&req);
        let expected: Vec<(String, String)> = [
            ("grant_type", "authorization_code"),
            ("code", "CODE-shxuQPSLpKAiBrgD.Y5aH3P"),
            ("redirect_uri", "https://shop.example/callback?x=1"),
            ("code_verifier", VERIFIER),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        assert_eq!(pairs, expected);
        assert!(!core::str::from_utf8(&req.body)
            .unwrap()
            .contains("client_secret"));
    }

    #[test]
    fn post_exchange_puts_the_client_credentials_in_the_body_and_sends_no_authorization() {
        let req = code_exchange_request(exchange(TokenEndpointAuth::ClientSecretPost)).unwrap();
        assert_eq!(req.header("Authorization"), None);
        assert_eq!(
            req.header("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        let pairs = body_pairs(&req);
        let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "grant_type",
                "code",
                "redirect_uri",
                "code_verifier",
                "client_id",
                "client_secret"
            ]
        );
        assert_eq!(pairs[4].1, "fb492b5e-7907-4d83-ba20-c7fb60ca35de");
        assert_eq!(pairs[5].1, "SECRET-Y8Kteew6GE2ZmeycEt6egg==");
        // `+`, `/` and `=` in the secret survive the form encoding.
        assert!(core::str::from_utf8(&req.body)
            .unwrap()
            .contains("client_secret=SECRET-Y8Kteew6GE2ZmeycEt6egg%3D%3D"));
    }

    fn param_of(x: CodeExchange) -> &'static str {
        match code_exchange_request(x).map_err(Error::into_kind) {
            Err(ErrorKind::InvalidParams { param, .. }) => param,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rejects_verifiers_outside_rfc_7636() {
        for bad in [
            "short".to_owned(),
            "a".repeat(42),
            "a".repeat(129),
            format!("{}!", "a".repeat(43)),
            format!("{} ", "a".repeat(43)),
        ] {
            let mut x = exchange(TokenEndpointAuth::ClientSecretBasic);
            x.code_verifier = CodeVerifier::new(bad);
            assert_eq!(param_of(x), "codeVerifier");
        }
        for good in [
            "a".repeat(43),
            "a".repeat(128),
            format!("{}-._~", "Z9".repeat(20)),
        ] {
            let mut x = exchange(TokenEndpointAuth::ClientSecretBasic);
            x.code_verifier = CodeVerifier::new(good);
            assert!(code_exchange_request(x).is_ok());
        }
    }

    #[test]
    fn rejects_empty_or_broken_inputs() {
        let mut x = exchange(TokenEndpointAuth::ClientSecretBasic);
        x.code = AuthorizationCode::new("");
        assert_eq!(param_of(x), "code");
        let mut x = exchange(TokenEndpointAuth::ClientSecretBasic);
        x.code = AuthorizationCode::new("CODE\r\n");
        assert_eq!(param_of(x), "code");
        let mut x = exchange(TokenEndpointAuth::ClientSecretBasic);
        x.redirect_uri = String::new();
        assert_eq!(param_of(x), "redirectUri");
        let mut x = exchange(TokenEndpointAuth::ClientSecretPost);
        x.client = ClientAuth::ClientSecret {
            client_id: "a b".into(),
            client_secret: ClientSecret::new("s"),
            method: TokenEndpointAuth::ClientSecretPost,
        };
        assert_eq!(param_of(x), "clientId");
        let mut x = exchange(TokenEndpointAuth::ClientSecretPost);
        x.client = ClientAuth::ClientSecret {
            client_id: "id".into(),
            client_secret: ClientSecret::new(""),
            method: TokenEndpointAuth::ClientSecretPost,
        };
        assert_eq!(param_of(x), "clientSecret");
        let mut x = exchange(TokenEndpointAuth::ClientSecretPost);
        x.token_endpoint =
            "http://apitest.vipps.no/access-management-1.0/access/oauth2/token".into();
        assert_eq!(param_of(x), "tokenEndpoint");
    }

    #[test]
    fn a_partner_exchanges_the_code_with_its_bearer_token_and_the_merchants_msn() {
        let mut x = exchange(TokenEndpointAuth::ClientSecretBasic);
        x.client = ClientAuth::Partner {
            access_token: AccessToken::new("PARTNER-TOKEN.abc"),
            msn: "654321".into(),
        };
        let req = code_exchange_request(x).unwrap();
        assert_eq!(
            req.header("Authorization"),
            Some("Bearer PARTNER-TOKEN.abc")
        );
        assert_eq!(req.header("Merchant-Serial-Number"), Some("654321"));
        let names: Vec<String> = body_pairs(&req).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["grant_type", "code", "redirect_uri", "code_verifier"],
            "no client id or secret in the body"
        );
        assert!(
            !format!("{req:?}").contains("PARTNER-TOKEN"),
            "Debug hides the partner token"
        );
    }

    #[test]
    fn debug_of_the_exchange_and_request_shows_no_secret_code_or_verifier() {
        let x = exchange(TokenEndpointAuth::ClientSecretPost);
        let printed_x = format!("{x:?}");
        let basic = code_exchange_request(exchange(TokenEndpointAuth::ClientSecretBasic)).unwrap();
        let post = code_exchange_request(x).unwrap();
        let printed = format!("{printed_x} {basic:?} {post:?}");
        for secret in [
            "SECRET",
            "CODE-",
            "VERIFIER",
            &basic.header("Authorization").unwrap()[6..],
        ] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
    }

    const OK_BODY: &str = r#"{"access_token":"TOKEN-hel39XaKjGH5tkCvIENGPNbsSHz1DLKluOat4qP-A4.WyV61hCK1E2snVs1aOvjOWZ",
        "id_token":"IDTOKEN-eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln","expires_in":3599,"scope":"openid","token_type":"bearer"}"#;

    #[test]
    fn reads_a_vipps_token_response() {
        let t = process_code_exchange_response(&HttpResponse::new(200, OK_BODY)).unwrap();
        assert!(t.access_token.secret().starts_with("TOKEN-hel39"));
        assert_eq!(
            t.id_token,
            "IDTOKEN-eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
        );
        assert_eq!(t.token_type, "bearer");
        assert_eq!(t.expires_in, Some(3599));
        assert_eq!(t.scope.as_deref(), Some("openid"));
    }

    #[test]
    fn reads_expires_in_as_a_string_and_allows_it_and_scope_absent() {
        let body =
            r#"{"access_token":"a","id_token":"h.p.s","token_type":"Bearer","expires_in":"3599"}"#;
        assert_eq!(
            process_code_exchange_response(&HttpResponse::new(200, body))
                .unwrap()
                .expires_in,
            Some(3599)
        );
        let body = r#"{"access_token":"a","id_token":"h.p.s","token_type":"Bearer"}"#;
        let t = process_code_exchange_response(&HttpResponse::new(200, body)).unwrap();
        assert_eq!((t.expires_in, t.scope), (None, None));
    }

    fn malformed(body: &str) -> &'static str {
        match process_code_exchange_response(&HttpResponse::new(200, body.to_owned()))
            .map_err(Error::into_kind)
        {
            Err(ErrorKind::ResponseMalformed { reason }) => reason,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn refuses_responses_without_access_token_or_id_token() {
        assert_eq!(
            malformed(r#"{"id_token":"h.p.s","token_type":"bearer"}"#),
            "`access_token` is missing"
        );
        assert_eq!(
            malformed(r#"{"access_token":"a","token_type":"bearer"}"#),
            "`id_token` is missing"
        );
        assert_eq!(
            malformed(r#"{"access_token":"a","id_token":"","token_type":"bearer"}"#),
            field!("id_token").invalid
        );
    }

    #[test]
    fn refuses_wrong_token_type_and_negative_expires_in() {
        assert_eq!(
            malformed(r#"{"access_token":"a","id_token":"h.p.s","token_type":"N_A"}"#),
            "`token_type` is not Bearer"
        );
        assert_eq!(
            malformed(
                r#"{"access_token":"a","id_token":"h.p.s","token_type":"bearer","expires_in":-60}"#
            ),
            field!("expires_in").invalid
        );
        assert_eq!(
            malformed(
                r#"{"access_token":"a","id_token":"h.p.s","token_type":"bearer","expires_in":"-60"}"#
            ),
            field!("expires_in").invalid
        );
    }

    #[test]
    fn oauth_errors_come_out_as_http_errors_with_the_error_code() {
        let body = r#"{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked"}"#;
        let err = process_code_exchange_response(&HttpResponse::new(400, body)).unwrap_err();
        assert_eq!(err.http_status(), Some(400));
        assert_eq!(err.vipps_error(), Some("invalid_grant"));
        assert!(err.vipps_error_description().unwrap().contains("expired"));
        let err = process_code_exchange_response(&HttpResponse::new(
            401,
            r#"{"error":"invalid_client"}"#,
        ))
        .unwrap_err();
        assert_eq!(
            (err.http_status(), err.vipps_error()),
            (Some(401), Some("invalid_client"))
        );
        let err = process_code_exchange_response(&HttpResponse::new(500, "Internal Server Error"))
            .unwrap_err();
        assert_eq!(
            err,
            ErrorKind::Http {
                status: 500,
                error: None,
                description: None
            }
            .into()
        );
    }

    #[test]
    fn debug_of_the_response_shows_neither_token() {
        let t = process_code_exchange_response(&HttpResponse::new(200, OK_BODY)).unwrap();
        let printed = format!("{t:?}");
        assert!(!printed.contains("TOKEN"), "{printed}");
        assert!(printed.contains("openid"));
    }
}
