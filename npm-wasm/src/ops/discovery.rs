//! `discover(issuerOrConfigUrl)`: OpenID Connect Discovery 1.0, sans-IO. Called without a
//! response it answers the fetch of the configuration (section 4.1); called again with the
//! response (`fetch.rs`) it answers the checked provider metadata, whose `issuer` must be
//! exactly the one asked for (section 4.3).

use vipps_auth::{discovery, Result};

use super::fetch;
use crate::input::Input;
use crate::reply::Reply;

/// How long the discovery fetch may take.
const DISCOVERY_TIMEOUT_MS: i64 = 10_000;

/// The fetch of the discovery document, or the checked document.
pub fn discover(input: &Input) -> Result<Reply> {
    let url = input.string("issuerOrConfigUrl")?;
    let request = discovery::discovery_request(url)?;
    match fetch::response(input)? {
        None => Ok(Reply::Need(
            "fetch",
            Some(fetch::describe(&request, DISCOVERY_TIMEOUT_MS)),
        )),
        Some(response) => {
            let metadata =
                discovery::process_discovery_response(&response, &discovery::issuer_from(url))?;
            Ok(Reply::Value(metadata.raw().to_json()))
        }
    }
}

#[cfg(test)]
mod tests {
    use vipps_auth::json::Value;

    use crate::ops::testing::{code, object, run, run_with, Slots};
    use crate::reply::Reply;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";

    fn document(issuer: &str) -> String {
        format!(
            r#"{{"issuer":"{issuer}","authorization_endpoint":"{ISSUER}oauth2/auth","token_endpoint":"{ISSUER}oauth2/token","jwks_uri":"{ISSUER}.well-known/jwks.json"}}"#
        )
    }

    #[test]
    fn discover_asks_for_the_fetch_of_the_configuration() {
        let Ok(Reply::Need("fetch", Some(fetch))) = run(
            "discover",
            &format!(r#"{{"issuerOrConfigUrl":"{ISSUER}"}}"#),
        ) else {
            panic!("expected a fetch");
        };
        let fetch = vipps_auth::json::parse_object(fetch.as_bytes()).unwrap();
        assert_eq!(
            fetch.get_str("url"),
            Some(format!("{ISSUER}.well-known/openid-configuration").as_str())
        );
        assert_eq!(fetch.get("timeoutMs").and_then(Value::as_i64), Some(10_000));
        assert_eq!(
            code(run("discover", r#"{"issuerOrConfigUrl":1}"#)),
            "ERR_INVALID_PARAMS"
        );
        assert_eq!(
            code(run(
                "discover",
                r#"{"issuerOrConfigUrl":"http://issuer.example/"}"#
            )),
            "ERR_INVALID_PARAMS"
        );
    }

    #[test]
    fn discover_checks_the_response_and_its_issuer() {
        let respond = |asked: &str, status: u16, body: &'static [u8]| {
            let request =
                format!(r#"{{"issuerOrConfigUrl":"{asked}","response":{{"status":{status}}}}}"#);
            run_with(
                "discover",
                &request,
                Slots {
                    body,
                    ..Slots::default()
                },
            )
        };
        let body: &'static [u8] = Box::leak(document(ISSUER).into_bytes().into_boxed_slice());
        let meta = object(respond(ISSUER, 200, body));
        assert_eq!(
            meta.get_str("jwks_uri"),
            Some(format!("{ISSUER}.well-known/jwks.json").as_str())
        );
        assert_eq!(
            code(respond("https://someone-else.example/", 200, body)),
            "ERR_DISCOVERY_ISSUER"
        );
        assert_eq!(code(respond(ISSUER, 500, b"")), "ERR_HTTP");
        let request =
            format!(r#"{{"issuerOrConfigUrl":"{ISSUER}","response":{{"failed":"timeout"}}}}"#);
        assert_eq!(code(run("discover", &request)), "ERR_TIMEOUT");
    }
}
