//! `jose::jwt::parse` and `parse_jws` on arbitrary input, then the sans-IO signature step
//! against a fixed key set. Never panics; the properties below must hold for every input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vipps_auth::jose::{jwt, verify, Algorithm, JwkSet};

const ALL: &[Algorithm] = &[Algorithm::RS256, Algorithm::ES256];

/// One RSA key (a 2048-bit odd modulus of 0xc5 bytes) and one P-256 key, both with kids.
fn keys() -> JwkSet {
    let mut n = vec![0xc5u8; 256];
    n[255] |= 1;
    let coord = vipps_auth::base64::encode_url(&[7u8; 32]);
    let doc = format!(
        r#"{{"keys":[{{"kty":"RSA","kid":"r","n":"{}","e":"AQAB"}},{{"kty":"EC","kid":"e","crv":"P-256","x":"{coord}","y":"{coord}"}}]}}"#,
        vipps_auth::base64::encode_url(&n)
    );
    JwkSet::parse(doc.as_bytes()).expect("fixed key set")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let token: &str = &text;

    let jws = jwt::parse_jws(token);
    let jwt = jwt::parse(token);
    match (&jws, &jwt) {
        // A JWT is a JWS whose payload is a JSON object.
        (Err(_), Ok(_)) => panic!("parse accepted what parse_jws refused"),
        (Ok(jws), Ok(jwt)) => {
            assert_eq!(jws.payload(), jwt.jws().payload());
            assert_eq!(jwt.alg(), jws.alg());
        }
        _ => {}
    }
    if let Ok(jws) = &jws {
        // The signing input is the token up to its last `.`.
        let dot = token.rfind('.').expect("a parsed JWS has dots");
        assert_eq!(jws.signing_input(), &token.as_bytes()[..dot]);
        assert!(token.len() <= jwt::MAX_TOKEN_LEN);
        let _ = format!("{jws:?}");
        let set = keys();
        let _ = verify::check_jws(jws, &set, ALL);
        let _ = verify::check_jws(jws, &set, &[Algorithm::RS256]);
    }
    if let Ok(jwt) = &jwt {
        let _ = format!("{jwt:?}");
        let set = keys();
        if let Ok(check) = verify::prepare(jwt, &set, ALL) {
            // Only an allowed algorithm with a suitable key may get this far.
            assert!(ALL.contains(&check.alg()));
            let _ = check.import_jwk();
            let _ = format!("{check:?}");
        }
    }
});
