#![cfg(not(target_arch = "wasm32"))]
//! JOSE against published vectors: RFC 7515 A.2, RFC 7520 4.1 and Project Wycheproof
//! (JWS, JWK sets, RSASSA-PKCS1-v1_5 SHA-256, ECDSA P-256 P1363). Signatures are checked with
//! pure-Rust crypto standing in for WebCrypto. Skipped, loudly, when the vectors are absent.

mod support;

use std::collections::BTreeMap;

use support::*;
use vipps_auth::jose::{jwt, verify, Algorithm, JwkSet};
use vipps_auth::{json, Error, ErrorKind};

const ALL: &[Algorithm] = &[Algorithm::RS256, Algorithm::ES256];

/// A key set from a vector's `public` member: a JWK Set, or a single JWK.
fn key_set(public: Option<&json::Object>) -> JwkSet {
    let Some(public) = public else {
        return JwkSet::default();
    };
    if public.contains("keys") {
        return JwkSet::from_object(public).expect("vector JWKS");
    }
    let mut doc = json::Object::new();
    doc.insert(
        "keys",
        json::Value::Array(vec![json::Value::Object(public.clone())]),
    );
    JwkSet::from_object(&doc).expect("vector JWK")
}

/// parse -> prepare -> rust crypto -> finish: the whole JWT path.
fn jwt_pipeline(
    token: &str,
    keys: &JwkSet,
    allowed: &[Algorithm],
) -> Result<vipps_auth::jose::VerifiedJwt, Error> {
    let jwt = jwt::parse(token)?;
    let check = verify::prepare(&jwt, keys, allowed)?;
    let valid = verify_with_rust_crypto(&check);
    check.finish(valid)
}

/// The same checks for a JWS whose payload need not be a JSON object.
fn jws_pipeline(token: &str, keys: &JwkSet, allowed: &[Algorithm]) -> Result<(), Error> {
    let jws = jwt::parse_jws(token)?;
    let (alg, key) = verify::check_jws(&jws, keys, allowed)?;
    if verify_raw(alg, key, jws.signing_input(), jws.signature()) {
        Ok(())
    } else {
        Err(ErrorKind::SignatureInvalid.into())
    }
}

fn header_alg(token: &str) -> Option<String> {
    jwt::parse_jws(token).ok().map(|jws| jws.alg().to_owned())
}

#[test]
fn rfc7515_a2_rs256_token_verifies_through_the_whole_pipeline() {
    let Some(dir) = vectors_dir() else { return };
    let v = load(&dir, "rfc/rfc7515_a2_rs256.json");
    let keys = key_set(Some(obj(&v, "jwk")));
    let token = string(&v, "jws");
    let verified = jwt_pipeline(token, &keys, &[Algorithm::RS256]).expect("RFC 7515 A.2 verifies");
    assert_eq!(verified.alg(), Algorithm::RS256);
    assert_eq!(verified.claims().get_str("iss"), Some("joe"));
    assert_eq!(
        verified.claims().get("exp").and_then(json::Value::as_i64),
        Some(1300819380)
    );

    // The same token with one signature bit flipped fails at the crypto step, not before.
    let jwt = jwt::parse(token).unwrap();
    let mut sig = jwt.signature().to_vec();
    sig[100] ^= 1;
    let (head, _) = token.rsplit_once('.').unwrap();
    let tampered = format!("{head}.{}", vipps_auth::base64::encode_url(&sig));
    let check =
        verify::prepare(&jwt::parse(&tampered).unwrap(), &keys, &[Algorithm::RS256]).unwrap();
    assert!(!verify_with_rust_crypto(&check));
    assert_eq!(
        check.finish(false).unwrap_err(),
        ErrorKind::SignatureInvalid.into()
    );

    // Not allowed when the caller allows only ES256.
    assert_eq!(
        jwt_pipeline(token, &keys, &[Algorithm::ES256])
            .unwrap_err()
            .code(),
        "ERR_ALG_NOT_ALLOWED"
    );
}

