//! `decodeJwt(token)`: the header and claims of a JWT (RFC 7519) in compact JWS serialization
//! (RFC 7515 section 7.1), checking nothing.

use alloc::string::String;

use vipps_auth::jose::jwt;
use vipps_auth::Result;

use crate::input::Input;
use crate::reply::{Members, Reply};

/// A `JwtParts` object, `{header, claims}`, from the JSON text of each (the token's own text,
/// which parsed strictly: nothing is serialized again).
pub fn parts(header: &str, claims: &str) -> String {
    Members::new()
        .json("header", header)
        .json("claims", claims)
        .finish()
}

/// The header and claims of the token, WITHOUT checking its signature.
pub fn decode_jwt(input: &Input) -> Result<Reply> {
    let token = jwt::parse(input.token())?;
    Ok(Reply::Value(parts(
        token.jws().header_json(),
        token.claims_json(),
    )))
}

#[cfg(test)]
mod tests {
    use crate::ops::testing::{code, object, run_with, Slots};
    use crate::ops::verify::tests::RFC7515_A2;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn decode_jwt_returns_header_and_claims_without_checking() {
        let parts = object(run_with(
            "decodeJwt",
            "{}",
            Slots {
                token: RFC7515_A2,
                ..Slots::default()
            },
        ));
        assert_eq!(
            parts
                .get("header")
                .unwrap()
                .as_object()
                .unwrap()
                .get_str("alg"),
            Some("RS256")
        );
        assert_eq!(
            parts
                .get("claims")
                .unwrap()
                .as_object()
                .unwrap()
                .get_str("iss"),
            Some("joe")
        );
        assert_eq!(
            code(run_with(
                "decodeJwt",
                "{}",
                Slots {
                    token: "a.b",
                    ..Slots::default()
                }
            )),
            "ERR_JWT_MALFORMED"
        );
    }
}
