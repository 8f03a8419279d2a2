//! JSON Web Keys and JWK Sets (RFC 7517; parameters of RFC 7518 section 6), and the choice of
//! the one key that may verify a given token.
//!
//! Only public RSA and EC keys are kept. Parsing a set is lenient per key and strict about
//! the set: RFC 7517 section 5 says implementations SHOULD ignore JWKs whose `kty` they do not
//! understand, so such keys, keys with malformed members, and keys carrying private members
//! are skipped, while a document that is not `{"keys": [...]}` is refused.

use core::fmt;

use sha2::{Digest, Sha256};

use crate::base64;
use crate::error::{Error, Result};
use crate::jose::Algorithm;
use crate::json;

/// Smallest RSA modulus accepted, in bits (NIST SP 800-131A; RFC 7518 section 3.3 requires
/// 2048 or larger for RS256).
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits: bigger keys only cost verification time.
pub const MAX_RSA_BITS: usize = 16384;
/// Longest RSA public exponent accepted, in bytes. Real keys use 65537 (3 bytes).
pub const MAX_RSA_EXPONENT_LEN: usize = 8;

/// The P-256 field prime p, big-endian (SEC 2 section 2.4.2).
const P256_P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];

/// Members that only a private JWK carries (RFC 7518 sections 6.2.2, 6.3.2 and 6.4.1).
/// A set that publishes private key material is a leak, and such a key is never used.
const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// The key material of a public JWK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyParams {
    /// `kty: "RSA"` (RFC 7518 section 6.3.1). `n` and `e` are big-endian unsigned integers
    /// with leading zero octets removed: RFC 7518 section 2 requires the minimal encoding, but
    /// some publishers emit a leading zero, which denotes the same integer, so it is tolerated.
    Rsa {
        /// The modulus.
        n: Vec<u8>,
        /// The public exponent.
        e: Vec<u8>,
    },
    /// `kty: "EC"` (RFC 7518 section 6.2.1). `x` and `y` are kept exactly as encoded (RFC 7518
    /// section 6.2.1.2 requires the full coordinate length; suitability checks it).
    Ec {
        /// The curve name, e.g. `P-256`.
        crv: String,
        /// The x coordinate.
        x: Vec<u8>,
        /// The y coordinate.
        y: Vec<u8>,
    },
}

/// A public JSON Web Key (RFC 7517 section 4).
#[derive(Clone, PartialEq, Eq)]
pub struct Jwk {
    kid: Option<String>,
    alg: Option<String>,
    use_: Option<String>,
    key_ops: Option<Vec<String>>,
    params: KeyParams,
}

/// A JWK Set (RFC 7517 section 5): the usable public keys of a document, in document order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct JwkSet {
    keys: Vec<Jwk>,
}

fn optional_string(obj: &json::Object, name: &str) -> Option<Option<String>> {
    match obj.get(name) {
        None => Some(None),
        Some(json::Value::String(s)) => Some(Some(s.clone())),
        Some(_) => None,
    }
}

fn required_bytes(obj: &json::Object, name: &str) -> Option<Vec<u8>> {
    base64::decode_url(obj.get_str(name)?).ok()
}

/// A base64urlUInt (RFC 7518 section 2) without its leading zero octets.
fn unsigned(obj: &json::Object, name: &str) -> Option<Vec<u8>> {
    let bytes = required_bytes(obj, name)?;
    let first = bytes.iter().position(|&b| b != 0)?;
    Some(bytes.get(first..)?.to_vec())
}