#[test]
fn rfc7520_4_1_prose_payload_is_not_a_jwt_but_its_signature_verifies() {
    let Some(dir) = vectors_dir() else { return };
    let v = load(&dir, "rfc/rfc7520_4_1_rs256.json");
    let keys = key_set(Some(obj(&v, "jwk")));
    let token = string(&v, "jws");
    assert_eq!(
        jwt::parse(token).unwrap_err(),
        ErrorKind::JwtMalformed {
            reason: "payload is not a UTF-8 JSON object"
        }
        .into()
    );
    let jws = jwt::parse_jws(token).unwrap();
    assert_eq!(jws.kid(), Some("bilbo.baggins@hobbiton.example"));
    assert!(jws
        .payload()
        .starts_with("It\u{2019}s a dangerous business".as_bytes()));
    assert_eq!(jws_pipeline(token, &keys, ALL), Ok(()));
    // Another payload under the same signature does not verify.
    let (alg, key) = verify::check_jws(&jws, &keys, ALL).unwrap();
    let mut input = jws.signing_input().to_vec();
    let last = input.len() - 1;
    input[last] = if input[last] == b'A' { b'B' } else { b'A' };
    assert!(!verify_raw(alg, key, &input, jws.signature()));
}

#[derive(Default, Debug)]
struct JwsTally {
    /// JSON-serialized cases, refused as malformed.
    json_refused: usize,
    /// valid RS256 / ES256 cases that verify (as JWT, or as JWS when the payload is not claims).
    valid_verified: usize,
    /// valid cases under algorithms this library does not accept (HS*, PS*, RS384, ES512, ...).
    valid_unsupported_refused: usize,
    /// invalid cases, refused by both the JWT and the raw JWS path.
    invalid_refused: usize,
    /// error codes of the invalid cases, from the raw JWS path.
    invalid_codes: BTreeMap<&'static str, usize>,
}

#[test]
fn wycheproof_json_web_signature_cases_verify_or_fail_as_labelled() {
    let Some(dir) = vectors_dir() else { return };
    let file = load(&dir, "wycheproof/json_web_signature_test.json");
    let mut tally = JwsTally::default();
    let mut seen_trap = Vec::new();
    for group in arr(&file, "testGroups") {
        let group = group.as_object().unwrap();
        let public = group.get("public").and_then(json::Value::as_object);
        let keys = key_set(public);
        for test in arr(group, "tests") {
            let test = test.as_object().unwrap();
            let id = test.get("tcId").and_then(json::Value::as_i64).unwrap();
            let result = string(test, "result");
            let token = match test.get("jws").unwrap() {
                json::Value::String(s) => s.clone(),
                other => {
                    // JSON serialization: refused as malformed, whatever its validity.
                    let text = other.to_json();
                    assert_eq!(
                        jwt::parse(&text).unwrap_err().code(),
                        "ERR_JWT_MALFORMED",
                        "tcId {id}"
                    );
                    assert_eq!(
                        jwt::parse_jws(&text).unwrap_err().code(),
                        "ERR_JWT_MALFORMED",
                        "tcId {id}"
                    );
                    tally.json_refused += 1;
                    continue;
                }
            };
            if token.starts_with('{') {
                assert_eq!(
                    jwt::parse(&token).unwrap_err().code(),
                    "ERR_JWT_MALFORMED",
                    "tcId {id}"
                );
                tally.json_refused += 1;
                continue;
            }
            let as_jwt = jwt_pipeline(&token, &keys, ALL);
            let as_jws = jws_pipeline(&token, &keys, ALL);
            let supported = header_alg(&token).is_some_and(|a| Algorithm::from_name(&a).is_some());
            match result {
                "valid" if supported => {
                    assert_eq!(as_jws, Ok(()), "tcId {id}");
                    // As a JWT it verifies too, unless its payload is not a claims object.
                    if let Err(e) = as_jwt {
                        assert_eq!(
                            e,
                            ErrorKind::JwtMalformed {
                                reason: "payload is not a UTF-8 JSON object"
                            }
                            .into(),
                            "tcId {id}"
                        );
                    }
                    tally.valid_verified += 1;
                }
                "valid" => {
                    assert!(
                        as_jws.is_err() && as_jwt.is_err(),
                        "tcId {id}: unsupported alg accepted"
                    );
                    tally.valid_unsupported_refused += 1;
                }
                "invalid" => {
                    assert!(as_jwt.is_err(), "tcId {id}: invalid JWT accepted");
                    let code = as_jws
                        .err()
                        .map(|e| e.code())
                        .unwrap_or_else(|| panic!("tcId {id}: invalid JWS accepted"));
                    *tally.invalid_codes.entry(code).or_default() += 1;
                    tally.invalid_refused += 1;
                    if id == 353 || id == 355 {
                        assert_eq!(
                            code, "ERR_KEY_NOT_FOUND",
                            "tcId {id}: refused for the key's use / key_ops"
                        );
                        seen_trap.push(id);
                    }
                }
                other => panic!("tcId {id}: unexpected result {other}"),
            }
        }
    }
    eprintln!("json_web_signature_test: {tally:?}");
    assert_eq!(seen_trap, [353, 355]);
    assert_eq!(tally.json_refused, 1);
    assert_eq!(tally.valid_verified, 10);
    assert_eq!(tally.valid_unsupported_refused, 36);
    assert_eq!(tally.invalid_refused, 354);
    assert!(
        tally
            .invalid_codes
            .get("ERR_SIGNATURE_INVALID")
            .copied()
            .unwrap_or(0)
            > 100,
        "{tally:?}"
    );
}

