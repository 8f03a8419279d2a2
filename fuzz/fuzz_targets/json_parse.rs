//! `json::parse` on arbitrary bytes; whatever it accepts must survive a round trip:
//! `parse(to_json(v)) == v`, and `to_json` is a fixed point after one pass.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vipps_auth::json;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = json::parse(data) else { return };
    let text = value.to_json();
    let again = json::parse(text.as_bytes())
        .unwrap_or_else(|e| panic!("to_json output {text:?} does not re-parse: {e:?}"));
    assert_eq!(
        again, value,
        "round trip changed the value; to_json gave {text:?}"
    );
    assert_eq!(again.to_json(), text);
    // parse_object agrees with parse.
    assert_eq!(
        json::parse_object(data).ok().map(json::Value::Object),
        matches!(value, json::Value::Object(_)).then(|| value.clone())
    );
});
