//! The sans-IO signature step (RFC 7515 section 5.2; RFC 7519 section 7.2).
//!
//! [`prepare`] decides everything that can be decided without cryptography: which header
//! members are refused, whether the algorithm is allowed, which single key verifies, and
//! whether the signature has the shape the algorithm requires. It returns a
//! [`SignatureCheck`] that owns what the platform needs (no borrows, so it can be held across
//! an `.await`); the platform runs the one cryptographic check (WebCrypto
//! `crypto.subtle.verify`) and hands the answer to [`SignatureCheck::finish`], which alone
//! makes a [`VerifiedJwt`].

use alloc::boxed::Box;
use core::fmt;

use crate::error::{Error, ErrorKind, Result};
use crate::jose::jwk::{Jwk, JwkSet, KeyParams};
use crate::jose::jwt::{UnverifiedJws, UnverifiedJwt};
use crate::jose::{echoed, Algorithm, VerifiedJwt, MAX_ECHOED_ALG};
use crate::json;

/// Header members refused outright (step 1 of [`check_jws`]).
const REFUSED_HEADERS: &[&str] = &["crit", "jwk", "jku", "x5u", "x5c", "b64"];

/// The order n of the P-256 group, big-endian (SEC 2 section 2.4.2).
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// Everything the platform needs to run one signature verification, and what becomes the
/// [`VerifiedJwt`] when it succeeds. Its `Debug` shows neither the claims nor the signature.
#[derive(Clone)]
pub struct SignatureCheck {
    alg: Algorithm,
    key: Jwk,
    token: UnverifiedJwt,
}

/// Steps 1-4 of [`prepare`] for any compact JWS, whatever its payload: returns the allowed
/// algorithm and the one key to verify with, once the signature has the algorithm's shape.
///
/// 1. Refuse the header members `crit` (RFC 7515 section 4.1.11: this library understands no
///    extension, so a critical one MUST make the JWS invalid), `jwk`, `jku`, `x5u`, `x5c`
///    (sections 4.1.2-4.1.6: keys come only from the caller's set, never from the token) and
///    `b64` (RFC 7797, which only takes effect through `crit`) -> `UnsupportedHeader`.
/// 2. `alg` must name an algorithm in `allowed` (RFC 7515 section 5.2 step 8; RFC 8725
///    section 3.1): `none`, the HMAC family and anything else -> `AlgNotAllowed`.
/// 3. Select exactly one suitable key ([`JwkSet::select`]).
/// 4. The signature must have the algorithm's shape ([`check_signature_shape`]).
pub fn check_jws<'k>(
    jws: &UnverifiedJws,
    keys: &'k JwkSet,
    allowed: &[Algorithm],
) -> Result<(Algorithm, &'k Jwk)> {
    // 1.
    if let Some(header) = REFUSED_HEADERS
        .iter()
        .copied()
        .find(|h| jws.header().contains(h))
    {
        return Err(ErrorKind::UnsupportedHeader { header }.into());
    }
    // 2.
    let alg = Algorithm::from_name(jws.alg())
        .filter(|a| allowed.contains(a))
        .ok_or_else(|| ErrorKind::AlgNotAllowed {
            alg: echoed(jws.alg(), MAX_ECHOED_ALG),
        })?;
    // 3.
    let key = keys.select(alg, jws.kid())?;
    // 4.
    check_signature_shape(alg, key, jws.signature())?;
    Ok((alg, key))
}

/// Prepares the signature check of a JWT (steps annotated on [`check_jws`]): refused header
/// members, allowed algorithm, one key, signature shape. The algorithm is the caller's
/// choice (`allowed`), never the token's alone.
pub fn prepare(
    jwt: &UnverifiedJwt,
    keys: &JwkSet,
    allowed: &[Algorithm],
) -> Result<SignatureCheck> {
    let (alg, key) = check_jws(jwt.jws(), keys, allowed)?;
    Ok(SignatureCheck {
        alg,
        key: key.clone(),
        token: jwt.clone(),
    })
}

/// [`prepare`] for a token the caller gives up, so nothing of it is copied. A refusal hands
/// the token back with the error, for a caller that tries again with another key set (a
/// refetched one after `KeyNotFound`).
pub fn prepare_owned(
    jwt: UnverifiedJwt,
    keys: &JwkSet,
    allowed: &[Algorithm],
) -> core::result::Result<SignatureCheck, (Error, Box<UnverifiedJwt>)> {
    match check_jws(jwt.jws(), keys, allowed) {
        Ok((alg, key)) => Ok(SignatureCheck {
            alg,
            key: key.clone(),
            token: jwt,
        }),
        Err(e) => Err((e, Box::new(jwt))),
    }
}

