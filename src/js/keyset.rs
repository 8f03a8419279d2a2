//! The sans-IO half of `KeySet` (RFC 7517 section 5 JWK sets; OpenID Connect Core 1.0
//! section 10.1.1 on key rotation). The JS class (`js/keyset.js`) keeps the JWK set as
//! JSON text, fetches, caches and single-flights remote sets; these exports check what it
//! is given: the `fromJwks` argument, the `remote` options, and a fetched JWKS response.
//!
//! A verification keeps the set it parsed ([`KeptSet`]: with each key's thumbprint and import
//! JWK computed once), with its text, for the next one ([`with_set`]): while the text is the
//! same (the same `fromJwks` set, the same fetched set) it is not parsed again. Only the last
//! set used is kept (see [`super::registry`]): an app checks tokens against one key set, and
//! one kept set needs no freeing.


use alloc::{borrow::ToOwned, string::String, vec::Vec};
use super::args::{invalid, marker, opt_number, options, round, string_arg, Args};
use super::registry::SET;
use super::reply::{quoted, reply, Members};
use crate::error::{ErrorKind, Result};
use crate::http::HttpResponse;
use crate::jose::jwk::{Jwk, JwkSet};
use crate::json::{Object, Value};

/// A parsed JWK set and, for each of its keys in order, what the JS side needs to import
/// it: its RFC 7638 thumbprint (the name of the imported `CryptoKey` in the JS cache) and
/// its import JWK as JSON text.
pub struct KeptSet {
    set: JwkSet,
    imports: Vec<(String, String)>,
}

impl KeptSet {
    /// Parses a JWK set's JSON text.
    pub fn parse(text: &str) -> Result<KeptSet> {
        let set = JwkSet::parse(text.as_bytes())?;
        let imports = set.keys().iter().map(|k| (k.thumbprint(), k.import_jwk().to_json())).collect();
        Ok(KeptSet { set, imports })
    }

    /// The keys.
    pub fn set(&self) -> &JwkSet {
        &self.set
    }

    /// The thumbprint and import JWK text of `key`, a key of this set.
    pub fn import(&self, key: &Jwk) -> Option<&(String, String)> {
        let at = self.set.keys().iter().position(|k| k == key)?;
        self.imports.get(at)
    }
}

/// The `text` that names the kept set, whatever its text: the JS side sends it instead of a
/// JWK set it knows the wasm parsed last (never a JWK set's text: that is a JSON object).
pub const KEPT_SET: &str = "=";

/// Runs `f` on the key set of JSON `text`: the kept one when it was parsed from the same
/// text (or `text` is [`KEPT_SET`]), else `text` parsed (and kept in its place). Comparing
/// the text costs a `memcmp`; parsing it, JSON, base64 and a thumbprint per key. `None`
/// when `text` is [`KEPT_SET`] and no set is kept.
pub fn with_set<R>(text: &str, f: impl FnOnce(&KeptSet) -> R) -> Result<Option<R>> {
    let Ok(mut kept) = SET.try_lock() else {
        return if text == KEPT_SET { Ok(None) } else { Ok(Some(f(&KeptSet::parse(text)?))) };
    };
    if text != KEPT_SET && !matches!(&*kept, Some((t, _)) if t == text) {
        *kept = Some((text.to_owned(), KeptSet::parse(text)?));
    }
    Ok(kept.as_ref().map(|(_, set)| f(set)))
}

/// `KeySet.fromJwks([jwks])`: the JWK set's JSON text once it parses (an object or JSON text).
pub fn key_set_from_jwks(args: &str) -> String {
    reply((|| {
        let args = Args::parse(args)?;
        let text = match args.get(0) {
            Value::String(s) => s.clone(),
            v @ (Value::Object(_) | Value::Array(_)) if marker(v).is_none() => v.to_json(),
            _ => return Err(invalid("jwks", "must be an object or a JSON string")),
        };
        JwkSet::parse(text.as_bytes())?;
        Ok(quoted(&text))
    })())
}

/// A duration option in seconds, as whole milliseconds.
fn seconds_option(opts: Option<&Object>, name: &'static str, default: f64) -> Result<i64> {
    match opts.map(|o| opt_number(o, name)).transpose()?.flatten() {
        None => Ok((default * 1000.0) as i64),
        Some(n) if (0.0..=31_536_000.0).contains(&n) => Ok(round(n * 1000.0)),
        Some(_) => Err(invalid(name, "must be between 0 and 31536000")),
    }
}

/// `KeySet.remote([jwksUri, opts])`: the checked settings, defaults applied:
/// `{uri, maxAgeMs, cooldownMs, timeoutMs}` (cache 600 s, cooldown 30 s, timeout 5000 ms).
pub fn key_set_remote(args: &str) -> String {
    reply((|| {
        let args = Args::parse(args)?;
        let uri = string_arg(args.get(0), "jwksUri")?;
        if !(uri.starts_with("https://") || uri.starts_with("http://")) {
            return Err(invalid("jwksUri", "must be an http(s) URL"));
        }
        let opts = options(args.get(1), "opts")?;
        let max_age = seconds_option(opts, "cacheMaxAgeSec", 600.0)?;
        let cooldown = seconds_option(opts, "cooldownSec", 30.0)?;
        let timeout = match opts.map(|o| opt_number(o, "timeoutMs")).transpose()?.flatten() {
            None => 5000,
            Some(n) if (1.0..=600_000.0).contains(&n) => n as i64,
            Some(_) => return Err(invalid("timeoutMs", "must be between 1 and 600000")),
        };
        Ok(Members::new()
            .string("uri", uri)
            .integer("maxAgeMs", max_age)
            .integer("cooldownMs", cooldown)
            .integer("timeoutMs", timeout)
            .finish())
    })())
}

/// A fetched JWKS response: `ERR_HTTP` for a non-2xx status (with Vipps' `error` fields),
/// `ERR_JWKS_MALFORMED` for a body that is not a JWK set; else the body as JSON text.
pub fn key_set_response(status: u16, body: &[u8]) -> String {
    reply((|| {
        let response = HttpResponse::new(status, body);
        JwkSet::parse(&response.error_for_status()?.body)?;
        // A set that parsed is UTF-8; `from_utf8_lossy` would add ~1 KB for nothing.
        let text = core::str::from_utf8(body).map_err(|_| ErrorKind::JwksMalformed { reason: "the JWK set is not UTF-8" })?;
        Ok(quoted(text))
    })())
}
