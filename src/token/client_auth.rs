//! How a client authenticates at Vipps Login's token endpoint and at its backchannel
//! (CIBA) authentication endpoint: with the sales unit's own keys (`client_secret_basic` or
//! `client_secret_post`, OpenID Connect Core 1.0 section 9, RFC 6749 section 2.3.1), or as a
//! Vipps partner on behalf of one of its merchants.
//!
//! Partners (Vipps Login API, "Partner keys",
//! <https://developer.vippsmobilepay.com/docs/APIs/login-api/api-guide/partner-keys/>) fetch an
//! Access Token API token with their partner keys (`POST /accesstoken/get`, see
//! [`super::access_token`]) and send it as `Authorization: Bearer <token>` with the merchant's
//! `Merchant-Serial-Number`; `client_secret_basic` and `client_secret_post` do not work for
//! them. The same applies to the backchannel endpoint ("Partner in Vipps Login from phone
//! number flow"). The ID token then names the merchant in its `msn` claim, which the partner
//! checks instead of `aud` ([`crate::id_token::Audience::Msn`]).

use alloc::{borrow::ToOwned, string::String, vec::Vec};

use crate::error::{ErrorKind, Result};
use crate::secret::{AccessToken, ClientSecret};

use super::fields::is_b64token;
use super::login::{basic_auth_header, check_plain, TokenEndpointAuth};

/// The client's credentials at the token and backchannel endpoints. `Debug` shows no secret
/// and no token.
#[derive(Debug, Clone)]
pub enum ClientAuth {
    /// The sales unit's own keys, sent as the portal's token endpoint authentication method
    /// says (`client_secret_basic` by default).
    ClientSecret {
        /// The sales unit's `client_id`.
        client_id: String,
        /// The sales unit's `client_secret`.
        client_secret: ClientSecret,
        /// `client_secret_basic` or `client_secret_post`.
        method: TokenEndpointAuth,
    },
    /// A Vipps partner acting for one of its merchants: `Authorization: Bearer <Access Token
    /// API token fetched with the partner keys>` and `Merchant-Serial-Number: <the merchant's
    /// MSN>`.
    Partner {
        /// The Access Token API token fetched with the partner keys.
        access_token: AccessToken,
        /// The merchant's serial number (4 to 6 digits), not the partner's own.
        msn: String,
    },
}

fn invalid(param: &'static str, reason: &'static str) -> crate::Error {
    ErrorKind::InvalidParams { param, reason }.into()
}

/// Whether `msn` is a merchant serial number: 4 to 6 digits (Vipps, "Access Token API").
pub(crate) fn is_msn(msn: &str) -> bool {
    (4..=6).contains(&msn.len()) && msn.bytes().all(|b| b.is_ascii_digit())
}

