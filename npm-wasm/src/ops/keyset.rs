//! The sans-IO half of `KeySet` (RFC 7517 section 5 JWK sets; OpenID Connect Core 1.0
//! section 10.1.1 on key rotation). The JS class (`js/keyset.js`) keeps the JWK set as JSON
//! text, and fetches, caches and single-flights remote sets; these operations check what it
//! is given: the `fromJwks` argument, the `remote` arguments, and each fetched JWK set.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use vipps_auth::http::{HttpRequest, Method};
use vipps_auth::jose::jwk::JwkSet;
use vipps_auth::json::Value;
use vipps_auth::url_check::check_endpoint_url;
use vipps_auth::{ErrorKind, Result};

use super::fetch;
use crate::input::{invalid, reason, round, Fields, Input};
use crate::operations::REMOTE_KEY_SET_OPTIONS;
use crate::reply::{Members, Reply};

/// `KeySet.fromJwks(jwks)`: the JWK set's JSON text once it parses (given as an object or as
/// JSON text).
pub fn from_jwks(input: &Input) -> Result<Reply> {
    let text = match input.jwks("jwks") {
        Some(Value::String(s)) => s.clone(),
        Some(v @ Value::Object(_)) => v.to_json(),
        _ => return Err(invalid("jwks", reason::JWKS)),
    };
    JwkSet::parse(text.as_bytes())?;
    Ok(Reply::string(&text))
}

/// A duration option in seconds, as whole milliseconds.
fn seconds_option(opts: Option<&Fields<'_>>, name: &'static str, default: f64) -> Result<i64> {
    match opts.map(|o| o.number(name)).transpose()?.flatten() {
        None => Ok((default * 1000.0) as i64),
        Some(n) if (0.0..=31_536_000.0).contains(&n) => Ok(round(n * 1000.0)),
        Some(_) => Err(invalid(name, "must be between 0 and 31536000")),
    }
}

/// `KeySet.remote(jwksUri, opts?)`. Without a `response`: the checked settings, defaults
/// applied (cache 600 s, cooldown 30 s, timeout 5000 ms), as `{fetch, maxAgeMs, cooldownMs}`
/// where `fetch` describes the GET of the set (`fetch.rs`). The URI follows the one URL rule of
/// every endpoint (`url_check`: https, or http on loopback). With the `response` of that
/// fetch: the fetched JWK set's JSON text (`ERR_HTTP` for a non-2xx status, with Vipps' words;
/// `ERR_JWKS_MALFORMED` for a body that is not a JWK set).
pub fn remote(input: &Input) -> Result<Reply> {
    let uri = input.string("jwksUri")?;
    check_endpoint_url(uri, "jwksUri")?;
    let opts = input.options("opts", &REMOTE_KEY_SET_OPTIONS)?;
    let max_age = seconds_option(opts.as_ref(), "cacheMaxAgeSec", 600.0)?;
    let cooldown = seconds_option(opts.as_ref(), "cooldownSec", 30.0)?;
    let timeout = match opts
        .as_ref()
        .map(|o| o.number("timeoutMs"))
        .transpose()?
        .flatten()
    {
        None => 5000,
        Some(n) if (1.0..=600_000.0).contains(&n) => n as i64,
        Some(_) => return Err(invalid("timeoutMs", "must be between 1 and 600000")),
    };
    if let Some(response) = fetch::response(input)? {
        JwkSet::parse(&response.error_for_status()?.body)?;
        // A set that parsed is UTF-8; `from_utf8_lossy` would add ~1 KB for nothing.
        let text = core::str::from_utf8(input.body).map_err(|_| ErrorKind::JwksMalformed {
            reason: "the JWK set is not UTF-8",
        })?;
        return Ok(Reply::string(text));
    }
    let request = HttpRequest {
        method: Method::Get,
        url: uri.into(),
        headers: vec![(String::from("Accept"), String::from("application/json"))],
        body: Vec::new(),
    };
    Ok(Reply::Value(
        Members::new()
            .json("fetch", &fetch::describe(&request, timeout))
            .integer("maxAgeMs", max_age)
            .integer("cooldownMs", cooldown)
            .finish(),
    ))
}

#[cfg(test)]
mod tests {
    use vipps_auth::json::{self, Value};

    use crate::ops::testing::{code, message, object, run, run_with, string, Slots};
    use crate::ops::verify::tests::jwks;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const REMOTE: &str = r#""jwksUri":"https://x.example/jwks""#;