fn bit_len(be: &[u8]) -> usize {
    match be.first() {
        Some(&top) => (be.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    }
}

impl Jwk {
    /// Reads one public JWK (RFC 7517 section 4; RFC 7518 sections 6.2.1 and 6.3.1).
    ///
    /// Returns `None` for a key this library does not use: a `kty` other than `RSA` or `EC`,
    /// a private key (any of `d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`), a member of the
    /// wrong type (`kid`, `alg`, `use` not strings; `key_ops` not an array of distinct strings,
    /// RFC 7517 section 4.3), or key material that does not decode (zero `n` or `e` included).
    pub fn from_object(obj: &json::Object) -> Option<Jwk> {
        if PRIVATE_MEMBERS.iter().any(|m| obj.contains(m)) {
            return None;
        }
        let kid = optional_string(obj, "kid")?;
        let alg = optional_string(obj, "alg")?;
        let use_ = optional_string(obj, "use")?;
        let key_ops = match obj.get("key_ops") {
            None => None,
            Some(json::Value::Array(items)) => {
                let mut ops: Vec<String> = Vec::with_capacity(items.len());
                for item in items {
                    let op = item.as_str()?;
                    if ops.iter().any(|o| o == op) {
                        return None;
                    }
                    ops.push(op.to_owned());
                }
                Some(ops)
            }
            Some(_) => return None,
        };
        let params = match obj.get_str("kty")? {
            "RSA" => KeyParams::Rsa { n: unsigned(obj, "n")?, e: unsigned(obj, "e")? },
            "EC" => KeyParams::Ec {
                crv: obj.get_str("crv")?.to_owned(),
                x: required_bytes(obj, "x")?,
                y: required_bytes(obj, "y")?,
            },
            _ => return None,
        };
        Some(Jwk { kid, alg, use_, key_ops, params })
    }

    /// `kty`: `RSA` or `EC`.
    pub fn kty(&self) -> &'static str {
        match self.params {
            KeyParams::Rsa { .. } => "RSA",
            KeyParams::Ec { .. } => "EC",
        }
    }

    /// `kid` (RFC 7517 section 4.5).
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// `alg` (RFC 7517 section 4.4).
    pub fn alg(&self) -> Option<&str> {
        self.alg.as_deref()
    }

    /// `use` (RFC 7517 section 4.2).
    pub fn use_(&self) -> Option<&str> {
        self.use_.as_deref()
    }

    /// `key_ops` (RFC 7517 section 4.3).
    pub fn key_ops(&self) -> Option<&[String]> {
        self.key_ops.as_deref()
    }

    /// The key material.
    pub fn params(&self) -> &KeyParams {
        &self.params
    }

    /// The RSA modulus length in bytes (the RSASSA signature length, RFC 8017 section 8.2.2
    /// step 1), or `None` for an EC key.
    pub fn rsa_modulus_len(&self) -> Option<usize> {
        match &self.params {
            KeyParams::Rsa { n, .. } => Some(n.len()),
            KeyParams::Ec { .. } => None,
        }
    }

    /// Whether this key may be a candidate for verifying a token signed with `alg` and naming
    /// `kid` (see [`JwkSet::select`] for the rules).
    fn matches(&self, alg: Algorithm, kid: Option<&str>) -> bool {
        let kty_fits = match (&self.params, alg) {
            (KeyParams::Rsa { .. }, Algorithm::RS256) => true,
            (KeyParams::Ec { crv, .. }, Algorithm::ES256) => crv == "P-256",
            _ => false,
        };
        kty_fits
            && kid.is_none_or(|kid| self.kid.as_deref() == Some(kid))
            && self.alg.as_deref().is_none_or(|a| a == alg.name())
            && self.use_.as_deref().is_none_or(|u| u == "sig")
            && self.key_ops.as_deref().is_none_or(|ops| ops.iter().any(|o| o == "verify"))
    }

    /// Checks that the key is fit to verify `alg` signatures, else `KeyUnsuitable`:
    /// - RS256 (RFC 7518 section 3.3): an RSA key whose modulus has [`MIN_RSA_BITS`] to
    ///   [`MAX_RSA_BITS`] bits and whose exponent is odd, greater than 1 (e = 1 makes the
    ///   "signature" the padded message itself) and at most [`MAX_RSA_EXPONENT_LEN`] bytes;
    /// - ES256 (RFC 7518 section 3.4): an EC key on `P-256` whose `x` and `y` are exactly 32
    ///   bytes (RFC 7518 section 6.2.1.2) and below the field prime. Whether the point is on
    ///   the curve is left to the platform's key import (WebCrypto refuses such keys).
    pub fn check_suitable(&self, alg: Algorithm) -> Result<()> {
        let unsuitable = |reason| Err(Error::KeyUnsuitable { reason });
        match (&self.params, alg) {
            (KeyParams::Rsa { n, e }, Algorithm::RS256) => {
                let bits = bit_len(n);
                if bits < MIN_RSA_BITS {
                    return unsuitable("RSA modulus under 2048 bits");
                }
                if bits > MAX_RSA_BITS {
                    return unsuitable("RSA modulus over 16384 bits");
                }
                if e.len() > MAX_RSA_EXPONENT_LEN {
                    return unsuitable("RSA public exponent too large");
                }
                match e.last() {
                    Some(last) if last & 1 == 1 && bit_len(e) > 1 => Ok(()),
                    _ => unsuitable("RSA public exponent must be odd and greater than 1"),
                }
            }
            (KeyParams::Ec { crv, x, y }, Algorithm::ES256) => {
                if crv != "P-256" {
                    return unsuitable("EC key is not on P-256");
                }
                if x.len() != 32 || y.len() != 32 {
                    return unsuitable("P-256 coordinates must be exactly 32 bytes");
                }
                if x.as_slice() >= P256_P.as_slice() || y.as_slice() >= P256_P.as_slice() {
                    return unsuitable("P-256 coordinate not below the field prime");
                }
                Ok(())
            }
            _ => unsuitable("key type does not fit the algorithm"),
        }
    }

    /// The members RFC 7638 section 3.2 requires, in lexicographic order, as
    /// `(name, value)` pairs.
    fn required_members(&self) -> Vec<(&'static str, String)> {
        match &self.params {
            KeyParams::Rsa { n, e } => {
                vec![("e", base64::encode_url(e)), ("kty", "RSA".to_owned()), ("n", base64::encode_url(n))]
            }
            KeyParams::Ec { crv, x, y } => vec![
                ("crv", crv.clone()),
                ("kty", "EC".to_owned()),
                ("x", base64::encode_url(x)),
                ("y", base64::encode_url(y)),
            ],
        }
    }

    /// The minimal public JWK for WebCrypto `importKey("jwk", ...)` (W3C Web Cryptography API,
    /// "JsonWebKey" dictionary): `kty` with `n`, `e` or `crv`, `x`, `y`; `alg` (RS256 for RSA,
    /// ES256 for P-256; omitted for other curves) and `ext: true`. Nothing else, so WebCrypto's
    /// own `use` / `key_ops` consistency checks cannot fail on members the key set carried.
    pub fn import_jwk(&self) -> json::Object {
        let mut out = json::Object::new();
        for (name, value) in self.required_members() {
            out.insert(name, value);
        }
        let alg = match &self.params {
            KeyParams::Rsa { .. } => Some(Algorithm::RS256),
            KeyParams::Ec { crv, .. } if crv == "P-256" => Some(Algorithm::ES256),
            KeyParams::Ec { .. } => None,
        };
        if let Some(alg) = alg {
            out.insert("alg", alg.name());
        }
        out.insert("ext", true);
        out
    }

    /// The JWK Thumbprint (RFC 7638 section 3): base64url(SHA-256) of the required members in
    /// lexicographic order, without whitespace (section 3.3). Keys that differ only in `kid`,
    /// `alg` or `use` share it, so it names the key material, e.g. for caching imported keys.
    /// For RSA, `n` and `e` are hashed in their minimal encoding (see [`KeyParams::Rsa`]).
    pub fn thumbprint(&self) -> String {
        let mut canonical = json::Object::new();
        for (name, value) in self.required_members() {
            canonical.insert(name, value);
        }
        let digest = Sha256::digest(json::Value::Object(canonical).to_json().as_bytes());
        base64::encode_url(&digest)
    }
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Jwk");
        d.field("kty", &self.kty()).field("kid", &self.kid).field("alg", &self.alg);
        d.field("use", &self.use_).field("key_ops", &self.key_ops);
        match &self.params {
            KeyParams::Rsa { n, .. } => d.field("bits", &bit_len(n)),
            KeyParams::Ec { crv, .. } => d.field("crv", crv),
        };
        d.finish()
    }
}

