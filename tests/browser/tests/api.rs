//! Every export of the JS API, through the same Rust functions the JS glue calls.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use vipps_auth::js::{authorize, callback, discovery, endpoints, id_token, jwt, keyset::KeySet, pkce};
use vipps_auth_browser_tests::{code, get, js, json_of, now, rejected_code, wait, Signer};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

#[wasm_bindgen_test]
fn endpoints_of_each_environment_follow_the_documented_paths() {
    let e = endpoints::endpoints(s("test")).unwrap();
    assert_eq!(get(&e, "issuer").as_string().unwrap(), ISSUER);
    assert_eq!(get(&e, "authorizationEndpoint").as_string().unwrap(), format!("{ISSUER}oauth2/auth"));
    assert_eq!(get(&e, "jwksUri").as_string().unwrap(), format!("{ISSUER}.well-known/jwks.json"));
    assert_eq!(get(&e, "accessTokenEndpoint").as_string().unwrap(), "https://apitest.vipps.no/accesstoken/get");
    let p = endpoints::endpoints(s("production")).unwrap();
    assert_eq!(get(&p, "miamiTokenEndpoint").as_string().unwrap(), "https://api.vipps.no/miami/v1/token");
    assert!(get(&p, "userinfoEndpoint").as_string().unwrap().starts_with("https://api.vipps.no/"));
    assert!(get(&p, "tokenEndpoint").as_string().unwrap().ends_with("/oauth2/token"));
}

#[wasm_bindgen_test]
fn endpoints_refuse_an_unknown_environment_or_a_non_string() {
    assert_eq!(code(&endpoints::endpoints(s("staging")).unwrap_err()), "ERR_INVALID_PARAMS");
    assert_eq!(code(&endpoints::endpoints(JsValue::from(3)).unwrap_err()), "ERR_INVALID_PARAMS");
}

#[wasm_bindgen_test]
fn code_verifiers_are_43_to_128_unreserved_characters_and_differ() {
    let a = pkce::generate_code_verifier().unwrap();
    let b = pkce::generate_code_verifier().unwrap();
    assert!((43..=128).contains(&a.len()));
    assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._~".contains(&c)));
    assert_ne!(a, b);
}

#[wasm_bindgen_test]
fn code_challenge_s256_matches_rfc7636_appendix_b() {
    let challenge = pkce::code_challenge_s256(s("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).unwrap();
    assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    assert_eq!(code(&pkce::code_challenge_s256(JsValue::UNDEFINED).unwrap_err()), "ERR_INVALID_PARAMS");
}

#[wasm_bindgen_test]
fn random_state_and_nonce_are_url_safe_long_enough_and_differ() {
    let (a, b) = (pkce::random_state().unwrap(), pkce::random_state().unwrap());
    assert!(a.len() >= 8 && a != b);
    let (n, m) = (pkce::random_nonce().unwrap(), pkce::random_nonce().unwrap());
    assert!(n.len() >= 8 && n != m);
    assert!(a.bytes().chain(n.bytes()).all(|c| c.is_ascii_alphanumeric() || b"-._~".contains(&c)));
}

fn params(extra: &str) -> JsValue {
    js(&format!(
        r#"{{"authorizationEndpoint":"{ISSUER}oauth2/auth","clientId":"client-1","redirectUri":"https://app.example/cb",
            "scope":["openid","name"],"state":"state-12345","nonce":"nonce-123",
            "codeChallenge":"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM","unknownOption":1{extra}}}"#
    ))
}

