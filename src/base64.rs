//! Base64 codecs (RFC 4648): strict base64url without padding, as JOSE requires
//! (RFC 7515 section 2, "Base64url Encoding"), and standard base64 for HTTP Basic auth
//! (RFC 7617).
//!
//! Decoding is canonical: no padding, no whitespace, no characters outside the alphabet,
//! no length of 1 mod 4, and no non-zero trailing bits. Each byte string therefore has
//! exactly one accepted encoding, which JWS comparison and signature-malleability checks need.

use alloc::{string::String, vec, vec::Vec};

const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STD_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Why a base64url string was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// A character outside `A-Z a-z 0-9 - _` (padding `=` included).
    InvalidCharacter,
    /// A length of 1 mod 4 cannot encode whole bytes.
    InvalidLength,
    /// The last character carries non-zero bits beyond the data (a non-canonical encoding).
    NonCanonical,
}

fn encode_with(alphabet: &[u8; 64], input: &[u8], pad: bool) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 63) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Encodes as base64url without padding (RFC 4648 section 5; RFC 7515 section 2).
pub fn encode_url(input: &[u8]) -> String {
    encode_with(URL_ALPHABET, input, false)
}

/// Encodes as standard base64 with padding (RFC 4648 section 4), for `Authorization: Basic`.
pub fn encode_std(input: &[u8]) -> String {
    encode_with(STD_ALPHABET, input, true)
}

/// The value of each base64url character, and 64 for every other byte: one load per
/// character where a chain of range checks costs several branches (tokens decode on every
/// verification).
const URL_VALUES: [u8; 256] = {
    let mut table = [64u8; 256];
    let mut i = 0;
    while i < 64 {
        table[URL_ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn url_value(c: u8) -> Option<u32> {
    match URL_VALUES[usize::from(c)] {
        64 => None,
        v => Some(u32::from(v)),
    }
}

/// Decodes canonical base64url without padding. Four characters at a time into three bytes
/// of an output sized up front: the values are looked up, and one test of the OR of the four
/// finds an invalid one (the table's 64 sets a bit no valid value has). Tokens decode on every
/// verification.
pub fn decode_url(input: &str) -> Result<Vec<u8>, DecodeError> {
    let bytes = input.as_bytes();
    let rest = bytes.len() % 4;
    if rest == 1 {
        return Err(DecodeError::InvalidLength);
    }
    let value = |c: u8| u32::from(URL_VALUES[usize::from(c)]);
    // 3 bytes per 4 characters, 1 or 2 for a final 2 or 3.
    let mut out = vec![0u8; bytes.len() / 4 * 3 + rest.saturating_sub(1)];
    let mut quads = bytes.chunks_exact(4);
    for (quad, three) in (&mut quads).zip(out.chunks_exact_mut(3)) {
        let [a, b, c, d]: [u8; 4] = quad.try_into().unwrap_or_default();
        let (a, b, c, d) = (value(a), value(b), value(c), value(d));
        if (a | b | c | d) & 64 != 0 {
            return Err(DecodeError::InvalidCharacter);
        }
        let n = a << 18 | b << 12 | c << 6 | d;
        if let [x, y, z] = three {
            (*x, *y, *z) = ((n >> 16) as u8, (n >> 8) as u8, n as u8);
        }
    }
    // A final group of 2 or 3 characters holds 1 or 2 bytes; the bits past them must be zero.
    let mut acc = 0u32;
    for &c in quads.remainder() {
        acc = acc << 6 | url_value(c).ok_or(DecodeError::InvalidCharacter)?;
    }
    match out.get_mut(bytes.len() / 4 * 3..) {
        Some([x]) if acc & 0xF == 0 => *x = (acc >> 4) as u8,
        Some([x, y]) if acc & 0x3 == 0 => (*x, *y) = ((acc >> 10) as u8, (acc >> 2) as u8),
        Some([]) => {}
        _ => return Err(DecodeError::NonCanonical),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_rfc4648_test_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(encode_url(plain.as_bytes()), encoded);
            assert_eq!(decode_url(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(encode_std(b"fo"), "Zm8=");
        assert_eq!(encode_std(b"f"), "Zg==");
    }

    #[test]
    fn uses_the_url_safe_alphabet() {
        assert_eq!(encode_url(&[0xfb, 0xff]), "-_8");
        assert_eq!(encode_std(&[0xfb, 0xff]), "+/8=");
        assert_eq!(decode_url("-_8").unwrap(), vec![0xfb, 0xff]);
    }

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0u8..=255).collect();
        for len in 0..data.len() {
            assert_eq!(decode_url(&encode_url(&data[..len])).unwrap(), &data[..len]);
        }
    }

    #[test]
    fn rejects_padding_whitespace_and_standard_alphabet() {
        assert_eq!(decode_url("Zg=="), Err(DecodeError::InvalidCharacter));
        assert_eq!(decode_url("Zm8="), Err(DecodeError::InvalidCharacter));
        assert_eq!(decode_url("Zm 9"), Err(DecodeError::InvalidCharacter));
        assert_eq!(decode_url("+/8"), Err(DecodeError::InvalidCharacter));
    }

    #[test]
    fn rejects_an_invalid_character_at_every_position() {
        let valid = encode_url(b"any carnal pleasure.");
        for at in 0..valid.len() {
            for bad in ["=", "+", "/", " ", ".", "\u{0}", "\u{7f}"] {
                let mut text = valid.clone();
                text.replace_range(at..=at, bad);
                assert!(decode_url(&text).is_err(), "{text:?}");
            }
        }
    }

    #[test]
    fn rejects_impossible_length() {
        assert_eq!(decode_url("Zm9vY"), Err(DecodeError::InvalidLength));
    }

    #[test]
    fn rejects_non_canonical_trailing_bits() {
        // "Zg" is canonical for "f"; "Zh" encodes the same byte with a stray low bit.
        assert_eq!(decode_url("Zh"), Err(DecodeError::NonCanonical));
        assert_eq!(decode_url("Zm9"), Err(DecodeError::NonCanonical));
        assert_eq!(decode_url("Zm8").unwrap(), b"fo");
    }
}
