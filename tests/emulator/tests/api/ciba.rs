//! Merchant-initiated login (CIBA): the backchannel endpoint, polling with its every answer,
//! the phone's controls, the redirect variant, and the poll counter.

use std::time::Duration;

use crate::helpers::*;
use serde_json::Value;
use vipps_emulator::Config;

/// Polls may come every second here, so the tests stay short.
fn fast() -> Config {
    Config {
        ciba_interval_secs: 1,
        ..Config::default()
    }
}

async fn wait_interval() {
    tokio::time::sleep(Duration::from_millis(1_050)).await;
}

async fn error_of(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let body = json(resp).await;
    (
        status,
        body["error"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn discovery_names_the_backchannel_endpoint_and_the_ciba_grants() {
    let emu = start().await;
    let d = json(
        emu.http
            .get(emu.url("/access-management-1.0/access/.well-known/openid-configuration"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(d["backchannel_authentication_endpoint"], emu.url(CIBA_PATH));
    assert_eq!(
        d["backchannel_token_delivery_modes_supported"],
        serde_json::json!(["poll"])
    );
    let grants = d["grant_types_supported"].as_array().expect("grants");
    assert!(grants.contains(&Value::from(CIBA_GRANT)));
    assert!(grants.contains(&Value::from(CIBA_REDIRECT_GRANT)));
}

#[tokio::test]
async fn starts_a_login_for_the_test_users_phone_number() {
    let emu = start().await;
    let resp = emu
        .ciba_start(
            &[
                ("scope", "openid name"),
                ("login_hint", "urn:msisdn:4712345678"),
                ("binding_message", "4MZ-CQ3"),
            ],
            &Cred::basic(),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let a = json(resp).await;
    let id = a["auth_req_id"].as_str().expect("auth_req_id");
    assert!(
        id.len() >= 22
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(
        (a["expires_in"].as_u64(), a["interval"].as_u64()),
        (Some(600), Some(5))
    );
}

#[tokio::test]
async fn pending_until_the_phone_approves_then_the_tokens_once() {
    let emu = start_with(fast()).await;
    let id = emu.ciba_id(&Cred::basic()).await;
    wait_interval().await;
    assert_eq!(
        error_of(emu.ciba_poll(&id, &Cred::basic()).await).await,
        (400, "authorization_pending".into())
    );

    let resp = emu.ciba_control("approve", &id).await;
    assert_eq!(resp.status(), 200);
    let a = json(resp).await;
    assert_eq!(
        (a["authReqId"].as_str(), a["status"].as_str()),
        (Some(id.as_str()), Some("approved"))
    );
    assert!(a.get("redirectUrl").is_none());

    wait_interval().await;
    let resp = emu.ciba_poll(&id, &Cred::basic()).await;
    assert_eq!(resp.status(), 200);
    let t = json(resp).await;
    assert_eq!(t["token_type"], "bearer");
    let id_token = t["id_token"].as_str().expect("id_token");
    assert!(verify_rs256(id_token, &emu.jwks().await));
    let (_, c, _, _) = decode_jwt(id_token);
    assert_eq!(c["iss"], emu.issuer());
    assert_eq!(c["aud"], serde_json::json!([CLIENT_ID]));
    assert_eq!(c["nonce"], "");
    assert!(c.get("msn").is_none() && c.get("auth_req_id").is_none());
    // The access token is good for userinfo, with the scope asked for.
    let info = json(
        emu.http
            .get(emu.url("/vipps-userinfo-api/userinfo"))
            .bearer_auth(t["access_token"].as_str().expect("access token"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(info["name"], "Ola Nordmann");
    assert_eq!(info["sub"], c["sub"]);

    // CIBA Core 10.1.1: once redeemed, the auth_req_id is no longer valid.
    wait_interval().await;
    assert_eq!(
        error_of(emu.ciba_poll(&id, &Cred::basic()).await).await,
        (400, "invalid_grant".into())
    );
}

#[tokio::test]
async fn polling_sooner_than_the_interval_gets_slow_down_and_five_seconds_more() {
    let emu = start_with(fast()).await;
    let id = emu.ciba_id(&Cred::basic()).await;
    // At once: sooner than the 1 s interval.
    assert_eq!(
        error_of(emu.ciba_poll(&id, &Cred::basic()).await).await,
        (400, "slow_down".into())
    );
    // 1.05 s later would have been fine before; the interval is 6 s now.
    wait_interval().await;
    assert_eq!(
        error_of(emu.ciba_poll(&id, &Cred::basic()).await).await,
        (400, "slow_down".into())
    );
    // And it counts from each poll: 11 s now. A poll 6 s later is still too soon.
    tokio::time::sleep(Duration::from_millis(6_100)).await;
    assert_eq!(
        error_of(emu.ciba_poll(&id, &Cred::basic()).await).await,
        (400, "slow_down".into())
    );
}

#[tokio::test]
async fn a_poll_just_after_the_interval_is_pending_not_slow_down() {
    let emu = start_with(fast()).await;
    let id = emu.ciba_id(&Cred::basic()).await;
    for _ in 0..3 {
        wait_interval().await;
        assert_eq!(
            error_of(emu.ciba_poll(&id, &Cred::basic()).await).await,
            (400, "authorization_pending".into())
        );
    }
}

#[tokio::test]
async fn deny_gives_access_denied() {
    let emu = start_with(fast()).await;
    let id = emu.ciba_id(&Cred::basic()).await;
    let a = json(emu.ciba_control("deny", &id).await).await;
    assert_eq!(a["status"], "denied");
    wait_interval().await;
    assert_eq!(
        error_of(emu.ciba_poll(&id, &Cred::basic()).await).await,
        (400, "access_denied".into())
    );
    // Answered logins cannot be answered again.
    assert_eq!(emu.ciba_control("approve", &id).await.status(), 409);
}

#[tokio::test]
async fn expired_logins_answer_expired_token() {
    let emu = start_with(Config {
        ciba_expires_in_secs: 1,
        ..fast()
    })
    .await;
    let by_time = emu.ciba_id(&Cred::basic()).await;
    let by_control = emu.ciba_id(&Cred::basic()).await;
    assert_eq!(
        json(emu.ciba_control("expire", &by_control).await).await["status"],
        "expired"
    );
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    for id in [&by_time, &by_control] {
        assert_eq!(
            error_of(emu.ciba_poll(id, &Cred::basic()).await).await,
            (400, "expired_token".into())
        );
    }
    assert_eq!(
        emu.ciba_control("approve", &by_time).await.status(),
        409,
        "too late to approve"
    );
}

#[tokio::test]
async fn a_429_fault_carries_retry_after_and_still_counts_as_a_poll() {
    let emu = start_with(fast()).await;
    let id = emu.ciba_id(&Cred::basic()).await;
    let armed = emu
        .control(
            "/_emulator/faults",
            serde_json::json!({"path": TOKEN_PATH, "kind": "status", "status": 429, "retryAfter": 7}),
        )
        .await;
    assert_eq!(armed.status(), 200);
    let resp = emu.ciba_poll(&id, &Cred::basic()).await;
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "7");
    assert_eq!(emu.stats().await["ciba-poll"], 1);
    // retryAfter belongs to status faults only.
    let refused = emu
        .control(
            "/_emulator/faults",
            serde_json::json!({"path": TOKEN_PATH, "kind": "delay", "retryAfter": 7}),
        )
        .await;
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn the_poll_counter_counts_token_requests_with_the_ciba_grant_only() {
    let emu = start_with(fast()).await;
    let id = emu.ciba_id(&Cred::basic()).await;
    for _ in 0..3 {
        emu.ciba_poll(&id, &Cred::basic()).await;
    }
    // A failed client authentication is still a poll received; a code exchange is not a poll.
    emu.ciba_poll(
        &id,
        &Cred(vec![("authorization", basic(CLIENT_ID, "wrong"))]),
    )
    .await;
    emu.login().await;
    let stats = emu.stats().await;
    assert_eq!(stats["ciba-poll"], 4);
    assert_eq!(stats[TOKEN_PATH], 5);
    assert_eq!(stats[CIBA_PATH], 1);
}

#[tokio::test]
async fn chosen_phone_numbers_answer_vipps_error_codes() {
    let emu = start().await;
    let start_for = |phone: &'static str| {
        let hint = format!("urn:msisdn:{phone}");
        let emu = &emu;
        async move {
            json(
                emu.ciba_start(
                    &[("scope", "openid"), ("login_hint", &hint)],
                    &Cred::basic(),
                )
                .await,
            )
            .await
        }
    };
    let old = start_for("4700000001").await;
    assert_eq!(
        (old["error"].as_str(), old["error_code"].as_str()),
        (Some("invalid_request"), Some("old_app"))
    );
    let unknown = start_for("4799999999").await;
    assert_eq!(unknown["error_code"], "invalid_user");
}

#[tokio::test]
async fn refuses_bad_backchannel_requests() {
    let emu = start().await;
    let cases: [(&[(&str, &str)], &str); 9] = [
        (
            &[("login_hint", "urn:msisdn:4712345678")],
            "invalid_request",
        ),
        (
            &[
                ("scope", "openid nnin"),
                ("login_hint", "urn:msisdn:4712345678"),
            ],
            "invalid_scope",
        ),
        (
            &[("scope", "name"), ("login_hint", "urn:msisdn:4712345678")],
            "invalid_scope",
        ),
        (&[("scope", "openid")], "invalid_request"),
        (
            &[
                ("scope", "openid"),
                ("login_hint", "urn:mobilenumber:4712345678"),
            ],
            "invalid_request",
        ),
        (
            &[
                ("scope", "openid"),
                ("login_hint", "urn:msisdn:+4712345678"),
            ],
            "invalid_request",
        ),
        (
            &[
                ("scope", "openid"),
                ("login_hint", "urn:msisdn:4712345678"),
                ("binding_message", "abc"),
            ],
            "invalid_binding_message",
        ),
        (
            &[
                ("scope", "openid"),
                ("login_hint", "urn:msisdn:4712345678"),
                ("requested_flow", "login_to_webpage"),
                ("redirect_uri", "http://shop.example/cb"),
            ],
            "invalid_request",
        ),
        (
            &[
                ("scope", "openid"),
                ("login_hint", "urn:msisdn:4712345678"),
                ("requested_flow", "login_to_webpage"),
            ],
            "invalid_request",
        ),
    ];
    for (form, error) in cases {
        assert_eq!(
            error_of(emu.ciba_start(form, &Cred::basic()).await).await,
            (400, error.to_string()),
            "{form:?}"
        );
    }
    let wrong = Cred(vec![("authorization", basic(CLIENT_ID, "wrong"))]);
    let form = [("scope", "openid"), ("login_hint", "urn:msisdn:4712345678")];
    assert_eq!(
        error_of(emu.ciba_start(&form, &wrong).await).await,
        (401, "invalid_client".into())
    );
    assert_eq!(
        error_of(emu.ciba_start(&form, &Cred(vec![])).await).await,
        (401, "invalid_client".into())
    );
}

#[tokio::test]
async fn the_controls_refuse_unknown_logins_and_bad_bodies() {
    let emu = start().await;
    assert_eq!(
        emu.ciba_control("approve", "no-such-login").await.status(),
        404
    );
    assert_eq!(
        emu.control("/_emulator/ciba/deny", serde_json::json!({"id": "x"}))
            .await
            .status(),
        400
    );
}

#[tokio::test]
async fn an_unknown_auth_req_id_or_another_clients_is_invalid_grant() {
    let emu = start_with(Config {
        partner_msns: vec!["7890".into()],
        ..fast()
    })
    .await;
    assert_eq!(
        error_of(emu.ciba_poll("nope", &Cred::basic()).await).await,
        (400, "invalid_grant".into())
    );
    let id = emu.ciba_id(&Cred::basic()).await;
    let token = emu.access_token().await;
    wait_interval().await;
    assert_eq!(
        error_of(emu.ciba_poll(&id, &Cred::partner(&token, "7890")).await).await,
        (400, "invalid_grant".into()),
        "a partner cannot collect the sales unit's own login"
    );
}

#[tokio::test]
async fn the_redirect_variant_sends_the_browser_a_code_and_puts_the_auth_req_id_in_the_id_token() {
    let emu = start_with(fast()).await;
    let redirect = "https://shop.example/ciba/done";
    let form = [
        ("scope", "openid name"),
        ("login_hint", "urn:msisdn:4712345678"),
        ("requested_flow", "login_to_webpage"),
        ("redirect_uri", redirect),
    ];
    let started = json(emu.ciba_start(&form, &Cred::basic()).await).await;
    let id = started["auth_req_id"].as_str().expect("id").to_string();
    // It finishes through the browser, not by polling.
    wait_interval().await;
    assert_eq!(
        error_of(emu.ciba_poll(&id, &Cred::basic()).await).await,
        (400, "invalid_grant".into())
    );

    let a = json(emu.ciba_control("approve", &id).await).await;
    let url = a["redirectUrl"].as_str().expect("redirectUrl");
    let (base, query) = url.split_once('?').expect("a query");
    assert_eq!(base, redirect);
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(params.len(), 1, "only the code, no state: {url}");
    let code = &params[0].1;

    let exchange = |code: String| {
        let emu = &emu;
        async move {
            emu.post_form(
                TOKEN_PATH,
                &[("grant_type", CIBA_REDIRECT_GRANT), ("code", &code)],
                &Cred::basic(),
            )
            .await
        }
    };
    let resp = exchange(code.clone()).await;
    assert_eq!(resp.status(), 200);
    let t = json(resp).await;
    let (_, c, _, _) = decode_jwt(t["id_token"].as_str().expect("id_token"));
    assert_eq!(c["auth_req_id"], id.as_str());
    assert_eq!(
        error_of(exchange(code.clone()).await).await,
        (400, "invalid_grant".into()),
        "single use"
    );
    assert_eq!(
        error_of(exchange("made-up".into()).await).await,
        (400, "invalid_grant".into())
    );
}
