//! A small, strict JSON (RFC 8259) parser and writer.
//!
//! The core reads JOSE headers, claims, JWK sets and token responses from untrusted
//! sources, and ships to browsers where every kilobyte counts, so it has its own JSON
//! rather than serde's. It is stricter than RFC 8259 requires, as RFC 7515 section 4
//! and RFC 7519 section 4 allow: duplicate member names are refused, nesting is bounded
//! (no stack exhaustion), so is the number of members of an object (the duplicate check is a
//! scan: bounded members keep it bounded work), lone UTF-16 surrogates are refused, and nothing but
//! whitespace may follow the value. Numbers keep their text, so an integer claim is
//! read exactly, without a round trip through `f64`.

use alloc::{borrow::ToOwned, string::String, vec::Vec};

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 32;

/// Most members one object may have. JOSE headers, claims, JWKs, discovery documents and
/// token responses have a few dozen; the bound keeps the duplicate-name scan (at most
/// 256 x 255 / 2 comparisons per object) cheap without a set's code in the browser package.
pub const MAX_MEMBERS: usize = 256;

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, kept as its validated text.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, its members in document order.
    Object(Object),
}

/// A JSON number, kept as the text it was written as (RFC 8259 section 6 grammar).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    /// The number as an `i64`, when it is an integer in range (no fraction, no exponent).
    pub fn as_i64(&self) -> Option<i64> {
        crate::text::parse_i64(&self.0)
    }

    /// The number as an `f64` (may lose precision).
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse().ok()
    }

    /// The number's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Self {
        Number(crate::text::decimal(n))
    }
}

/// A JSON object: members in document order, names unique.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object(Vec<(String, Value)>);

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// The member's value.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The member as a string, when it is one.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// Whether the member is present (with any value, `null` included).
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets a member, replacing an existing one of the same name.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Value>) {
        let name = name.into();
        let value = value.into();
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// The members in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Serializes compactly (what `Value::Object(self.clone()).to_json()` gives, without the copy).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_object(&mut out, self);
        out
    }
}

impl Value {
    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object, when this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The array, when this is one.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, when this is a number that is an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// Serializes compactly.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_value(&mut out, self);
        out
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n.into())
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<Object> for Value {
    fn from(o: Object) -> Self {
        Value::Object(o)
    }
}
impl From<Vec<Value>> for Value {
    fn from(a: Vec<Value>) -> Self {
        Value::Array(a)
    }
}

/// Why a document was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong.
    pub reason: &'static str,
    /// Byte offset where it was found.
    pub offset: usize,
}

/// Parses a whole document.
pub fn parse(input: &[u8]) -> Result<Value, ParseError> {
    let text = core::str::from_utf8(input).map_err(|e| ParseError {
        reason: "not UTF-8",
        offset: e.valid_up_to(),
    })?;
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(p.err("trailing characters after the value"));
    }
    Ok(value)
}

/// Parses a document that must be an object.
pub fn parse_object(input: &[u8]) -> Result<Object, ParseError> {
    match parse(input)? {
        Value::Object(o) => Ok(o),
        _ => Err(ParseError {
            reason: "not a JSON object",
            offset: 0,
        }),
    }
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, reason: &'static str) -> ParseError {
        ParseError {
            reason,
            offset: self.pos,
        }
    }

    // Both run for every byte of a document: inlined even where the crate is built for size.
    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn expect_literal(&mut self, literal: &'static str, value: Value) -> Result<Value, ParseError> {
        if self
            .s
            .get(self.pos..)
            .unwrap_or_default()
            .starts_with(literal.as_bytes())
        {
            self.pos += literal.len();
            Ok(value)
        } else {
            Err(self.err("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        match self.peek() {
            None => Err(self.err("unexpected end of input")),
            Some(b'n') => self.expect_literal("null", Value::Null),
            Some(b't') => self.expect_literal("true", Value::Bool(true)),
            Some(b'f') => self.expect_literal("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1).map(Value::Object),
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    fn enter(&self, depth: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            Err(self.err("nested too deeply"))
        } else {
            Ok(())
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.enter(depth)?;
        self.pos += 1; // [
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.err("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Object, ParseError> {
        self.enter(depth)?;
        self.pos += 1; // {
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a member name"));
            }
            let name_at = self.pos;
            if members.len() == MAX_MEMBERS {
                return Err(ParseError {
                    reason: "too many members in an object",
                    offset: name_at,
                });
            }
            let name = self.string()?;
            if members.iter().any(|(n, _)| *n == name) {
                return Err(ParseError {
                    reason: "duplicate member name",
                    offset: name_at,
                });
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected `:`"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push((name, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Object(members));
                }
                _ => return Err(self.err("expected `,` or `}`")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Number, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.err("leading zero in a number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.err("invalid number fraction"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("invalid number exponent"));
            }
        }
        // `get`, not indexing: the range is ASCII-delimited, and indexing would link a panic path.
        Ok(Number(
            self.text
                .get(start..self.pos)
                .unwrap_or_default()
                .to_owned(),
        ))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let hex = self
            .s
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err("truncated \\u escape"))?;
        let mut n = 0u32;
        for &c in hex {
            let d = char::from(c)
                .to_digit(16)
                .ok_or_else(|| self.err("invalid \\u escape"))?;
            n = n << 4 | d;
        }
        self.pos += 4;
        Ok(n)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the run of plain characters at once.
            let run_start = self.pos;
            let rest = self.s.get(run_start..).unwrap_or_default();
            let run = rest
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .unwrap_or(rest.len());
            self.pos += run;
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = self.peek().ok_or_else(|| self.err("unterminated string"))?;
                    self.pos += 1;
                    let c = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.err("invalid escape")),
                    };
                    out.push(c);
                }
                Some(_) => return Err(self.err("control character in a string")),
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.s.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.err("lone surrogate in a string"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.err("lone surrogate in a string"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.err("lone surrogate in a string")),
            c => c,
        };
        char::from_u32(code).ok_or_else(|| self.err("invalid \\u escape"))
    }
}

