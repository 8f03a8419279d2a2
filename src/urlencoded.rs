//! `application/x-www-form-urlencoded` encoding and decoding (WHATWG URL Standard,
//! section 5), used for authorize URLs, callback queries and OAuth token request bodies
//! (RFC 6749 Appendix B).

use alloc::{string::String, vec::Vec};

/// Percent-encodes one name or value for a query string or form body.
///
/// Everything but `A-Z a-z 0-9 - . _ ~` is encoded, and a space becomes `%20`, which
/// every server reads the same way (unlike `+`, which some treat as a literal plus).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_component(&mut out, value);
    out
}

/// Appends `value` percent-encoded as [`encode_component`] does.
fn push_component(out: &mut String, value: &str) {
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            crate::text::push_hex_byte(out, b, true);
        }
    }
}

/// Encodes name/value pairs as `a=1&b=2`.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        push_pair(&mut out, name, value);
    }
    out
}

/// Appends one encoded `name=value` (no separator).
pub fn push_pair(out: &mut String, name: &str, value: &str) {
    push_component(out, name);
    out.push('=');
    push_component(out, value);
}

/// Why a query string was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits.
    BadPercentEscape,
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes one component: `+` is a space and `%XX` a byte.
pub fn decode_component(input: &str) -> Result<String, DecodeError> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_value);
                let lo = bytes.get(i + 2).copied().and_then(hex_value);
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => return Err(DecodeError::BadPercentEscape),
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| DecodeError::NotUtf8)
}

/// Decodes `a=1&b=2` into pairs, in order. Empty segments are skipped; a segment
/// without `=` has an empty value.
pub fn decode_pairs(input: &str) -> Result<Vec<(String, String)>, DecodeError> {
    let mut pairs = Vec::new();
    for segment in input.split('&').filter(|segment| !segment.is_empty()) {
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        pairs.push((decode_component(name)?, decode_component(value)?));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_unreserved_characters_alone() {
        assert_eq!(encode_component("AZaz09-._~"), "AZaz09-._~");
    }

    #[test]
    fn encodes_reserved_characters_spaces_and_utf8() {
        assert_eq!(
            encode_component("a b+c&d=e/f?g#h"),
            "a%20b%2Bc%26d%3De%2Ff%3Fg%23h"
        );
        assert_eq!(encode_component("æøå"), "%C3%A6%C3%B8%C3%A5");
        assert_eq!(
            encode_component("https://x.no/cb"),
            "https%3A%2F%2Fx.no%2Fcb"
        );
    }

    #[test]
    fn encodes_pairs_in_order() {
        assert_eq!(
            encode_pairs([("scope", "openid name"), ("state", "x&y")]),
            "scope=openid%20name&state=x%26y"
        );
    }

    #[test]
    fn decodes_plus_percent_and_utf8() {
        assert_eq!(decode_component("a+b%20c%C3%A6").unwrap(), "a b cæ");
        assert_eq!(
            decode_pairs("code=abc&state=x%26y&&empty").unwrap(),
            vec![
                ("code".into(), "abc".into()),
                ("state".into(), "x&y".into()),
                ("empty".into(), String::new())
            ]
        );
    }

    #[test]
    fn rejects_broken_escapes_and_invalid_utf8() {
        assert_eq!(decode_component("%"), Err(DecodeError::BadPercentEscape));
        assert_eq!(decode_component("%4"), Err(DecodeError::BadPercentEscape));
        assert_eq!(decode_component("%zz"), Err(DecodeError::BadPercentEscape));
        assert_eq!(decode_component("%FF"), Err(DecodeError::NotUtf8));
    }

    #[test]
    fn decoding_inverts_encoding() {
        let original = "openid name email 🙂 &=%+";
        assert_eq!(
            decode_component(&encode_component(original)).unwrap(),
            original
        );
    }
}
