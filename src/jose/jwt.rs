//! Compact JWS / JWT parsing (RFC 7515 section 7.1, RFC 7519 section 7.2).
//!
//! Parsing checks only the token's form; it believes nothing. The signature is checked by
//! [`crate::jose::verify`], and only a [`crate::jose::VerifiedJwt`] should be trusted.
//! [`parse`] alone backs the JS `decodeJwt` (inspection of a token, e.g. for debugging).

use alloc::{string::String, vec::Vec};
use core::fmt;

use crate::base64;
use crate::error::{Error, ErrorKind, Result};
use crate::json;

/// Longest token accepted, in bytes. Checked before anything else, so an oversized input
/// costs nothing to refuse. Vipps ID tokens are about 1-2 KiB.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// A compact JWS whose form is valid but whose signature has not been checked. Its payload is
/// any octet sequence (RFC 7515 section 3); a JWT additionally needs a JSON object payload.
#[derive(Clone)]
pub struct UnverifiedJws {
    header: json::Object,
    /// The decoded header: the JSON text `header` was parsed from.
    header_json: String,
    alg: String,
    kid: Option<String>,
    payload: Vec<u8>,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
}

/// A JWT whose form is valid but whose signature has not been checked: nothing in it may be
/// believed yet. Its `Debug` shows the header, never the claims or the signature.
#[derive(Clone)]
pub struct UnverifiedJwt {
    jws: UnverifiedJws,
    claims: json::Object,
}

fn malformed(reason: &'static str) -> Error {
    ErrorKind::JwtMalformed { reason }.into()
}

fn decode_segment(segment: &str, reason: &'static str) -> Result<Vec<u8>> {
    base64::decode_url(segment).map_err(|_| malformed(reason))
}

/// Parses a compact JWS (RFC 7515 section 7.1) whose payload may be any octets.
///
/// Steps of RFC 7515 section 5.2 that concern form:
/// 1. the token is at most [`MAX_TOKEN_LEN`] bytes (our limit), and is not the JSON
///    serialization (section 7.2, which this library does not accept);
/// 2. it has exactly three `.`-separated parts (step 1);
/// 3. the header decodes as canonical unpadded base64url (step 2) to UTF-8 JSON that is an
///    object without duplicate members (steps 3-4); `alg` is a string (section 4.1.1) and
///    `kid`, if present, a string (section 4.1.4);
/// 4. the payload and signature decode as canonical unpadded base64url (steps 6-7).
pub fn parse_jws(token: &str) -> Result<UnverifiedJws> {
    // 1. Size first, then refuse the JSON serialization.
    if token.len() > MAX_TOKEN_LEN {
        return Err(malformed("token longer than the size limit"));
    }
    if token.trim_start().starts_with('{') {
        return Err(malformed(
            "JWS JSON serialization is not supported; use the compact form",
        ));
    }
    // 2. Exactly three parts.
    let mut parts = token.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("a compact JWS has exactly three parts"));
    };
    // 3. The protected header.
    let header_bytes = decode_segment(header_b64, "header is not canonical unpadded base64url")?;
    let header = json::parse_object(&header_bytes)
        .map_err(|_| malformed("header is not a UTF-8 JSON object"))?;
    // It parsed, so it is UTF-8.
    let header_json = String::from_utf8(header_bytes)
        .map_err(|_| malformed("header is not a UTF-8 JSON object"))?;
    let alg = match header.get("alg") {
        Some(json::Value::String(alg)) => alg.clone(),
        Some(_) => return Err(malformed("header `alg` is not a string")),
        None => return Err(malformed("header has no `alg`")),
    };
    let kid = match header.get("kid") {
        Some(json::Value::String(kid)) => Some(kid.clone()),
        Some(_) => return Err(malformed("header `kid` is not a string")),
        None => None,
    };
    // 4. Payload and signature.
    let payload = decode_segment(payload_b64, "payload is not canonical unpadded base64url")?;
    let signature = decode_segment(
        signature_b64,
        "signature is not canonical unpadded base64url",
    )?;
    let signing_input = token
        .as_bytes()
        .get(..header_b64.len() + 1 + payload_b64.len())
        .unwrap_or_default()
        .to_vec();
    Ok(UnverifiedJws {
        header,
        header_json,
        alg,
        kid,
        payload,
        signing_input,
        signature,
    })
}

