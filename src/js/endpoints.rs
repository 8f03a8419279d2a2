//! The documented Vipps endpoints of an environment (Vipps Login API and Access Token API).


use alloc::string::String;
use super::args::{string_arg, Args};
use super::reply::{object, value};
use crate::discovery::{Endpoints, Environment};
use crate::json::Value;

/// `endpoints([env])`: the endpoints of `"test"` (`apitest.vipps.no`) or `"production"`.
pub fn endpoints(args: &str) -> String {
    value((|| {
        let args = Args::parse(args)?;
        let env: Environment = string_arg(args.get(0), "env")?.parse()?;
        let e = Endpoints::for_environment(env);
        Ok(object(vec![
            ("issuer", Value::from(e.issuer)),
            ("authorizationEndpoint", Value::from(e.authorization_endpoint)),
            ("tokenEndpoint", Value::from(e.token_endpoint)),
            ("jwksUri", Value::from(e.jwks_uri)),
            ("userinfoEndpoint", Value::from(e.userinfo_endpoint)),
            ("accessTokenEndpoint", Value::from(e.access_token_endpoint)),
            ("miamiTokenEndpoint", Value::from(e.miami_token_endpoint)),
        ]))
    })())
}
