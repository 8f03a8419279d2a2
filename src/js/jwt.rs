//! JWTs (RFC 7519) in compact JWS serialization (RFC 7515 section 7.1): `decodeJwt`, which
//! checks nothing.


use alloc::string::String;
use super::args::{string_arg, Args};
use super::reply::{object, value};
use crate::jose::jwt;
use crate::json::{Object, Value};

/// A JWT's header and claims as a `JwtParts` object.
pub fn parts(header: &Object, claims: &Object) -> Value {
    object(vec![("header", Value::Object(header.clone())), ("claims", Value::Object(claims.clone()))])
}

/// `decodeJwt([token])`: the header and claims of a JWT, WITHOUT checking its signature.
pub fn decode_jwt(args: &str) -> String {
    value((|| {
        let args = Args::parse(args)?;
        let token = jwt::parse(&string_arg(args.get(0), "token")?)?;
        Ok(parts(token.header(), token.claims()))
    })())
}