    #[test]
    fn from_jwks_takes_an_object_or_json_text_and_answers_the_text() {
        let text = string(run("KeySet.fromJwks", &format!(r#"{{"jwks":{}}}"#, jwks())));
        assert_eq!(
            json::parse(text.as_bytes()).unwrap(),
            json::parse(jwks().as_bytes()).unwrap()
        );
        let quoted = crate::reply::quoted(&jwks());
        assert_eq!(
            string(run("KeySet.fromJwks", &format!(r#"{{"jwks":{quoted}}}"#))),
            jwks()
        );
        assert_eq!(
            code(run("KeySet.fromJwks", r#"{"jwks":"{not json"}"#)),
            "ERR_JWKS_MALFORMED"
        );
        assert_eq!(
            message(run("KeySet.fromJwks", r#"{"jwks":5}"#)),
            "invalid parameter `jwks`: must be an object or a JSON string"
        );
        assert_eq!(
            code(run("KeySet.fromJwks", r#"{"jwks":[]}"#)),
            "ERR_INVALID_PARAMS"
        );
    }

    #[test]
    fn remote_applies_the_defaults_and_describes_the_fetch() {
        let settings = object(run(
            "KeySet.remote",
            &format!(r#"{{{REMOTE},"opts":{{"cacheMaxAgeSec":0.3}}}}"#),
        ));
        let ms = |name| settings.get(name).and_then(Value::as_i64);
        assert_eq!((ms("maxAgeMs"), ms("cooldownMs")), (Some(300), Some(30000)));
        let fetch = settings.get("fetch").unwrap().as_object().unwrap();
        assert_eq!(fetch.get_str("url"), Some("https://x.example/jwks"));
        assert_eq!(fetch.get("timeoutMs").and_then(Value::as_i64), Some(5000));
        assert_eq!(
            fetch.get("headers").unwrap().to_json(),
            r#"{"Accept":"application/json"}"#
        );
        assert_eq!(
            message(run(
                "KeySet.remote",
                &format!(r#"{{{REMOTE},"opts":{{"cooldownSec":"1"}}}}"#)
            )),
            "invalid parameter `cooldownSec`: must be a finite number"
        );
        assert_eq!(
            code(run(
                "KeySet.remote",
                &format!(r#"{{{REMOTE},"opts":{{"timeoutMs":0}}}}"#)
            )),
            "ERR_INVALID_PARAMS"
        );
    }

    #[test]
    fn remote_follows_the_one_url_rule_of_every_endpoint() {
        // https, or http on loopback only (src/url_check.rs): a JWKS fetched over plain http
        // from another host could be swapped by anyone on the path.
        for ok in [
            "https://x.example/jwks",
            "http://127.0.0.1:8080/jwks",
            "http://localhost/jwks",
            "http://[::1]:1/jwks",
        ] {
            assert!(
                run("KeySet.remote", &format!(r#"{{"jwksUri":"{ok}"}}"#)).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "http://x.example/jwks",
            "ftp://x/jwks",
            "https://user@x.example/jwks",
            "https://x.example/jwks#f",
            "//x.example/jwks",
            "https://x.example/a b",
        ] {
            assert_eq!(
                code(run("KeySet.remote", &format!(r#"{{"jwksUri":"{bad}"}}"#))),
                "ERR_INVALID_PARAMS",
                "{bad}"
            );
        }
    }

    #[test]
    fn a_fetched_set_is_checked_and_answered_as_its_text() {
        let fetched = |response: &str, body: &'static [u8]| {
            run_with(
                "KeySet.remote",
                &format!(r#"{{{REMOTE},"response":{response}}}"#),
                Slots {
                    body,
                    ..Slots::default()
                },
            )
        };
        let body: &'static [u8] = Box::leak(jwks().into_bytes().into_boxed_slice());
        assert_eq!(string(fetched(r#"{"status":200}"#, body)), jwks());
        let down = fetched(r#"{"status":503}"#, br#"{"error":"unavailable"}"#).unwrap_err();
        assert_eq!(
            (down.code(), down.vipps_error(), down.http_status()),
            ("ERR_HTTP", Some("unavailable"), Some(503))
        );
        assert_eq!(
            code(fetched(r#"{"status":200}"#, b"<html>")),
            "ERR_JWKS_MALFORMED"
        );
        assert_eq!(code(fetched(r#"{"failed":"timeout"}"#, b"")), "ERR_TIMEOUT");
        assert_eq!(
            code(fetched(r#"{"failed":"tooLarge"}"#, b"")),
            "ERR_RESPONSE_MALFORMED"
        );
        assert_eq!(
            message(fetched(
                r#"{"failed":"network","reason":"TypeError: fetch failed"}"#,
                b""
            )),
            "network error: TypeError: fetch failed"
        );
        assert_eq!(
            message(fetched(r#"{"failed":"network"}"#, b"")),
            "network error: a non-Error value was thrown"
        );
    }
}
