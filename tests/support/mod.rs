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
            eprintln!(
                "SKIPPED: vectors not found at {}: not a directory",
                dir.display()
            );
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
    o.get(name)
        .and_then(json::Value::as_object)
        .unwrap_or_else(|| panic!("no object `{name}`"))
}

/// The member as an array.
pub fn arr<'a>(o: &'a json::Object, name: &str) -> &'a [json::Value] {
    o.get(name)
        .and_then(json::Value::as_array)
        .unwrap_or_else(|| panic!("no array `{name}`"))
}

/// The member as a string.
pub fn string<'a>(o: &'a json::Object, name: &str) -> &'a str {
    o.get_str(name)
        .unwrap_or_else(|| panic!("no string `{name}`"))
}

/// Decodes lowercase or uppercase hex.
pub fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
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
            let Ok(public) = rsa::RsaPublicKey::new_with_max_size(
                BigUint::from_bytes_be(n),
                BigUint::from_bytes_be(e),
                16384,
            ) else {
                return false;
            };
            let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
                return false;
            };
            rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(public)
                .verify(message, &sig)
                .is_ok()
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
    verify_raw(
        check.alg(),
        check.key(),
        check.signing_input(),
        check.signature(),
    )
}

/// Signs `message` with a private JWK (RSA `n, e, d, p, q` or EC P-256 `d`), for building
/// well-formed JWTs from the vectors' keys.
pub fn sign_with_private_jwk(alg: Algorithm, private: &json::Object, message: &[u8]) -> Vec<u8> {
    let big = |name: &str| BigUint::from_bytes_be(&b64(string(private, name)));
    match alg {
        Algorithm::RS256 => {
            let key = rsa::RsaPrivateKey::from_components(
                big("n"),
                big("e"),
                big("d"),
                vec![big("p"), big("q")],
            )
            .expect("RSA private JWK");
            rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key)
                .sign(message)
                .to_vec()
        }
        Algorithm::ES256 => {
            let key = p256::ecdsa::SigningKey::from_slice(&b64(string(private, "d")))
                .expect("P-256 private JWK");
            let sig: p256::ecdsa::Signature = key.sign(message);
            sig.to_bytes().to_vec()
        }
    }
}

/// A compact JWS of `header` and `claims` (JSON texts) signed with a private JWK.
pub fn sign_jwt(alg: Algorithm, private: &json::Object, header: &str, claims: &str) -> String {
    let input = format!(
        "{}.{}",
        base64::encode_url(header.as_bytes()),
        base64::encode_url(claims.as_bytes())
    );
    let sig = sign_with_private_jwk(alg, private, input.as_bytes());
    format!("{input}.{}", base64::encode_url(&sig))
}

/// A deterministic RNG for making test keys from a seed: SHA-256 in counter mode over the
/// seed. Reproducible across runs and machines; for test keys only, never for real secrets.
pub struct SeededRng {
    seed: Vec<u8>,
    counter: u64,
    block: [u8; 32],
    used: usize,
}

impl SeededRng {
    /// An RNG whose whole output is fixed by `seed`.
    pub fn new(seed: &str) -> Self {
        Self {
            seed: seed.as_bytes().to_vec(),
            counter: 0,
            block: [0; 32],
            used: 32,
        }
    }
}

impl rsa::rand_core::RngCore for SeededRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }

    fn next_u64(&mut self) -> u64 {
        let mut b = [0; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        use rsa::sha2::Digest as _;
        for byte in dest {
            if self.used == self.block.len() {
                let mut h = rsa::sha2::Sha256::new();
                h.update(&self.seed);
                h.update(self.counter.to_be_bytes());
                self.block = h.finalize().into();
                self.counter += 1;
                self.used = 0;
            }
            *byte = self.block[self.used];
            self.used += 1;
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rsa::rand_core::CryptoRng for SeededRng {}

/// An RSA test key of `bits` bits made deterministically from `seed` (same seed, same key).
/// Key generation takes a moment: keep the result (e.g. in a `OnceLock`).
pub fn rsa_test_key(seed: &str, bits: usize) -> rsa::RsaPrivateKey {
    rsa::RsaPrivateKey::new(&mut SeededRng::new(seed), bits).expect("RSA test key")
}

/// A P-256 test key made deterministically from `seed`.
pub fn p256_test_key(seed: &str) -> p256::ecdsa::SigningKey {
    p256::ecdsa::SigningKey::random(&mut SeededRng::new(seed))
}

/// The public JWK of an RSA key, with `kid` when given and any extra string members.
pub fn rsa_public_jwk(
    key: &rsa::RsaPrivateKey,
    kid: Option<&str>,
    extra: &[(&str, &str)],
) -> json::Object {
    use rsa::traits::PublicKeyParts as _;
    let mut jwk = json::Object::new();
    jwk.insert("kty", "RSA");
    if let Some(kid) = kid {
        jwk.insert("kid", kid);
    }
    jwk.insert("n", base64::encode_url(&key.n().to_bytes_be()));
    jwk.insert("e", base64::encode_url(&key.e().to_bytes_be()));
    for (name, value) in extra {
        jwk.insert(*name, *value);
    }
    jwk
}

/// The public JWK of a P-256 key, with `kid` when given.
pub fn p256_public_jwk(key: &p256::ecdsa::SigningKey, kid: Option<&str>) -> json::Object {
    let point = key.verifying_key().to_encoded_point(false);
    let mut jwk = json::Object::new();
    jwk.insert("kty", "EC");
    if let Some(kid) = kid {
        jwk.insert("kid", kid);
    }
    jwk.insert("crv", "P-256");
    jwk.insert(
        "x",
        base64::encode_url(point.x().expect("uncompressed point")),
    );
    jwk.insert(
        "y",
        base64::encode_url(point.y().expect("uncompressed point")),
    );
    jwk
}

/// A JWK Set document `{"keys": [...]}` of the given JWKs.
pub fn jwks(keys: &[json::Object]) -> json::Object {
    let mut doc = json::Object::new();
    doc.insert(
        "keys",
        json::Value::Array(keys.iter().cloned().map(json::Value::Object).collect()),
    );
    doc
}

/// A compact JWS over raw header and payload octets (which need not be JSON or UTF-8),
/// signed RS256 with `key`.
pub fn sign_rs256_raw(key: &rsa::RsaPrivateKey, header: &[u8], payload: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        base64::encode_url(header),
        base64::encode_url(payload)
    );
    let sig = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key.clone())
        .sign(input.as_bytes())
        .to_vec();
    format!("{input}.{}", base64::encode_url(&sig))
}

/// A compact JWS over raw header and payload octets, signed ES256 (raw `r || s`) with `key`.
pub fn sign_es256_raw(key: &p256::ecdsa::SigningKey, header: &[u8], payload: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        base64::encode_url(header),
        base64::encode_url(payload)
    );
    let sig: p256::ecdsa::Signature = key.sign(input.as_bytes());
    format!("{input}.{}", base64::encode_url(&sig.to_bytes()))
}

/// HMAC-SHA256 (RFC 2104), for forging HS256 tokens in negative tests.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    use rsa::sha2::{Digest as _, Sha256};
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}
