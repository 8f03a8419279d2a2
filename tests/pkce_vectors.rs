#![cfg(not(target_arch = "wasm32"))]
//! RFC 7636 Appendix B: the example verifier and its S256 challenge, read from the shared
//! vector files (`VIPPS_AUTH_VECTORS`, else `../shared/vectors` beside the crate).

mod support;

use support::{load, vectors_dir};
use vipps_auth::base64;
use vipps_auth::pkce::{code_challenge_s256, validate_code_verifier, CodeChallengeMethod};

const VECTOR: &str = "rfc/rfc7636_appendix_b_pkce.json";

#[test]
fn rfc7636_appendix_b_verifier_and_s256_challenge() {
    let Some(dir) = vectors_dir() else { return };
    let vector = load(&dir, VECTOR);
    let octets: Vec<u8> = vector
        .get("random_octets")
        .and_then(|v| v.as_array())
        .expect("random_octets array")
        .iter()
        .map(|n| u8::try_from(n.as_i64().expect("octet is an integer")).expect("octet fits a byte"))
        .collect();
    let verifier = vector.get_str("code_verifier").expect("code_verifier");
    let challenge = vector.get_str("code_challenge").expect("code_challenge");
    let method = vector
        .get_str("code_challenge_method")
        .expect("code_challenge_method");

    assert_eq!(octets.len(), 32);
    assert_eq!(
        base64::encode_url(&octets),
        verifier,
        "verifier = BASE64URL(random octets)"
    );
    assert!(validate_code_verifier(verifier).is_ok());
    assert_eq!(code_challenge_s256(verifier).unwrap(), challenge);
    assert_eq!(
        method.parse::<CodeChallengeMethod>().unwrap(),
        CodeChallengeMethod::S256
    );
}

#[test]
fn rfc7636_appendix_b_challenge_changes_with_one_verifier_character() {
    let Some(dir) = vectors_dir() else { return };
    let vector = load(&dir, VECTOR);
    let verifier = vector.get_str("code_verifier").expect("code_verifier");
    let challenge = vector.get_str("code_challenge").expect("code_challenge");
    let mut altered = verifier.to_owned();
    altered.pop();
    altered.push(if verifier.ends_with('A') { 'B' } else { 'A' });
    assert_ne!(code_challenge_s256(&altered).unwrap(), challenge);
}
