//! Small helpers shared by the endpoint modules: time, randomness, encodings, error bodies.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rsa::sha2::{Digest, Sha256};

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS RNG failing is not recoverable for a token issuer; fall back to time-derived
    // bytes rather than panic (this is a test emulator, never a production issuer).
    if getrandom::fill(&mut buf).is_err() {
        let seed = Sha256::digest(format!("{:?}", SystemTime::now()).as_bytes());
        for (i, b) in buf.iter_mut().enumerate() {
            *b = seed[i % seed.len()];
        }
    }
    buf
}

/// A random URL-safe token with 32 bytes of entropy.
pub fn random_token() -> String {
    b64url(&random_bytes::<32>())
}

/// A random UUID (version 4 layout).
pub fn random_uuid() -> String {
    uuid_from_bytes(random_bytes::<16>())
}

/// A UUID derived deterministically from `seed` (version 4 layout, SHA-256 based).
pub fn uuid_from_seed(seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid_from_bytes(bytes)
}

fn uuid_from_bytes(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// Parses `application/x-www-form-urlencoded` text (a body or a query string).
/// A parameter given twice is an error (RFC 6749 section 3.1 / 3.2).
pub fn parse_form(input: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut map = HashMap::new();
    for (k, v) in form_urlencoded::parse(input) {
        if map.insert(k.to_string(), v.to_string()).is_some() {
            return Err(format!("parameter '{k}' was given more than once"));
        }
    }
    Ok(map)
}

/// Decodes one `application/x-www-form-urlencoded` component (`%XX`, `+`).
pub fn form_decode(s: &str) -> String {
    form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Reads a header as UTF-8 text, if present.
pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Credentials from `Authorization: Basic base64(id:secret)`.
pub enum BasicAuth {
    Absent,
    Malformed,
    Present { id: String, secret: String },
}

pub fn basic_auth(headers: &HeaderMap) -> BasicAuth {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return BasicAuth::Absent;
    };
    let Ok(value) = value.to_str() else {
        return BasicAuth::Malformed;
    };
    let mut parts = value.trim().splitn(2, ' ');
    let scheme = parts.next().unwrap_or_default();
    let payload = parts.next().unwrap_or_default().trim();
    if !scheme.eq_ignore_ascii_case("basic") || payload.is_empty() {
        return BasicAuth::Malformed;
    }
    let Ok(decoded) = STANDARD.decode(payload) else {
        return BasicAuth::Malformed;
    };
    let Ok(text) = String::from_utf8(decoded) else {
        return BasicAuth::Malformed;
    };
    match text.split_once(':') {
        Some((id, secret)) => BasicAuth::Present {
            id: id.to_string(),
            secret: secret.to_string(),
        },
        None => BasicAuth::Malformed,
    }
}

/// Compares two secrets without an early exit on the first differing byte.
pub fn secret_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A JSON body with the given status.
pub fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// An OAuth-style JSON error: `{"error": ..., "error_description": ...}`.
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut resp = json(
        status,
        serde_json::json!({ "error": error, "error_description": description }),
    );
    no_store(&mut resp);
    resp
}

/// Marks a response as not cacheable (token endpoints, RFC 6749 section 5.1).
pub fn no_store(resp: &mut Response) {
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// True when the content type is `application/x-www-form-urlencoded` (parameters allowed).
pub fn is_form(headers: &HeaderMap) -> bool {
    header_str(headers, "content-type")
        .and_then(|ct| ct.split(';').next())
        .map(|mime| {
            mime.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_has_version_4_layout() {
        let u = uuid_from_seed("x");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(u, uuid_from_seed("x"));
    }

    #[test]
    fn form_rejects_duplicates() {
        assert!(parse_form(b"a=1&a=2").is_err());
        assert_eq!(parse_form(b"a=1&b=x+y").expect("valid")["b"], "x y");
    }

    #[test]
    fn decodes_form_components() {
        assert_eq!(form_decode("a%2Bb+c"), "a+b c");
    }
}
