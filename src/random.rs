//! Randomness, supplied by the caller. The core does no I/O, so it has no generator of its
//! own: whoever calls [`crate::pkce::generate_code_verifier`],
//! [`crate::authorize::random_state`], [`crate::authorize::random_nonce`] or
//! [`crate::authorize::start_login`] passes a [`Random`] backed by the platform's CSPRNG
//! (the npm package: `crypto.getRandomValues`; the worker: getrandom, which calls the same in
//! workerd; host tests: the operating system's).

use alloc::string::String;

use crate::base64;
use crate::error::Result;

/// A cryptographically secure random number generator (RFC 4086 section 6.1: the values this
/// crate draws are `state`, `nonce` and PKCE verifiers, which must be unguessable).
pub trait Random {
    /// Fills `buf` with random bytes; `Err` with [`ErrorKind::Random`](crate::ErrorKind::Random)
    /// when the platform's generator fails.
    fn fill(&mut self, buf: &mut [u8]) -> Result<()>;
}

/// `bytes` random bytes as base64url without padding: `ceil(bytes * 4 / 3)` characters of
/// the RFC 7636 unreserved set, so usable as a PKCE verifier, `state` or `nonce`.
pub fn urlsafe_string(random: &mut impl Random, bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    random.fill(&mut buf)?;
    Ok(base64::encode_url(&buf))
}

/// The operating system's generator, for the host tests.
#[cfg(test)]
pub(crate) struct OsRandom;

#[cfg(test)]
impl Random for OsRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<()> {
        getrandom::fill(buf).map_err(|_| crate::ErrorKind::Random.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn urlsafe_string_has_the_expected_length_and_alphabet() {
        let s = urlsafe_string(&mut OsRandom, 32).unwrap();
        assert_eq!(s.len(), 43);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn urlsafe_strings_differ() {
        assert_ne!(
            urlsafe_string(&mut OsRandom, 16).unwrap(),
            urlsafe_string(&mut OsRandom, 16).unwrap()
        );
    }

    #[test]
    fn a_failing_generator_is_err_random() {
        struct Broken;
        impl Random for Broken {
            fn fill(&mut self, _: &mut [u8]) -> Result<()> {
                Err(ErrorKind::Random.into())
            }
        }
        assert_eq!(
            urlsafe_string(&mut Broken, 32).unwrap_err().code(),
            "ERR_RANDOM"
        );
    }
}