/// Checks that `signature` has the shape `alg` requires with `key`, before any cryptography:
/// - RS256: exactly as long as the modulus (RFC 8017 section 8.2.2 step 1) and, as an
///   integer, less than the modulus (section 5.2.2 step 1);
/// - ES256: 64 bytes, `r || s` (RFC 7518 section 3.4), each in `[1, n - 1]` for the P-256
///   group order n (SEC 1 section 4.1.4 step 1). This refuses r = s = 0 and other
///   out-of-range values ("psychic signatures", CVE-2022-21449) whatever the platform does.
///
/// Otherwise `SignatureInvalid`; `KeyUnsuitable` if the key does not fit the algorithm.
pub fn check_signature_shape(alg: Algorithm, key: &Jwk, signature: &[u8]) -> Result<()> {
    match (alg, key.params()) {
        (Algorithm::RS256, KeyParams::Rsa { n, .. }) => {
            if signature.len() != n.len() || signature >= n.as_slice() {
                return Err(ErrorKind::SignatureInvalid.into());
            }
            Ok(())
        }
        (Algorithm::ES256, KeyParams::Ec { .. }) => {
            let (Some(r), Some(s), 64) =
                (signature.get(..32), signature.get(32..), signature.len())
            else {
                return Err(ErrorKind::SignatureInvalid.into());
            };
            let in_range = |v: &[u8]| v.iter().any(|&b| b != 0) && v < P256_ORDER.as_slice();
            if in_range(r) && in_range(s) {
                Ok(())
            } else {
                Err(ErrorKind::SignatureInvalid.into())
            }
        }
        _ => Err(ErrorKind::KeyUnsuitable {
            reason: "key type does not fit the algorithm",
        }
        .into()),
    }
}

impl SignatureCheck {
    /// The algorithm to verify under: WebCrypto `RSASSA-PKCS1-v1_5` with `SHA-256` for RS256,
    /// `ECDSA` with `P-256` and `SHA-256` for ES256.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The key to verify with.
    pub fn key(&self) -> &Jwk {
        &self.key
    }

    /// The key as WebCrypto imports it (see [`Jwk::import_jwk`]).
    pub fn import_jwk(&self) -> json::Object {
        self.key.import_jwk()
    }

    /// The bytes that were signed (the JWS Signing Input).
    pub fn signing_input(&self) -> &[u8] {
        self.token.signing_input()
    }

    /// The signature: RSASSA-PKCS1-v1_5 bytes, or raw `r || s` for ES256 (the form WebCrypto
    /// ECDSA verify takes).
    pub fn signature(&self) -> &[u8] {
        self.token.signature()
    }

    /// The JOSE header, not yet verified.
    pub fn header(&self) -> &json::Object {
        self.token.header()
    }

    /// The claims, not yet verified. Do not act on them before [`SignatureCheck::finish`].
    pub fn claims(&self) -> &json::Object {
        self.token.claims()
    }

    /// Gives the token back, unverified (for a caller that prepares it again).
    pub fn into_token(self) -> UnverifiedJwt {
        self.token
    }

    /// Completes the step with the platform's answer (RFC 7515 section 5.2 step 8): `false`
    /// -> `SignatureInvalid`; `true` -> the [`VerifiedJwt`].
    pub fn finish(self, signature_valid: bool) -> Result<VerifiedJwt> {
        if signature_valid {
            Ok(VerifiedJwt::new(self.alg, self.token))
        } else {
            Err(ErrorKind::SignatureInvalid.into())
        }
    }
}

