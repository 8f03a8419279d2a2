//! The wasm operations behind the JS API (`vipps_auth::js`, dispatched by the `call`
//! export), with arguments as the entry module encodes them (a JSON array) and
//! answers as it reads them (`{ok}` / `{err}`). What is async in the API (`verifyJwt`,
//! `validateIdToken`, `discover`, remote key sets) runs in JS: tests/node and
//! tests/browser-smoke cover it through the built package.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use vipps_auth::js::verify::Mode;
use vipps_auth::js::{authorize, callback, discovery, endpoints, jwt, keyset, pkce, registry, verify};
use vipps_auth::json::{self, Value};
use wasm_bindgen_test::wasm_bindgen_test;

const ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";
/// The marker the entry module sends for a live KeySet (js/args.js).
const KEY_SET: &str = r#"{"\u0000":"KeySet"}"#;

/// The `ok` value of a reply (panics on an error reply).
fn ok(reply: String) -> Value {
    let r = json::parse_object(reply.as_bytes()).unwrap();
    assert!(!r.contains("err"), "unexpected error: {reply}");
    r.get("ok").cloned().unwrap()
}

/// The `err` object of a reply (panics on a value).
fn err(reply: String) -> json::Object {
    let r = json::parse_object(reply.as_bytes()).unwrap();
    r.get("err").and_then(Value::as_object).cloned().unwrap_or_else(|| panic!("expected an error, got {reply}"))
}

fn code(reply: String) -> String {
    err(reply).get_str("code").unwrap().to_owned()
}

fn s(v: &Value, name: &str) -> String {
    v.as_object().unwrap().get_str(name).unwrap_or_else(|| panic!("no {name}")).to_owned()
}

fn string(v: Value) -> String {
    v.as_str().unwrap().to_owned()
}

