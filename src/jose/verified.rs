//! A JWT whose signature has been checked.

use crate::jose::Algorithm;
use crate::json;

/// A JWT whose signature was verified with a key the caller trusts, under an algorithm the
/// caller allowed. Only the signature step of this crate can make one, so code that takes
/// a `&VerifiedJwt` (such as ID-token validation) cannot be handed unverified claims:
/// the signature is checked before any claim is believed.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJwt {
    alg: Algorithm,
    header: json::Object,
    claims: json::Object,
}

impl VerifiedJwt {
    /// Made only after a successful signature check.
    pub(crate) fn new(alg: Algorithm, header: json::Object, claims: json::Object) -> Self {
        Self { alg, header, claims }
    }

    /// The algorithm the signature was verified under.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The JOSE header.
    pub fn header(&self) -> &json::Object {
        &self.header
    }

    /// The claims set.
    pub fn claims(&self) -> &json::Object {
        &self.claims
    }

    /// Gives up the header and claims.
    pub fn into_parts(self) -> (json::Object, json::Object) {
        (self.header, self.claims)
    }
}
