use std::time::{Duration, Instant};

use crate::helpers::*;
use serde_json::json as j;

const AT_PATH: &str = "/accesstoken/get";

fn at_headers() -> [(&'static str, &'static str); 3] {
    [
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("Ocp-Apim-Subscription-Key", SUBSCRIPTION_KEY),
    ]
}

fn kids(jwks: &serde_json::Value) -> Vec<String> {
    jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["kid"].as_str().expect("kid").to_string())
        .collect()
}

#[tokio::test]
async fn rotating_keys_signs_with_new_key_and_keeps_old_for_grace_period() {
    let emu = start().await;
    let before = emu.login().await;
    let old_token = before["id_token"].as_str().expect("id").to_string();
    let first_kid = kids(&emu.jwks().await)[0].clone();

    let resp = emu
        .control("/_emulator/rotate-keys", j!({ "graceSeconds": 1 }))
        .await;
    assert_eq!(resp.status(), 200);
    let new_kid = json(resp).await["kid"].as_str().expect("kid").to_string();
    assert_ne!(new_kid, first_kid);
    assert!(new_kid.starts_with("public:"));

    let jwks = emu.jwks().await;
    assert_eq!(kids(&jwks), vec![new_kid.clone(), first_kid.clone()]);
    assert!(
        verify_rs256(&old_token, &jwks),
        "old tokens verify during the grace period"
    );

    let after = emu.login().await;
    let new_token = after["id_token"].as_str().expect("id");
    assert_eq!(decode_jwt(new_token).0["kid"], new_kid.as_str());
    assert!(verify_rs256(new_token, &jwks));

    tokio::time::sleep(Duration::from_millis(1200)).await;
    let jwks = emu.jwks().await;
    assert_eq!(kids(&jwks), vec![new_kid]);
    assert!(
        !verify_rs256(&old_token, &jwks),
        "old key is gone after the grace period"
    );
}

#[tokio::test]
async fn rotating_with_zero_grace_drops_old_key_at_once() {
    let emu = start().await;
    let first = kids(&emu.jwks().await);
    let resp = emu
        .control("/_emulator/rotate-keys", j!({ "graceSeconds": 0 }))
        .await;
    let kid = json(resp).await["kid"].as_str().expect("kid").to_string();
    let now = kids(&emu.jwks().await);
    assert_eq!(now, vec![kid]);
    assert_ne!(now, first);
}

#[tokio::test]
async fn rotating_without_body_uses_default_grace() {
    let emu = start().await;
    let resp = emu
        .http
        .post(emu.url("/_emulator/rotate-keys"))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 200);
    assert_eq!(json(resp).await["graceSeconds"], 60);
    assert_eq!(kids(&emu.jwks().await).len(), 2);
}