/// Parses a compact JWT (RFC 7519 section 7.2): a compact JWS (see [`parse_jws`]) whose
/// payload is a UTF-8 JSON object, the JWT Claims Set (RFC 7519 section 7.2 steps 9-10).
/// A nested JWT (`cty: JWT`, step 8) is not supported: its payload is not a claims object and
/// is refused as malformed.
pub fn parse(token: &str) -> Result<UnverifiedJwt> {
    let jws = parse_jws(token)?;
    let claims = json::parse_object(&jws.payload)
        .map_err(|_| malformed("payload is not a UTF-8 JSON object"))?;
    Ok(UnverifiedJwt { jws, claims })
}

impl UnverifiedJws {
    /// The JOSE header.
    pub fn header(&self) -> &json::Object {
        &self.header
    }

    /// The decoded header as the JSON text [`Self::header`] was parsed from (strict JSON: no
    /// duplicate members), e.g. to hand to `JSON.parse` without serializing it again.
    pub fn header_json(&self) -> &str {
        &self.header_json
    }

    /// The header's `alg`, as the token spells it (not yet checked against any policy).
    pub fn alg(&self) -> &str {
        &self.alg
    }

    /// The header's `kid`, when present.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The decoded payload.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The JWS Signing Input, `ASCII(BASE64URL(header) || '.' || BASE64URL(payload))`
    /// (RFC 7515 section 5.2 step 8).
    pub fn signing_input(&self) -> &[u8] {
        &self.signing_input
    }

    /// The decoded signature.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }
}

impl UnverifiedJwt {
    /// The JWS it was parsed from.
    pub fn jws(&self) -> &UnverifiedJws {
        &self.jws
    }

    /// The JOSE header.
    pub fn header(&self) -> &json::Object {
        self.jws.header()
    }

    /// The claims set, unverified.
    pub fn claims(&self) -> &json::Object {
        &self.claims
    }

    /// The decoded claims set as the JSON text [`Self::claims`] was parsed from (strict JSON:
    /// no duplicate members).
    pub fn claims_json(&self) -> &str {
        // The payload parsed as a JSON object, so it is UTF-8.
        core::str::from_utf8(self.jws.payload()).unwrap_or_default()
    }

    /// The header's `alg`, as the token spells it.
    pub fn alg(&self) -> &str {
        self.jws.alg()
    }

    /// The header's `kid`, when present.
    pub fn kid(&self) -> Option<&str> {
        self.jws.kid()
    }

    /// The JWS Signing Input (ASCII `header.payload`).
    pub fn signing_input(&self) -> &[u8] {
        self.jws.signing_input()
    }

    /// The decoded signature.
    pub fn signature(&self) -> &[u8] {
        self.jws.signature()
    }

    /// Gives up the header and claims.
    pub fn into_parts(self) -> (json::Object, json::Object) {
        (self.jws.header, self.claims)
    }
}

impl fmt::Debug for UnverifiedJws {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnverifiedJws")
            .field("header", &self.header)
            .field("payload_len", &self.payload.len())
            .field("signature_len", &self.signature.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for UnverifiedJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnverifiedJwt")
            .field("header", &self.jws.header)
            .field("claims", &format_args!("<{} members>", self.claims.len()))
            .field("signature_len", &self.jws.signature.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::encode_url(s.as_bytes())
    }

    fn token(header: &str, payload: &str, signature: &[u8]) -> String {
        format!(
            "{}.{}.{}",
            b64(header),
            b64(payload),
            base64::encode_url(signature)
        )
    }

    fn reason(token: &str) -> &'static str {
        match parse(token).map_err(Error::into_kind) {
            Err(ErrorKind::JwtMalformed { reason }) => reason,
            other => panic!("expected JwtMalformed, got {other:?}"),
        }
    }

