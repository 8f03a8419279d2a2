//! String building without `core::fmt`: `format!` / `write!` / `to_string` pull the
//! formatting machinery (and, through it, Unicode tables) into the browser package, so the
//! paths the wasm exports reach build their strings with these instead.

/// The concatenation of `parts`.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// Appends `n` in decimal (what `n.to_string()` gives).
pub fn push_decimal(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = n.unsigned_abs();
    loop {
        if let Some(d) = digits.get_mut(len) {
            *d = b'0' + (rest % 10) as u8;
        }
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for d in digits.iter().take(len).rev() {
        out.push(char::from(*d));
    }
}

/// `n` in decimal.
pub fn decimal(n: i64) -> String {
    let mut out = String::new();
    push_decimal(&mut out, n);
    out
}

/// Appends the two hex digits of `b` (`upper`: `A-F`, else `a-f`).
pub fn push_hex_byte(out: &mut String, b: u8, upper: bool) {
    let digits: &[u8; 16] = if upper { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    for nibble in [b >> 4, b & 0x0f] {
        out.push(char::from(digits.get(usize::from(nibble)).copied().unwrap_or(b'0')));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_matches_to_string() {
        for n in [0, 1, -1, 9, 10, 99, 100, 1_700_000_000, -42, i64::MAX, i64::MIN] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn hex_and_concat() {
        let mut s = String::new();
        push_hex_byte(&mut s, 0x0a, true);
        push_hex_byte(&mut s, 0xf1, false);
        assert_eq!(s, "0Af1");
        assert_eq!(concat(&["a", "", "bc"]), "abc");
    }
}
