//! Project Wycheproof RSA PKCS#1 v1.5 SHA-256 vectors through the worker's WebCrypto layer
//! (`worker/src/webcrypto.rs`: JWK import + WebCrypto verify), in Chromium and Node. The
//! worker is a Workers cdylib, not a library to link here, so its file is compiled into this
//! test as it is into the worker. The browser package does its WebCrypto calls in JS:
//! tests/vectors/ runs these files and the JWS / JWK-set vectors through the built package in
//! Node and Chromium. The vectors are read at build time from the shared folder (never copied
//! into the repository); without it the suite prints SKIPPED.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "../../../worker/src/webcrypto.rs"]
mod webcrypto;

#[cfg(not(vipps_vectors))]
#[wasm_bindgen_test::wasm_bindgen_test]
fn vectors_are_skipped_when_absent() {
    wasm_bindgen_test::console_log!(
        "SKIPPED: vectors not found at {} (set VIPPS_AUTH_VECTORS)",
        env!("VIPPS_AUTH_VECTORS_DIR")
    );
}

#[cfg(vipps_vectors)]
mod with_vectors {
    use crate::webcrypto::subtle as webcrypto;
    use vipps_auth::jose::Algorithm;
    use vipps_auth::json::{self, Object};
    use wasm_bindgen_test::{console_log, wasm_bindgen_test};

    macro_rules! vector {
        ($name:literal) => {
            include_str!(concat!(
                env!("VIPPS_AUTH_VECTORS_DIR"),
                "/wycheproof/",
                $name
            ))
        };
    }

    fn groups(text: &str) -> Vec<Object> {
        let doc = json::parse_object(text.as_bytes()).unwrap();
        doc.get("testGroups")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_object().unwrap().clone())
            .collect()
    }

    fn tests(group: &Object) -> Vec<Object> {
        group
            .get("tests")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_object().unwrap().clone())
            .collect()
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
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
                    Ok(key) => webcrypto::verify(
                        Algorithm::RS256,
                        key,
                        &hex(t.get_str("sig").unwrap()),
                        &hex(t.get_str("msg").unwrap()),
                    )
                    .await
                    .unwrap(),
                    Err(_) => false,
                };
                assert_eq!(
                    got,
                    want,
                    "{name} tcId {id} ({})",
                    t.get_str("comment").unwrap_or("")
                );
                passed += 1;
            }
        }
        console_log!("{name}: {passed}/{total} cases as expected");
        assert!(total > 250);
    }

    #[wasm_bindgen_test]
    async fn wycheproof_rsa_2048_sha256_through_webcrypto() {
        rsa_file(
            "rsa_signature_2048_sha256_test.json",
            vector!("rsa_signature_2048_sha256_test.json"),
        )
        .await;
    }

    #[wasm_bindgen_test]
    async fn wycheproof_rsa_3072_sha256_through_webcrypto() {
        rsa_file(
            "rsa_signature_3072_sha256_test.json",
            vector!("rsa_signature_3072_sha256_test.json"),
        )
        .await;
    }

    #[wasm_bindgen_test]
    async fn wycheproof_rsa_4096_sha256_through_webcrypto() {
        rsa_file(
            "rsa_signature_4096_sha256_test.json",
            vector!("rsa_signature_4096_sha256_test.json"),
        )
        .await;
    }
}
