//! JOSE: compact JWS parsing (RFC 7515), JWK sets and key selection (RFC 7517, RFC 7518),
//! and the sans-IO signature step that yields a [`VerifiedJwt`].
//!
//! The flow is: [`jwt::parse`] a token, ask for the signature check it needs against a key
//! set and the caller's allowed algorithms, let the platform run that check (WebCrypto),
//! and only then read claims from the [`VerifiedJwt`] it yields. The algorithm is always
//! the caller's choice, never the token's.

pub mod alg;
pub mod jwk;
pub mod jwt;
pub mod verified;
pub mod verify;

pub use alg::Algorithm;
pub use jwk::{Jwk, JwkSet, KeyParams};
pub use jwt::{UnverifiedJws, UnverifiedJwt};
pub use verified::VerifiedJwt;
pub use verify::SignatureCheck;

use alloc::string::String;

/// Most characters of an unverified `alg` echoed in an error.
pub const MAX_ECHOED_ALG: usize = 32;

/// Most characters of an unverified `kid` echoed in an error (Vipps' kids, `public:<uuid>`,
/// have 43).
pub const MAX_ECHOED_KID: usize = 64;

/// The first `max` characters of a header member of an unverified token, for an error
/// message: the token is the attacker's, so it may not fill logs or pages through an error.
pub(crate) fn echoed(value: &str, max: usize) -> String {
    value.chars().take(max).collect()
}