impl JwkSet {
    /// Reads a JWK Set document (RFC 7517 section 5): a JSON object whose `keys` member is an
    /// array. `JwksMalformed` when the document is not that shape. Each element that is not a
    /// usable public RSA or EC key is skipped (see [`Jwk::from_object`]); a set with duplicate
    /// `kid`s parses, and [`JwkSet::select`] refuses to choose between them.
    pub fn parse(bytes: &[u8]) -> Result<JwkSet> {
        let doc = json::parse_object(bytes).map_err(|_| Error::JwksMalformed { reason: "not a JSON object" })?;
        Self::from_object(&doc)
    }

    /// Like [`JwkSet::parse`], from an already parsed document.
    pub fn from_object(doc: &json::Object) -> Result<JwkSet> {
        let items = match doc.get("keys") {
            Some(json::Value::Array(items)) => items,
            Some(_) => return Err(Error::JwksMalformed { reason: "`keys` is not an array" }),
            None => return Err(Error::JwksMalformed { reason: "no `keys` member" }),
        };
        let keys = items.iter().filter_map(json::Value::as_object).filter_map(Jwk::from_object).collect();
        Ok(JwkSet { keys })
    }

    /// A set of the given keys.
    pub fn from_keys(keys: Vec<Jwk>) -> JwkSet {
        JwkSet { keys }
    }