#[test]
fn wycheproof_wrong_use_and_key_ops_are_the_only_obstacle_in_tc353_and_tc355() {
    let Some(dir) = vectors_dir() else { return };
    let file = load(&dir, "wycheproof/json_web_signature_test.json");
    let mut checked = 0;
    for group in arr(&file, "testGroups") {
        let group = group.as_object().unwrap();
        for test in arr(group, "tests") {
            let test = test.as_object().unwrap();
            let id = test.get("tcId").and_then(json::Value::as_i64).unwrap();
            if id != 353 && id != 355 {
                continue;
            }
            let token = string(test, "jws");
            let public = obj(group, "public");
            assert!(
                public.contains("use") || public.contains("key_ops"),
                "tcId {id}"
            );
            assert_eq!(
                jws_pipeline(token, &key_set(Some(public)), ALL)
                    .unwrap_err()
                    .code(),
                "ERR_KEY_NOT_FOUND"
            );
            // Without `use` / `key_ops` the same key verifies the same signature: only the
            // key's declared purpose makes the case invalid.
            let mut stripped = json::Object::new();
            for (name, value) in public
                .iter()
                .filter(|(n, _)| *n != "use" && *n != "key_ops")
            {
                stripped.insert(name, value.clone());
            }
            assert_eq!(
                jws_pipeline(token, &key_set(Some(&stripped)), ALL),
                Ok(()),
                "tcId {id}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 2);
}

#[test]
fn jwts_signed_with_the_wycheproof_keys_verify_and_tampered_ones_do_not() {
    let Some(dir) = vectors_dir() else { return };
    let file = load(&dir, "wycheproof/json_web_signature_test.json");
    let mut signed = 0;
    for group in arr(&file, "testGroups") {
        let group = group.as_object().unwrap();
        let (Some(private), Some(public)) = (
            group.get("private").and_then(json::Value::as_object),
            group.get("public").and_then(json::Value::as_object),
        ) else {
            continue;
        };
        let Some(alg) = public.get_str("alg").and_then(Algorithm::from_name) else {
            continue;
        };
        let kid = string(public, "kid");
        let header = format!(r#"{{"alg":"{}","kid":"{kid}","typ":"JWT"}}"#, alg.name());
        let token = sign_jwt(
            alg,
            private,
            &header,
            r#"{"iss":"https://example.test/","sub":"s-1","exp":2000000000}"#,
        );
        let verified =
            jwt_pipeline(&token, &key_set(Some(public)), ALL).expect("freshly signed JWT verifies");
        assert_eq!(verified.alg(), alg);
        assert_eq!(verified.claims().get_str("sub"), Some("s-1"));
        // Same signature, other claims.
        let (head, sig) = token.rsplit_once('.').unwrap();
        let (h, _) = head.split_once('.').unwrap();
        let forged = format!(
            "{h}.{}.{sig}",
            vipps_auth::base64::encode_url(br#"{"sub":"admin"}"#)
        );
        assert_eq!(
            jwt_pipeline(&forged, &key_set(Some(public)), ALL).unwrap_err(),
            ErrorKind::SignatureInvalid.into()
        );
        signed += 1;
    }
    assert!(signed >= 3, "signed {signed}");
}

#[test]
fn wycheproof_json_web_key_sets_select_and_verify_as_labelled() {
    let Some(dir) = vectors_dir() else { return };
    let file = load(&dir, "wycheproof/json_web_key_test.json");
    let (mut valid_ok, mut valid_unsupported, mut invalid_refused) = (0, 0, 0);
    let mut codes: BTreeMap<i64, &'static str> = BTreeMap::new();
    for group in arr(&file, "testGroups") {
        let group = group.as_object().unwrap();
        // Groups without `public` carry only a private / symmetric set: every private or
        // symmetric key in it is skipped, never used.
        let set = match (group.get("public"), group.get("private")) {
            (Some(json::Value::Object(public)), _) => key_set(Some(public)),
            (None, Some(json::Value::Object(private))) => {
                let set = key_set(Some(private));
                assert!(set
                    .keys()
                    .iter()
                    .all(|k| k.kty() == "EC" || k.kty() == "RSA"));
                set
            }
            _ => JwkSet::default(),
        };
        for test in arr(group, "tests") {
            let test = test.as_object().unwrap();
            let id = test.get("tcId").and_then(json::Value::as_i64).unwrap();
            let token = string(test, "jws");
            let outcome = jws_pipeline(token, &set, ALL);
            let supported = header_alg(token).is_some_and(|a| Algorithm::from_name(&a).is_some());
            match (string(test, "result"), supported) {
                ("valid", true) => {
                    assert_eq!(outcome, Ok(()), "tcId {id}");
                    valid_ok += 1;
                }
                ("valid", false) => {
                    assert_eq!(
                        outcome.unwrap_err().code(),
                        "ERR_ALG_NOT_ALLOWED",
                        "tcId {id}"
                    );
                    valid_unsupported += 1;
                }
                ("invalid", _) => {
                    let code = outcome
                        .err()
                        .map(|e| e.code())
                        .unwrap_or_else(|| panic!("tcId {id} accepted"));
                    codes.insert(id, code);
                    invalid_refused += 1;
                }
                (other, _) => panic!("tcId {id}: unexpected result {other}"),
            }
        }
    }
    eprintln!("json_web_key_test: invalid codes {codes:?}");
    assert_eq!((valid_ok, valid_unsupported, invalid_refused), (1, 4, 21));
    // The cases this library must refuse for the key's own sake.
    assert_eq!(codes.get(&6), Some(&"ERR_KEY_NOT_FOUND"), "use: enc");
    assert_eq!(codes.get(&7), Some(&"ERR_KEY_UNSUITABLE"), "ROCA key");
    assert_eq!(codes.get(&8), Some(&"ERR_KEY_UNSUITABLE"), "1024-bit key");
    assert_eq!(codes.get(&9), Some(&"ERR_KEY_UNSUITABLE"), "e = 1");
    // An off-curve point is left to the crypto's key import (WebCrypto refuses it too).
    assert_eq!(
        codes.get(&22),
        Some(&"ERR_SIGNATURE_INVALID"),
        "invalid point"
    );
    for id in [19, 20, 21, 23, 24] {
        assert_eq!(codes.get(&id), Some(&"ERR_KEY_NOT_FOUND"), "tcId {id}");
    }
}

#[derive(Default, Debug, PartialEq)]
struct SigTally {
    valid: usize,
    invalid: usize,
    acceptable: usize,
    refused_by_shape: usize,
}

fn rsa_signature_file(dir: &std::path::Path, name: &str) -> SigTally {
    let file = load(dir, name);
    let mut tally = SigTally::default();
    for group in arr(&file, "testGroups") {
        let group = group.as_object().unwrap();
        let set = key_set(Some(obj(group, "keyJwk")));
        let key = set
            .select(Algorithm::RS256, None)
            .expect("Wycheproof RSA key is suitable");
        let bits = group.get("keySize").and_then(json::Value::as_i64).unwrap();
        assert_eq!(key.rsa_modulus_len(), usize::try_from(bits / 8).ok());
        for test in arr(group, "tests") {
            let test = test.as_object().unwrap();
            let id = test.get("tcId").and_then(json::Value::as_i64).unwrap();
            let (msg, sig) = (hex(string(test, "msg")), hex(string(test, "sig")));
            let shape = verify::check_signature_shape(Algorithm::RS256, key, &sig);
            let ok = shape.is_ok() && verify_raw(Algorithm::RS256, key, &msg, &sig);
            if shape.is_err() {
                tally.refused_by_shape += 1;
            }
            match string(test, "result") {
                "valid" => {
                    assert!(ok, "{name} tcId {id}");
                    tally.valid += 1;
                }
                "invalid" => {
                    assert!(!ok, "{name} tcId {id}");
                    tally.invalid += 1;
                }
                "acceptable" => {
                    assert!(!ok, "{name} tcId {id}: strict verifier refuses");
                    tally.acceptable += 1;
                }
                other => panic!("{name} tcId {id}: {other}"),
            }
        }
    }
    tally
}

#[test]
fn wycheproof_rsa_pkcs1_sha256_signatures_verify_as_labelled() {
    let Some(dir) = vectors_dir() else { return };
    let mut total = 0;
    for (bits, expected) in [(2048, 259), (3072, 259), (4096, 258)] {
        let name = format!("wycheproof/rsa_signature_{bits}_sha256_test.json");
        let tally = rsa_signature_file(&dir, &name);
        eprintln!("{name}: {tally:?}");
        assert_eq!(
            tally.valid + tally.invalid + tally.acceptable,
            expected,
            "{name}"
        );
        assert!(tally.valid > 0 && tally.invalid > 0, "{name}");
        assert!(
            tally.refused_by_shape > 0,
            "{name}: the length check caught nothing"
        );
        total += expected;
    }
    assert_eq!(total, 776);
}

#[test]
fn wycheproof_ecdsa_p256_p1363_signatures_verify_as_labelled() {
    let Some(dir) = vectors_dir() else { return };
    let file = load(&dir, "wycheproof/ecdsa_secp256r1_sha256_p1363_test.json");
    let mut tally = SigTally::default();
    let (mut zero_refused, mut with_jwk) = (0, 0);
    for group in arr(&file, "testGroups") {
        let group = group.as_object().unwrap();
        // The JWK built from the uncompressed point (04 || x || y) equals the group's JWK.
        let point = hex(string(obj(group, "publicKey"), "uncompressed"));
        assert_eq!((point.len(), point[0]), (65, 4));
        let mut built = json::Object::new();
        built.insert("kty", "EC");
        built.insert("crv", "P-256");
        built.insert("x", vipps_auth::base64::encode_url(&point[1..33]));
        built.insert("y", vipps_auth::base64::encode_url(&point[33..]));
        let set = key_set(Some(&built));
        let key = set
            .select(Algorithm::ES256, None)
            .expect("Wycheproof P-256 key is suitable");
        if let Some(jwk) = group.get("publicKeyJwk").and_then(json::Value::as_object) {
            let from_vector = key_set(Some(jwk));
            assert_eq!(from_vector.keys()[0].params(), key.params());
            assert_eq!(from_vector.keys()[0].thumbprint(), key.thumbprint());
            with_jwk += 1;
        }
        for test in arr(group, "tests") {
            let test = test.as_object().unwrap();
            let id = test.get("tcId").and_then(json::Value::as_i64).unwrap();
            let (msg, sig) = (hex(string(test, "msg")), hex(string(test, "sig")));
            let shape = verify::check_signature_shape(Algorithm::ES256, key, &sig);
            if shape.is_err() {
                tally.refused_by_shape += 1;
            }
            if sig.len() == 64
                && (sig[..32].iter().all(|&b| b == 0) || sig[32..].iter().all(|&b| b == 0))
            {
                assert_eq!(
                    shape,
                    Err(ErrorKind::SignatureInvalid.into()),
                    "tcId {id}: zero r or s passes the shape check"
                );
                zero_refused += 1;
            }
            let ok = shape.is_ok() && verify_raw(Algorithm::ES256, key, &msg, &sig);
            match string(test, "result") {
                "valid" => {
                    assert!(ok, "tcId {id}");
                    tally.valid += 1;
                }
                "invalid" => {
                    assert!(!ok, "tcId {id}");
                    tally.invalid += 1;
                }
                other => panic!("tcId {id}: {other}"),
            }
        }
    }
    eprintln!("ecdsa_secp256r1_sha256_p1363: {tally:?}, zero r/s refused by shape: {zero_refused}");
    assert_eq!((tally.valid, tally.invalid), (173, 89));
    assert!(zero_refused > 0, "no r = 0 / s = 0 case was exercised");
    assert!(
        with_jwk > 100,
        "only {with_jwk} groups compared with their publicKeyJwk"
    );
    assert!(tally.refused_by_shape >= zero_refused);
}
