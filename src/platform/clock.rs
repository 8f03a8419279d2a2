//! Wall-clock time from the JS host (`Date.now()`, ECMA-262 section 21.4.3.1).

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Whole seconds since the Unix epoch: the `NumericDate` of RFC 7519 section 2.
pub fn now_seconds() -> i64 {
    (now_ms() / 1000.0).floor() as i64
}
