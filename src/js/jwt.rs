//! JWTs (RFC 7519) in compact JWS serialization (RFC 7515 section 7.1): `decodeJwt`, which
//! checks nothing.


use alloc::string::String;
use super::args::{token_arg, Args};
use super::reply::{reply, Members};
use crate::jose::jwt;

/// A `JwtParts` object, `{header, claims}`, from the JSON text of each.
pub fn parts(header: &str, claims: &str) -> String {
    Members::new().json("header", header).json("claims", claims).finish()
}

/// `decodeJwt([token])` (the token may come apart, see [`token_arg`]): the header and claims
/// of a JWT, WITHOUT checking its signature.
pub fn decode_jwt(args: &str, token: &str) -> String {
    reply((|| {
        let args = Args::parse(args)?;
        let token = jwt::parse(token_arg(args.get(0), token)?)?;
        Ok(parts(token.jws().header_json(), token.claims_json()))
    })())
}
