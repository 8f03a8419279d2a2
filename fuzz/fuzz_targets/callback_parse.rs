//! `callback::parse_callback` with an arbitrary URL, a fixed expected state and issuer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vipps_auth::callback::{parse_callback, MAX_CALLBACK_LEN};

const STATE: &str = "s7aTe-fuzz-0123456789";
const ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";

fuzz_target!(|data: &[u8]| {
    let url = String::from_utf8_lossy(data);
    match parse_callback(&url, STATE, Some(ISSUER)) {
        Ok(cb) => {
            // Success needs the expected state and fits the size limit.
            assert!(url.len() <= MAX_CALLBACK_LEN);
            let _ = format!("{cb:?}");
        }
        Err(e) => {
            assert!(vipps_auth::ERROR_CODES.contains(&e.code()));
            let _ = e.to_string();
        }
    }
});
