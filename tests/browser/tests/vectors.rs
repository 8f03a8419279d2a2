//! Project Wycheproof vectors through the browser package: RSA PKCS#1 v1.5 SHA-256 through
//! JWK import + WebCrypto verify, JWS cases through `verifyJwt`, JWK sets through
//! `KeySet.fromJwks`. The vectors are read at build time from the shared folder (never
//! copied into the repository); without it the suite prints SKIPPED.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(not(vipps_vectors))]
#[wasm_bindgen_test::wasm_bindgen_test]
fn vectors_are_skipped_when_absent() {
    wasm_bindgen_test::console_log!("SKIPPED: vectors not found at {} (set VIPPS_AUTH_VECTORS)", env!("VIPPS_AUTH_VECTORS_DIR"));
}

#[cfg(vipps_vectors)]
mod with_vectors {
    use vipps_auth::jose::{jwk::JwkSet, jwt, verify, Algorithm};
    use vipps_auth::js::{jwt::verify_jwt, keyset::KeySet};
    use vipps_auth::json::{self, Object, Value};
    use vipps_auth::platform::webcrypto;
    use vipps_auth::{base64, Error};
    use vipps_auth_browser_tests::{code, js, wait};
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::{console_log, wasm_bindgen_test};

    macro_rules! vector {
        ($name:literal) => {
            include_str!(concat!(env!("VIPPS_AUTH_VECTORS_DIR"), "/wycheproof/", $name))
        };
    }

    fn groups(text: &str) -> Vec<Object> {
        let doc = json::parse_object(text.as_bytes()).unwrap();
        doc.get("testGroups").unwrap().as_array().unwrap().iter().map(|g| g.as_object().unwrap().clone()).collect()
    }