    #[test]
    fn parses_header_claims_and_signature() {
        let t = token(
            r#"{"alg":"RS256","kid":"public:abc"}"#,
            r#"{"sub":"u1","exp":5}"#,
            &[1, 2, 3],
        );
        let jwt = parse(&t).unwrap();
        assert_eq!(jwt.alg(), "RS256");
        assert_eq!(jwt.kid(), Some("public:abc"));
        assert_eq!(jwt.claims().get_str("sub"), Some("u1"));
        assert_eq!(jwt.header().len(), 2);
        assert_eq!(jwt.signature(), &[1, 2, 3]);
        let dot = t.rfind('.').unwrap();
        assert_eq!(jwt.signing_input(), &t.as_bytes()[..dot]);
    }

    #[test]
    fn keeps_the_json_text_of_header_and_claims_as_written() {
        let header = r#"{ "alg" : "RS256", "kid":"k\u0041" }"#;
        let claims = r#"{"sub":"u1", "n":1.50e1,"s":"\u00e6\n"}"#;
        let jwt = parse(&token(header, claims, &[1])).unwrap();
        assert_eq!(jwt.jws().header_json(), header);
        assert_eq!(jwt.claims_json(), claims);
        assert_eq!(jwt.kid(), Some("kA"));
    }

    #[test]
    fn kid_is_optional() {
        let jwt = parse(&token(r#"{"alg":"ES256"}"#, "{}", &[9])).unwrap();
        assert_eq!(jwt.kid(), None);
    }

    #[test]
    fn refuses_a_token_over_the_size_limit_before_parsing() {
        let big = "a".repeat(MAX_TOKEN_LEN + 1);
        assert_eq!(reason(&big), "token longer than the size limit");
        let just_fits = token(
            r#"{"alg":"RS256"}"#,
            &format!(r#"{{"p":"{}"}}"#, "x".repeat(MAX_TOKEN_LEN / 2)),
            &[],
        );
        assert!(just_fits.len() <= MAX_TOKEN_LEN);
        assert!(parse(&just_fits).is_ok());
    }

    #[test]
    fn refuses_two_or_four_segments() {
        let good = token(r#"{"alg":"RS256"}"#, "{}", &[1]);
        assert!(parse(&good).is_ok());
        let (two, _) = good.rsplit_once('.').unwrap();
        assert_eq!(reason(two), "a compact JWS has exactly three parts");
        assert_eq!(
            reason(&format!("{good}.AA")),
            "a compact JWS has exactly three parts"
        );
        assert_eq!(reason(""), "a compact JWS has exactly three parts");
    }

    #[test]
    fn refuses_the_json_serialization() {
        let json = r#"{"payload":"e30","protected":"eyJhbGciOiJSUzI1NiJ9","signature":"AA"}"#;
        assert_eq!(
            reason(json),
            "JWS JSON serialization is not supported; use the compact form"
        );
        assert_eq!(
            reason(&format!("  {json}")),
            "JWS JSON serialization is not supported; use the compact form"
        );
    }

    #[test]
    fn refuses_padding_in_a_segment() {
        // `{}` encodes as `e30`; `e30=` is the padded form.
        let header = b64(r#"{"alg":"RS256"}"#);
        assert!(parse(&format!("{header}.e30.AQ")).is_ok());
        assert_eq!(
            reason(&format!("{header}.e30=.AQ")),
            "payload is not canonical unpadded base64url"
        );
        assert_eq!(
            reason(&format!("{header}.e30.AQ==")),
            "signature is not canonical unpadded base64url"
        );
        assert_eq!(
            reason(&format!("{header}=.e30.AQ")),
            "header is not canonical unpadded base64url"
        );
    }

    #[test]
    fn refuses_non_canonical_base64url() {
        let header = b64(r#"{"alg":"RS256"}"#);
        // `AQ` is the byte 0x01; `AR` carries non-zero trailing bits.
        assert!(parse(&format!("{header}.e30.AQ")).is_ok());
        assert_eq!(
            reason(&format!("{header}.e30.AR")),
            "signature is not canonical unpadded base64url"
        );
        assert_eq!(
            reason(&format!("{header}.e30.A+")),
            "signature is not canonical unpadded base64url"
        );
        assert_eq!(
            reason(&format!("{header}.e3 0.AQ")),
            "payload is not canonical unpadded base64url"
        );
    }

    #[test]
    fn refuses_a_payload_that_is_not_a_json_object() {
        for payload in ["[1]", "\"claims\"", "", "foo", "{\"a\":1,\"a\":2}"] {
            let t = token(r#"{"alg":"RS256"}"#, payload, &[1]);
            assert_eq!(
                reason(&t),
                "payload is not a UTF-8 JSON object",
                "{payload}"
            );
            // The same token is a well-formed JWS.
            assert_eq!(parse_jws(&t).unwrap().payload(), payload.as_bytes());
        }
    }

    #[test]
    fn refuses_invalid_utf8() {
        let header = b64(r#"{"alg":"RS256"}"#);
        let bad_payload = base64::encode_url(b"{\"a\":\"\xff\"}");
        assert_eq!(
            reason(&format!("{header}.{bad_payload}.AQ")),
            "payload is not a UTF-8 JSON object"
        );
        let bad_header = base64::encode_url(b"{\"alg\":\"RS256\xc3\"}");
        assert_eq!(
            reason(&format!("{bad_header}.e30.AQ")),
            "header is not a UTF-8 JSON object"
        );
    }

    #[test]
    fn refuses_a_header_that_is_not_an_object_or_lacks_a_string_alg() {
        assert_eq!(
            reason(&token("[]", "{}", &[1])),
            "header is not a UTF-8 JSON object"
        );
        assert_eq!(
            reason(&token(r#"{"typ":"JWT"}"#, "{}", &[1])),
            "header has no `alg`"
        );
        assert_eq!(
            reason(&token(r#"{"alg":256}"#, "{}", &[1])),
            "header `alg` is not a string"
        );
        assert_eq!(
            reason(&token(r#"{"alg":"RS256","kid":7}"#, "{}", &[1])),
            "header `kid` is not a string"
        );
        assert_eq!(
            reason(&token(r#"{"alg":"RS256","alg":"none"}"#, "{}", &[1])),
            "header is not a UTF-8 JSON object"
        );
    }

    #[test]
    fn parses_unsecured_tokens_for_inspection_only() {
        // `alg: none` parses (decodeJwt may show it); the signature step refuses it.
        let jwt = parse(&format!("{}.e30.", b64(r#"{"alg":"none"}"#))).unwrap();
        assert_eq!(jwt.alg(), "none");
        assert!(jwt.signature().is_empty());
    }

    #[test]
    fn debug_shows_the_header_but_not_claims_or_signature() {
        let t = token(
            r#"{"alg":"RS256","kid":"k1"}"#,
            r#"{"email":"ola@example.no"}"#,
            b"SIGNATUREBYTES",
        );
        let jwt = parse(&t).unwrap();
        let debug = format!("{jwt:?}");
        assert!(debug.contains("RS256") && debug.contains("k1"), "{debug}");
        assert!(!debug.contains("ola@example.no"), "{debug}");
        assert!(!debug.contains("83, 73, 71"), "{debug}");
        let debug_jws = format!("{:?}", jwt.jws());
        assert!(
            !debug_jws.contains("ola@example.no") && !debug_jws.contains("83, 73, 71"),
            "{debug_jws}"
        );
    }
}
