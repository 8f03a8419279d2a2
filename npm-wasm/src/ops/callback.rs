//! `parseCallback(callbackUrl, expectedState, opts?)`: the authorization response at the
//! redirect URI (RFC 6749 sections 4.1.2 and 4.1.2.1; RFC 9207 for its `iss`).

use vipps_auth::{callback, Result};

use crate::input::Input;
use crate::operations::PARSE_CALLBACK_OPTIONS;
use crate::reply::{Members, Reply};

/// `code` and `state` from the callback URL (or its query): `state` checked against the one
/// sent (`ERR_STATE_MISMATCH`), an `iss` against `opts.issuer` (`ERR_CALLBACK_ISSUER`); a
/// Vipps `error` is `ERR_AUTHORIZATION_RESPONSE` with Vipps' words.
pub fn parse_callback(input: &Input) -> Result<Reply> {
    let url = input.string("callbackUrl")?;
    let expected_state = input.string("expectedState")?;
    let issuer = match input.options("opts", &PARSE_CALLBACK_OPTIONS)? {
        Some(o) => o.string("issuer")?,
        None => None,
    };
    let cb = callback::parse_callback(url, expected_state, issuer)?;
    Ok(Reply::Value(
        Members::new()
            .string("code", cb.code.secret())
            .string("state", &cb.state)
            .finish(),
    ))
}

#[cfg(test)]
mod tests {
    use vipps_auth::json::Value;

    use crate::ops::testing::{code, object, run};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";

    fn parse(url: &str, opts: &str) -> vipps_auth::Result<crate::reply::Reply> {
        run(
            "parseCallback",
            &format!(r#"{{"callbackUrl":"{url}","expectedState":"state-12345","opts":{opts}}}"#),
        )
    }

    #[test]
    fn parse_callback_returns_the_code_and_checks_state() {
        let cb = object(parse(
            "https://app.example/cb?code=abc&state=state-12345",
            "null",
        ));
        assert_eq!(
            (cb.get_str("code"), cb.get_str("state")),
            (Some("abc"), Some("state-12345"))
        );
        assert_eq!(
            code(parse(
                "https://app.example/cb?code=abc&state=other-state",
                "null"
            )),
            "ERR_STATE_MISMATCH"
        );
        assert_eq!(
            code(run(
                "parseCallback",
                r#"{"callbackUrl":null,"expectedState":"x"}"#
            )),
            "ERR_INVALID_PARAMS"
        );
        assert_eq!(
            code(parse("?code=abc&state=state-12345", r#""issuer""#)),
            "ERR_INVALID_PARAMS"
        );
    }

    #[test]
    fn a_vipps_error_carries_its_words_as_the_cause() {
        let denied = parse("https://app.example/cb?error=access_denied&error_description=user%20cancelled&state=state-12345", "{}");
        let e = denied.unwrap_err();
        assert_eq!(e.code(), "ERR_AUTHORIZATION_RESPONSE");
        assert_eq!(
            (e.vipps_error(), e.vipps_error_description()),
            (Some("access_denied"), Some("user cancelled"))
        );
    }

    #[test]
    fn an_iss_must_be_the_issuer_given_rfc9207() {
        let with_iss = format!(
            "?code=abc&state=state-12345&iss={}",
            ISSUER.replace(':', "%3A").replace('/', "%2F")
        );
        let ok = object(parse(&with_iss, &format!(r#"{{"issuer":"{ISSUER}"}}"#)));
        assert_eq!(ok.get("code"), Some(&Value::from("abc")));
        assert_eq!(
            code(parse(&with_iss, r#"{"issuer":"https://other.example/"}"#)),
            "ERR_CALLBACK_ISSUER"
        );
        assert_eq!(code(parse(&with_iss, "null")), "ERR_CALLBACK_ISSUER");
        assert_eq!(
            code(parse("?error=access_denied", "null")),
            "ERR_STATE_MISMATCH"
        );
    }
}
