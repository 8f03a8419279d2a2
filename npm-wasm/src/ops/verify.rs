//! `verifyJwt(token, keys, opts?)` and `validateIdToken(token, opts)`, sans-IO: the JS entry
//! (`js/verify.js`) gets the key set (fetching a remote one) and runs the one WebCrypto call;
//! the wasm decides everything else. A verification is the same operation called again as the
//! I/O it asks for is done, each call carrying the token (`call`'s `token`), the arguments (the
//! request) and, once at hand, the key set's JSON text (`call`'s `keys`):
//!
//! 1. Without `keys` (a remote set not fetched yet): the arguments and the token are checked,
//!    so a bad call fails before any fetch; the answer is `{"need": "keys"}`.
//! 2. With `keys`: `jose::verify` decides everything that needs no cryptography: refused
//!    header members, the algorithm (from the caller's allowed list), the one key (from the
//!    caller's set), the signature's shape. Without WebCrypto's outcome for that check, the
//!    answer is `{"need": "signature", "signature": {alg, key, jwk}}`: the algorithm, the key's
//!    RFC 7638 thumbprint (its name in the `KeySet`'s cache of imported keys) and the key as the
//!    JWK to import. The signing input and the signature are the token's own text, which the
//!    JS side slices itself (it parsed as three canonical base64url parts).
//! 3. With the request's `signature`, WebCrypto's outcome for that algorithm and key
//!    (`{alg, key, valid}`, or `{alg, key, failed}` when WebCrypto could not tell), and
//!    `clockMs`, the JS clock: the outcome completes the check (`SignatureCheck::finish`, which
//!    alone makes a `VerifiedJwt`), and only then are the claims validated (OpenID Connect
//!    Core 1.0 section 3.1.3.7) for an ID token. The answer is the token's own header and
//!    claims JSON text, which parsed strictly: nothing is serialized again. An outcome for
//!    another algorithm or key than the one step 2 chooses is not believed: the answer is
//!    step 2's, asking for the right check.
//!
//! Nothing is kept between the calls: each parses the token and finds its key set among the
//! parsed ones by its text (`key_sets.rs`). The JS side may send an outcome with its first call
//! when it has seen the same header checked with the same key set before (it remembers the
//! check asked for); rule 3's last sentence makes that safe.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use vipps_auth::id_token::{self, Audience, IdTokenExpectations};
use vipps_auth::jose::alg::DEFAULT_ALGORITHMS;
use vipps_auth::jose::{jwt, verify, Algorithm};
use vipps_auth::json::Value;
use vipps_auth::secret::AccessToken;
use vipps_auth::{Error, ErrorKind, Result};

use super::jwt::parts;
use crate::input::{floor, invalid, Fields, Input};
use crate::key_sets;
use crate::operations::{VALIDATE_ID_TOKEN_OPTIONS, VERIFY_OPTIONS};
use crate::reply::{Members, Reply};

/// What the caller asked for: the allowed algorithms and, for `validateIdToken`, what the ID
/// token must be and the time the caller gave (`now`).
struct Expected {
    allowed: Vec<Algorithm>,
    id_token: Option<(IdTokenExpectations, Option<i64>)>,
}

/// The allowed algorithms of an options object's `algorithms` (default `["RS256"]`).
fn algorithms(opts: Option<&Fields<'_>>) -> Result<Vec<Algorithm>> {
    match opts.map(|o| o.strings("algorithms")).transpose()?.flatten() {
        None => Ok(DEFAULT_ALGORITHMS.to_vec()),
        Some(names) => Algorithm::parse_allowed(names),
    }
}

/// `verifyJwt`: steps 1 to 3 on `[token, keys, opts?]`.
pub fn verify_jwt(input: &Input) -> Result<Reply> {
    let opts = input.options("opts", &VERIFY_OPTIONS)?;
    verify(
        input,
        Expected {
            allowed: algorithms(opts.as_ref())?,
            id_token: None,
        },
    )
}

