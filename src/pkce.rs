//! Proof Key for Code Exchange (PKCE, RFC 7636): the `code_verifier`, its S256
//! `code_challenge`, and the `code_challenge_method`.
//!
//! This library always uses `S256`. Vipps treats a request without `code_challenge_method`
//! as `plain`, so the method is always sent with the challenge (see [`crate::authorize`]),
//! and `plain` is refused wherever a method is parsed.

use alloc::string::String;
use core::fmt;
use core::str::FromStr;

use crate::sha256::sha256;

use crate::base64;
use crate::error::{Error, ErrorKind, Result};
use crate::random::{self, Random};
use crate::secret::CodeVerifier;

/// The shortest `code_verifier` RFC 7636 section 4.1 allows.
pub const VERIFIER_MIN_LEN: usize = 43;
/// The longest `code_verifier` RFC 7636 section 4.1 allows.
pub const VERIFIER_MAX_LEN: usize = 128;
/// Random octets behind a generated verifier: 32, as RFC 7636 section 4.1 recommends,
/// which base64url-encode to exactly 43 characters.
const VERIFIER_RANDOM_OCTETS: usize = 32;
/// The length of a base64url SHA-256 digest without padding: an S256 challenge.
pub const S256_CHALLENGE_LEN: usize = 43;

/// Whether `b` is in the RFC 7636 section 4.1 `unreserved` set: `[A-Za-z0-9-._~]`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Generates a fresh `code_verifier` (RFC 7636 section 4.1): 32 octets from `random`,
/// base64url-encoded without padding, giving 43 characters of the unreserved set.
pub fn generate_code_verifier(random: &mut impl Random) -> Result<CodeVerifier> {
    let verifier = random::urlsafe_string(random, VERIFIER_RANDOM_OCTETS)?;
    // Defence in depth: the generator's output must pass our own rule.
    validate_code_verifier(&verifier)?;
    Ok(CodeVerifier::new(verifier))
}

/// Checks a `code_verifier` against RFC 7636 section 4.1:
/// `code-verifier = 43*128unreserved`, `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"`.
///
/// Fails with `InvalidParams { param: "codeVerifier", .. }`; the value is never echoed.
pub fn validate_code_verifier(verifier: &str) -> Result<()> {
    let invalid = |reason| {
        Err(ErrorKind::InvalidParams {
            param: "codeVerifier",
            reason,
        }
        .into())
    };
    if verifier.len() < VERIFIER_MIN_LEN {
        return invalid("must be at least 43 characters (RFC 7636 section 4.1)");
    }
    if verifier.len() > VERIFIER_MAX_LEN {
        return invalid("must be at most 128 characters (RFC 7636 section 4.1)");
    }
    if !verifier.bytes().all(is_unreserved) {
        return invalid("may contain only A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.1)");
    }
    Ok(())
}

/// The S256 `code_challenge` for a verifier (RFC 7636 section 4.2):
/// `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`, without padding.
///
/// The verifier is validated first ([`validate_code_verifier`]), so a challenge is never
/// computed for a verifier the token endpoint would refuse.
pub fn code_challenge_s256(verifier: &str) -> Result<String> {
    validate_code_verifier(verifier)?;
    Ok(base64::encode_url(&sha256(verifier.as_bytes())))
}

/// Checks that `challenge` has the shape of an S256 `code_challenge` (RFC 7636 section 4.2):
/// exactly 43 characters of canonical base64url that decode to the 32 octets of a SHA-256
/// digest.
///
/// Fails with `InvalidParams { param: "codeChallenge", .. }`.
pub fn validate_code_challenge_s256(challenge: &str) -> Result<()> {
    let invalid = |reason| {
        Err(ErrorKind::InvalidParams {
            param: "codeChallenge",
            reason,
        }
        .into())
    };
    if challenge.len() != S256_CHALLENGE_LEN {
        return invalid(
            "must be exactly 43 base64url characters (an S256 challenge, RFC 7636 section 4.2)",
        );
    }
    match base64::decode_url(challenge) {
        Ok(digest) if digest.len() == 32 => Ok(()),
        _ => invalid("must be canonical base64url of a SHA-256 digest (RFC 7636 section 4.2)"),
    }
}

/// A `code_challenge_method` (RFC 7636 section 4.3). Only `S256` exists here: `plain`
/// offers no protection against an intercepted authorization request and is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeChallengeMethod {
    /// `S256`: the challenge is BASE64URL(SHA256(verifier)).
    S256,
}

impl CodeChallengeMethod {
    /// The method's name as sent in `code_challenge_method`.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeChallengeMethod::S256 => "S256",
        }
    }
}

impl fmt::Display for CodeChallengeMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CodeChallengeMethod {
    type Err = Error;

