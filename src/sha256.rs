//! SHA-256 (FIPS 180-4) of a whole byte string, for the core's one-shot hashes: the PKCE
//! S256 challenge (RFC 7636 section 4.2), `at_hash` (OpenID Connect Core 1.0 section
//! 3.1.3.6) and JWK thumbprints (RFC 7638).
//!
//! The compression function is the `sha2` crate's (`block_api::compress256`); this module
//! only pads the message (FIPS 180-4 section 5.1.1) and writes the digest out (section
//! 6.2.2). The crate's `Digest` wrapper, built for incremental hashing of any length, cost
//! the browser package ~1 KB of wasm more than these few lines, and panicking paths.

use sha2::block_api::compress256;

/// The initial hash value H(0) (FIPS 180-4 section 5.3.3).
const INITIAL: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// The SHA-256 digest of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut state = INITIAL;
    let blocks = data.chunks_exact(64);
    let rest = blocks.remainder();
    for block in blocks {
        if let Ok(block) = <&[u8; 64]>::try_from(block) {
            compress256(&mut state, core::slice::from_ref(block));
        }
    }

    // The rest, a 1 bit, zeros, and the message length in bits as a 64-bit big-endian
    // integer: one block when the rest leaves room for the 9 bytes, else two.
    let mut tail = [[0u8; 64]; 2];
    let used = if rest.len() < 56 { 1 } else { 2 };
    let bytes = tail.as_flattened_mut();
    for (t, r) in bytes.iter_mut().zip(rest) {
        *t = *r;
    }
    if let Some(b) = bytes.get_mut(rest.len()) {
        *b = 0x80;
    }
    let bit_len = (data.len() as u64).wrapping_mul(8);
    for (t, b) in bytes
        .iter_mut()
        .skip(used * 64 - 8)
        .zip(bit_len.to_be_bytes())
    {
        *t = b;
    }
    compress256(&mut state, tail.get(..used).unwrap_or_default());

    let mut digest = [0u8; 32];
    for (bytes, word) in digest.chunks_exact_mut(4).zip(state) {
        for (d, b) in bytes.iter_mut().zip(word.to_be_bytes()) {
            *d = b;
        }
    }
    digest
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn matches_the_fips_180_examples() {
        // FIPS 180-2 appendix B (one block, two blocks, many blocks) and the empty message.
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(&sha256(&[b'a'; 1_000_000])),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn matches_the_sha2_crate_at_every_padding_boundary() {
        // Lengths around one and two blocks of padding (55 / 56 / 63 / 64 bytes and on).
        let data: Vec<u8> = (0..300u32)
            .map(|i| (i.wrapping_mul(131) >> 2) as u8)
            .collect();
        for len in 0..=data.len() {
            let expected: [u8; 32] = Sha256::digest(&data[..len]).into();
            assert_eq!(sha256(&data[..len]), expected, "length {len}");
        }
    }
}