/// `validateIdToken`: steps 1 to 3 on `[token, opts]`.
pub fn validate_id_token(input: &Input) -> Result<Reply> {
    let o = input.required_options("opts", &VALIDATE_ID_TOKEN_OPTIONS)?;
    let issuer = o.required_string("issuer")?;
    let audience = match (o.string("clientId")?, o.string("msn")?) {
        (Some(id), None) => Audience::ClientId(id.to_owned()),
        (None, Some(msn)) => Audience::Msn(msn.to_owned()),
        (Some(_), Some(_)) => {
            return Err(invalid("clientId", "give either clientId or msn, not both"))
        }
        (None, None) => {
            return Err(invalid(
                "clientId",
                "clientId (or msn for partners) is required",
            ))
        }
    };
    let mut expected = IdTokenExpectations::new(issuer, audience);
    expected.nonce = o.string("nonce")?.map(str::to_owned);
    let allowed = algorithms(Some(&o))?;
    if let Some(t) = o.whole_number("clockToleranceSec")? {
        expected.clock_tolerance_sec = t;
    }
    let now = match o.number("now")? {
        None => None,
        Some(n) if (0.0..=9.0e15).contains(&n) => Some(floor(n)),
        Some(_) => return Err(invalid("now", "must be epoch seconds")),
    };
    expected.max_age_sec = o.whole_number("maxAgeSec")?;
    expected.access_token = o.string("accessToken")?.map(AccessToken::new);
    verify(
        input,
        Expected {
            allowed,
            id_token: Some((expected, now)),
        },
    )
}

/// Steps 1 to 3 (see the module documentation).
fn verify(input: &Input, expected: Expected) -> Result<Reply> {
    let token = jwt::parse(input.token())?;
    let Some(keys) = input.keys else {
        return Ok(Reply::Need("keys", None));
    };
    let outcome = input.outcome("signature");
    key_sets::with_set(keys, |set| {
        let check =
            verify::prepare_owned(token, set.set(), &expected.allowed).map_err(|(e, _)| e)?;
        let (thumbprint, jwk) = set
            .import(check.key())
            .ok_or(ErrorKind::KeyNotFound { kid: None })?;
        let Some(valid) = outcome
            .map(|o| signature_valid(o, check.alg(), thumbprint))
            .transpose()?
            .flatten()
        else {
            let signature = Members::new()
                .string("alg", check.alg().name())
                .string("key", thumbprint)
                .json("jwk", jwk)
                .finish();
            return Ok(Reply::Need("signature", Some(signature)));
        };
        let verified = check.finish(valid)?;
        match &expected.id_token {
            None => Ok(Reply::Value(parts(
                verified.header_json(),
                verified.claims_json(),
            ))),
            Some((id_token, now)) => {
                let now = match now {
                    Some(now) => *now,
                    None => floor(clock_ms(input)? / 1000.0),
                };
                id_token::validate(&verified, id_token, now)?;
                Ok(Reply::Value(verified.claims_json().to_owned()))
            }
        }
    })?
}

/// WebCrypto's outcome `outcome` for the check of `alg` with the key named `key`: whether the
/// signature verified, `None` when the outcome is for another check (not believed), or the
/// error for why WebCrypto could not tell (an import it refused `ERR_KEY_UNSUITABLE`;
/// WebCrypto missing or failing `ERR_CRYPTO`).
fn signature_valid(outcome: &Value, alg: Algorithm, key: &str) -> Result<Option<bool>> {
    let unreadable = || invalid("signature", "cannot be read");
    let o = outcome.as_object().ok_or_else(unreadable)?;
    if o.get_str("alg") != Some(alg.name()) || o.get_str("key") != Some(key) {
        return Ok(None);
    }
    if let Some(valid) = o.get("valid").and_then(Value::as_bool) {
        return Ok(Some(valid));
    }
    let crypto = |reason: &str| {
        Error::from(ErrorKind::Crypto {
            reason: reason.to_owned(),
        })
    };
    Err(match o.get_str("failed") {
        Some("import") => ErrorKind::KeyUnsuitable {
            reason: "WebCrypto refused to import the key",
        }
        .into(),
        Some("unavailable") => {
            crypto("crypto.subtle is unavailable (WebCrypto needs a secure context)")
        }
        Some("verify") => match o.get_str("reason") {
            Some(reason) => ErrorKind::Crypto {
                reason: reason.chars().take(256).collect::<String>(),
            }
            .into(),
            None => crypto("a non-Error value was thrown"),
        },
        _ => unreadable(),
    })
}