    fn tests(group: &Object) -> Vec<Object> {
        group.get("tests").unwrap().as_array().unwrap().iter().map(|t| t.as_object().unwrap().clone()).collect()
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    async fn rsa_file(name: &str, text: &str) {
        let (mut passed, mut total) = (0, 0);
        for group in groups(text) {
            let jwk = group.get("keyJwk").unwrap().as_object().unwrap();
            let mut minimal = Object::new();
            minimal.insert("kty", "RSA");
            minimal.insert("n", jwk.get_str("n").unwrap());
            minimal.insert("e", jwk.get_str("e").unwrap());
            let key = webcrypto::import_public_jwk(&minimal, Algorithm::RS256).await;
            for t in tests(&group) {
                total += 1;
                let id = t.get("tcId").unwrap().as_i64().unwrap();
                let want = t.get_str("result").unwrap() == "valid";
                let got = match &key {
                    Ok(key) => webcrypto::verify(Algorithm::RS256, key, &hex(t.get_str("sig").unwrap()), &hex(t.get_str("msg").unwrap())).await.unwrap(),
                    Err(_) => false,
                };
                assert_eq!(got, want, "{name} tcId {id} ({})", t.get_str("comment").unwrap_or(""));
                passed += 1;
            }
        }
        console_log!("{name}: {passed}/{total} cases as expected");
        assert!(total > 250);
    }

    #[wasm_bindgen_test]
    async fn wycheproof_rsa_2048_sha256_through_webcrypto() {
        rsa_file("rsa_signature_2048_sha256_test.json", vector!("rsa_signature_2048_sha256_test.json")).await;
    }

    #[wasm_bindgen_test]
    async fn wycheproof_rsa_3072_sha256_through_webcrypto() {
        rsa_file("rsa_signature_3072_sha256_test.json", vector!("rsa_signature_3072_sha256_test.json")).await;
    }

    #[wasm_bindgen_test]
    async fn wycheproof_rsa_4096_sha256_through_webcrypto() {
        rsa_file("rsa_signature_4096_sha256_test.json", vector!("rsa_signature_4096_sha256_test.json")).await;
    }

    /// Whether the JWS payload is a JSON object (a JWT); a valid JWS with another payload
    /// is refused by `verifyJwt` as malformed, so its signature is checked directly.
    fn payload_is_object(jws: &str) -> bool {
        jws.split('.').nth(1).and_then(|p| base64::decode_url(p).ok()).is_some_and(|b| json::parse_object(&b).is_ok())
    }

    /// Checks a valid non-JWT JWS's signature through the core's key selection and WebCrypto.
    async fn signature_verifies(jws: &str, keys: &JwkSet, allowed: &[Algorithm]) -> bool {
        let Ok(parsed) = jwt::parse_jws(jws) else { return false };
        let Ok((alg, key)) = verify::check_jws(&parsed, keys, allowed) else { return false };
        let Ok(crypto_key) = webcrypto::import_public_jwk(&key.import_jwk(), alg).await else { return false };
        webcrypto::verify(alg, &crypto_key, parsed.signature(), parsed.signing_input()).await.unwrap_or(false)
    }

    /// Runs one JWS case: `Ok(())` when the outcome is the expected one.
    async fn jws_case(jws: &Value, jwks_text: &str, algs: &[&str], valid: bool) -> Result<(), String> {
        let keys = match KeySet::from_jwks(JsValue::from_str(jwks_text)) {
            Ok(k) => JsValue::from(k),
            Err(e) => return if valid { Err(format!("fromJwks refused: {}", code(&e))) } else { Ok(()) },
        };
        let token = match jws {
            Value::String(s) => s.clone(),
            other => other.to_json(),
        };
        let opts = js(&format!(r#"{{"algorithms":{}}}"#, Value::Array(algs.iter().map(|a| Value::from(*a)).collect()).to_json()));
        match (wait(verify_jwt(JsValue::from_str(&token), keys, Some(opts))).await, valid) {
            (Ok(_), true) | (Err(_), false) => Ok(()),
            (Ok(_), false) => Err("an invalid case verified".into()),
            (Err(e), true) => {
                let c = code(&e);
                let set = JwkSet::parse(jwks_text.as_bytes()).map_err(|e: Error| e.to_string())?;
                let allowed: Vec<Algorithm> = algs.iter().filter_map(|a| Algorithm::from_name(a)).collect();
                if c == "ERR_JWT_MALFORMED" && !payload_is_object(&token) && signature_verifies(&token, &set, &allowed).await {
                    Ok(())
                } else {
                    Err(format!("a valid case failed with {c}"))
                }
            }
        }
    }

    #[wasm_bindgen_test]
    async fn wycheproof_json_web_signature_rs256_and_es256_through_verify_jwt() {
        let (mut checked, mut json_serialized) = (0, 0);
        let mut failures = Vec::new();
        for group in groups(vector!("json_web_signature_test.json")) {
            let Some(public) = group.get("public").and_then(Value::as_object) else { continue };
            let alg = match public.get_str("alg") {
                Some(a @ ("RS256" | "ES256")) => a,
                _ => continue,
            };
            let jwks = format!(r#"{{"keys":[{}]}}"#, Value::Object(public.clone()).to_json());
            for t in tests(&group) {
                let jws = t.get("jws").unwrap();
                if jws.as_object().is_some() || jws.as_str().is_some_and(|s| s.starts_with('{')) {
                    json_serialized += 1;
                }
                let valid = t.get_str("result") == Some("valid") && jws.as_str().is_some_and(|s| !s.starts_with('{'));
                if let Err(why) = jws_case(jws, &jwks, &[alg], valid).await {
                    failures.push(format!("tcId {}: {why}", t.get("tcId").unwrap().as_i64().unwrap()));
                }
                checked += 1;
            }
        }
        console_log!("json_web_signature_test.json: {checked} RS256/ES256 cases ({json_serialized} JSON-serialized refused)");
        assert!(failures.is_empty(), "{failures:#?}");
        assert!(checked > 250);
    }

    #[wasm_bindgen_test]
    async fn wycheproof_json_web_key_sets_through_key_set_from_jwks() {
        let mut failures = Vec::new();
        let mut checked = 0;
        for group in groups(vector!("json_web_key_test.json")) {
            // Groups with only symmetric ("private") keys must never verify: no HMAC here.
            let (set, symmetric_only) = match group.get("public").and_then(Value::as_object) {
                Some(p) if p.contains("keys") => (p.clone(), false),
                Some(p) => {
                    let mut s = Object::new();
                    s.insert("keys", Value::Array(vec![Value::Object(p.clone())]));
                    (s, false)
                }
                None => (group.get("private").and_then(Value::as_object).cloned().unwrap_or_default(), true),
            };
            let text = Value::Object(set).to_json();
            for t in tests(&group) {
                let valid = t.get_str("result") == Some("valid") && !symmetric_only;
                if let Err(why) = jws_case(t.get("jws").unwrap(), &text, &["RS256", "ES256"], valid).await {
                    failures.push(format!("tcId {}: {why}", t.get("tcId").unwrap().as_i64().unwrap()));
                }
                checked += 1;
            }
        }
        console_log!("json_web_key_test.json: {checked} cases");
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