#[wasm_bindgen_test]
fn endpoints_of_each_environment_follow_the_documented_paths() {
    let e = ok(endpoints::endpoints(r#"["test"]"#));
    assert_eq!(s(&e, "issuer"), ISSUER);
    assert_eq!(s(&e, "authorizationEndpoint"), format!("{ISSUER}oauth2/auth"));
    assert_eq!(s(&e, "jwksUri"), format!("{ISSUER}.well-known/jwks.json"));
    assert_eq!(s(&e, "accessTokenEndpoint"), "https://apitest.vipps.no/accesstoken/get");
    let p = ok(endpoints::endpoints(r#"["production"]"#));
    assert_eq!(s(&p, "miamiTokenEndpoint"), "https://api.vipps.no/miami/v1/token");
    assert!(s(&p, "userinfoEndpoint").starts_with("https://api.vipps.no/"));
    assert!(s(&p, "tokenEndpoint").ends_with("/oauth2/token"));
}

#[wasm_bindgen_test]
fn endpoints_refuse_an_unknown_environment_or_a_non_string() {
    assert_eq!(code(endpoints::endpoints(r#"["staging"]"#)), "ERR_INVALID_PARAMS");
    assert_eq!(code(endpoints::endpoints("[3]")), "ERR_INVALID_PARAMS");
    let e = err(endpoints::endpoints(r#"[{"\u0000":"function"}]"#));
    assert_eq!(e.get_str("message"), Some("invalid parameter `env`: must be a string"));
    assert_eq!(code(endpoints::endpoints("")), "ERR_INVALID_PARAMS", "unreadable arguments");
}

#[wasm_bindgen_test]
fn code_verifiers_are_43_to_128_unreserved_characters_and_differ() {
    let a = string(ok(pkce::generate_code_verifier()));
    let b = string(ok(pkce::generate_code_verifier()));
    assert!((43..=128).contains(&a.len()));
    assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._~".contains(&c)));
    assert_ne!(a, b);
}

#[wasm_bindgen_test]
fn code_challenge_s256_matches_rfc7636_appendix_b() {
    let challenge = string(ok(pkce::code_challenge_s256(r#"["dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"]"#)));
    assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    assert_eq!(code(pkce::code_challenge_s256("[null]")), "ERR_INVALID_PARAMS");
}

#[wasm_bindgen_test]
fn random_state_and_nonce_are_url_safe_long_enough_and_differ() {
    let (a, b) = (string(ok(pkce::random_state())), string(ok(pkce::random_state())));
    assert!(a.len() >= 8 && a != b);
    let (n, m) = (string(ok(pkce::random_nonce())), string(ok(pkce::random_nonce())));
    assert!(n.len() >= 8 && n != m);
    assert!(a.bytes().chain(n.bytes()).all(|c| c.is_ascii_alphanumeric() || b"-._~".contains(&c)));
}

fn params(extra: &str) -> String {
    format!(
        r#"[{{"authorizationEndpoint":"{ISSUER}oauth2/auth","clientId":"client-1","redirectUri":"https://app.example/cb",
            "scope":["openid","name"],"state":"state-12345","nonce":"nonce-123",
            "codeChallenge":"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM","unknownOption":1{extra}}}]"#
    )
}

#[wasm_bindgen_test]
fn build_authorize_url_carries_every_parameter_with_s256() {
    let url = string(ok(authorize::build_authorize_url(&params(r#","requestedFlow":"automatic_return_from_vipps_app","extraParams":{"ui_locales":"nb"}"#))));
    assert!(url.starts_with(&format!("{ISSUER}oauth2/auth?")), "{url}");
    for part in [
        "response_type=code", "client_id=client-1", "redirect_uri=https%3A%2F%2Fapp.example%2Fcb", "state=state-12345",
        "nonce=nonce-123", "code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method=S256",
        "requested_flow=automatic_return_from_vipps_app", "ui_locales=nb",
    ] {
        assert!(url.contains(part), "{part} missing in {url}");
    }
    assert!(url.contains("scope=openid"), "{url}");
}

#[wasm_bindgen_test]
fn build_authorize_url_refuses_wrong_types_and_missing_fields() {
    for bad in [
        r#","scope":5"#, r#","clientId":7"#, r#","finalRedirectIsApp":"yes""#, r#","extraParams":{"a":1}"#,
        r#","requestedFlow":"teleport""#, r#","msn":"123456""#, r#","acrValues":{"\u0000":"unreadable"}"#,
        r#","redirectUri":{"\u0000":"function"}"#,
    ] {
        assert_eq!(code(authorize::build_authorize_url(&params(bad))), "ERR_INVALID_PARAMS", "{bad}");
    }
    assert_eq!(code(authorize::build_authorize_url(r#"["not an object"]"#)), "ERR_INVALID_PARAMS");
    assert_eq!(code(authorize::build_authorize_url(r#"[[1]]"#)), "ERR_INVALID_PARAMS");
    assert_eq!(code(authorize::build_authorize_url(&params(r#","scope":"name email""#))), "ERR_INVALID_PARAMS");
    let override_state = params(r#","extraParams":{"state":"other-state"}"#);
    assert_eq!(code(authorize::build_authorize_url(&override_state)), "ERR_INVALID_PARAMS");
    let missing = err(authorize::build_authorize_url(r#"[{}]"#));
    assert_eq!(missing.get_str("message"), Some("invalid parameter `authorizationEndpoint`: is required"));
}

#[wasm_bindgen_test]
fn start_login_returns_the_values_the_url_carries() {
    let p = format!(r#"[{{"authorizationEndpoint":"{ISSUER}oauth2/auth","clientId":"c","redirectUri":"https://app.example/cb","scope":"openid"}}]"#);
    let start = ok(authorize::start_login(&p));
    let url = s(&start, "url");
    let verifier = s(&start, "codeVerifier");
    let challenge = string(ok(pkce::code_challenge_s256(&format!(r#"["{verifier}"]"#))));
    assert!(url.contains(&format!("state={}", s(&start, "state"))));
    assert!(url.contains(&format!("nonce={}", s(&start, "nonce"))));
    assert!(url.contains(&format!("code_challenge={challenge}")));
    assert!(!url.contains(&verifier), "the verifier must never be in the URL");
    assert_eq!(code(authorize::start_login(&params(""))), "ERR_INVALID_PARAMS", "state given to startLogin");
}

#[wasm_bindgen_test]
fn parse_callback_returns_the_code_and_checks_state() {
    let cb = ok(callback::parse_callback(r#"["https://app.example/cb?code=abc&state=state-12345","state-12345"]"#));
    assert_eq!(s(&cb, "code"), "abc");
    assert_eq!(s(&cb, "state"), "state-12345");
    assert_eq!(code(callback::parse_callback(r#"["https://app.example/cb?code=abc&state=other-state","state-12345"]"#)), "ERR_STATE_MISMATCH");
    let denied = err(callback::parse_callback(
        r#"["https://app.example/cb?error=access_denied&error_description=user%20cancelled&state=state-12345","state-12345"]"#,
    ));
    assert_eq!(denied.get_str("code"), Some("ERR_AUTHORIZATION_RESPONSE"));
    assert_eq!(denied.get_str("vippsError"), Some("access_denied"));
    assert_eq!(denied.get_str("vippsErrorDescription"), Some("user cancelled"));
    assert_eq!(code(callback::parse_callback(r#"[null,"x"]"#)), "ERR_INVALID_PARAMS");
}

const RFC7515_A2: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
const RFC7515_A2_JWK: &str = r#"{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}"#;

#[wasm_bindgen_test]
fn decode_jwt_returns_header_and_claims_without_checking() {
    let parts = ok(jwt::decode_jwt(&format!(r#"["{RFC7515_A2}"]"#), ""));
    let o = parts.as_object().unwrap();
    assert_eq!(o.get("header").unwrap().as_object().unwrap().get_str("alg"), Some("RS256"));
    assert_eq!(o.get("claims").unwrap().as_object().unwrap().get_str("iss"), Some("joe"));
    assert_eq!(code(jwt::decode_jwt(r#"["a.b"]"#, "")), "ERR_JWT_MALFORMED");
}

fn jwks() -> String {
    format!(r#"{{"keys":[{RFC7515_A2_JWK}]}}"#)
}

#[wasm_bindgen_test]
fn verify_prepare_checks_arguments_then_selects_the_key_and_shape() {
    let args = format!(r#"["{RFC7515_A2}",{KEY_SET},null]"#);
    assert_eq!(ok(verify::verify_prepare(Mode::VerifyJwt, &args, "", "", false, 0)), Value::Null, "arguments only");
    let check = ok(verify::verify_prepare(Mode::VerifyJwt, &args, "", &jwks(), false, 0));
    assert_eq!(s(&check, "alg"), "RS256");
    assert_eq!(check.as_object().unwrap().len(), 2, "alg and key only: the token's text is the JS side's");
    let key = vipps_auth::jose::jwk::JwkSet::parse(jwks().as_bytes()).unwrap().keys()[0].thumbprint();
    assert_eq!(s(&check, "key"), key, "the RFC 7638 thumbprint names the key");
    let with_jwk = ok(verify::verify_prepare(Mode::VerifyJwt, &args, "", &jwks(), true, 0));
    assert_eq!(with_jwk.as_object().unwrap().get("jwk").unwrap().as_object().unwrap().get_str("kty"), Some("RSA"));
    let es_only = format!(r#"["{RFC7515_A2}",{KEY_SET},{{"algorithms":["ES256"]}}]"#);
    assert_eq!(code(verify::verify_prepare(Mode::VerifyJwt, &es_only, "", &jwks(), false, 0)), "ERR_ALG_NOT_ALLOWED");
    let hs = format!(r#"["{RFC7515_A2}",{KEY_SET},{{"algorithms":["HS256"]}}]"#);
    assert_eq!(code(verify::verify_prepare(Mode::VerifyJwt, &hs, "", "", false, 0)), "ERR_INVALID_PARAMS");
    let other_kid = format!(r#"{{"keys":[{}]}}"#, RFC7515_A2_JWK.replace(r#""kty""#, r#""kid":"x","use":"enc","kty""#));
    assert_eq!(code(verify::verify_prepare(Mode::VerifyJwt, &args, "", &other_kid, false, 0)), "ERR_KEY_NOT_FOUND");
    assert_eq!(code(verify::verify_prepare(Mode::VerifyJwt, &args, "", "{not json", false, 0)), "ERR_JWKS_MALFORMED");
}

#[wasm_bindgen_test]
fn the_kept_set_may_be_named_instead_of_sent() {
    let args = format!(r#"["{RFC7515_A2}",{KEY_SET}]"#);
    let other_kid = format!(r#"{{"keys":[{}]}}"#, RFC7515_A2_JWK.replace(r#""kty""#, r#""kid":"x","use":"enc","kty""#));
    assert_eq!(code(verify::verify_prepare(Mode::VerifyJwt, &args, "", &other_kid, false, 0)), "ERR_KEY_NOT_FOUND");
    assert_eq!(code(verify::verify_prepare(Mode::VerifyJwt, &args, "", keyset::KEPT_SET, false, 0)), "ERR_KEY_NOT_FOUND", "the set parsed last");
    assert_eq!(s(&ok(verify::verify_prepare(Mode::VerifyJwt, &args, "", &jwks(), false, 0)), "alg"), "RS256");
    assert_eq!(s(&ok(verify::verify_prepare(Mode::VerifyJwt, &args, "", keyset::KEPT_SET, false, 0)), "alg"), "RS256");
}

#[wasm_bindgen_test]
fn the_token_may_come_apart_from_the_json_arguments() {
    let apart = format!(r#"[{{"\u0000":"token"}},{KEY_SET}]"#);
    assert_eq!(s(&ok(verify::verify_prepare(Mode::VerifyJwt, &apart, RFC7515_A2, &jwks(), false, 0)), "alg"), "RS256");
    let parts = ok(jwt::decode_jwt(r#"[{"\u0000":"token"}]"#, RFC7515_A2));
    assert_eq!(parts.as_object().unwrap().get("claims").unwrap().as_object().unwrap().get_str("iss"), Some("joe"));
    // Another marker is not a token.
    let e = err(jwt::decode_jwt(r#"[{"\u0000":"KeySet"}]"#, RFC7515_A2));
    assert_eq!(e.get_str("message"), Some("invalid parameter `token`: must be a string"));
}

#[wasm_bindgen_test]
fn verify_prepare_refuses_a_value_that_is_not_a_key_set_before_any_fetch() {
    assert_eq!(code(verify::verify_prepare(Mode::VerifyJwt, &format!(r#"["{RFC7515_A2}",{{"keys":[]}}]"#), "", "", false, 0)), "ERR_INVALID_PARAMS");
    assert_eq!(code(verify::verify_prepare(Mode::VerifyJwt, "[1,null]", "", "", false, 0)), "ERR_INVALID_PARAMS");
    let freed = err(verify::verify_prepare(Mode::VerifyJwt, &format!(r#"["{RFC7515_A2}",{{"\u0000":"freed"}}]"#), "", "", false, 0));
    assert_eq!(freed.get_str("message"), Some("invalid parameter `keys`: this KeySet has been freed"));
    assert_eq!(code(verify::verify_prepare(Mode::VerifyJwt, &format!(r#"["a.b",{KEY_SET}]"#), "", "", false, 0)), "ERR_JWT_MALFORMED");
}

#[wasm_bindgen_test]
fn a_verification_keeps_its_check_between_steps_and_falls_back_to_its_arguments() {
    let args = format!(r#"["{RFC7515_A2}",{KEY_SET}]"#);
    assert_eq!(ok(verify::verify_prepare(Mode::VerifyJwt, &args, "", "", false, 41)), Value::Null);
    assert_eq!(s(&ok(verify::verify_prepare(Mode::VerifyJwt, &args, "", &jwks(), false, 41)), "alg"), "RS256");
    // Kept: the finishing step completes the check step 1 prepared, without arguments.
    let parts = ok(verify::verify_finish(Mode::VerifyJwt, "", "", "", true, 0.0, 41));
    assert_eq!(parts.as_object().unwrap().get("claims").unwrap().as_object().unwrap().get_str("iss"), Some("joe"));
    // Taken by the finishing step: a repeat without arguments asks for them (NEED_INPUTS).
    assert_eq!(ok(verify::verify_finish(Mode::VerifyJwt, "", "", "", true, 0.0, 41)), Value::from(0));
    assert_eq!(code(verify::verify_finish(Mode::VerifyJwt, "[]", "", "", true, 0.0, 41)), "ERR_INVALID_PARAMS");
    // A refusal keeps the token for a retry with another set (a refetched one).
    let other_kid = format!(r#"{{"keys":[{}]}}"#, RFC7515_A2_JWK.replace(r#""kty""#, r#""kid":"x","use":"enc","kty""#));
    assert_eq!(ok(verify::verify_prepare(Mode::VerifyJwt, &args, "", "", false, 42)), Value::Null);
    assert_eq!(code(verify::verify_prepare(Mode::VerifyJwt, "", "", &other_kid, false, 42)), "ERR_KEY_NOT_FOUND");
    assert_eq!(s(&ok(verify::verify_prepare(Mode::VerifyJwt, "", "", &jwks(), false, 42)), "alg"), "RS256");
    assert_eq!(code(verify::verify_finish(Mode::VerifyJwt, "", "", "", false, 0.0, 42)), "ERR_SIGNATURE_INVALID");
    // Abandoned calls do not pile up: the registry starts over when full.
    for handle in 100..300 {
        verify::verify_prepare(Mode::VerifyJwt, &args, "", "", false, handle);
        assert!(registry::pending_len() <= registry::MAX_PENDING);
    }
    assert_eq!(code(verify::verify_finish(Mode::VerifyJwt, &args, "", &jwks(), false, 0.0, 299)), "ERR_SIGNATURE_INVALID");
}

#[wasm_bindgen_test]
fn verify_finish_believes_the_token_only_when_the_signature_verified() {
    let args = format!(r#"["{RFC7515_A2}",{KEY_SET}]"#);
    let parts = ok(verify::verify_finish(Mode::VerifyJwt, &args, "", &jwks(), true, 0.0, 0));
    assert_eq!(parts.as_object().unwrap().get("claims").unwrap().as_object().unwrap().get("exp").unwrap().as_i64(), Some(1300819380));
    assert_eq!(parts.as_object().unwrap().get("header").unwrap().as_object().unwrap().get_str("alg"), Some("RS256"));
    assert_eq!(code(verify::verify_finish(Mode::VerifyJwt, &args, "", &jwks(), false, 0.0, 0)), "ERR_SIGNATURE_INVALID");
}

fn id_args(extra: &str) -> String {
    id_args_with_keys(KEY_SET, extra)
}

fn id_args_with_keys(keys: &str, extra: &str) -> String {
    format!(r#"["{RFC7515_A2}",{{"issuer":"joe","clientId":"client-1","keys":{keys}{extra}}}]"#)
}

#[wasm_bindgen_test]
fn validate_id_token_arguments_are_checked_in_order() {
    assert_eq!(ok(verify::verify_prepare(Mode::ValidateIdToken, &id_args(""), "", "", false, 0)), Value::Null);
    for (extra, message) in [
        (r#","now":"soon""#, "invalid parameter `now`: must be a finite number"),
        (r#","now":-5"#, "invalid parameter `now`: must be epoch seconds"),
        (r#","msn":"123456""#, "invalid parameter `clientId`: give either clientId or msn, not both"),
        (r#","clockToleranceSec":1.5"#, "invalid parameter `clockToleranceSec`: must be a non-negative whole number"),
        (r#","algorithms":"RS256""#, "invalid parameter `algorithms`: must be an array of strings"),
    ] {
        assert_eq!(err(verify::verify_prepare(Mode::ValidateIdToken, &id_args(extra), "", "", false, 0)).get_str("message"), Some(message), "{extra}");
    }
    let not_keys = err(verify::verify_prepare(Mode::ValidateIdToken, &id_args_with_keys(r#"{"keys":[]}"#, ""), "", "", false, 0));
    assert_eq!(not_keys.get_str("message"), Some("invalid parameter `keys`: must be a KeySet (KeySet.fromJwks or KeySet.remote)"));
    assert_eq!(code(verify::verify_prepare(Mode::ValidateIdToken, &format!(r#"["{RFC7515_A2}","x"]"#), "", "", false, 0)), "ERR_INVALID_PARAMS");
}

#[wasm_bindgen_test]
fn validate_id_token_finish_applies_the_claim_rules_after_the_signature() {
    // RFC 7515 A.2 has no aud: the claim rules refuse it, but only after a valid signature.
    let args = id_args(r#","now":1300819000"#);
    assert_eq!(code(verify::verify_finish(Mode::ValidateIdToken, &args, "", &jwks(), false, 0.0, 0)), "ERR_SIGNATURE_INVALID");
    let after = code(verify::verify_finish(Mode::ValidateIdToken, &args, "", &jwks(), true, 0.0, 0));
    assert!(after.starts_with("ERR_CLAIM_"), "{after}");
}

#[wasm_bindgen_test]
fn key_set_operations_check_what_the_js_class_is_given() {
    let text = string(ok(keyset::key_set_from_jwks(&format!(r#"[{}]"#, jwks()))));
    assert_eq!(json::parse(text.as_bytes()).unwrap(), json::parse(jwks().as_bytes()).unwrap());
    assert_eq!(code(keyset::key_set_from_jwks(r#"["{not json"]"#)), "ERR_JWKS_MALFORMED");
    assert_eq!(code(keyset::key_set_from_jwks("[5]")), "ERR_INVALID_PARAMS");
    assert_eq!(code(keyset::key_set_remote(r#"["ftp://x"]"#)), "ERR_INVALID_PARAMS");
    assert_eq!(code(keyset::key_set_remote(r#"["https://x/jwks",{"cooldownSec":"1"}]"#)), "ERR_INVALID_PARAMS");
    let remote = ok(keyset::key_set_remote(r#"["https://x/jwks",{"cacheMaxAgeSec":0.3}]"#));
    let o = remote.as_object().unwrap();
    assert_eq!((o.get("maxAgeMs").unwrap().as_i64(), o.get("cooldownMs").unwrap().as_i64(), o.get("timeoutMs").unwrap().as_i64()), (Some(300), Some(30000), Some(5000)));
    assert_eq!(string(ok(keyset::key_set_response(200, jwks().as_bytes()))), jwks());
    let down = err(keyset::key_set_response(503, br#"{"error":"unavailable"}"#));
    assert_eq!((down.get_str("code"), down.get_str("vippsError"), down.get("status").and_then(Value::as_i64)), (Some("ERR_HTTP"), Some("unavailable"), Some(503)));
    assert_eq!(code(keyset::key_set_response(200, b"<html>")), "ERR_JWKS_MALFORMED");
}

#[wasm_bindgen_test]
fn discovery_builds_the_request_and_checks_the_issuer() {
    let req = ok(discovery::discovery_request(&format!(r#"["{ISSUER}"]"#)));
    assert_eq!(s(&req, "url"), format!("{ISSUER}.well-known/openid-configuration"));
    assert_eq!(code(discovery::discovery_request("[1]")), "ERR_INVALID_PARAMS");
    let doc = format!(
        r#"{{"issuer":"{ISSUER}","authorization_endpoint":"{ISSUER}oauth2/auth","token_endpoint":"{ISSUER}oauth2/token","jwks_uri":"{ISSUER}.well-known/jwks.json"}}"#
    );
    let meta = ok(discovery::discovery_response(&format!(r#"["{ISSUER}"]"#), 200, doc.as_bytes()));
    assert_eq!(s(&meta, "jwks_uri"), format!("{ISSUER}.well-known/jwks.json"));
    assert_eq!(code(discovery::discovery_response(r#"["https://someone-else.example/"]"#, 200, doc.as_bytes())), "ERR_DISCOVERY_ISSUER");
    assert_eq!(code(discovery::discovery_response(&format!(r#"["{ISSUER}"]"#), 500, b"")), "ERR_HTTP");
}

#[wasm_bindgen_test]
fn errors_never_echo_the_verifier() {
    let secret = "SECRET-verifier-with-bad-char-%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%";
    let reply = pkce::code_challenge_s256(&format!(r#"["{secret}"]"#));
    if reply.contains("\"err\"") {
        assert!(!reply.contains("SECRET"));
    }
}
