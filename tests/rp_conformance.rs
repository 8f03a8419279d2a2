#![cfg(not(target_arch = "wasm32"))]
//! Negative (and a few positive) ID-token checks named after the OpenID Foundation RP
//! conformance tests (`oidcc-client-test-*` in the current suite, `rp-*` in the old one), plus
//! the JOSE attacks RFC 8725 names. Every token goes through the real pipeline:
//! `jose::jwt::parse` -> `jose::verify::prepare` -> the signature check (pure-Rust crypto,
//! standing in for WebCrypto) -> `SignatureCheck::finish` -> `id_token::validate`.
//!
//! Every refusal is asserted as the exact stable error code AND the stage that refused it, so
//! "refused before any claim is read" is checked, not assumed. Each negative case changes one
//! thing in a token that the positive Vipps-shaped case accepts.
//!
//! Keys are made deterministically from fixed seeds (see `support::rsa_test_key`): they are
//! test keys and never leave this file.

mod support;

use std::sync::OnceLock;

use support::*;
use vipps_auth::id_token::{self, Audience, IdTokenExpectations};
use vipps_auth::jose::alg::DEFAULT_ALGORITHMS;
use vipps_auth::jose::{jwt, verify, Algorithm, JwkSet};
use vipps_auth::secret::AccessToken;
use vipps_auth::{base64, json, Error, ErrorKind};

const ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";
const CLIENT_ID: &str = "0f4c1e2a-6b1d-4a53-9e0e-client";
const KID: &str = "public:0d6a4a8c-7e2b-4c6e-9f4f-0f6c4c2b8b8e";
const OTHER_KID: &str = "public:5b2c7f10-93a4-4d1e-8a61-3c9d2e4f7a08";
const NONCE: &str = "n-0S6_WzA2Mj";
const ACCESS_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.access-token-from-the-code-exchange.c2ln";
const SUB: &str = "c06c4afe-d9e1-4c5d-939a-177d752a0944";
const NOW: i64 = 1_700_000_000;
const BOTH: &[Algorithm] = &[Algorithm::RS256, Algorithm::ES256];

/// The provider's signing key (RSA-2048).
fn op_key() -> &'static rsa::RsaPrivateKey {
    static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| rsa_test_key("vipps-auth rp_conformance: op key", 2048))
}

/// Another RSA-2048 key: an attacker's, or the provider's next key after rotation.
fn other_key() -> &'static rsa::RsaPrivateKey {
    static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| rsa_test_key("vipps-auth rp_conformance: other key", 2048))
}

/// An RSA-1024 key: too small for RS256 (RFC 7518 section 3.3).
fn small_key() -> &'static rsa::RsaPrivateKey {
    static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| rsa_test_key("vipps-auth rp_conformance: 1024-bit key", 1024))
}

fn ec_key() -> p256::ecdsa::SigningKey {
    p256_test_key("vipps-auth rp_conformance: P-256 key")
}

/// Where the pipeline refused a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// `jwt::parse`: the token's form.
    Parse,
    /// `verify::prepare`: header members, algorithm, key selection, signature shape.
    Prepare,
    /// The cryptographic signature check (`finish(false)`).
    Signature,
    /// `id_token::validate`: the claims, read only after the signature.
    Claims,
}

/// The whole pipeline, as the browser package and the worker run it.
fn run(
    token: &str,
    keys: &JwkSet,
    allowed: &[Algorithm],
    expected: &IdTokenExpectations,
) -> Result<json::Object, (Stage, Error)> {
    let jwt = jwt::parse(token).map_err(|e| (Stage::Parse, e))?;
    let check = verify::prepare(&jwt, keys, allowed).map_err(|e| (Stage::Prepare, e))?;
    let valid = verify_with_rust_crypto(&check);
    let verified = check.finish(valid).map_err(|e| (Stage::Signature, e))?;
    id_token::validate(&verified, expected, NOW)
        .cloned()
        .map_err(|e| (Stage::Claims, e))
}

/// The stage and stable code of a refusal (panics, showing the claims, on acceptance).
fn refusal(r: Result<json::Object, (Stage, Error)>) -> (Stage, &'static str) {
    match r {
        Ok(claims) => panic!("accepted, claims {}", json::Value::Object(claims).to_json()),
        Err((stage, e)) => (stage, e.code()),
    }
}

