//! Shared helpers for the host integration tests: the vector folder, JSON and hex reading,
//! and RS256 / ES256 signing and verification with pure-Rust crypto (dev-dependencies only;
//! the product verifies with WebCrypto).
#![allow(dead_code)]

use std::path::PathBuf;

use p256::ecdsa::signature::{Signer as _, Verifier as _};
use rsa::signature::SignatureEncoding as _;
use rsa::BigUint;
use vipps_auth::jose::verify::SignatureCheck;
use vipps_auth::jose::{Algorithm, Jwk, KeyParams};
use vipps_auth::{base64, json};

/// The shared vector folder: `$VIPPS_AUTH_VECTORS`, else `../shared/vectors` beside the
/// checkout. `None` (after a loud `SKIPPED` line on stderr) when it is absent.
pub fn vectors_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("VIPPS_AUTH_VECTORS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors")),
    };
    match std::fs::metadata(&dir) {
        Ok(meta) if meta.is_dir() => Some(dir),
        Ok(_) => {
            eprintln!("SKIPPED: vectors not found at {}: not a directory", dir.display());
            None
        }
        Err(e) => {
            eprintln!("SKIPPED: vectors not found at {}: {e}", dir.display());
            None
        }
    }
}

/// Reads a vector file (relative to the vector folder) as a JSON object, with our own parser.
pub fn load(dir: &std::path::Path, relative: &str) -> json::Object {
    let path = dir.join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    json::parse_object(&bytes).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// The member as an object (panics with the name when absent: vector files are trusted input).
pub fn obj<'a>(o: &'a json::Object, name: &str) -> &'a json::Object {
    o.get(name).and_then(json::Value::as_object).unwrap_or_else(|| panic!("no object `{name}`"))
}

/// The member as an array.
pub fn arr<'a>(o: &'a json::Object, name: &str) -> &'a [json::Value] {
    o.get(name).and_then(json::Value::as_array).unwrap_or_else(|| panic!("no array `{name}`"))
}

/// The member as a string.
pub fn string<'a>(o: &'a json::Object, name: &str) -> &'a str {
    o.get_str(name).unwrap_or_else(|| panic!("no string `{name}`"))
}

/// Decodes lowercase or uppercase hex.
pub fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

/// Decodes base64url (for vector members).
pub fn b64(s: &str) -> Vec<u8> {
    base64::decode_url(s).expect("base64url in a vector")
}

/// Verifies `signature` over `message` with pure-Rust crypto: RSASSA-PKCS1-v1_5 SHA-256
/// (RFC 8017 section 8.2.2) or ECDSA P-256 SHA-256 over raw `r || s` (RFC 7518 section 3.4).
/// `false` for any failure, a key that does not fit included.
pub fn verify_raw(alg: Algorithm, key: &Jwk, message: &[u8], signature: &[u8]) -> bool {
    match (alg, key.params()) {
        (Algorithm::RS256, KeyParams::Rsa { n, e }) => {
            let Ok(public) =
                rsa::RsaPublicKey::new_with_max_size(BigUint::from_bytes_be(n), BigUint::from_bytes_be(e), 16384)
            else {
                return false;
            };
            let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
                return false;
            };
            rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(public).verify(message, &sig).is_ok()
        }
        (Algorithm::ES256, KeyParams::Ec { crv, x, y }) if crv == "P-256" => {
            let point = [&[0x04][..], x, y].concat();
            let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point) else {
                return false;
            };
            let Ok(sig) = p256::ecdsa::Signature::from_slice(signature) else {
                return false;
            };
            key.verify(message, &sig).is_ok()
        }
        _ => false,
    }
}

/// What the WebCrypto platform layer does with a [`SignatureCheck`], in pure Rust.
pub fn verify_with_rust_crypto(check: &SignatureCheck) -> bool {
    verify_raw(check.alg(), check.key(), check.signing_input(), check.signature())
}

/// Signs `message` with a private JWK (RSA `n, e, d, p, q` or EC P-256 `d`), for building
/// well-formed JWTs from the vectors' keys.
pub fn sign_with_private_jwk(alg: Algorithm, private: &json::Object, message: &[u8]) -> Vec<u8> {
    let big = |name: &str| BigUint::from_bytes_be(&b64(string(private, name)));
    match alg {
        Algorithm::RS256 => {
            let key = rsa::RsaPrivateKey::from_components(big("n"), big("e"), big("d"), vec![big("p"), big("q")])
                .expect("RSA private JWK");
            rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key).sign(message).to_vec()
        }
        Algorithm::ES256 => {
            let key = p256::ecdsa::SigningKey::from_slice(&b64(string(private, "d"))).expect("P-256 private JWK");
            let sig: p256::ecdsa::Signature = key.sign(message);
            sig.to_bytes().to_vec()
        }
    }
}

/// A compact JWS of `header` and `claims` (JSON texts) signed with a private JWK.
pub fn sign_jwt(alg: Algorithm, private: &json::Object, header: &str, claims: &str) -> String {
    let input = format!("{}.{}", base64::encode_url(header.as_bytes()), base64::encode_url(claims.as_bytes()));
    let sig = sign_with_private_jwk(alg, private, input.as_bytes());
    format!("{input}.{}", base64::encode_url(&sig))
}
