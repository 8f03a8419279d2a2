//! String building without `core::fmt`: `format!` / `write!` / `to_string` pull the
//! formatting machinery (and, through it, Unicode tables) into the browser package, so the
//! paths the wasm exports reach build their strings with these instead.

use alloc::string::String;

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
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    for nibble in [b >> 4, b & 0x0f] {
        out.push(char::from(
            digits.get(usize::from(nibble)).copied().unwrap_or(b'0'),
        ));
    }
}

/// `s.parse::<i64>().ok()`, in one non-generic copy: `str::parse` for each integer type is
/// a separate instantiation, inlined into every caller. The same answers: an optional `+`
/// or `-`, then one or more ASCII digits, and no overflow.
#[inline(never)]
pub fn parse_i64(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        all => (false, all),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for &b in digits {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n.checked_mul(10)?;
        n = if negative {
            n.checked_sub(i64::from(digit))?
        } else {
            n.checked_add(i64::from(digit))?
        };
    }
    Some(n)
}

/// The value of a JSON number as `JSON.stringify` writes a finite JS number (`12`, `-0.25`,
/// `1.5e-7`, `1e+21`). Not `str::parse::<f64>`: its exactly-rounding algorithm brings
/// ~10 KB of power tables into the wasm. Here the digits make an integer (exact up to 2^53,
/// which covers every option value: seconds, milliseconds, epoch seconds) scaled by one
/// power of ten; an option value may differ from the JS number in its last bit at most.
pub fn parse_number(text: &str) -> Option<f64> {
    // Byte-wise (every byte of a multi-byte character is >= 0x80, so never a digit, `e`, `.`
    // or sign): the same answers as splitting on `e` / `E` and `.` and reading `char` digits.
    let bytes = text.as_bytes();
    let (mantissa, exponent) = match bytes.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => {
            let (m, e) = bytes.split_at_checked(at)?;
            let e = core::str::from_utf8(e.get(1..)?).ok()?;
            (
                m,
                i32::try_from(parse_i64(e.strip_prefix('+').unwrap_or(e))?).ok()?,
            )
        }
        None => (bytes, 0),
    };
    let (negative, digits) = match mantissa.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, mantissa),
    };
    let mut value = 0.0f64;
    let mut frac_len: Option<usize> = None;
    for &b in digits {
        match b {
            b'.' if frac_len.is_none() => frac_len = Some(0),
            b'0'..=b'9' => {
                value = value * 10.0 + f64::from(b - b'0');
                frac_len = frac_len.map(|n| n + 1);
            }
            _ => return None,
        }
    }
    let scale = exponent.checked_sub(i32::try_from(frac_len.unwrap_or(0)).ok()?)?;
    let power = pow10(scale.wrapping_abs());
    let value = if scale < 0 {
        value / power
    } else {
        value * power
    };
    let value = if negative { -value } else { value };
    value.is_finite().then_some(value)
}

/// `10f64.powi(exp)` (std's, so not in a `no_std` build): the same multiplications as
/// compiler-builtins' `__powidf2`, which `powi` compiles to, so the same bits.
fn pow10(exp: i32) -> f64 {
    let (mut base, mut result, mut rest) = (10.0f64, 1.0f64, exp.unsigned_abs());
    loop {
        if rest & 1 != 0 {
            result *= base;
        }
        rest >>= 1;
        if rest == 0 {
            break;
        }
        base *= base;
    }
    if exp < 0 {
        1.0 / result
    } else {
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_i64_matches_str_parse() {
        let cases = [
            "",
            "+",
            "-",
            "0",
            "-0",
            "+0",
            "7",
            "-7",
            "+7",
            "007",
            "12a",
            "a12",
            " 1",
            "1 ",
            "+-1",
            "-+1",
            "--1",
            "++1",
            "1.0",
            "1e3",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999",
            "+9223372036854775807",
            "١",
            "/",
            ":",
            "65535",
            "65536",
            "2147483647",
            "2147483648",
            "-2147483648",
            "-2147483649",
        ];
        for s in cases {
            assert_eq!(parse_i64(s), s.parse::<i64>().ok(), "{s:?}");
            assert_eq!(
                parse_i64(s).and_then(|n| i32::try_from(n).ok()),
                s.parse::<i32>().ok(),
                "i32 {s:?}"
            );
        }
    }

    /// `parse_number` as it was written over `char`s and `str::split_once`.
    fn parse_number_by_chars(text: &str) -> Option<f64> {
        let (mantissa, exponent) = match text.split_once(['e', 'E']) {
            Some((m, e)) => (m, e.strip_prefix('+').unwrap_or(e).parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (negative, digits) = match mantissa.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let mut value = 0.0f64;
        for c in int.chars().chain(frac.chars()) {
            value = value * 10.0 + f64::from(c.to_digit(10)?);
        }
        let scale = exponent.checked_sub(i32::try_from(frac.len()).ok()?)?;
        let power = 10f64.powi(scale.wrapping_abs());
        let value = if scale < 0 {
            value / power
        } else {
            value * power
        };
        let value = if negative { -value } else { value };
        value.is_finite().then_some(value)
    }

    #[test]
    fn parse_number_reads_bytes_as_it_read_chars() {
        let cases = [
            "",
            "-",
            ".",
            "-.",
            "1.",
            ".5",
            "-.5",
            "1.2.3",
            "1..2",
            "12",
            "-0",
            "0.1",
            "1e5",
            "1E5",
            "1e+5",
            "1e++5",
            "1e-5",
            "1e",
            "e5",
            "1e5e5",
            "1.5e-7",
            "-1.5E+21",
            "1e400",
            "1e-400",
            "١",
            "1١",
            "1.١",
            "1e١",
            "x",
            "+1",
            "--1",
            "1-",
            "0.30000000000000004",
            "9007199254740993",
            "123456789.123456789e-3",
            "1e2147483647",
            "1e-2147483648",
            "1e-2147483649",
            "é",
            "1é",
            "5e0",
            ".e1",
            "-e1",
        ];
        for s in cases {
            assert_eq!(
                parse_number(s).map(f64::to_bits),
                parse_number_by_chars(s).map(f64::to_bits),
                "{s:?}"
            );
        }
    }

    #[test]
    fn pow10_is_powi_bit_for_bit() {
        for exp in (-400..=400).chain([i32::MAX, i32::MIN + 1, i32::MIN]) {
            let expected = 10f64.powi(exp.wrapping_abs());
            assert_eq!(
                pow10(exp.wrapping_abs()).to_bits(),
                expected.to_bits(),
                "10^{exp}"
            );
        }
    }

    #[test]
    fn decimal_matches_to_string() {
        for n in [
            0,
            1,
            -1,
            9,
            10,
            99,
            100,
            1_700_000_000,
            -42,
            i64::MAX,
            i64::MIN,
        ] {
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

    #[test]
    fn numbers_read_as_json_stringify_writes_them() {
        for (text, want) in [
            ("0", 0.0),
            ("12", 12.0),
            ("-0.25", -0.25),
            ("0.3", 0.3),
            ("1.5e-7", 1.5e-7),
            ("1e+21", 1e21),
            ("1700000000", 1.7e9),
        ] {
            assert_eq!(parse_number(text), Some(want), "{text}");
        }
        assert_eq!(
            parse_number("9007199254740991"),
            Some(9_007_199_254_740_991.0)
        );
        assert_eq!(parse_number("1e400"), None);
        assert_eq!(parse_number("x"), None);
    }
}