/// A Vipps-shaped ID token's claims (DESIGN.md): `nonce` as sent and `at_hash` of the access
/// token issued with it.
fn claims() -> json::Object {
    let mut c = json::Object::new();
    c.insert("iss", ISSUER);
    c.insert("aud", vec![json::Value::from(CLIENT_ID)]);
    c.insert("exp", NOW + 3600);
    c.insert("iat", NOW - 5);
    c.insert("auth_time", NOW - 30);
    c.insert("nonce", NONCE);
    c.insert("sub", SUB);
    c.insert("at_hash", id_token::at_hash(ACCESS_TOKEN, Algorithm::RS256));
    c.insert("sid", "Lk-w7tZ4Q8KOzcOxOZvdnA");
    c.insert("jti", "b1a5b3c0-7d21-4f0e-a1c2-9d8e7f6a5b4c");
    c.insert("rat", NOW - 60);
    c
}

fn with(name: &str, value: impl Into<json::Value>) -> json::Object {
    let mut c = claims();
    c.insert(name, value);
    c
}

fn without(name: &str) -> json::Object {
    let mut c = json::Object::new();
    for (n, v) in claims().iter().filter(|(n, _)| *n != name) {
        c.insert(n, v.clone());
    }
    assert_eq!(c.len() + 1, claims().len(), "`{name}` is one of the claims");
    c
}

/// `{"alg":"RS256","kid":KID,"typ":"JWT"}` plus any extra members.
fn header(extra: &[(&str, json::Value)]) -> json::Object {
    let mut h = json::Object::new();
    h.insert("alg", "RS256");
    h.insert("kid", KID);
    h.insert("typ", "JWT");
    for (name, value) in extra {
        h.insert(*name, value.clone());
    }
    h
}

/// `{"alg":"RS256","typ":"JWT"}`: no kid.
fn header_without_kid() -> json::Object {
    let mut h = json::Object::new();
    h.insert("alg", "RS256");
    h.insert("typ", "JWT");
    h
}

fn to_json(o: &json::Object) -> String {
    json::Value::Object(o.clone()).to_json()
}

/// An RS256 token of `header` and `claims` signed with `key`.
fn sign_with(key: &rsa::RsaPrivateKey, header: &json::Object, claims: &json::Object) -> String {
    sign_rs256_raw(key, to_json(header).as_bytes(), to_json(claims).as_bytes())
}

/// An RS256 token signed with the provider's key under the usual header.
fn sign(claims: &json::Object) -> String {
    sign_with(op_key(), &header(&[]), claims)
}

/// The provider's JWKS: its one signing key, as Vipps publishes it (`kid`, `use`, `alg`).
fn op_keys() -> JwkSet {
    let jwk = rsa_public_jwk(op_key(), Some(KID), &[("use", "sig"), ("alg", "RS256")]);
    JwkSet::from_object(&jwks(&[jwk])).unwrap()
}

/// What a merchant's client expects: its issuer and client id, the nonce it sent, the access
/// token from the same code exchange.
fn expected() -> IdTokenExpectations {
    let mut e = IdTokenExpectations::new(ISSUER, Audience::ClientId(CLIENT_ID.into()));
    e.nonce = Some(NONCE.into());
    e.access_token = Some(AccessToken::new(ACCESS_TOKEN));
    e
}

/// The usual run: the provider's keys, RS256 only, the usual expectations.
fn check(token: &str) -> Result<json::Object, (Stage, Error)> {
    run(token, &op_keys(), DEFAULT_ALGORITHMS, &expected())
}

fn b64(s: &str) -> String {
    base64::encode_url(s.as_bytes())
}

// ---------------------------------------------------------------------------------------
// Positive cases: the control every negative case departs from.

/// `oidcc-client-test-idtoken-sig-rs256` (old `rp-id_token-sig-rs256`), with every claim
/// DESIGN.md lists for a Vipps ID token.
#[test]
fn rp_id_token_vipps_shaped_rs256_is_accepted() {
    let accepted = check(&sign(&claims())).expect("a Vipps-shaped ID token is accepted");
    assert_eq!(accepted, claims());
    assert_eq!(accepted.get_str("sub"), Some(SUB));
    assert_eq!(accepted.get_str("nonce"), Some(NONCE));
}

