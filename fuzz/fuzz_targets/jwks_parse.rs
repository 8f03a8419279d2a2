//! `JwkSet::parse` on arbitrary bytes, then key selection for both algorithms with and
//! without a kid, and `thumbprint` / `import_jwk` / `check_suitable` on every key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vipps_auth::jose::{Algorithm, JwkSet};
use vipps_auth::json;

fuzz_target!(|data: &[u8]| {
    let Ok(set) = JwkSet::parse(data) else { return };
    // Parsing the same document twice gives the same set.
    assert_eq!(JwkSet::parse(data).ok().as_ref(), Some(&set));
    let first_kid = set.keys().iter().find_map(|k| k.kid()).map(str::to_owned);
    for alg in [Algorithm::RS256, Algorithm::ES256] {
        for kid in [None, first_kid.as_deref(), Some("no-such-kid")] {
            if let Ok(key) = set.select(alg, kid) {
                // The selected key fits the algorithm and names the kid asked for.
                assert!(key.check_suitable(alg).is_ok());
                assert_eq!(key.kty(), alg.key_type());
                if let Some(kid) = kid {
                    assert_eq!(key.kid(), Some(kid));
                }
            }
        }
    }
    for key in set.keys() {
        let thumbprint = key.thumbprint();
        assert_eq!(thumbprint.len(), 43, "base64url of a SHA-256 digest");
        assert_eq!(key.thumbprint(), thumbprint);
        let import = key.import_jwk();
        // The import form is itself a one-key set with the same key material.
        let mut doc = json::Object::new();
        doc.insert(
            "keys",
            json::Value::Array(vec![json::Value::Object(import)]),
        );
        let reread = JwkSet::parse(json::Value::Object(doc).to_json().as_bytes())
            .expect("import_jwk re-parses");
        assert_eq!(
            reread.keys().len(),
            1,
            "import_jwk of {key:?} is not a usable key"
        );
        assert_eq!(reread.keys()[0].params(), key.params());
        assert_eq!(reread.keys()[0].thumbprint(), thumbprint);
        let _ = key.check_suitable(Algorithm::RS256);
        let _ = key.check_suitable(Algorithm::ES256);
        let _ = key.rsa_modulus_len();
        let _ = format!("{key:?}");
    }
});