impl ClientAuth {
    /// Checks the credentials and adds them to a form request: the `Authorization` header
    /// (Basic or Bearer) and `Merchant-Serial-Number` to `headers`, or `client_id` and
    /// `client_secret` to the form `pairs` for `client_secret_post`.
    ///
    /// Refuses an empty or whitespace-holding client id and an empty secret (`clientId`,
    /// `clientSecret`), a partner token that is not an RFC 6750 `b64token` (`accessToken`:
    /// it goes into a header) and an MSN that is not 4 to 6 digits (`msn`).
    pub(crate) fn apply<'a>(
        &'a self,
        headers: &mut Vec<(String, String)>,
        pairs: &mut Vec<(&'a str, &'a str)>,
    ) -> Result<()> {
        match self {
            ClientAuth::ClientSecret {
                client_id,
                client_secret,
                method,
            } => {
                check_plain(client_id, "clientId")?;
                if client_secret.secret().is_empty() {
                    return Err(invalid("clientSecret", "is empty"));
                }
                match method {
                    TokenEndpointAuth::ClientSecretBasic => {
                        headers.push((
                            "Authorization".to_owned(),
                            basic_auth_header(client_id, client_secret),
                        ));
                    }
                    TokenEndpointAuth::ClientSecretPost => {
                        pairs.push(("client_id", client_id));
                        pairs.push(("client_secret", client_secret.secret()));
                    }
                }
            }
            ClientAuth::Partner { access_token, msn } => {
                if !is_b64token(access_token.secret()) {
                    return Err(invalid("accessToken", "is not an RFC 6750 b64token"));
                }
                if !is_msn(msn) {
                    return Err(invalid("msn", "must be 4 to 6 digits"));
                }
                let mut bearer = String::from("Bearer ");
                bearer.push_str(access_token.secret());
                headers.push(("Authorization".to_owned(), bearer));
                headers.push(("Merchant-Serial-Number".to_owned(), msn.clone()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Pairs = Vec<(String, String)>;

    /// The headers and form pairs `auth` adds.
    fn applied(auth: &ClientAuth) -> Result<(Pairs, Pairs)> {
        let mut headers = Vec::new();
        let mut pairs = Vec::new();
        auth.apply(&mut headers, &mut pairs)?;
        Ok((
            headers,
            pairs
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        ))
    }

    fn secret(method: TokenEndpointAuth) -> ClientAuth {
        ClientAuth::ClientSecret {
            client_id: "client-1".into(),
            client_secret: ClientSecret::new("SECRET-1"),
            method,
        }
    }

    fn partner(token: &str, msn: &str) -> ClientAuth {
        ClientAuth::Partner {
            access_token: AccessToken::new(token),
            msn: msn.into(),
        }
    }

    fn param_of(auth: &ClientAuth) -> &'static str {
        match applied(auth).map_err(crate::Error::into_kind) {
            Err(ErrorKind::InvalidParams { param, .. }) => param,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn basic_sends_an_authorization_header_and_nothing_in_the_body() {
        let (headers, pairs) = applied(&secret(TokenEndpointAuth::ClientSecretBasic)).unwrap();
        assert_eq!(
            headers,
            [(
                "Authorization".to_owned(),
                basic_auth_header("client-1", &ClientSecret::new("SECRET-1"))
            )]
        );
        assert!(pairs.is_empty());
    }

    #[test]
    fn post_sends_the_credentials_in_the_body_and_no_header() {
        let (headers, pairs) = applied(&secret(TokenEndpointAuth::ClientSecretPost)).unwrap();
        assert!(headers.is_empty());
        assert_eq!(
            pairs,
            [
                ("client_id".to_owned(), "client-1".to_owned()),
                ("client_secret".to_owned(), "SECRET-1".to_owned())
            ]
        );
    }

    #[test]
    fn a_partner_sends_its_access_token_as_bearer_and_the_merchants_msn() {
        let (headers, pairs) = applied(&partner("emu-at.TOKEN-xyz_1", "654321")).unwrap();
        assert_eq!(
            headers,
            [
                (
                    "Authorization".to_owned(),
                    "Bearer emu-at.TOKEN-xyz_1".to_owned()
                ),
                ("Merchant-Serial-Number".to_owned(), "654321".to_owned()),
            ]
        );
        assert!(pairs.is_empty(), "no client id or secret for partners");
    }

    #[test]
    fn refuses_a_partner_token_that_could_break_the_header_and_a_malformed_msn() {
        for bad in ["", "a b", "tok\r\nX-Injected: 1", "tøken"] {
            assert_eq!(param_of(&partner(bad, "123456")), "accessToken", "{bad:?}");
        }
        for bad in ["", "123", "1234567", "12a45", " 12345"] {
            assert_eq!(param_of(&partner("tok", bad)), "msn", "{bad:?}");
        }
        for good in ["1234", "12345", "123456"] {
            assert!(applied(&partner("tok", good)).is_ok(), "{good}");
        }
    }

    #[test]
    fn refuses_empty_or_broken_client_credentials() {
        let mut a = secret(TokenEndpointAuth::ClientSecretBasic);
        if let ClientAuth::ClientSecret { client_id, .. } = &mut a {
            client_id.clear();
        }
        assert_eq!(param_of(&a), "clientId");
        if let ClientAuth::ClientSecret { client_id, .. } = &mut a {
            *client_id = "a b".into();
        }
        assert_eq!(param_of(&a), "clientId");
        let a = ClientAuth::ClientSecret {
            client_id: "id".into(),
            client_secret: ClientSecret::new(""),
            method: TokenEndpointAuth::ClientSecretPost,
        };
        assert_eq!(param_of(&a), "clientSecret");
    }

    #[test]
    fn debug_shows_neither_the_secret_nor_the_token() {
        let printed = format!(
            "{:?} {:?}",
            secret(TokenEndpointAuth::ClientSecretPost),
            partner("TOKEN-abc", "123456")
        );
        assert!(
            !printed.contains("SECRET-1") && !printed.contains("TOKEN-abc"),
            "{printed}"
        );
        assert!(printed.contains("123456"));
    }
}