#[tokio::test]
async fn every_rotation_gets_a_fresh_kid() {
    let emu = start().await;
    let mut seen = kids(&emu.jwks().await);
    for _ in 0..4 {
        let resp = emu
            .control("/_emulator/rotate-keys", j!({ "graceSeconds": 30 }))
            .await;
        seen.push(json(resp).await["kid"].as_str().expect("kid").to_string());
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
    assert_eq!(kids(&emu.jwks().await).len(), 5);
}

#[tokio::test]
async fn status_fault_answers_that_status_for_count_requests() {
    let emu = start().await;
    let resp = emu
        .control(
            "/_emulator/faults",
            j!({ "path": AT_PATH, "kind": "status", "status": 503, "count": 2 }),
        )
        .await;
    assert_eq!(resp.status(), 200);
    for _ in 0..2 {
        let resp = emu.post_access_token(&at_headers()).await;
        assert_eq!(resp.status(), 503);
        assert_eq!(json(resp).await["error"], "server_error");
    }
    assert_eq!(emu.post_access_token(&at_headers()).await.status(), 200);
}

#[tokio::test]
async fn delay_fault_answers_normally_after_the_delay() {
    let emu = start().await;
    emu.control(
        "/_emulator/faults",
        j!({ "path": AT_PATH, "kind": "delay", "delayMs": 300 }),
    )
    .await;
    let started = Instant::now();
    let resp = emu.post_access_token(&at_headers()).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(resp.status(), 200);
    let started = Instant::now();
    emu.post_access_token(&at_headers()).await;
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn malformed_fault_answers_200_with_a_body_that_is_not_json() {
    let emu = start().await;
    emu.control(
        "/_emulator/faults",
        j!({ "path": AT_PATH, "kind": "malformed" }),
    )
    .await;
    let resp = emu.post_access_token(&at_headers()).await;
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.expect("body");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
}

#[tokio::test]
async fn drop_fault_closes_the_connection_without_an_answer() {
    let emu = start().await;
    emu.control("/_emulator/faults", j!({ "path": AT_PATH, "kind": "drop" }))
        .await;
    let result = emu
        .http
        .post(emu.url(AT_PATH))
        .headers(
            at_headers()
                .iter()
                .map(|(k, v)| {
                    (
                        reqwest::header::HeaderName::from_static(static_lower(k)),
                        reqwest::header::HeaderValue::from_static(v),
                    )
                })
                .collect(),
        )
        .send()
        .await;
    assert!(
        result.is_err(),
        "expected a dropped connection, got {result:?}"
    );
    assert_eq!(emu.post_access_token(&at_headers()).await.status(), 200);
}

fn static_lower(name: &str) -> &'static str {
    match name {
        "client_id" => "client_id",
        "client_secret" => "client_secret",
        _ => "ocp-apim-subscription-key",
    }
}

#[tokio::test]
async fn faults_apply_to_login_endpoints_too() {
    let emu = start().await;
    let jwks_path = "/access-management-1.0/access/.well-known/jwks.json";
    emu.control(
        "/_emulator/faults",
        j!({ "path": jwks_path, "kind": "status", "status": 500 }),
    )
    .await;
    let resp = emu.http.get(emu.url(jwks_path)).send().await.expect("sent");
    assert_eq!(resp.status(), 500);
    assert_eq!(emu.jwks().await["keys"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn rejects_invalid_fault_specs() {
    let emu = start().await;
    for bad in [
        j!({ "path": AT_PATH, "kind": "explode" }),
        j!({ "path": AT_PATH, "kind": "status", "status": 42 }),
        j!({ "path": AT_PATH, "kind": "drop", "count": 0 }),
        j!({ "path": "/_emulator/stats", "kind": "drop" }),
        j!({ "kind": "drop" }),
    ] {
        assert_eq!(
            emu.control("/_emulator/faults", bad.clone()).await.status(),
            400,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn lists_and_clears_faults() {
    let emu = start().await;
    emu.control(
        "/_emulator/faults",
        j!({ "path": AT_PATH, "kind": "drop", "count": 3 }),
    )
    .await;
    let listed = json(
        emu.http
            .get(emu.url("/_emulator/faults"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(listed["faults"][0]["count"], 3);
    emu.http
        .delete(emu.url("/_emulator/faults"))
        .send()
        .await
        .expect("sent");
    assert_eq!(emu.post_access_token(&at_headers()).await.status(), 200);
}

#[tokio::test]
async fn stats_count_requests_per_endpoint() {
    let emu = start().await;
    assert_eq!(emu.stats().await, j!({}));
    emu.post_access_token(&at_headers()).await;
    emu.post_access_token(&[]).await;
    emu.login().await;
    emu.jwks().await;
    emu.http.get(emu.url("/nope")).send().await.expect("sent");
    let stats = emu.stats().await;
    assert_eq!(stats["/accesstoken/get"], 2);
    assert_eq!(stats["/access-management-1.0/access/oauth2/auth"], 1);
    assert_eq!(stats["/access-management-1.0/access/oauth2/token"], 1);
    assert_eq!(
        stats["/access-management-1.0/access/.well-known/jwks.json"],
        1
    );
    assert_eq!(stats["/nope"], 1);
    assert!(stats.get("/_emulator/stats").is_none());
}

#[tokio::test]
async fn stats_count_faulted_requests() {
    let emu = start().await;
    emu.control(
        "/_emulator/faults",
        j!({ "path": "/miami/v1/token", "kind": "status", "status": 502 }),
    )
    .await;
    emu.http
        .post(emu.url("/miami/v1/token"))
        .send()
        .await
        .expect("sent");
    assert_eq!(emu.stats().await["/miami/v1/token"], 1);
}

#[tokio::test]
async fn reset_restores_the_start_state() {
    let emu = start().await;
    let first_kid = kids(&emu.jwks().await)[0].clone();
    let unused_code = emu.code().await;
    let t = emu.login().await;
    emu.control("/_emulator/rotate-keys", j!({})).await;
    emu.control(
        "/_emulator/faults",
        j!({ "path": AT_PATH, "kind": "status" }),
    )
    .await;

    let resp = emu.control("/_emulator/reset", j!({})).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(json(resp).await["kid"], first_kid.as_str());

    assert_eq!(emu.stats().await, j!({}));
    assert_eq!(kids(&emu.jwks().await), vec![first_kid]);
    assert_eq!(emu.post_access_token(&at_headers()).await.status(), 200);
    assert_eq!(emu.exchange(&unused_code).await.status(), 400);
    let at = t["access_token"].as_str().expect("at");
    let resp = emu
        .http
        .get(emu.url("/vipps-userinfo-api/userinfo"))
        .bearer_auth(at)
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn config_shows_public_settings_only() {
    let emu = start().await;
    let c = json(
        emu.http
            .get(emu.url("/_emulator/config"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(c["clientId"], CLIENT_ID);
    assert_eq!(c["msn"], "123456");
    assert_eq!(c["issuer"], emu.issuer());
    assert_eq!(c["tokenEndpointAuthMethod"], "client_secret_basic");
    assert_eq!(c["redirectUris"][0], REDIRECT_URI);
    let text = c.to_string();
    assert!(!text.contains(CLIENT_SECRET));
    assert!(!text.contains(SUBSCRIPTION_KEY));
}

#[tokio::test]
async fn the_clock_control_skews_or_fixes_the_access_token_times_until_reset() {
    let emu = start().await;
    let times = |v: &serde_json::Value| -> (i64, i64, i64) {
        let n = |k: &str| v[k].as_str().expect(k).parse::<i64>().expect(k);
        (n("not_before"), n("expires_on"), n("expires_in"))
    };
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs() as i64
    };

    let resp = emu
        .control("/_emulator/clock", j!({ "skewSeconds": -7200 }))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(json(resp).await["skewSeconds"], -7200);
    let (nbf, on, expires_in) = times(&json(emu.post_access_token(&at_headers()).await).await);
    assert!(
        (now() - 7200 - nbf).abs() <= 2,
        "not_before runs two hours behind"
    );
    assert_eq!(on, nbf + expires_in);

    emu.control("/_emulator/clock", j!({ "expiresOn": 0 }))
        .await;
    let (nbf, on, _) = times(&json(emu.post_access_token(&at_headers()).await).await);
    assert_eq!(on, 0);
    assert!((now() - nbf).abs() <= 2);

    let bad = emu.control("/_emulator/clock", j!({ "skew": 5 })).await;
    assert_eq!(bad.status(), 400);

    emu.control("/_emulator/reset", j!({})).await;
    let (nbf, on, expires_in) = times(&json(emu.post_access_token(&at_headers()).await).await);
    assert!((now() - nbf).abs() <= 2);
    assert_eq!(on, nbf + expires_in);
}