    /// Parses a `code_challenge_method` (RFC 7636 section 4.3). The name is case-sensitive:
    /// only `S256` is accepted. `plain` (in any case) is refused with a reason that says so.
    fn from_str(s: &str) -> Result<Self> {
        if s == "S256" {
            Ok(CodeChallengeMethod::S256)
        } else if s.eq_ignore_ascii_case("plain") {
            Err(ErrorKind::InvalidParams {
                param: "codeChallengeMethod",
                reason: "plain is refused: it does not protect an intercepted code; use S256",
            }
            .into())
        } else {
            Err(ErrorKind::InvalidParams {
                param: "codeChallengeMethod",
                reason: "only S256 is supported",
            }
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::OsRandom;
    use sha2::{Digest, Sha256};

    fn reason(e: Error) -> (&'static str, &'static str) {
        match e.kind() {
            ErrorKind::InvalidParams { param, reason } => (param, reason),
            other => panic!("expected InvalidParams, got {other:?}"),
        }
    }

    #[test]
    fn generated_verifier_is_43_unreserved_characters() {
        let v = generate_code_verifier(&mut OsRandom).unwrap();
        assert_eq!(v.secret().len(), 43);
        assert!(v.secret().bytes().all(is_unreserved));
        assert!(validate_code_verifier(v.secret()).is_ok());
    }

    #[test]
    fn generated_verifiers_differ() {
        assert_ne!(
            generate_code_verifier(&mut OsRandom).unwrap().secret(),
            generate_code_verifier(&mut OsRandom).unwrap().secret()
        );
    }

    #[test]
    fn accepts_verifiers_of_43_and_128_characters() {
        assert!(validate_code_verifier(&"a".repeat(43)).is_ok());
        assert!(validate_code_verifier(&"Z".repeat(128)).is_ok());
    }

    #[test]
    fn rejects_verifier_shorter_than_43_characters() {
        let (param, r) = reason(validate_code_verifier(&"a".repeat(42)).unwrap_err());
        assert_eq!(param, "codeVerifier");
        assert!(r.contains("at least 43"), "{r}");
    }

    #[test]
    fn rejects_verifier_longer_than_128_characters() {
        let (param, r) = reason(validate_code_verifier(&"a".repeat(129)).unwrap_err());
        assert_eq!(param, "codeVerifier");
        assert!(r.contains("at most 128"), "{r}");
    }

    #[test]
    fn accepts_every_unreserved_character_in_a_verifier() {
        let all = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
        assert!(validate_code_verifier(all).is_ok());
    }

    #[test]
    fn rejects_verifier_with_characters_outside_the_unreserved_set() {
        for bad in ['+', '/', '=', ' ', '%', 'æ', '\n'] {
            let mut v = "a".repeat(50);
            v.push(bad);
            let (param, r) = reason(validate_code_verifier(&v).unwrap_err());
            assert_eq!(param, "codeVerifier", "{bad:?}");
            assert!(r.contains("only"), "{bad:?}: {r}");
        }
    }

    #[test]
    fn verifier_errors_never_echo_the_verifier() {
        let v = format!("{}!", "secretverifier".repeat(4));
        let e = validate_code_verifier(&v).unwrap_err();
        assert!(!e.to_string().contains("secretverifier"));
        assert!(!format!("{e:?}").contains("secretverifier"));
    }

    #[test]
    fn s256_challenge_is_base64url_of_the_sha256_digest() {
        let verifier = "a".repeat(43);
        let expected = base64::encode_url(&Sha256::digest(verifier.as_bytes()));
        let challenge = code_challenge_s256(&verifier).unwrap();
        assert_eq!(challenge, expected);
        assert_eq!(challenge.len(), 43);
        assert!(validate_code_challenge_s256(&challenge).is_ok());
    }

    #[test]
    fn s256_challenge_refuses_an_invalid_verifier() {
        let (param, _) = reason(code_challenge_s256("too-short").unwrap_err());
        assert_eq!(param, "codeVerifier");
    }

    #[test]
    fn rejects_challenge_that_is_not_43_characters() {
        let (param, r) = reason(validate_code_challenge_s256(&"A".repeat(42)).unwrap_err());
        assert_eq!(param, "codeChallenge");
        assert!(r.contains("exactly 43"), "{r}");
        assert!(validate_code_challenge_s256(&"A".repeat(44)).is_err());
    }

    #[test]
    fn rejects_challenge_with_non_base64url_characters() {
        let mut c = "A".repeat(42);
        c.push('+');
        let (param, r) = reason(validate_code_challenge_s256(&c).unwrap_err());
        assert_eq!(param, "codeChallenge");
        assert!(r.contains("base64url"), "{r}");
    }

    #[test]
    fn rejects_non_canonical_challenge() {
        // The 43rd character carries 2 unused bits; "B" sets one of them.
        let c = format!("{}B", "A".repeat(42));
        assert!(validate_code_challenge_s256(&c).is_err());
        let canonical = format!("{}E", "A".repeat(42));
        assert!(validate_code_challenge_s256(&canonical).is_ok());
    }

    #[test]
    fn parses_s256_method() {
        let m: CodeChallengeMethod = "S256".parse().unwrap();
        assert_eq!(m, CodeChallengeMethod::S256);
        assert_eq!(m.as_str(), "S256");
        assert_eq!(m.to_string(), "S256");
    }

    #[test]
    fn refuses_plain_method_explicitly() {
        for plain in ["plain", "PLAIN"] {
            let (param, r) = reason(plain.parse::<CodeChallengeMethod>().unwrap_err());
            assert_eq!(param, "codeChallengeMethod");
            assert!(r.contains("plain is refused"), "{r}");
        }
    }

    #[test]
    fn refuses_unknown_and_miscased_methods() {
        for other in ["s256", "S512", "", "S256 "] {
            let (param, r) = reason(other.parse::<CodeChallengeMethod>().unwrap_err());
            assert_eq!(param, "codeChallengeMethod");
            assert!(r.contains("only S256"), "{other:?}: {r}");
        }
    }
}
