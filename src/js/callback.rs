//! The authorization response at the redirect URI (RFC 6749 section 4.1.2 and 4.1.2.1;
//! RFC 9207 for its `iss`).


use alloc::string::String;
use super::args::{opt_string, options, string_arg, Args};
use super::reply::{reply, Members};
use crate::callback;

/// `parseCallback([callbackUrl, expectedState, opts?])`: `code` and `state` from the callback
/// URL (or its query), `state` checked against the one sent (`ERR_STATE_MISMATCH`) and an `iss`
/// against `opts.issuer` (`ERR_CALLBACK_ISSUER`). A Vipps `error` becomes
/// `ERR_AUTHORIZATION_RESPONSE` with `vippsError` / `vippsErrorDescription`.
pub fn parse_callback(args: &str) -> String {
    reply((|| {
        let args = Args::parse(args)?;
        let url = string_arg(args.get(0), "callbackUrl")?;
        let expected = string_arg(args.get(1), "expectedState")?;
        let issuer = options(args.get(2), "opts")?.map(|o| opt_string(o, "issuer")).transpose()?.flatten();
        let cb = callback::parse_callback(url, expected, issuer.as_deref())?;
        Ok(Members::new().string("code", cb.code.secret()).string("state", &cb.state).finish())
    })())
}
