//! `endpoints(env)`: the documented Vipps endpoints of an environment (Vipps Login API and
//! Access Token API).

use vipps_auth::discovery::{Endpoints, Environment};
use vipps_auth::Result;

use crate::input::{invalid, Input};
use crate::reply::{Members, Reply};

/// The endpoints of `"test"` (`apitest.vipps.no`) or `"production"` (`api.vipps.no`).
pub fn endpoints(input: &Input) -> Result<Reply> {
    // The core names its parameter `environment`; the JS function's is `env`.
    let env: Environment = input
        .string("env")?
        .parse()
        .map_err(|_| invalid("env", "must be \"test\" or \"production\""))?;
    let e = Endpoints::for_environment(env);
    Ok(Reply::Value(
        Members::new()
            .string("issuer", &e.issuer)
            .string("authorizationEndpoint", &e.authorization_endpoint)
            .string("tokenEndpoint", &e.token_endpoint)
            .string("jwksUri", &e.jwks_uri)
            .string("userinfoEndpoint", &e.userinfo_endpoint)
            .string("accessTokenEndpoint", &e.access_token_endpoint)
            .string("miamiTokenEndpoint", &e.miami_token_endpoint)
            .finish(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::ops::testing::{message, object, run};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";

    #[test]
    fn endpoints_of_each_environment_follow_the_documented_paths() {
        let e = object(run("endpoints", r#"{"env":"test"}"#));
        assert_eq!(e.get_str("issuer"), Some(ISSUER));
        assert_eq!(
            e.get_str("authorizationEndpoint"),
            Some(format!("{ISSUER}oauth2/auth").as_str())
        );
        assert_eq!(
            e.get_str("jwksUri"),
            Some(format!("{ISSUER}.well-known/jwks.json").as_str())
        );
        assert_eq!(
            e.get_str("accessTokenEndpoint"),
            Some("https://apitest.vipps.no/accesstoken/get")
        );
        let p = object(run("endpoints", r#"{"env":"production"}"#));
        assert_eq!(
            p.get_str("miamiTokenEndpoint"),
            Some("https://api.vipps.no/miami/v1/token")
        );
        assert!(p
            .get_str("userinfoEndpoint")
            .unwrap()
            .starts_with("https://api.vipps.no/"));
        assert!(p
            .get_str("tokenEndpoint")
            .unwrap()
            .ends_with("/oauth2/token"));
    }

    #[test]
    fn endpoints_refuse_an_unknown_environment_a_non_string_and_an_unreadable_request() {
        assert_eq!(
            message(run("endpoints", r#"{"env":"staging"}"#)),
            r#"invalid parameter `env`: must be "test" or "production""#
        );
        assert_eq!(
            message(run("endpoints", r#"{"env":3}"#)),
            "invalid parameter `env`: must be a string"
        );
        assert_eq!(
            message(run("endpoints", "{}")),
            "invalid parameter `env`: must be a string"
        );
        assert_eq!(
            message(run("endpoints", "[]")),
            "invalid parameter `arguments`: cannot be read"
        );
    }
}
