//! A JWT whose signature has been checked.

use crate::jose::jwt::UnverifiedJwt;
use crate::jose::Algorithm;
use crate::json;

/// A JWT whose signature was verified with a key the caller trusts, under an algorithm the
/// caller allowed. Only the signature step of this crate can make one, so code that takes
/// a `&VerifiedJwt` (such as ID-token validation) cannot be handed unverified claims:
/// the signature is checked before any claim is believed.
#[derive(Debug, Clone)]
pub struct VerifiedJwt {
    alg: Algorithm,
    token: UnverifiedJwt,
}

impl VerifiedJwt {
    /// Made only after a successful signature check of `token`.
    pub(crate) fn new(alg: Algorithm, token: UnverifiedJwt) -> Self {
        Self { alg, token }
    }

    /// The algorithm the signature was verified under.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The JOSE header.
    pub fn header(&self) -> &json::Object {
        self.token.header()
    }

    /// The claims set.
    pub fn claims(&self) -> &json::Object {
        self.token.claims()
    }

    /// The header as the JSON text it was parsed from (see [`UnverifiedJws::header_json`]).
    ///
    /// [`UnverifiedJws::header_json`]: crate::jose::jwt::UnverifiedJws::header_json
    pub fn header_json(&self) -> &str {
        self.token.jws().header_json()
    }

    /// The claims as the JSON text they were parsed from (see [`UnverifiedJwt::claims_json`]).
    pub fn claims_json(&self) -> &str {
        self.token.claims_json()
    }

    /// Gives up the header and claims.
    pub fn into_parts(self) -> (json::Object, json::Object) {
        self.token.into_parts()
    }
}
