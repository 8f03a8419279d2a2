//! An `HttpResponse` with an arbitrary status (the first two input bytes) and an arbitrary
//! body (the rest) through every response processor of the core; the body, when it is short
//! text, is also the response's `Retry-After`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vipps_auth::http::HttpResponse;
use vipps_auth::retry_after::RetryAfter;
use vipps_auth::token::{access_token, ciba, login, miami, userinfo};
use vipps_auth::{discovery, Error};

const ISSUER: &str = "https://apitest.vipps.no/access-management-1.0/access/";

fn check<T>(r: Result<T, Error>) {
    if let Err(e) = r {
        assert!(vipps_auth::ERROR_CODES.contains(&e.code()), "{}", e.code());
        let _ = e.to_string();
        let _ = (
            e.vipps_error(),
            e.vipps_error_description(),
            e.http_status(),
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]), rest),
        _ => return,
    };
    let mut res = HttpResponse::new(status, body.to_vec());
    if let Ok(text) = core::str::from_utf8(body) {
        if text.len() <= 64 {
            if let Some(after) = RetryAfter::parse(text) {
                let now = 1_700_000_000_000;
                assert!(after.until_ms(now) >= now, "Retry-After never points back");
            }
            res.headers.push(("Retry-After".into(), text.into()));
        }
    }
    check(access_token::process_access_token_response(&res));
    check(miami::process_miami_token_response(&res));
    check(login::process_code_exchange_response(&res));
    check(userinfo::process_userinfo_response(&res, None));
    check(userinfo::process_userinfo_response(
        &res,
        Some("c06c4afe-d9e1-4c5d-939a-177d752a0944"),
    ));
    check(discovery::process_discovery_response(&res, ISSUER));
    check(ciba::process_ciba_start_response(&res));
    check(ciba::process_ciba_poll_response(&res));
    check(res.error_for_status());
});