#[test]
fn rp_id_token_aud_as_an_array_with_one_entry_is_accepted() {
    let token = sign(&with("aud", vec![json::Value::from(CLIENT_ID)]));
    assert_eq!(
        check(&token)
            .unwrap()
            .get("aud")
            .and_then(json::Value::as_array)
            .map(<[_]>::len),
        Some(1)
    );
}

#[test]
fn rp_id_token_aud_as_a_string_is_accepted() {
    let token = sign(&with("aud", CLIENT_ID));
    assert_eq!(check(&token).unwrap().get_str("aud"), Some(CLIENT_ID));
}

/// `oidcc-client-test-kid-absent-single-jwks` (old `rp-id_token-kid-absent-single-jwks`).
#[test]
fn rp_id_token_kid_absent_with_a_single_key_is_accepted() {
    let token = sign_with(op_key(), &header_without_kid(), &claims());
    assert_eq!(jwt::parse(&token).unwrap().kid(), None);
    let keys = JwkSet::from_object(&jwks(&[rsa_public_jwk(op_key(), None, &[])])).unwrap();
    assert_eq!(
        run(&token, &keys, DEFAULT_ALGORITHMS, &expected()).unwrap(),
        claims()
    );
}

/// Several audiences are fine when `azp` names the client (OIDC Core 3.1.3.7 steps 4-5).
#[test]
fn rp_id_token_secondary_aud_with_azp_of_the_client_is_accepted() {
    let mut c = with(
        "aud",
        vec![
            json::Value::from(CLIENT_ID),
            json::Value::from("another-client"),
        ],
    );
    c.insert("azp", CLIENT_ID);
    assert!(check(&sign(&c)).is_ok());
}

/// Vipps sends `nonce: ""` when none was asked; without an expected nonce that passes.
#[test]
fn rp_id_token_empty_nonce_is_accepted_when_none_was_sent() {
    let mut e = expected();
    e.nonce = None;
    assert!(run(
        &sign(&with("nonce", "")),
        &op_keys(),
        DEFAULT_ALGORITHMS,
        &e
    )
    .is_ok());
    assert!(run(&sign(&without("nonce")), &op_keys(), DEFAULT_ALGORITHMS, &e).is_ok());
}

/// `at_hash` is optional in the code flow (OIDC Core 3.1.3.6): absent, with an access token
/// given, passes.
#[test]
fn rp_id_token_at_hash_absent_is_accepted_in_the_code_flow() {
    assert!(check(&sign(&without("at_hash"))).is_ok());
}

// ---------------------------------------------------------------------------------------
// Claims (OIDC Core 3.1.3.7).

/// `oidcc-client-test-invalid-iss` (old `rp-id_token-issuer-mismatch`): compared exactly.
#[test]
fn rp_id_token_iss_invalid_is_rejected() {
    for iss in [
        "https://example.com/",
        "https://api.vipps.no/access-management-1.0/access/",
        "https://apitest.vipps.no/access-management-1.0/access",
        "https://APITEST.vipps.no/access-management-1.0/access/",
        "",
    ] {
        assert_eq!(
            refusal(check(&sign(&with("iss", iss)))),
            (Stage::Claims, "ERR_CLAIM_ISSUER"),
            "{iss}"
        );
    }
}

/// `oidcc-client-test-invalid-aud`.
#[test]
fn rp_id_token_aud_invalid_is_rejected() {
    for aud in [
        json::Value::from("another-client"),
        json::Value::Array(vec!["another-client".into()]),
        json::Value::Array(vec![]),
    ] {
        assert_eq!(
            refusal(check(&sign(&with("aud", aud.clone())))),
            (Stage::Claims, "ERR_CLAIM_AUDIENCE"),
            "{}",
            aud.to_json()
        );
    }
}

/// OIDC Core 3.1.3.7 step 4: several audiences and no `azp`.
#[test]
fn rp_id_token_secondary_aud_without_azp_is_rejected() {
    let c = with(
        "aud",
        vec![
            json::Value::from(CLIENT_ID),
            json::Value::from("another-client"),
        ],
    );
    assert_eq!(
        refusal(check(&sign(&c))),
        (Stage::Claims, "ERR_CLAIM_AUDIENCE")
    );
}

