//! The documented Vipps endpoints of an environment (Vipps Login API and Access Token API).


use alloc::string::String;
use super::args::{string_arg, Args};
use super::reply::{reply, Members};
use crate::discovery::{Endpoints, Environment};

/// `endpoints([env])`: the endpoints of `"test"` (`apitest.vipps.no`) or `"production"`.
pub fn endpoints(args: &str) -> String {
    reply((|| {
        let args = Args::parse(args)?;
        let env: Environment = string_arg(args.get(0), "env")?.parse()?;
        let e = Endpoints::for_environment(env);
        Ok(Members::new()
            .string("issuer", &e.issuer)
            .string("authorizationEndpoint", &e.authorization_endpoint)
            .string("tokenEndpoint", &e.token_endpoint)
            .string("jwksUri", &e.jwks_uri)
            .string("userinfoEndpoint", &e.userinfo_endpoint)
            .string("accessTokenEndpoint", &e.access_token_endpoint)
            .string("miamiTokenEndpoint", &e.miami_token_endpoint)
            .finish())
    })())
}