impl fmt::Debug for SignatureCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureCheck")
            .field("alg", &self.alg)
            .field("key", &self.key)
            .field("header", self.token.header())
            .field("signature_len", &self.token.signature().len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base64;
    use crate::jose::jwt;

    const ALL: &[Algorithm] = &[Algorithm::RS256, Algorithm::ES256];

    fn modulus() -> Vec<u8> {
        let mut n = vec![0xc5u8; 256];
        n[255] |= 1;
        n
    }

    fn keys() -> JwkSet {
        let coord = base64::encode_url(&[7u8; 32]);
        let doc = format!(
            r#"{{"keys":[{{"kty":"RSA","kid":"r","n":"{}","e":"AQAB"}},
                {{"kty":"EC","kid":"e","crv":"P-256","x":"{coord}","y":"{coord}"}}]}}"#,
            base64::encode_url(&modulus())
        );
        JwkSet::parse(doc.as_bytes()).unwrap()
    }

    fn token(header: &str, signature: &[u8]) -> jwt::UnverifiedJwt {
        let t = format!(
            "{}.{}.{}",
            base64::encode_url(header.as_bytes()),
            base64::encode_url(br#"{"sub":"s1"}"#),
            base64::encode_url(signature)
        );
        jwt::parse(&t).unwrap()
    }

    fn rsa_sig() -> Vec<u8> {
        vec![0x11; 256]
    }

    fn es_sig() -> Vec<u8> {
        vec![0x22; 64]
    }

    fn code(r: Result<SignatureCheck>) -> &'static str {
        r.err().map_or("ok", |e| e.code())
    }

    #[test]
    fn prepares_an_rs256_check_that_owns_its_data() {
        let jwt = token(r#"{"alg":"RS256","kid":"r"}"#, &rsa_sig());
        let check = prepare(&jwt, &keys(), ALL).unwrap();
        drop(jwt);
        assert_eq!(check.alg(), Algorithm::RS256);
        assert_eq!(check.key().kid(), Some("r"));
        assert_eq!(check.signature(), rsa_sig().as_slice());
        assert_eq!(check.claims().get_str("sub"), Some("s1"));
        assert!(check.signing_input().starts_with(b"eyJ"));
        assert_eq!(check.import_jwk().get_str("alg"), Some("RS256"));
    }

    #[test]
    fn prepare_owned_takes_the_token_and_hands_it_back_with_a_refusal() {
        let jwt = token(r#"{"alg":"RS256","kid":"nope"}"#, &rsa_sig());
        let (err, jwt) = prepare_owned(jwt, &keys(), ALL).unwrap_err();
        assert_eq!(err.code(), "ERR_KEY_NOT_FOUND");
        assert_eq!(jwt.kid(), Some("nope"));
        let ok = token(r#"{"alg":"RS256","kid":"r"}"#, &rsa_sig());
        let check = prepare_owned(ok, &keys(), ALL).unwrap();
        assert_eq!(check.key().kid(), Some("r"));
        let verified = check.finish(true).unwrap();
        assert_eq!(verified.claims_json(), r#"{"sub":"s1"}"#);
        assert_eq!(verified.header_json(), r#"{"alg":"RS256","kid":"r"}"#);
    }

    #[test]
    fn refuses_crit_jwk_jku_x5u_x5c_and_b64_headers() {
        for member in REFUSED_HEADERS {
            let jwt = token(
                &format!(r#"{{"alg":"RS256","kid":"r","{member}":"x"}}"#),
                &rsa_sig(),
            );
            assert_eq!(
                prepare(&jwt, &keys(), ALL).unwrap_err(),
                ErrorKind::UnsupportedHeader { header: member }.into()
            );
        }
        let harmless = token(
            r#"{"alg":"RS256","kid":"r","typ":"JWT","x5t":"abc"}"#,
            &rsa_sig(),
        );
        assert_eq!(code(prepare(&harmless, &keys(), ALL)), "ok");
    }

    #[test]
    fn refuses_alg_none_hs256_and_algorithms_not_allowed() {
        for alg in ["none", "HS256", "RS384", "PS256", "rs256", "ES256K"] {
            let jwt = token(&format!(r#"{{"alg":"{alg}","kid":"r"}}"#), &rsa_sig());
            assert_eq!(
                prepare(&jwt, &keys(), ALL).unwrap_err(),
                ErrorKind::AlgNotAllowed {
                    alg: alg.to_owned()
                }
                .into()
            );
        }
        let es = token(r#"{"alg":"ES256","kid":"e"}"#, &es_sig());
        assert_eq!(code(prepare(&es, &keys(), ALL)), "ok");
        assert_eq!(
            code(prepare(&es, &keys(), &[Algorithm::RS256])),
            "ERR_ALG_NOT_ALLOWED"
        );
    }

    #[test]
    fn echoes_at_most_a_short_prefix_of_an_unknown_alg() {
        let long = "A".repeat(500);
        let jwt = token(&format!(r#"{{"alg":"{long}"}}"#), &rsa_sig());
        match prepare(&jwt, &keys(), ALL).unwrap_err().kind() {
            ErrorKind::AlgNotAllowed { alg } => assert_eq!(alg.len(), crate::jose::MAX_ECHOED_ALG),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn echoes_at_most_a_short_prefix_of_an_unknown_kid() {
        let long = "k".repeat(5000);
        let jwt = token(&format!(r#"{{"alg":"RS256","kid":"{long}"}}"#), &rsa_sig());
        let e = prepare(&jwt, &keys(), ALL).unwrap_err();
        assert_eq!(
            e,
            ErrorKind::KeyNotFound {
                kid: Some("k".repeat(crate::jose::MAX_ECHOED_KID))
            }
            .into()
        );
        assert!(e.message().len() < 100, "{}", e.message());
    }

    #[test]
    fn header_checks_come_before_the_algorithm_check() {
        let jwt = token(r#"{"alg":"none","jwk":{}}"#, &[]);
        assert_eq!(
            code(prepare(&jwt, &keys(), ALL)),
            "ERR_JWT_UNSUPPORTED_HEADER"
        );
    }

    #[test]
    fn reports_key_selection_failures() {
        let jwt = token(r#"{"alg":"RS256","kid":"nope"}"#, &rsa_sig());
        assert_eq!(code(prepare(&jwt, &keys(), ALL)), "ERR_KEY_NOT_FOUND");
        // An RS256 token naming the EC key's kid: algorithm/key confusion finds no key.
        let confused = token(r#"{"alg":"RS256","kid":"e"}"#, &rsa_sig());
        assert_eq!(code(prepare(&confused, &keys(), ALL)), "ERR_KEY_NOT_FOUND");
    }

    #[test]
    fn rs256_signature_must_be_exactly_the_modulus_length_and_below_it() {
        let ok = token(r#"{"alg":"RS256","kid":"r"}"#, &rsa_sig());
        assert_eq!(code(prepare(&ok, &keys(), ALL)), "ok");
        for bad in [
            vec![0x11; 255],
            vec![0x11; 257],
            vec![],
            modulus(),
            vec![0xff; 256],
        ] {
            let jwt = token(r#"{"alg":"RS256","kid":"r"}"#, &bad);
            assert_eq!(
                prepare(&jwt, &keys(), ALL).unwrap_err(),
                ErrorKind::SignatureInvalid.into(),
                "{}",
                bad.len()
            );
        }
    }

    #[test]
    fn es256_signature_must_be_64_bytes_with_r_and_s_in_range() {
        let ok = token(r#"{"alg":"ES256","kid":"e"}"#, &es_sig());
        assert_eq!(code(prepare(&ok, &keys(), ALL)), "ok");
        let mut order_minus_one = P256_ORDER;
        order_minus_one[31] -= 1;
        let edge = [order_minus_one, order_minus_one].concat();
        assert_eq!(
            code(prepare(
                &token(r#"{"alg":"ES256","kid":"e"}"#, &edge),
                &keys(),
                ALL
            )),
            "ok"
        );
        let zero = [0u8; 32];
        let one = {
            let mut v = [0u8; 32];
            v[31] = 1;
            v
        };
        let bad: [Vec<u8>; 6] = [
            vec![0; 64],
            [zero, one].concat(),
            [one, zero].concat(),
            [P256_ORDER, one].concat(),
            [one, [0xff; 32]].concat(),
            vec![0x22; 72],
        ];
        for sig in bad {
            let jwt = token(r#"{"alg":"ES256","kid":"e"}"#, &sig);
            assert_eq!(
                prepare(&jwt, &keys(), ALL).unwrap_err(),
                ErrorKind::SignatureInvalid.into()
            );
        }
    }

    #[test]
    fn finish_yields_a_verified_jwt_only_when_the_platform_says_valid() {
        let jwt = token(r#"{"alg":"RS256","kid":"r"}"#, &rsa_sig());
        let check = prepare(&jwt, &keys(), ALL).unwrap();
        assert_eq!(
            check.clone().finish(false).unwrap_err(),
            ErrorKind::SignatureInvalid.into()
        );
        let verified = check.finish(true).unwrap();
        assert_eq!(verified.alg(), Algorithm::RS256);
        assert_eq!(verified.claims().get_str("sub"), Some("s1"));
        assert_eq!(verified.header().get_str("kid"), Some("r"));
    }

    #[test]
    fn shape_check_refuses_a_key_of_the_wrong_type() {
        let set = keys();
        let ec = set.select(Algorithm::ES256, Some("e")).unwrap();
        assert_eq!(
            check_signature_shape(Algorithm::RS256, ec, &rsa_sig())
                .unwrap_err()
                .code(),
            "ERR_KEY_UNSUITABLE"
        );
        assert!(check_signature_shape(Algorithm::ES256, ec, &es_sig()).is_ok());
    }

    #[test]
    fn debug_hides_claims_and_signature() {
        let jwt = token(r#"{"alg":"ES256","kid":"e"}"#, &es_sig());
        let debug = format!("{:?}", prepare(&jwt, &keys(), ALL).unwrap());
        assert!(debug.contains("ES256"), "{debug}");
        assert!(
            !debug.contains("s1") && !debug.contains("34, 34"),
            "{debug}"
        );
    }
}
