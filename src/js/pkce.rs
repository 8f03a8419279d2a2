//! PKCE (RFC 7636) and the random `state` / `nonce` values (RFC 6749 section 10.12,
//! OpenID Connect Core 1.0 section 3.1.2.1), from the platform CSPRNG
//! (`crypto.getRandomValues`). SHA-256 stays in wasm: `codeChallengeS256` is synchronous
//! and WebCrypto's digest is not.


use alloc::string::String;
use super::args::{string_arg, Args};
use super::reply::{quoted, reply};
use crate::{authorize, pkce};

/// `generateCodeVerifier()`: 43..128 characters of `[A-Za-z0-9-._~]` (RFC 7636 section 4.1).
pub fn generate_code_verifier() -> String {
    reply(pkce::generate_code_verifier().map(|v| quoted(v.secret())))
}

/// `codeChallengeS256([verifier])`: `BASE64URL(SHA256(ASCII(verifier)))` without padding.
pub fn code_challenge_s256(args: &str) -> String {
    reply((|| {
        let args = Args::parse(args)?;
        let verifier = string_arg(args.get(0), "verifier")?;
        Ok(quoted(&pkce::code_challenge_s256(verifier)?))
    })())
}

/// `randomState()`: a fresh, URL-safe `state` of at least 8 characters.
pub fn random_state() -> String {
    reply(authorize::random_state().map(|s| quoted(s.secret())))
}

/// `randomNonce()`: a fresh, URL-safe `nonce`.
pub fn random_nonce() -> String {
    reply(authorize::random_nonce().map(|s| quoted(s.secret())))
}
