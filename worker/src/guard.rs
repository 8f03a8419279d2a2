//! The API-key guard of `/accesstoken` and `/miami/token`:
//! `Authorization: Bearer <WORKER_API_KEY>`, compared in constant time.

use sha2::{Digest, Sha256};
use vipps_auth::secret::constant_time_eq;
use worker::Request;

use crate::config::Config;
use crate::error::{Result, WorkerError};

/// Longest `Authorization` header accepted.
const MAX_AUTHORIZATION_LEN: usize = 4096;

/// Lets the request through only with the right API key. A wrong, missing or malformed key
/// gives the same `ERR_UNAUTHORIZED`, with no hint about the key.
pub fn require_api_key(req: &Request, config: &Config) -> Result<()> {
    let expected = config.api_key()?;
    let header = req
        .headers()
        .get("Authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    if header.len() > MAX_AUTHORIZATION_LEN {
        return Err(WorkerError::HeaderTooLarge {
            header: "Authorization",
        });
    }
    if key_matches(&header, &expected) {
        Ok(())
    } else {
        Err(WorkerError::Unauthorized)
    }
}

/// Whether `header` is `Bearer <expected>` (scheme case-insensitive, RFC 7235). Both sides are
/// hashed first so the comparison's time depends on neither length nor content.
pub fn key_matches(header: &str, expected: &str) -> bool {
    let presented = match header.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => "",
    };
    let a = Sha256::digest(presented.as_bytes());
    let b = Sha256::digest(expected.as_bytes());
    constant_time_eq(&a, &b) && !presented.is_empty()
}

#[cfg(test)]
mod tests {
    use super::key_matches;

    #[test]
    fn accepts_only_the_exact_bearer_key() {
        assert!(key_matches("Bearer k3y", "k3y"));
        assert!(key_matches("bearer k3y", "k3y"));
        assert!(!key_matches("Bearer k3y2", "k3y"));
        assert!(!key_matches("Basic k3y", "k3y"));
        assert!(!key_matches("k3y", "k3y"));
        assert!(!key_matches("", "k3y"));
        assert!(!key_matches("Bearer ", ""));
    }
}