/// The JS clock the request carries with the signature's outcome, in milliseconds.
fn clock_ms(input: &Input) -> Result<f64> {
    match input.outcome("clockMs") {
        Some(Value::Number(n)) => vipps_auth::text::parse_number(n.as_str())
            .ok_or_else(|| invalid("clockMs", "cannot be read")),
        _ => Err(invalid("clockMs", "cannot be read")),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use alloc::string::String;

    use vipps_auth::json::{self, Object, Value};

    use crate::ops::testing::{code, message, object, run_with, Slots};
    use crate::reply::Reply;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// RFC 7515 appendix A.2: an RS256 JWS and its key.
    pub const RFC7515_A2: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
    /// The modulus of RFC 7515 appendix A.2's key.
    pub const RFC7515_A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

    /// A JWK set of RFC 7515 appendix A.2's key, with `extra` members in the key.
    pub fn jwks_with(extra: &str) -> String {
        format!(r#"{{"keys":[{{"kty":"RSA"{extra},"n":"{RFC7515_A2_N}","e":"AQAB"}}]}}"#)
    }

    /// A JWK set of RFC 7515 appendix A.2's key.
    pub fn jwks() -> String {
        jwks_with("")
    }

    fn thumbprint() -> String {
        vipps_auth::jose::jwk::JwkSet::parse(jwks().as_bytes())
            .unwrap()
            .keys()[0]
            .thumbprint()
    }

    /// Runs `op` with the RFC 7515 A.2 token, the key set `keys` and the `request` members.
    fn call(op: &str, request: &str, keys: Option<&str>) -> vipps_auth::Result<Reply> {
        run_with(
            op,
            &format!("{{{request}}}"),
            Slots {
                token: RFC7515_A2,
                keys,
                body: b"",
            },
        )
    }

    /// The `signature` outcome of the A.2 key under RS256, with `rest` (e.g. `"valid":true`).
    fn outcome(rest: &str) -> String {
        format!(
            r#""signature":{{"alg":"RS256","key":"{}",{rest}}},"clockMs":1300819000000"#,
            thumbprint()
        )
    }

    fn need(result: vipps_auth::Result<Reply>) -> (&'static str, Option<Object>) {
        match result {
            Ok(Reply::Need(need, detail)) => (
                need,
                detail.map(|d| json::parse_object(d.as_bytes()).unwrap()),
            ),
            other => panic!("expected a need, got {other:?}"),
        }
    }

    #[test]
    fn without_keys_the_arguments_and_token_are_checked_and_the_keys_asked_for() {
        assert_eq!(need(call("verifyJwt", "", None)).0, "keys");
        assert_eq!(
            code(call(
                "verifyJwt",
                r#""opts":{"algorithms":["HS256"]}"#,
                None
            )),
            "ERR_INVALID_PARAMS"
        );
        assert_eq!(
            code(run_with(
                "verifyJwt",
                "{}",
                Slots {
                    token: "a.b",
                    ..Slots::default()
                }
            )),
            "ERR_JWT_MALFORMED"
        );
    }

    #[test]
    fn with_keys_the_signature_check_is_asked_for_with_the_key_to_import() {
        let (need, check) = need(call("verifyJwt", "", Some(&jwks())));
        let check = check.unwrap();
        assert_eq!((need, check.get_str("alg")), ("signature", Some("RS256")));
        assert_eq!(
            check.get_str("key"),
            Some(thumbprint().as_str()),
            "the RFC 7638 thumbprint names the key"
        );
        let jwk = check.get("jwk").and_then(Value::as_object).unwrap();
        assert_eq!(jwk.get_str("kty"), Some("RSA"));
        assert_eq!(
            check.len(),
            3,
            "alg, key and jwk only: the token's text is the JS side's"
        );
        assert_eq!(
            code(call(
                "verifyJwt",
                r#""opts":{"algorithms":["ES256"]}"#,
                Some(&jwks())
            )),
            "ERR_ALG_NOT_ALLOWED"
        );
        assert_eq!(
            code(call(
                "verifyJwt",
                "",
                Some(&jwks_with(r#","kid":"x","use":"enc""#))
            )),
            "ERR_KEY_NOT_FOUND"
        );
        assert_eq!(
            code(call("verifyJwt", "", Some("{not json"))),
            "ERR_JWKS_MALFORMED"
        );
    }

    #[test]
    fn the_token_is_believed_only_when_webcrypto_verified_that_key() {
        let parts = object(call(
            "verifyJwt",
            &outcome(r#""valid":true"#),
            Some(&jwks()),
        ));
        assert_eq!(
            parts
                .get("claims")
                .unwrap()
                .as_object()
                .unwrap()
                .get("exp")
                .and_then(Value::as_i64),
            Some(1300819380)
        );
        assert_eq!(
            parts
                .get("header")
                .unwrap()
                .as_object()
                .unwrap()
                .get_str("alg"),
            Some("RS256")
        );
        assert_eq!(
            code(call(
                "verifyJwt",
                &outcome(r#""valid":false"#),
                Some(&jwks())
            )),
            "ERR_SIGNATURE_INVALID"
        );
        // An outcome for another key (or algorithm) than the one chosen is not believed: the
        // answer asks for the right check.
        let other_key =
            r#""signature":{"alg":"RS256","key":"another-thumbprint","valid":true},"clockMs":0"#;
        let (asked, check) = need(call("verifyJwt", other_key, Some(&jwks())));
        assert_eq!(
            (asked, check.unwrap().get_str("key")),
            ("signature", Some(thumbprint().as_str()))
        );
        let other_alg = outcome(r#""valid":true"#).replace("RS256", "ES256");
        assert_eq!(
            need(call("verifyJwt", &other_alg, Some(&jwks()))).0,
            "signature"
        );
        let other_key_failed =
            r#""signature":{"alg":"RS256","key":"another-thumbprint","failed":"import"}"#;
        assert_eq!(
            need(call("verifyJwt", other_key_failed, Some(&jwks()))).0,
            "signature"
        );
        assert_eq!(
            code(call("verifyJwt", r#""signature":true"#, Some(&jwks()))),
            "ERR_INVALID_PARAMS"
        );
    }

    #[test]
    fn webcrypto_failures_are_the_cores_errors() {
        let failed = |rest: &str| message(call("verifyJwt", &outcome(rest), Some(&jwks())));
        assert_eq!(
            failed(r#""failed":"import""#),
            "the key cannot be used: WebCrypto refused to import the key"
        );
        assert_eq!(
            failed(r#""failed":"unavailable""#),
            "cryptography error: crypto.subtle is unavailable (WebCrypto needs a secure context)"
        );
        assert_eq!(
            failed(r#""failed":"verify","reason":"OperationError: x""#),
            "cryptography error: OperationError: x"
        );
        assert_eq!(
            failed(r#""failed":"verify""#),
            "cryptography error: a non-Error value was thrown"
        );
    }

    fn id_opts(extra: &str) -> String {
        format!(r#""opts":{{"issuer":"joe","clientId":"client-1"{extra}}}"#)
    }

    #[test]
    fn validate_id_token_arguments_are_checked_before_the_keys_are_asked_for() {
        assert_eq!(need(call("validateIdToken", &id_opts(""), None)).0, "keys");
        for (extra, expected) in [
            (
                r#","now":"soon""#,
                "invalid parameter `now`: must be a finite number",
            ),
            (
                r#","now":-5"#,
                "invalid parameter `now`: must be epoch seconds",
            ),
            (
                r#","msn":"123456""#,
                "invalid parameter `clientId`: give either clientId or msn, not both",
            ),
            (
                r#","clockToleranceSec":1.5"#,
                "invalid parameter `clockToleranceSec`: must be a non-negative whole number",
            ),
            (
                r#","algorithms":"RS256""#,
                "invalid parameter `algorithms`: must be an array of strings",
            ),
            (
                r#","accessToken":{"a":1}"#,
                "invalid parameter `accessToken`: must be a string",
            ),
        ] {
            assert_eq!(
                message(call("validateIdToken", &id_opts(extra), None)),
                expected,
                "{extra}"
            );
        }
        assert_eq!(
            message(call("validateIdToken", r#""opts":"x""#, None)),
            "invalid parameter `opts`: must be an object"
        );
        assert_eq!(
            message(call("validateIdToken", "", None)),
            "invalid parameter `opts`: must be an object"
        );
        assert_eq!(
            message(call("validateIdToken", r#""opts":{"clientId":"c"}"#, None)),
            "invalid parameter `issuer`: is required"
        );
    }

    #[test]
    fn validate_id_token_applies_the_claim_rules_only_after_the_signature() {
        // RFC 7515 A.2 has no aud: the claim rules refuse it, but only after a valid signature.
        let request =
            |valid: &str| format!("{},{}", id_opts(r#","now":1300819000"#), outcome(valid));
        assert_eq!(
            code(call(
                "validateIdToken",
                &request(r#""valid":false"#),
                Some(&jwks())
            )),
            "ERR_SIGNATURE_INVALID"
        );
        let after = call(
            "validateIdToken",
            &request(r#""valid":true"#),
            Some(&jwks()),
        )
        .unwrap_err();
        assert_eq!(after.code(), "ERR_CLAIM_MISSING", "{after:?}");
        assert_eq!(
            after.cause(),
            Some(vipps_auth::Cause::Claim {
                claim: "aud",
                expected: None,
                found: None
            })
        );
    }

    #[test]
    fn validate_id_token_reads_the_time_from_now_else_the_js_clock() {
        // Issuer "joe", no aud: with the issuer wrong the first rule to fail names `iss`, at
        // whatever time; the clock must be there when no `now` is given.
        let wrong_issuer = r#""opts":{"issuer":"someone","clientId":"c"}"#;
        let without_clock = format!(
            r#"{wrong_issuer},"signature":{{"alg":"RS256","key":"{}","valid":true}}"#,
            thumbprint()
        );
        assert_eq!(
            message(call("validateIdToken", &without_clock, Some(&jwks()))),
            "invalid parameter `clockMs`: cannot be read"
        );
        let with_clock = format!("{wrong_issuer},{}", outcome(r#""valid":true"#));
        assert_eq!(
            code(call("validateIdToken", &with_clock, Some(&jwks()))),
            "ERR_CLAIM_ISSUER"
        );
    }

    #[test]
    fn two_key_sets_in_turn_each_answer_their_own_key() {
        let other =
            jwks_with(r#","kid":"other""#).replace(&RFC7515_A2_N[..20], "pfgWCuLjybRlzo0tZWJj");
        for _ in 0..3 {
            let (_, mine) = need(call("verifyJwt", "", Some(&jwks())));
            assert_eq!(mine.unwrap().get_str("key"), Some(thumbprint().as_str()));
            let (_, theirs) = need(call("verifyJwt", "", Some(&other)));
            assert_ne!(theirs.unwrap().get_str("key"), Some(thumbprint().as_str()));
        }
    }
}
