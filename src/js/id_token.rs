//! ID-token validation (OpenID Connect Core 1.0 section 3.1.3.7): the signature first
//! (through [`verify_token`]), then every claim rule of the core.

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::{field, opt_integer, opt_number, opt_string, options, req_string, string_arg};
use super::errors::invalid;
use super::jwt::algorithms;
use super::keyset::key_set_arg;
use super::task::{spawn, AfterVerify, Task};
use crate::error::Result;
use crate::id_token::{Audience, IdTokenExpectations};
use crate::platform::clock;
use crate::secret::AccessToken;

/// Checks the ID token's signature with `opts.keys`, then `iss`, `aud`/`azp` (or `msn` for
/// partners), `exp`, `iat`, `nonce`, `auth_time` against `maxAgeSec`, and `at_hash` when
/// `accessToken` is given; returns the claims.
#[wasm_bindgen(js_name = validateIdToken, unchecked_return_type = "Promise<Record<string, unknown>>")]
pub fn validate_id_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValidateIdTokenOptions")] opts: JsValue,
) -> Promise {
    let args = (|| -> Result<_> {
        let token = string_arg(&token, "token")?;
        let o = options(&opts, "opts")?.ok_or(invalid("opts", "must be an object"))?;
        let audience = match (opt_string(&o, "clientId")?, opt_string(&o, "msn")?) {
            (Some(id), None) => Audience::ClientId(id),
            (None, Some(msn)) => Audience::Msn(msn),
            (Some(_), Some(_)) => return Err(invalid("clientId", "give either clientId or msn, not both")),
            (None, None) => return Err(invalid("clientId", "clientId (or msn for partners) is required")),
        };
        let mut expected = IdTokenExpectations::new(req_string(&o, "issuer")?, audience);
        expected.nonce = opt_string(&o, "nonce")?;
        if let Some(t) = opt_integer(&o, "clockToleranceSec")? {
            expected.clock_tolerance_sec = t;
        }
        expected.max_age_sec = opt_integer(&o, "maxAgeSec")?;
        expected.access_token = opt_string(&o, "accessToken")?.map(AccessToken::new);
        let now = match opt_number(&o, "now")? {
            None => clock::now_seconds(),
            Some(n) if (0.0..=9.0e15).contains(&n) => n.floor() as i64,
            Some(_) => return Err(invalid("now", "must be epoch seconds")),
        };
        let keys = key_set_arg(&field(&o, "keys")?.unwrap_or(JsValue::UNDEFINED), "keys")?;
        Ok(Task::Verify(token, keys, algorithms(Some(&o))?, AfterVerify::IdToken(Box::new(expected), now)))
    })();
    spawn(args)
}