/// Appends `s` as a JSON string literal (what [`Value::to_json`] writes for a string).
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    // Copy runs of characters that need no escape at once; every escaped one is ASCII, so the
    // run boundaries fall on character boundaries.
    let mut run = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(run..i).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            crate::text::push_hex_byte(out, b, false);
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n.as_str()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(o) => write_object(out, o),
    }
}

fn write_object(out: &mut String, o: &Object) {
    out.push('{');
    for (i, (name, item)) in o.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, name);
        out.push(':');
        write_value(out, item);
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(input: &str) -> &'static str {
        parse(input.as_bytes()).unwrap_err().reason
    }

    #[test]
    fn parses_every_kind_of_value() {
        let v =
            parse(br#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d\u00e6\n"}} "#).unwrap();
        let o = v.as_object().unwrap();
        let a = o.get("a").unwrap().as_array().unwrap();
        assert_eq!(a[0].as_i64(), Some(1));
        assert_eq!(a[1], Value::Number(Number("-2.5e3".into())));
        assert_eq!(a[2].as_bool(), Some(true));
        assert_eq!(a[4], Value::Null);
        assert_eq!(
            o.get("b").unwrap().as_object().unwrap().get_str("c"),
            Some("dæ\n")
        );
    }

    #[test]
    fn reads_large_integers_exactly() {
        assert_eq!(
            parse(b"9007199254740993").unwrap().as_i64(),
            Some(9_007_199_254_740_993)
        );
        assert_eq!(parse(b"1.0").unwrap().as_i64(), None);
        assert_eq!(parse(b"1e3").unwrap().as_i64(), None);
    }

    #[test]
    fn decodes_surrogate_pairs() {
        assert_eq!(parse(br#""\ud83d\ude42""#).unwrap().as_str(), Some("🙂"));
    }

    #[test]
    fn rejects_duplicate_member_names() {
        assert_eq!(
            reason(r#"{"alg":"RS256","alg":"none"}"#),
            "duplicate member name"
        );
    }

    #[test]
    fn refuses_objects_with_too_many_members_in_bounded_work() {
        // Without a bound, the duplicate scan over 100 000 members is 5e9 comparisons (about a
        // minute for a 1 MiB document). The bound refuses such an object at its 257th member.
        let object = |n: usize| {
            let members: Vec<String> = (0..n).map(|i| format!("\"m{i}\":{i}")).collect();
            format!("{{{}}}", members.join(","))
        };
        assert_eq!(
            parse_object(object(MAX_MEMBERS).as_bytes()).unwrap().len(),
            MAX_MEMBERS
        );
        assert_eq!(
            reason(&object(MAX_MEMBERS + 1)),
            "too many members in an object"
        );
        assert_eq!(reason(&object(100_000)), "too many members in an object");
        // A duplicate at the last allowed place is still found.
        let mut last_is_repeat = object(MAX_MEMBERS - 1);
        last_is_repeat.pop();
        last_is_repeat.push_str(",\"m0\":0}");
        assert_eq!(reason(&last_is_repeat), "duplicate member name");
    }

    #[test]
    fn rejects_deep_nesting_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert_eq!(reason(&deep), "nested too deeply");
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(ok.as_bytes()).is_ok());
    }

    #[test]
    fn rejects_lone_surrogates_and_bad_escapes() {
        assert_eq!(reason(r#""\ud83d""#), "lone surrogate in a string");
        assert_eq!(reason(r#""\ude42""#), "lone surrogate in a string");
        assert_eq!(reason(r#""\x""#), "invalid escape");
        assert_eq!(reason(r#""\u12""#), "truncated \\u escape");
    }

    #[test]
    fn rejects_invalid_utf8_and_control_characters() {
        assert_eq!(parse(b"\"\xff\"").unwrap_err().reason, "not UTF-8");
        assert_eq!(reason("\"a\nb\""), "control character in a string");
    }

    #[test]
    fn rejects_malformed_documents() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\"1}",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "1e",
            "tru",
            "{} {}",
            "'a'",
            "{a:1}",
            "NaN",
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn parse_object_requires_an_object() {
        assert!(parse_object(b"[]").is_err());
        assert!(parse_object(b"\"x\"").is_err());
        assert!(parse_object(b"{}").unwrap().is_empty());
    }

    #[test]
    fn writes_what_it_reads() {
        let text = r#"{"s":"q\"b\\n\n\u0001æ","n":-12,"a":[true,null,{}],"f":1.5}"#;
        let v = parse(text.as_bytes()).unwrap();
        assert_eq!(v.to_json(), text);
        assert_eq!(parse(v.to_json().as_bytes()).unwrap(), v);
    }

    #[test]
    fn insert_replaces_an_existing_member() {
        let mut o = Object::new();
        o.insert("a", 1);
        o.insert("b", "x");
        o.insert("a", true);
        assert_eq!(Value::Object(o).to_json(), r#"{"a":true,"b":"x"}"#);
    }
}
