//! Signing keys, the JWKS and key rotation.
//!
//! The keys are pre-generated 2048-bit RSA **test keys** (`openssl genrsa 2048`), embedded so
//! that start-up never waits for key generation. They are public in this repository: nothing
//! signed by them proves anything outside tests. Rotation takes the next key (cycling); each
//! rotation gets a fresh `kid` even when the key material repeats.

use std::sync::{Arc, OnceLock};

use rsa::pkcs1v15;
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};

use crate::util::{b64url, uuid_from_seed};

/// Test-only private keys. Never use them for anything real.
const TEST_KEY_1: &str = include_str!("../keys/test-key-1.pem");
const TEST_KEY_2: &str = include_str!("../keys/test-key-2.pem");
const TEST_KEY_3: &str = include_str!("../keys/test-key-3.pem");
const TEST_KEYS: [&str; 3] = [TEST_KEY_1, TEST_KEY_2, TEST_KEY_3];

static PARSED: [OnceLock<Option<RsaPrivateKey>>; 3] =
    [OnceLock::new(), OnceLock::new(), OnceLock::new()];

fn private_key(index: usize) -> Option<&'static RsaPrivateKey> {
    let slot = PARSED.get(index % PARSED.len())?;
    slot.get_or_init(|| RsaPrivateKey::from_pkcs8_pem(TEST_KEYS[index % TEST_KEYS.len()]).ok())
        .as_ref()
}

/// One signing key with its `kid` and public JWK.
pub struct SigningKey {
    pub kid: String,
    signer: pkcs1v15::SigningKey<Sha256>,
    pub jwk: Value,
}

impl SigningKey {
    fn for_generation(generation: u64) -> Self {
        let index = (generation % TEST_KEYS.len() as u64) as usize;
        // The embedded PEMs are checked by a unit test; a broken one is a build defect.
        let key = private_key(index)
            .expect("embedded test key must parse")
            .clone();
        let kid = format!(
            "public:{}",
            uuid_from_seed(&format!("vipps-emulator-key|{generation}"))
        );
        let jwk = json!({
            "kty": "RSA",
            "kid": kid,
            "alg": "RS256",
            "use": "sig",
            "n": b64url(&key.n().to_bytes_be()),
            "e": b64url(&key.e().to_bytes_be()),
        });
        Self {
            kid,
            signer: pkcs1v15::SigningKey::<Sha256>::new(key),
            jwk,
        }
    }

    /// A compact RS256 JWS over `claims`.
    pub fn sign_jwt(&self, claims: &Value) -> String {
        let header = json!({ "alg": "RS256", "kid": self.kid, "typ": "JWT" });
        let signing_input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let signature = self.signer.sign(signing_input.as_bytes()).to_vec();
        format!("{signing_input}.{}", b64url(&signature))
    }
}

/// The current key plus rotated-out keys still in their grace period.
pub struct KeyRing {
    generation: u64,
    current: Arc<SigningKey>,
    retired: Vec<(Arc<SigningKey>, u64)>,
}

impl KeyRing {
    pub fn new() -> Self {
        Self {
            generation: 0,
            current: Arc::new(SigningKey::for_generation(0)),
            retired: Vec::new(),
        }
    }

    pub fn current(&self) -> Arc<SigningKey> {
        Arc::clone(&self.current)
    }

    /// Switches to the next key; the old one stays published until `now + grace_secs`.
    pub fn rotate(&mut self, now: u64, grace_secs: u64) -> String {
        self.generation += 1;
        let next = Arc::new(SigningKey::for_generation(self.generation));
        let old = std::mem::replace(&mut self.current, next);
        if grace_secs > 0 {
            self.retired.push((old, now.saturating_add(grace_secs)));
        }
        self.prune(now);
        self.current.kid.clone()
    }

    fn prune(&mut self, now: u64) {
        self.retired.retain(|(_, until)| *until > now);
    }

    /// The JWKS document: current key first, then keys in their grace period.
    pub fn jwks(&mut self, now: u64) -> Value {
        self.prune(now);
        let mut keys = vec![self.current.jwk.clone()];
        keys.extend(self.retired.iter().rev().map(|(k, _)| k.jwk.clone()));
        json!({ "keys": keys })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_key_parses() {
        for i in 0..TEST_KEYS.len() {
            let key = private_key(i).expect("parses");
            assert_eq!(key.size(), 256);
        }
    }

    #[test]
    fn rotation_keeps_old_key_for_grace_period() {
        let mut ring = KeyRing::new();
        let first = ring.current().kid.clone();
        let second = ring.rotate(100, 10);
        assert_ne!(first, second);
        assert_eq!(ring.jwks(105)["keys"].as_array().map(Vec::len), Some(2));
        assert_eq!(ring.jwks(110)["keys"].as_array().map(Vec::len), Some(1));
    }
}
