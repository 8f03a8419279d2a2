//! PKCE (RFC 7636) and the random `state` / `nonce` values (RFC 6749 section 10.12,
//! OpenID Connect Core 1.0 section 3.1.2.1), from the platform CSPRNG
//! (`crypto.getRandomValues`, `random.rs`). SHA-256 stays in wasm: `codeChallengeS256` is
//! synchronous and WebCrypto's digest is not.

use vipps_auth::{authorize, pkce, Result};

use crate::input::Input;
use crate::random::Platform;
use crate::reply::Reply;

/// `generateCodeVerifier()`: 43 characters of `[A-Za-z0-9-._~]` (RFC 7636 section 4.1).
pub fn generate_code_verifier(_: &Input) -> Result<Reply> {
    Ok(Reply::string(
        pkce::generate_code_verifier(&mut Platform)?.secret(),
    ))
}

/// `codeChallengeS256(verifier)`: `BASE64URL(SHA256(ASCII(verifier)))` without padding.
pub fn code_challenge_s256(input: &Input) -> Result<Reply> {
    Ok(Reply::string(&pkce::code_challenge_s256(
        input.string("verifier")?,
    )?))
}

/// `randomState()`: a fresh, URL-safe `state` of at least 8 characters.
pub fn random_state(_: &Input) -> Result<Reply> {
    Ok(Reply::string(
        authorize::random_state(&mut Platform)?.secret(),
    ))
}

/// `randomNonce()`: a fresh, URL-safe `nonce`.
pub fn random_nonce(_: &Input) -> Result<Reply> {
    Ok(Reply::string(
        authorize::random_nonce(&mut Platform)?.secret(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::ops::testing::{code, message, run, string};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn unreserved(s: &str) -> bool {
        s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-._~".contains(&c))
    }

    #[test]
    fn code_verifiers_are_43_unreserved_characters_and_differ() {
        let (a, b) = (
            string(run("generateCodeVerifier", "{}")),
            string(run("generateCodeVerifier", "{}")),
        );
        assert_eq!(a.len(), 43);
        assert!(unreserved(&a) && a != b);
    }

    #[test]
    fn code_challenge_s256_matches_rfc7636_appendix_b() {
        let challenge = string(run(
            "codeChallengeS256",
            r#"{"verifier":"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}"#,
        ));
        assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert_eq!(
            code(run("codeChallengeS256", r#"{"verifier":null}"#)),
            "ERR_INVALID_PARAMS"
        );
    }

    #[test]
    fn random_state_and_nonce_are_url_safe_long_enough_and_differ() {
        let (a, b) = (
            string(run("randomState", "{}")),
            string(run("randomState", "{}")),
        );
        let (n, m) = (
            string(run("randomNonce", "{}")),
            string(run("randomNonce", "{}")),
        );
        assert!(a.len() >= 8 && a != b && n.len() >= 8 && n != m);
        assert!(unreserved(&a) && unreserved(&n));
    }

    #[test]
    fn errors_never_echo_the_verifier() {
        let secret = "SECRET-verifier-with-bad-char-%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%";
        let m = message(run(
            "codeChallengeS256",
            &format!(r#"{{"verifier":"{secret}"}}"#),
        ));
        assert!(!m.contains("SECRET"), "{m}");
    }
}