#[wasm_bindgen_test]
fn build_authorize_url_carries_every_parameter_with_s256() {
    let url = authorize::build_authorize_url(params(r#","requestedFlow":"automatic_return_from_vipps_app","extraParams":{"ui_locales":"nb"}"#)).unwrap();
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
    for bad in [r#","scope":5"#, r#","clientId":7"#, r#","finalRedirectIsApp":"yes""#, r#","extraParams":{"a":1}"#, r#","requestedFlow":"teleport""#, r#","msn":"123456""#] {
        assert_eq!(code(&authorize::build_authorize_url(params(bad)).unwrap_err()), "ERR_INVALID_PARAMS", "{bad}");
    }
    assert_eq!(code(&authorize::build_authorize_url(s("not an object")).unwrap_err()), "ERR_INVALID_PARAMS");
    let no_openid = params(r#","scope":"name email""#);
    assert_eq!(code(&authorize::build_authorize_url(no_openid).unwrap_err()), "ERR_INVALID_PARAMS");
    let override_state = params(r#","extraParams":{"state":"other-state"}"#);
    assert_eq!(code(&authorize::build_authorize_url(override_state).unwrap_err()), "ERR_INVALID_PARAMS");
}

#[wasm_bindgen_test]
fn start_login_returns_the_values_the_url_carries() {
    let p = js(&format!(r#"{{"authorizationEndpoint":"{ISSUER}oauth2/auth","clientId":"c","redirectUri":"https://app.example/cb","scope":"openid"}}"#));
    let start = authorize::start_login(p).unwrap();
    let url = get(&start, "url").as_string().unwrap();
    let verifier = get(&start, "codeVerifier").as_string().unwrap();
    let challenge = pkce::code_challenge_s256(s(&verifier)).unwrap();
    assert!(url.contains(&format!("state={}", get(&start, "state").as_string().unwrap())));
    assert!(url.contains(&format!("nonce={}", get(&start, "nonce").as_string().unwrap())));
    assert!(url.contains(&format!("code_challenge={challenge}")));
    assert!(!url.contains(&verifier), "the verifier must never be in the URL");
    assert_eq!(code(&authorize::start_login(params("")).unwrap_err()), "ERR_INVALID_PARAMS", "state given to startLogin");
}

#[wasm_bindgen_test]
fn parse_callback_returns_the_code_and_checks_state() {
    let cb = callback::parse_callback(s("https://app.example/cb?code=abc&state=state-12345"), s("state-12345")).unwrap();
    assert_eq!(get(&cb, "code").as_string().unwrap(), "abc");
    assert_eq!(get(&cb, "state").as_string().unwrap(), "state-12345");
    let mismatch = callback::parse_callback(s("https://app.example/cb?code=abc&state=other-state"), s("state-12345")).unwrap_err();
    assert_eq!(code(&mismatch), "ERR_STATE_MISMATCH");
    let denied = callback::parse_callback(
        s("https://app.example/cb?error=access_denied&error_description=user%20cancelled&state=state-12345"),
        s("state-12345"),
    )
    .unwrap_err();
    assert_eq!(code(&denied), "ERR_AUTHORIZATION_RESPONSE");
    assert_eq!(get(&denied, "vippsError").as_string().unwrap(), "access_denied");
    assert_eq!(get(&denied, "vippsErrorDescription").as_string().unwrap(), "user cancelled");
    assert_eq!(code(&callback::parse_callback(JsValue::NULL, s("x")).unwrap_err()), "ERR_INVALID_PARAMS");
}

const RFC7515_A2: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
const RFC7515_A2_JWK: &str = r#"{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}"#;

#[wasm_bindgen_test]
fn decode_jwt_returns_header_and_claims_without_checking() {
    let parts = jwt::decode_jwt(s(RFC7515_A2)).unwrap();
    assert_eq!(get(&get(&parts, "header"), "alg").as_string().unwrap(), "RS256");
    assert_eq!(get(&get(&parts, "claims"), "iss").as_string().unwrap(), "joe");
    assert_eq!(code(&jwt::decode_jwt(s("a.b")).unwrap_err()), "ERR_JWT_MALFORMED");
}

#[wasm_bindgen_test]
async fn verify_jwt_accepts_rfc7515_a2_and_refuses_a_tampered_signature() {
    let keys: JsValue = KeySet::from_jwks(js(&format!(r#"{{"keys":[{RFC7515_A2_JWK}]}}"#))).unwrap().into();
    let parts = wait(jwt::verify_jwt(s(RFC7515_A2), keys.clone(), None)).await.unwrap();
    assert_eq!(get(&get(&parts, "claims"), "exp").as_f64().unwrap(), 1300819380.0);
    let mut tampered = RFC7515_A2.to_owned();
    let at = tampered.len() - 10;
    let flipped = if &tampered[at..at + 1] == "A" { "B" } else { "A" };
    tampered.replace_range(at..at + 1, flipped);
    assert_eq!(rejected_code(jwt::verify_jwt(s(&tampered), keys.clone(), None)).await, "ERR_SIGNATURE_INVALID");
    let es_only = Some(js(r#"{"algorithms":["ES256"]}"#));
    assert_eq!(rejected_code(jwt::verify_jwt(s(RFC7515_A2), keys.clone(), es_only)).await, "ERR_ALG_NOT_ALLOWED");
    let hs = Some(js(r#"{"algorithms":["HS256"]}"#));
    assert_eq!(rejected_code(jwt::verify_jwt(s(RFC7515_A2), keys, hs)).await, "ERR_INVALID_PARAMS");
}

#[wasm_bindgen_test]
async fn verify_jwt_refuses_a_value_that_is_not_a_key_set() {
    assert_eq!(rejected_code(jwt::verify_jwt(s(RFC7515_A2), js(r#"{"keys":[]}"#), None)).await, "ERR_INVALID_PARAMS");
    assert_eq!(rejected_code(jwt::verify_jwt(JsValue::from(1), JsValue::NULL, None)).await, "ERR_INVALID_PARAMS");
}

#[wasm_bindgen_test]
fn key_set_from_jwks_takes_an_object_or_json_text_and_refuses_garbage() {
    assert!(KeySet::from_jwks(s(&format!(r#"{{"keys":[{RFC7515_A2_JWK}]}}"#))).is_ok());
    assert_eq!(code(&KeySet::from_jwks(s("{not json")).err().unwrap()), "ERR_JWKS_MALFORMED");
    assert_eq!(code(&KeySet::from_jwks(JsValue::from(5)).err().unwrap()), "ERR_INVALID_PARAMS");
    assert_eq!(code(&KeySet::remote(s("ftp://x"), None).err().unwrap()), "ERR_INVALID_PARAMS");
    assert_eq!(code(&KeySet::remote(s("https://x/jwks"), Some(js(r#"{"cooldownSec":"1"}"#))).err().unwrap()), "ERR_INVALID_PARAMS");
}

fn claims(nonce: &str, exp_offset: i64, aud: &str) -> String {
    let t = now();
    format!(r#"{{"iss":"{ISSUER}","aud":["{aud}"],"sub":"user-1","exp":{},"iat":{t},"auth_time":{t},"nonce":"{nonce}"}}"#, t + exp_offset)
}

fn validate_opts(keys: &JsValue, extra: &str) -> JsValue {
    let o = js(&format!(r#"{{"issuer":"{ISSUER}","clientId":"client-1","nonce":"n-1"{extra}}}"#));
    js_sys::Reflect::set(&o, &"keys".into(), keys).unwrap();
    o
}

#[wasm_bindgen_test]
async fn validate_id_token_checks_the_signature_then_every_claim() {
    let signer = Signer::new("public:key-1").await;
    let keys: JsValue = KeySet::from_jwks(s(&signer.jwks())).unwrap().into();
    let good = signer.sign(&claims("n-1", 300, "client-1")).await;
    let out = wait(id_token::validate_id_token(s(&good), validate_opts(&keys, ""))).await.unwrap();
    assert_eq!(get(&out, "sub").as_string().unwrap(), "user-1");

    let cases = [
        (claims("other", 300, "client-1"), "", "ERR_CLAIM_NONCE"),
        (claims("n-1", -3600, "client-1"), "", "ERR_CLAIM_EXPIRED"),
        (claims("n-1", 300, "someone-else"), "", "ERR_CLAIM_AUDIENCE"),
        (claims("n-1", 300, "client-1"), r#","issuer":"https://evil.example/""#, "ERR_CLAIM_ISSUER"),
        (claims("n-1", 300, "client-1"), r#","algorithms":["ES256"]"#, "ERR_ALG_NOT_ALLOWED"),
        (claims("n-1", 300, "client-1"), r#","now":"soon""#, "ERR_INVALID_PARAMS"),
    ];
    for (c, extra, expected) in cases {
        let token = signer.sign(&c).await;
        assert_eq!(rejected_code(id_token::validate_id_token(s(&token), validate_opts(&keys, extra))).await, expected, "{extra}");
    }
    let mut forged = good.clone();
    let at = forged.len() - 10;
    let flipped = if &forged[at..at + 1] == "A" { "B" } else { "A" };
    forged.replace_range(at..at + 1, flipped);
    assert_eq!(rejected_code(id_token::validate_id_token(s(&forged), validate_opts(&keys, ""))).await, "ERR_SIGNATURE_INVALID");
    let other = Signer::new("public:key-1").await;
    let foreign = other.sign(&claims("n-1", 300, "client-1")).await;
    assert_eq!(rejected_code(id_token::validate_id_token(s(&foreign), validate_opts(&keys, ""))).await, "ERR_SIGNATURE_INVALID");
    let no_keys = js(&format!(r#"{{"issuer":"{ISSUER}","clientId":"c"}}"#));
    assert_eq!(rejected_code(id_token::validate_id_token(s(&good), no_keys)).await, "ERR_INVALID_PARAMS");
}

#[wasm_bindgen_test]
async fn validate_id_token_honours_now_and_the_clock_tolerance() {
    let signer = Signer::new("k").await;
    let keys: JsValue = KeySet::from_jwks(s(&signer.jwks())).unwrap().into();
    let token = signer.sign(&claims("n-1", 60, "client-1")).await;
    let later = format!(r#","now":{},"clockToleranceSec":0"#, now() + 120);
    assert_eq!(rejected_code(id_token::validate_id_token(s(&token), validate_opts(&keys, &later))).await, "ERR_CLAIM_EXPIRED");
    let tolerant = format!(r#","now":{},"clockToleranceSec":120"#, now() + 120);
    assert!(wait(id_token::validate_id_token(s(&token), validate_opts(&keys, &tolerant))).await.is_ok());
}

#[wasm_bindgen_test]
async fn discover_reports_an_unreachable_issuer_as_a_network_error() {
    let code = rejected_code(discovery::discover(s("http://127.0.0.1:9/access-management-1.0/access/"))).await;
    assert!(code == "ERR_NETWORK" || code == "ERR_TIMEOUT", "{code}");
    assert_eq!(rejected_code(discovery::discover(JsValue::from(1))).await, "ERR_INVALID_PARAMS");
}

#[wasm_bindgen_test]
fn errors_never_echo_the_verifier() {
    let secret = "SECRET-verifier-with-bad-char-%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%";
    if let Err(e) = pkce::code_challenge_s256(s(secret)) {
        assert!(!json_of(&get(&e, "message")).contains("SECRET"));
    }
}