/// OIDC Core 3.1.3.7 step 5: `azp` present and not the client.
#[test]
fn rp_id_token_secondary_aud_with_a_wrong_azp_is_rejected() {
    let mut c = with(
        "aud",
        vec![
            json::Value::from(CLIENT_ID),
            json::Value::from("another-client"),
        ],
    );
    c.insert("azp", "another-client");
    assert_eq!(
        refusal(check(&sign(&c))),
        (Stage::Claims, "ERR_CLAIM_AUDIENCE")
    );
    // Also with a single audience.
    assert_eq!(
        refusal(check(&sign(&with("azp", "another-client")))),
        (Stage::Claims, "ERR_CLAIM_AUDIENCE")
    );
}

/// OIDC Core 3.1.3.7 step 9, with the default 30 s tolerance: one second past it is refused,
/// the edge itself passes.
#[test]
fn rp_id_token_exp_expired_is_rejected() {
    assert_eq!(
        refusal(check(&sign(&with("exp", NOW - 31)))),
        (Stage::Claims, "ERR_CLAIM_EXPIRED")
    );
    assert_eq!(
        refusal(check(&sign(&with("exp", NOW - 86_400)))),
        (Stage::Claims, "ERR_CLAIM_EXPIRED")
    );
    assert!(check(&sign(&with("exp", NOW - 30))).is_ok());
}

/// `oidcc-client-test-missing-aud` (old `rp-id_token-aud`).
#[test]
fn rp_id_token_aud_missing_is_rejected() {
    assert_eq!(
        check(&sign(&without("aud"))).unwrap_err(),
        (
            Stage::Claims,
            ErrorKind::ClaimMissing { claim: "aud" }.into()
        )
    );
}

/// `oidcc-client-test-missing-iat` (old `rp-id_token-iat`).
#[test]
fn rp_id_token_iat_missing_is_rejected() {
    assert_eq!(
        check(&sign(&without("iat"))).unwrap_err(),
        (
            Stage::Claims,
            ErrorKind::ClaimMissing { claim: "iat" }.into()
        )
    );
}

/// `oidcc-client-test-missing-sub` (old `rp-id_token-sub`).
#[test]
fn rp_id_token_sub_missing_is_rejected() {
    assert_eq!(
        check(&sign(&without("sub"))).unwrap_err(),
        (
            Stage::Claims,
            ErrorKind::ClaimMissing { claim: "sub" }.into()
        )
    );
}

#[test]
fn rp_id_token_exp_missing_is_rejected() {
    assert_eq!(
        check(&sign(&without("exp"))).unwrap_err(),
        (
            Stage::Claims,
            ErrorKind::ClaimMissing { claim: "exp" }.into()
        )
    );
}

#[test]
fn rp_id_token_iss_missing_is_rejected() {
    assert_eq!(
        check(&sign(&without("iss"))).unwrap_err(),
        (
            Stage::Claims,
            ErrorKind::ClaimMissing { claim: "iss" }.into()
        )
    );
}

/// `oidcc-client-test-nonce-invalid` (old `rp-nonce-invalid`).
#[test]
fn rp_nonce_invalid_is_rejected() {
    for nonce in ["n-0S6_WzA2Mk", "N-0S6_WZA2MJ", "n-0S6_WzA2Mj ", "x"] {
        assert_eq!(
            refusal(check(&sign(&with("nonce", nonce)))),
            (Stage::Claims, "ERR_CLAIM_NONCE"),
            "{nonce}"
        );
    }
    // A nonce in the token when none was sent is refused too.
    let mut e = expected();
    e.nonce = None;
    assert_eq!(
        refusal(run(&sign(&claims()), &op_keys(), DEFAULT_ALGORITHMS, &e)),
        (Stage::Claims, "ERR_CLAIM_NONCE")
    );
}

/// A nonce was sent but the token carries none (old `rp-nonce-unless-code-flow`, in reverse:
/// having sent one, the client must require it).
#[test]
fn rp_nonce_missing_when_one_was_sent_is_rejected() {
    assert_eq!(
        refusal(check(&sign(&without("nonce")))),
        (Stage::Claims, "ERR_CLAIM_NONCE")
    );
}

/// Vipps' "no nonce" spelling does not satisfy a nonce that was sent.
#[test]
fn rp_nonce_empty_when_one_was_sent_is_rejected() {
    assert_eq!(
        refusal(check(&sign(&with("nonce", "")))),
        (Stage::Claims, "ERR_CLAIM_NONCE")
    );
}

