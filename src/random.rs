//! Random values from the platform's CSPRNG (getrandom: `crypto.getRandomValues` in
//! browsers, workerd and Node; the OS elsewhere).

use crate::base64;
use crate::error::{Error, Result};

/// Fills `buf` with cryptographically secure random bytes.
pub fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|_| Error::Random)
}

/// `bytes` random bytes as base64url without padding: `ceil(bytes * 4 / 3)` characters of
/// the RFC 7636 unreserved set, so usable as a PKCE verifier, `state` or `nonce`.
pub fn urlsafe_string(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    fill(&mut buf)?;
    Ok(base64::encode_url(&buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlsafe_string_has_the_expected_length_and_alphabet() {
        let s = urlsafe_string(32).unwrap();
        assert_eq!(s.len(), 43);
        assert!(s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn urlsafe_strings_differ() {
        assert_ne!(urlsafe_string(16).unwrap(), urlsafe_string(16).unwrap());
    }
}