    /// How many usable keys the set holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set holds no usable key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The usable keys, in document order.
    pub fn keys(&self) -> &[Jwk] {
        &self.keys
    }

    /// Selects the one key that may verify a token signed with `alg` naming `kid`
    /// (RFC 7515 section 4.1.4; RFC 7517 sections 4.2-4.5; OpenID Connect Core 1.0
    /// section 10.1.1: "the kid value MUST be used to select the key" when several keys exist).
    ///
    /// 1. Candidates are keys whose `kty` fits `alg` (RSA for RS256; EC on P-256 for ES256),
    ///    whose `kid` equals the token's `kid` when the token has one, whose `alg` (if present)
    ///    is `alg`, whose `use` (if present) is `sig` and whose `key_ops` (if present) contain
    ///    `verify`.
    /// 2. No candidate: `KeyNotFound`. Several: `KeyAmbiguous` (never try each in turn).
    /// 3. The one candidate must pass [`Jwk::check_suitable`], else `KeyUnsuitable`.
    pub fn select(&self, alg: Algorithm, kid: Option<&str>) -> Result<&Jwk> {
        // 1.
        let mut candidates = self.keys.iter().filter(|k| k.matches(alg, kid));
        // 2.
        let key = match (candidates.next(), candidates.count()) {
            (None, _) => return Err(Error::KeyNotFound { kid: kid.map(str::to_owned) }),
            (Some(key), 0) => key,
            (Some(_), more) => return Err(Error::KeyAmbiguous { candidates: more + 1 }),
        };
        // 3.
        key.check_suitable(alg)?;
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7638 section 3.1: the RSA key and its thumbprint.
    const RFC7638_N: &str = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    const RFC7638_THUMBPRINT: &str = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    fn n_bits(bits: usize) -> String {
        let mut n = vec![0xc5u8; bits / 8];
        if let Some(last) = n.last_mut() {
            *last |= 1;
        }
        base64::encode_url(&n)
    }

    fn rsa(extra: &str) -> String {
        format!(r#"{{"kty":"RSA","n":"{}","e":"AQAB"{extra}}}"#, n_bits(2048))
    }

    fn ec(extra: &str) -> String {
        let coord = base64::encode_url(&[7u8; 32]);
        format!(r#"{{"kty":"EC","crv":"P-256","x":"{coord}","y":"{coord}"{extra}}}"#)
    }

    fn set(keys: &[String]) -> JwkSet {
        JwkSet::parse(format!(r#"{{"keys":[{}]}}"#, keys.join(",")).as_bytes()).unwrap()
    }

    fn code(r: Result<&Jwk>) -> &'static str {
        r.err().map_or("ok", |e| e.code())
    }

    #[test]
    fn parses_rsa_and_ec_keys_with_their_members() {
        let s = set(&[rsa(r#","kid":"r1","alg":"RS256","use":"sig""#), ec(r#","kid":"e1","key_ops":["verify"]"#)]);
        assert_eq!(s.len(), 2);
        let r = &s.keys()[0];
        assert_eq!((r.kty(), r.kid(), r.alg(), r.use_()), ("RSA", Some("r1"), Some("RS256"), Some("sig")));
        assert_eq!(r.rsa_modulus_len(), Some(256));
        let e = &s.keys()[1];
        assert_eq!((e.kty(), e.kid(), e.key_ops()), ("EC", Some("e1"), Some(&["verify".to_owned()][..])));
        assert_eq!(e.rsa_modulus_len(), None);
    }

    #[test]
    fn refuses_a_document_without_a_keys_array() {
        for doc in [r#"{"kty":"RSA"}"#, r#"{"keys":{}}"#, "[]", "not json", r#"{"keys":[],"keys":[]}"#] {
            assert_eq!(JwkSet::parse(doc.as_bytes()).unwrap_err().code(), "ERR_JWKS_MALFORMED", "{doc}");
        }
        assert!(JwkSet::parse(br#"{"keys":[]}"#).unwrap().is_empty());
    }

    #[test]
    fn skips_unknown_kty_and_malformed_keys_but_keeps_the_rest() {
        let s = set(&[
            r#"{"kty":"oct","k":"AAAA"}"#.to_owned(),
            r#"{"kty":"OKP","crv":"Ed25519","x":"AAAA"}"#.to_owned(),
            r#"{"kty":"RSA","n":"AQAB=","e":"AQAB"}"#.to_owned(),
            r#"{"kty":"RSA","e":"AQAB"}"#.to_owned(),
            r#"{"kty":"RSA","n":"AAAA","e":"AQAB"}"#.to_owned(),
            rsa(r#","kid":5"#),
            rsa(r#","use":["sig"]"#),
            rsa(r#","key_ops":"verify""#),
            rsa(r#","key_ops":["verify","verify"]"#),
            "17".to_owned(),
            ec(r#","kid":"kept""#),
        ]);
        assert_eq!(s.len(), 1);
        assert_eq!(s.keys()[0].kid(), Some("kept"));
    }

    #[test]
    fn skips_keys_that_carry_private_members() {
        for private in ["d", "p", "q", "dp", "dq", "qi", "oth"] {
            let s = set(&[rsa(&format!(r#","{private}":"AQAB""#))]);
            assert!(s.is_empty(), "{private}");
        }
        assert!(set(&[ec(r#","d":"AQAB""#)]).is_empty());
        assert_eq!(set(&[rsa(""), ec("")]).len(), 2);
    }

    #[test]
    fn strips_leading_zero_octets_of_rsa_integers() {
        let n = base64::decode_url(&n_bits(2048)).unwrap();
        let mut padded = vec![0u8];
        padded.extend_from_slice(&n);
        let doc = format!(r#"{{"kty":"RSA","n":"{}","e":"AAEAAQ"}}"#, base64::encode_url(&padded));
        let s = set(&[doc]);
        assert_eq!(s.keys()[0].params(), &KeyParams::Rsa { n: n.clone(), e: vec![1, 0, 1] });
        assert_eq!(s.keys()[0].thumbprint(), set(&[rsa("")]).keys()[0].thumbprint());
    }

    #[test]
    fn computes_the_rfc7638_thumbprint() {
        let s = set(&[format!(r#"{{"kty":"RSA","n":"{RFC7638_N}","e":"AQAB","alg":"RS256","kid":"2011-04-29"}}"#)]);
        assert_eq!(s.keys()[0].thumbprint(), RFC7638_THUMBPRINT);
        let other = set(&[rsa("")]);
        assert_ne!(other.keys()[0].thumbprint(), RFC7638_THUMBPRINT);
    }

    #[test]
    fn import_jwk_is_the_minimal_public_key() {
        let s = set(&[rsa(r#","kid":"r1","use":"sig","key_ops":["verify"]"#), ec(r#","kid":"e1""#)]);
        let r = s.keys()[0].import_jwk();
        let names: Vec<&str> = r.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["e", "kty", "n", "alg", "ext"]);
        assert_eq!(r.get_str("alg"), Some("RS256"));
        assert_eq!(r.get("ext"), Some(&json::Value::Bool(true)));
        assert_eq!(r.get_str("n"), Some(n_bits(2048).as_str()));
        let e = s.keys()[1].import_jwk();
        let names: Vec<&str> = e.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["crv", "kty", "x", "y", "alg", "ext"]);
        assert_eq!(e.get_str("alg"), Some("ES256"));
    }

    #[test]
    fn selects_by_kid_when_the_token_has_one() {
        let s = set(&[rsa(r#","kid":"a""#), rsa(r#","kid":"b""#)]);
        assert_eq!(s.select(Algorithm::RS256, Some("b")).unwrap().kid(), Some("b"));
        assert_eq!(
            s.select(Algorithm::RS256, Some("c")).unwrap_err(),
            Error::KeyNotFound { kid: Some("c".to_owned()) }
        );
    }

    #[test]
    fn a_key_without_kid_does_not_match_a_token_with_kid() {
        let s = set(&[rsa("")]);
        assert_eq!(code(s.select(Algorithm::RS256, Some("a"))), "ERR_KEY_NOT_FOUND");
        assert_eq!(code(s.select(Algorithm::RS256, None)), "ok");
    }

    #[test]
    fn two_keys_without_kid_are_ambiguous_and_one_is_fine() {
        let two = set(&[rsa(""), rsa(r#","kid":"x""#)]);
        assert_eq!(two.select(Algorithm::RS256, None).unwrap_err(), Error::KeyAmbiguous { candidates: 2 });
        assert_eq!(code(set(&[rsa("")]).select(Algorithm::RS256, None)), "ok");
    }

    #[test]
    fn duplicate_kid_parses_but_is_ambiguous() {
        let s = set(&[rsa(r#","kid":"a""#), rsa(r#","kid":"a""#)]);
        assert_eq!(s.len(), 2);
        assert_eq!(code(s.select(Algorithm::RS256, Some("a"))), "ERR_KEY_AMBIGUOUS");
    }

    #[test]
    fn kty_must_fit_the_algorithm() {
        let s = set(&[rsa(r#","kid":"k""#), ec(r#","kid":"k2""#)]);
        assert_eq!(s.select(Algorithm::RS256, None).unwrap().kty(), "RSA");
        assert_eq!(s.select(Algorithm::ES256, None).unwrap().kty(), "EC");
        assert_eq!(code(s.select(Algorithm::ES256, Some("k"))), "ERR_KEY_NOT_FOUND");
        let p384 = set(&[ec("").replace("P-256", "P-384")]);
        assert_eq!(code(p384.select(Algorithm::ES256, None)), "ERR_KEY_NOT_FOUND");
    }

    #[test]
    fn key_alg_must_equal_the_algorithm_when_present() {
        assert_eq!(code(set(&[rsa(r#","alg":"RS256""#)]).select(Algorithm::RS256, None)), "ok");
        assert_eq!(code(set(&[rsa(r#","alg":"PS256""#)]).select(Algorithm::RS256, None)), "ERR_KEY_NOT_FOUND");
        assert_eq!(code(set(&[ec(r#","alg":"ES512""#)]).select(Algorithm::ES256, None)), "ERR_KEY_NOT_FOUND");
    }

    #[test]
    fn use_must_be_sig_when_present() {
        assert_eq!(code(set(&[rsa(r#","use":"sig""#)]).select(Algorithm::RS256, None)), "ok");
        assert_eq!(code(set(&[rsa(r#","use":"enc""#)]).select(Algorithm::RS256, None)), "ERR_KEY_NOT_FOUND");
    }

    #[test]
    fn key_ops_must_contain_verify_when_present() {
        assert_eq!(code(set(&[rsa(r#","key_ops":["sign","verify"]"#)]).select(Algorithm::RS256, None)), "ok");
        let enc = set(&[rsa(r#","key_ops":["encrypt","sign"]"#)]);
        assert_eq!(code(enc.select(Algorithm::RS256, None)), "ERR_KEY_NOT_FOUND");
    }

    #[test]
    fn refuses_rsa_keys_under_2048_bits() {
        let small = format!(r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#, n_bits(1024));
        assert_eq!(set(&[small]).select(Algorithm::RS256, None).unwrap_err().code(), "ERR_KEY_UNSUITABLE");
        // 2047 bits: one bit short.
        let mut n = vec![0xffu8; 256];
        n[0] = 0x7f;
        let short = format!(r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#, base64::encode_url(&n));
        assert_eq!(code(set(&[short]).select(Algorithm::RS256, None)), "ERR_KEY_UNSUITABLE");
        n[0] = 0x80;
        let exact = format!(r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#, base64::encode_url(&n));
        assert_eq!(code(set(&[exact]).select(Algorithm::RS256, None)), "ok");
    }

    #[test]
    fn refuses_rsa_exponents_that_are_one_even_or_huge() {
        let with_e = |e: &[u8]| {
            let doc = format!(r#"{{"kty":"RSA","n":"{}","e":"{}"}}"#, n_bits(2048), base64::encode_url(e));
            code(set(&[doc]).select(Algorithm::RS256, None))
        };
        assert_eq!(with_e(&[1, 0, 1]), "ok");
        assert_eq!(with_e(&[3]), "ok");
        assert_eq!(with_e(&[1]), "ERR_KEY_UNSUITABLE");
        assert_eq!(with_e(&[1, 0, 0]), "ERR_KEY_UNSUITABLE");
        assert_eq!(with_e(&[1; 9]), "ERR_KEY_UNSUITABLE");
    }

    #[test]
    fn refuses_ec_coordinates_of_the_wrong_length_or_out_of_range() {
        let with = |x: &[u8], y: &[u8]| {
            let doc = format!(
                r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#,
                base64::encode_url(x),
                base64::encode_url(y)
            );
            code(set(&[doc]).select(Algorithm::ES256, None))
        };
        assert_eq!(with(&[7; 32], &[7; 32]), "ok");
        assert_eq!(with(&[7; 31], &[7; 32]), "ERR_KEY_UNSUITABLE");
        assert_eq!(with(&[7; 32], &[7; 33]), "ERR_KEY_UNSUITABLE");
        assert_eq!(with(&P256_P, &[7; 32]), "ERR_KEY_UNSUITABLE");
    }

    #[test]
    fn check_suitable_refuses_a_key_of_the_other_type() {
        let s = set(&[rsa(""), ec("")]);
        assert_eq!(s.keys()[0].check_suitable(Algorithm::ES256).unwrap_err().code(), "ERR_KEY_UNSUITABLE");
        assert_eq!(s.keys()[1].check_suitable(Algorithm::RS256).unwrap_err().code(), "ERR_KEY_UNSUITABLE");
        assert!(s.keys()[0].check_suitable(Algorithm::RS256).is_ok());
    }
}