/// OIDC Core 3.1.3.7 step 10: an `iat` in the future (past the 30 s tolerance) is refused;
/// at the edge of the tolerance it passes.
#[test]
fn rp_id_token_iat_in_the_future_is_rejected() {
    assert_eq!(
        refusal(check(&sign(&with("iat", NOW + 31)))),
        (Stage::Claims, "ERR_CLAIM_NOT_YET_VALID")
    );
    assert!(check(&sign(&with("iat", NOW + 30))).is_ok());
}

/// `oidcc-client-test-userinfo-invalid-sub` (old `rp-userinfo-bad-sub-claim`): the userinfo
/// response names another subject than the validated ID token.
#[test]
fn rp_userinfo_sub_not_matching_the_id_token_is_rejected() {
    use vipps_auth::http::HttpResponse;
    use vipps_auth::token::process_userinfo_response;
    let sub = check(&sign(&claims()))
        .unwrap()
        .get_str("sub")
        .unwrap()
        .to_owned();
    let other = HttpResponse::new(
        200,
        r#"{"sub":"4f1d2a9e-0000-4000-8000-someone-else","name":"Kari"}"#,
    );
    let err = process_userinfo_response(&other, Some(&sub)).unwrap_err();
    assert_eq!(
        err,
        ErrorKind::ClaimInvalid {
            claim: "sub",
            reason: "differs from the ID token's sub"
        }
        .into()
    );
    assert_eq!(err.code(), "ERR_CLAIM_INVALID");
    let same = HttpResponse::new(200, format!(r#"{{"sub":"{sub}","name":"Ola"}}"#));
    assert_eq!(
        process_userinfo_response(&same, Some(&sub))
            .unwrap()
            .get_str("name"),
        Some("Ola")
    );
}

/// OIDC Core 3.1.3.7 step 13: with `max_age`, an old `auth_time` is refused (the token
/// itself is still unexpired); without `max_age` the same token passes, and with `max_age`
/// a token without `auth_time` is refused.
#[test]
fn rp_id_token_auth_time_older_than_max_age_is_rejected() {
    let mut c = with("iat", NOW - 7 * 86_400);
    c.insert("auth_time", NOW - 7 * 86_400);
    let token = sign(&c);
    let mut e = expected();
    e.max_age_sec = Some(600);
    assert_eq!(
        refusal(run(&token, &op_keys(), DEFAULT_ALGORITHMS, &e)),
        (Stage::Claims, "ERR_CLAIM_AUTH_TIME")
    );
    assert!(
        check(&token).is_ok(),
        "without max_age an old iat is no reason to refuse"
    );
    assert_eq!(
        run(
            &sign(&without("auth_time")),
            &op_keys(),
            DEFAULT_ALGORITHMS,
            &e
        )
        .unwrap_err(),
        (
            Stage::Claims,
            ErrorKind::ClaimMissing { claim: "auth_time" }.into()
        )
    );
}

/// `oidcc-client-test-invalid-athash`: a wrong `at_hash` with the access token given.
#[test]
fn rp_id_token_at_hash_invalid_is_rejected() {
    for at_hash in [
        id_token::at_hash("another-access-token", Algorithm::RS256),
        String::new(),
        "AAAA".into(),
    ] {
        assert_eq!(
            refusal(check(&sign(&with("at_hash", at_hash.as_str())))),
            (Stage::Claims, "ERR_CLAIM_AT_HASH"),
            "{at_hash}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Signature, algorithm and keys (RFC 7515 section 5.2; RFC 8725 section 3).

/// `oidcc-client-test-idtoken-sig-none` (old `rp-id_token-sig-none`): an unsecured token
/// parses (for inspection) but is refused at the algorithm check, before any claim is read,
/// whatever the caller allows.
#[test]
fn rp_id_token_sig_none_is_rejected() {
    let token = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(&to_json(&claims())));
    assert_eq!(jwt::parse(&token).unwrap().alg(), "none");
    assert_eq!(
        refusal(check(&token)),
        (Stage::Prepare, "ERR_ALG_NOT_ALLOWED")
    );
    assert_eq!(
        refusal(run(&token, &op_keys(), BOTH, &expected())),
        (Stage::Prepare, "ERR_ALG_NOT_ALLOWED")
    );
    // `None` and `NONE`, with a kid, and a token whose claims are otherwise invalid: still the
    // algorithm, never a claim error.
    for alg in ["None", "NONE", "nOnE"] {
        let token = format!(
            "{}.{}.",
            b64(&format!(r#"{{"alg":"{alg}","kid":"{KID}"}}"#)),
            b64(&to_json(&without("iss")))
        );
        assert_eq!(
            refusal(check(&token)),
            (Stage::Prepare, "ERR_ALG_NOT_ALLOWED"),
            "{alg}"
        );
    }
}

/// Algorithm substitution (RFC 8725 section 2.1): the token says ES256 and is validly signed
/// with a P-256 key from the set, but the caller allows only RS256.
#[test]
fn rp_id_token_alternate_alg_es256_when_only_rs256_is_allowed_is_rejected() {
    let ec = ec_key();
    let keys = JwkSet::from_object(&jwks(&[
        rsa_public_jwk(op_key(), Some(KID), &[]),
        p256_public_jwk(&ec, Some(OTHER_KID)),
    ]))
    .unwrap();
    let h = format!(r#"{{"alg":"ES256","kid":"{OTHER_KID}"}}"#);
    let token = sign_es256_raw(&ec, h.as_bytes(), to_json(&claims()).as_bytes());
    assert_eq!(
        refusal(run(&token, &keys, DEFAULT_ALGORITHMS, &expected())),
        (Stage::Prepare, "ERR_ALG_NOT_ALLOWED")
    );
    assert_eq!(
        refusal(run(&token, &keys, &[Algorithm::RS256], &expected())),
        (Stage::Prepare, "ERR_ALG_NOT_ALLOWED")
    );
    // The same token is sound: allowing ES256 accepts it (ES256 at_hash also uses SHA-256).
    assert!(run(&token, &keys, BOTH, &expected()).is_ok());
}

/// Key confusion (RFC 8725 section 2.1; `oidcc-client-test-invalid-sig-hs256` is the
/// client-secret variant): HS256 "signed" with the provider's RSA public key as the HMAC
/// secret, in the forms attackers use (PEM, the modulus, the JWK text). HMAC cannot be named,
/// so it is refused at the algorithm check, even when the caller allows every supported
/// algorithm, and the caller's default list refuses it too.
#[test]
fn rp_id_token_hs256_signed_with_the_rsa_public_key_is_rejected() {
    use rsa::pkcs8::EncodePublicKey as _;
    use rsa::traits::PublicKeyParts as _;
    let public = op_key().to_public_key();
    let pem = public
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap();
    let jwk_text = to_json(&rsa_public_jwk(op_key(), Some(KID), &[]));
    for secret in [
        pem.as_bytes().to_vec(),
        public.n().to_bytes_be(),
        jwk_text.into_bytes(),
    ] {
        for h in [
            format!(r#"{{"alg":"HS256","kid":"{KID}","typ":"JWT"}}"#),
            r#"{"alg":"HS256"}"#.to_owned(),
        ] {
            let input = format!("{}.{}", b64(&h), b64(&to_json(&claims())));
            let token = format!(
                "{input}.{}",
                base64::encode_url(&hmac_sha256(&secret, input.as_bytes()))
            );
            assert_eq!(
                refusal(check(&token)),
                (Stage::Prepare, "ERR_ALG_NOT_ALLOWED"),
                "{h}"
            );
            assert_eq!(
                refusal(run(&token, &op_keys(), BOTH, &expected())),
                (Stage::Prepare, "ERR_ALG_NOT_ALLOWED"),
                "{h}"
            );
        }
    }
}

/// The HMAC helper is real HMAC-SHA256 (RFC 4231 test case 2), so the forgery above is the
/// one an attacker would send.
#[test]
fn hmac_helper_matches_rfc4231_test_case_2() {
    let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
    assert_eq!(
        mac,
        hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    );
}

/// `oidcc-client-test-invalid-sig-rs256` (old `rp-id_token-bad-sig-rs256`): signed with
/// another key under the provider's kid; and a validly signed token whose payload was
/// swapped afterwards.
#[test]
fn rp_id_token_invalid_signature_is_rejected() {
    let forged = sign_with(other_key(), &header(&[]), &claims());
    assert_eq!(
        refusal(check(&forged)),
        (Stage::Signature, "ERR_SIGNATURE_INVALID")
    );

    let genuine = sign(&with("sub", "someone-else"));
    let (head, rest) = genuine.split_once('.').unwrap();
    let (_, sig) = rest.split_once('.').unwrap();
    let swapped = format!("{head}.{}.{sig}", b64(&to_json(&claims())));
    assert_eq!(
        refusal(check(&swapped)),
        (Stage::Signature, "ERR_SIGNATURE_INVALID")
    );
    assert!(check(&genuine).is_ok(), "the original is genuine");
}

/// The signature is checked before any claim: a token with a bad signature AND an expired
/// `exp` is refused for its signature; with a good signature the same claims are refused as
/// expired, so the claim error was there to be found.
#[test]
fn rp_id_token_signature_is_verified_before_claims() {
    let expired = with("exp", NOW - 86_400);
    assert_eq!(
        refusal(check(&sign_with(other_key(), &header(&[]), &expired))),
        (Stage::Signature, "ERR_SIGNATURE_INVALID")
    );
    assert_eq!(
        refusal(check(&sign(&expired))),
        (Stage::Claims, "ERR_CLAIM_EXPIRED")
    );
}

/// `oidcc-client-test-kid-absent-multiple-jwks` (old `rp-id_token-kid-absent-multiple-jwks`):
/// this library never tries keys in turn (OIDC Core 10.1: with several keys, a kid is needed).
#[test]
fn rp_id_token_kid_absent_with_several_keys_is_rejected() {
    let token = sign_with(op_key(), &header_without_kid(), &claims());
    let keys = JwkSet::from_object(&jwks(&[
        rsa_public_jwk(op_key(), Some(KID), &[]),
        rsa_public_jwk(other_key(), Some(OTHER_KID), &[]),
    ]))
    .unwrap();
    assert_eq!(
        refusal(run(&token, &keys, DEFAULT_ALGORITHMS, &expected())),
        (Stage::Prepare, "ERR_KEY_AMBIGUOUS")
    );
    // With its kid, the same set finds the key.
    assert!(run(&sign(&claims()), &keys, DEFAULT_ALGORITHMS, &expected()).is_ok());
}

/// A kid the set does not have (e.g. the provider rotated keys and the cached set is old:
/// old `rp-key-rotation-op-sign-key`; the caller refetches on `ERR_KEY_NOT_FOUND`).
#[test]
fn rp_id_token_kid_unknown_is_rejected() {
    let rotated = sign_with(
        other_key(),
        &header(&[("kid", OTHER_KID.into())]),
        &claims(),
    );
    assert_eq!(
        refusal(check(&rotated)),
        (Stage::Prepare, "ERR_KEY_NOT_FOUND")
    );
    let refreshed = JwkSet::from_object(&jwks(&[
        rsa_public_jwk(op_key(), Some(KID), &[]),
        rsa_public_jwk(other_key(), Some(OTHER_KID), &[]),
    ]))
    .unwrap();
    assert!(run(&rotated, &refreshed, DEFAULT_ALGORITHMS, &expected()).is_ok());
}

/// An RSA key under 2048 bits is unsuitable for RS256 (RFC 7518 section 3.3), even when the
/// token is validly signed with it and names it.
#[test]
fn rp_id_token_signed_with_an_rsa_key_under_2048_bits_is_rejected() {
    let keys = JwkSet::from_object(&jwks(&[rsa_public_jwk(small_key(), Some(KID), &[])])).unwrap();
    let token = sign_with(small_key(), &header(&[]), &claims());
    assert_eq!(
        refusal(run(&token, &keys, DEFAULT_ALGORITHMS, &expected())),
        (Stage::Prepare, "ERR_KEY_UNSUITABLE")
    );
}

/// A key published for encryption (`use: enc`) is not a candidate for verifying, so a token
/// naming it finds no key.
#[test]
fn rp_id_token_key_with_use_enc_is_not_used() {
    let keys = JwkSet::from_object(&jwks(&[rsa_public_jwk(
        op_key(),
        Some(KID),
        &[("use", "enc")],
    )]))
    .unwrap();
    assert_eq!(keys.len(), 1, "the key is kept, only not used to verify");
    assert_eq!(
        refusal(run(
            &sign(&claims()),
            &keys,
            DEFAULT_ALGORITHMS,
            &expected()
        )),
        (Stage::Prepare, "ERR_KEY_NOT_FOUND")
    );
}

// ---------------------------------------------------------------------------------------
// Refused header members (RFC 7515 sections 4.1.2-4.1.6 and 4.1.11): a token never chooses
// its own key, and this library implements no critical extension. Each token below is
// validly signed with the provider's key, so the header member is the only fault.

fn assert_header_refused(extra: (&str, json::Value)) {
    let name = extra.0;
    let token = sign_with(op_key(), &header(&[extra]), &claims());
    assert_eq!(
        refusal(check(&token)),
        (Stage::Prepare, "ERR_JWT_UNSUPPORTED_HEADER"),
        "{name}"
    );
    assert_eq!(
        refusal(run(&token, &op_keys(), BOTH, &expected())),
        (Stage::Prepare, "ERR_JWT_UNSUPPORTED_HEADER")
    );
}

/// An embedded `jwk`: here the attacker's own key, which signed the token.
#[test]
fn rp_id_token_embedded_jwk_header_is_rejected() {
    let attacker = rsa_public_jwk(other_key(), Some(KID), &[]);
    let token = sign_with(other_key(), &header(&[("jwk", attacker.into())]), &claims());
    assert_eq!(
        refusal(check(&token)),
        (Stage::Prepare, "ERR_JWT_UNSUPPORTED_HEADER")
    );
    // Also when the embedded key is the provider's own.
    assert_header_refused(("jwk", rsa_public_jwk(op_key(), Some(KID), &[]).into()));
}

#[test]
fn rp_id_token_jku_header_is_rejected() {
    assert_header_refused(("jku", "https://attacker.example/jwks.json".into()));
}

#[test]
fn rp_id_token_x5u_header_is_rejected() {
    assert_header_refused(("x5u", "https://attacker.example/cert.pem".into()));
}

#[test]
fn rp_id_token_x5c_header_is_rejected() {
    assert_header_refused((
        "x5c",
        vec![json::Value::from(
            "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
        )]
        .into(),
    ));
}

#[test]
fn rp_id_token_crit_header_is_rejected() {
    assert_header_refused(("crit", vec![json::Value::from("exp")].into()));
    assert_header_refused(("crit", vec![json::Value::from("b64")].into()));
}

// ---------------------------------------------------------------------------------------
// Form (RFC 7515 section 7.1).

/// Over 16 KiB (`jwt::MAX_TOKEN_LEN`) is refused before anything is decoded, even when
/// validly signed; just under the limit passes.
#[test]
fn rp_id_token_oversize_is_rejected() {
    let len_with_pad = |pad: usize| sign(&with("pad", "x".repeat(pad))).len();
    let base = len_with_pad(0);
    // Each 3 bytes of claims add 4 base64url characters.
    let fits = (jwt::MAX_TOKEN_LEN - base) * 3 / 4;
    let just_fits = sign(&with("pad", "x".repeat(fits)));
    assert!(
        just_fits.len() <= jwt::MAX_TOKEN_LEN && just_fits.len() > jwt::MAX_TOKEN_LEN - 8,
        "{}",
        just_fits.len()
    );
    assert!(check(&just_fits).is_ok());
    let over = sign(&with("pad", "x".repeat(fits + 6)));
    assert!(over.len() > jwt::MAX_TOKEN_LEN);
    assert_eq!(refusal(check(&over)), (Stage::Parse, "ERR_JWT_MALFORMED"));
    assert_eq!(
        refusal(check(&"A".repeat(1 << 20))),
        (Stage::Parse, "ERR_JWT_MALFORMED")
    );
}

/// A validly signed payload that is not UTF-8 is refused at parsing.
#[test]
fn rp_id_token_payload_with_invalid_utf8_is_rejected() {
    let mut payload = to_json(&claims()).into_bytes();
    let sub_at = payload
        .windows(SUB.len())
        .position(|w| w == SUB.as_bytes())
        .unwrap();
    payload[sub_at] = 0xff;
    let token = sign_rs256_raw(op_key(), to_json(&header(&[])).as_bytes(), &payload);
    assert_eq!(refusal(check(&token)), (Stage::Parse, "ERR_JWT_MALFORMED"));
    // An overlong encoding of `"` (0xc0 0xa2) is not UTF-8 either.
    let mut overlong = to_json(&claims()).into_bytes();
    overlong.splice(sub_at..sub_at + 1, [0xc0, 0xa2]);
    let token = sign_rs256_raw(op_key(), to_json(&header(&[])).as_bytes(), &overlong);
    assert_eq!(refusal(check(&token)), (Stage::Parse, "ERR_JWT_MALFORMED"));
}
