//! Parsed key sets by their text: the one thing the wasm keeps between calls, and only as a
//! cache. A verification carries its key set's JSON text (`call`'s `keys`); parsing it (JSON,
//! base64url, the ROCA check of each RSA key, an RFC 7638 thumbprint per key) costs far more
//! than comparing it with the texts parsed before, so the last few sets are kept. A set that
//! is not kept is parsed again: the answer is the same either way.

use alloc::string::String;
use alloc::vec::Vec;

use vipps_auth::jose::jwk::{Jwk, JwkSet};
use vipps_auth::Result;

/// Most key sets kept: an app checks tokens against one set; a second covers a rotation in
/// progress or a test of two.
const MAX_KEPT: usize = 4;

/// A parsed JWK set and, for each of its keys in order, what the JS side needs to import it
/// into WebCrypto: its RFC 7638 thumbprint (the key's name in the `KeySet`'s cache of
/// imported keys) and its import JWK as JSON text.
pub struct KeptSet {
    set: JwkSet,
    imports: Vec<(String, String)>,
}

impl KeptSet {
    /// Parses a JWK set's JSON text.
    pub fn parse(text: &[u8]) -> Result<KeptSet> {
        let set = JwkSet::parse(text)?;
        let mut imports = Vec::with_capacity(set.len());
        for key in set.keys() {
            imports.push((key.thumbprint(), key.import_jwk().to_json()));
        }
        Ok(KeptSet { set, imports })
    }

    /// The keys.
    pub fn set(&self) -> &JwkSet {
        &self.set
    }

    /// The thumbprint and import JWK text of `key`, a key of this set.
    pub fn import(&self, key: &Jwk) -> Option<&(String, String)> {
        let at = self.set.keys().iter().position(|k| k == key)?;
        self.imports.get(at)
    }
}

/// The sets parsed last, most recent first, with the text each was parsed from.
static KEPT: spin::Mutex<Vec<(Vec<u8>, KeptSet)>> = spin::Mutex::new(Vec::new());

/// Runs `f` on the key set of JSON `text`: a kept one parsed from the same text, else `text`
/// parsed (and kept, in place of the least recently used when full).
pub fn with_set<R>(text: &[u8], f: impl FnOnce(&KeptSet) -> R) -> Result<R> {
    // Wasm is single threaded and nothing here calls out, so the lock is always free; were
    // it not, the set would be parsed without the cache.
    let Some(mut kept) = KEPT.try_lock() else {
        return Ok(f(&KeptSet::parse(text)?));
    };
    match kept.iter().position(|(t, _)| same_bytes(t, text)) {
        Some(0) => {}
        Some(at) => {
            let entry = kept.remove(at);
            kept.insert(0, entry);
        }
        None => {
            let set = KeptSet::parse(text)?;
            kept.truncate(MAX_KEPT - 1);
            kept.insert(0, (text.to_vec(), set));
        }
    }
    match kept.first() {
        Some((_, set)) => Ok(f(set)),
        None => Ok(f(&KeptSet::parse(text)?)),
    }
}

/// Whether `a` and `b` are the same bytes, compared eight at a time: a key set's text (1-2 KB)
/// is compared on every verification, and wasm's `memcmp` goes byte by byte.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    a.len() == b.len()
        && a8.remainder() == b8.remainder()
        && a8.zip(b8).all(|(x, y)| word(x) == word(y))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn set(kid: &str) -> String {
        format!(
            r#"{{"keys":[{{"kty":"RSA","kid":"{kid}","e":"AQAB","n":"{}"}}]}}"#,
            crate::ops::verify::tests::RFC7515_A2_N
        )
    }

    #[test]
    fn each_text_answers_its_own_set_whatever_is_kept() {
        let texts: Vec<String> = (0..7).map(|i| set(&format!("k{i}"))).collect();
        for round in 0..3 {
            for (i, text) in texts.iter().enumerate().rev().skip(round) {
                let kid = with_set(text.as_bytes(), |s| {
                    s.set().keys()[0].kid().map(String::from)
                })
                .unwrap();
                assert_eq!(kid.as_deref(), Some(format!("k{i}").as_str()));
            }
        }
        // (Other tests use the cache at the same time: it may be held.)
        if let Some(kept) = KEPT.try_lock() {
            assert!(kept.len() <= MAX_KEPT);
        }
        assert_eq!(
            with_set(b"{not json", |_| ()).unwrap_err().code(),
            "ERR_JWKS_MALFORMED"
        );
    }

    #[test]
    fn same_bytes_compares_every_byte() {
        let text: Vec<u8> = (0..=255u8).cycle().take(1500).collect();
        for len in [0, 1, 7, 8, 9, 63, 64, 1500] {
            let a = &text[..len];
            assert!(same_bytes(a, a));
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert!(!same_bytes(a, &b), "{len} {at}");
            }
            assert!(!same_bytes(a, &text[..len.saturating_sub(1)]) || len == 0);
        }
    }

    #[test]
    fn a_kept_set_knows_each_keys_thumbprint_and_import_jwk() {
        let kept = KeptSet::parse(set("a").as_bytes()).unwrap();
        let key = &kept.set().keys()[0];
        let (thumbprint, jwk) = kept.import(key).unwrap();
        assert_eq!(thumbprint, &key.thumbprint());
        assert_eq!(jwk, &key.import_jwk().to_json());
    }
}
