//! The JWS algorithms this library verifies (RFC 7518 section 3.1).

use crate::error::{ErrorKind, Result};
use alloc::vec::Vec;

/// A JWS signature algorithm this library can verify. `none` and the HMAC family are
/// deliberately absent: a public-key verifier has no business with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 section 3.3). Vipps signs ID tokens with it.
    RS256,
    /// ECDSA with P-256 and SHA-256, signature as raw `r || s` (RFC 7518 section 3.4).
    ES256,
}

impl Algorithm {
    /// The `alg` name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::RS256 => "RS256",
            Algorithm::ES256 => "ES256",
        }
    }

    /// The algorithm of that exact (case-sensitive) `alg` name, if supported.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "RS256" => Some(Algorithm::RS256),
            "ES256" => Some(Algorithm::ES256),
            _ => None,
        }
    }

    /// The `kty` a key for this algorithm has.
    pub fn key_type(self) -> &'static str {
        match self {
            Algorithm::RS256 => "RSA",
            Algorithm::ES256 => "EC",
        }
    }

    /// Reads the caller's allowed-algorithm list. An empty list or an unsupported name is an
    /// error: silently dropping a name would let a typo weaken the policy.
    pub fn parse_allowed<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Vec<Algorithm>> {
        let mut out = Vec::new();
        for name in names {
            let alg = Algorithm::from_name(name).ok_or(ErrorKind::InvalidParams {
                param: "algorithms",
                reason: "only RS256 and ES256 are supported",
            })?;
            if !out.contains(&alg) {
                out.push(alg);
            }
        }
        if out.is_empty() {
            return Err(ErrorKind::InvalidParams {
                param: "algorithms",
                reason: "the list is empty",
            }
            .into());
        }
        Ok(out)
    }
}

/// The default allowed list: what Vipps Login signs with.
pub const DEFAULT_ALGORITHMS: &[Algorithm] = &[Algorithm::RS256];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_case_sensitive() {
        for alg in [Algorithm::RS256, Algorithm::ES256] {
            assert_eq!(Algorithm::from_name(alg.name()), Some(alg));
        }
        assert_eq!(Algorithm::from_name("rs256"), None);
        assert_eq!(Algorithm::from_name("none"), None);
        assert_eq!(Algorithm::from_name("HS256"), None);
    }

    #[test]
    fn parse_allowed_refuses_unknown_names_and_empty_lists() {
        assert_eq!(
            Algorithm::parse_allowed(["RS256", "ES256", "RS256"]).unwrap(),
            vec![Algorithm::RS256, Algorithm::ES256]
        );
        assert_eq!(
            Algorithm::parse_allowed(["RS256", "none"])
                .unwrap_err()
                .code(),
            "ERR_INVALID_PARAMS"
        );
        assert_eq!(
            Algorithm::parse_allowed([]).unwrap_err().code(),
            "ERR_INVALID_PARAMS"
        );
    }
}
