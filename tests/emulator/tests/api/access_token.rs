use crate::helpers::*;

fn good_headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("Ocp-Apim-Subscription-Key", SUBSCRIPTION_KEY),
    ]
}

fn without(name: &str) -> Vec<(&'static str, &'static str)> {
    good_headers()
        .into_iter()
        .filter(|(k, _)| *k != name)
        .collect()
}

fn with(name: &'static str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut h = good_headers();
    h.push((name, value));
    h
}

#[tokio::test]
async fn issues_access_token_with_numbers_as_strings() {
    let emu = start().await;
    let resp = emu.post_access_token(&good_headers()).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let body = json(resp).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], "3600");
    assert_eq!(body["ext_expires_in"], "3600");
    assert_eq!(body["resource"], "00000002-0000-0000-c000-000000000000");
    let on: u64 = body["expires_on"]
        .as_str()
        .expect("string")
        .parse()
        .expect("number");
    let nb: u64 = body["not_before"]
        .as_str()
        .expect("string")
        .parse()
        .expect("number");
    assert_eq!(on - nb, 3600);
    assert!(body["access_token"].as_str().is_some_and(|t| t.len() > 20));
}

#[tokio::test]
async fn issues_a_different_token_each_time() {
    let emu = start().await;
    let a = json(emu.post_access_token(&good_headers()).await).await;
    let b = json(emu.post_access_token(&good_headers()).await).await;
    assert_ne!(a["access_token"], b["access_token"]);
}

#[tokio::test]
async fn uses_configured_token_lifetime() {
    let emu = start_with(vipps_emulator::Config {
        token_lifetime_secs: 86400,
        ..Default::default()
    })
    .await;
    let body = json(emu.post_access_token(&good_headers()).await).await;
    assert_eq!(body["expires_in"], "86400");
}

#[tokio::test]
async fn accepts_valid_optional_headers() {
    let emu = start().await;
    let mut h = good_headers();
    h.extend([
        ("Merchant-Serial-Number", "123456"),
        ("Vipps-System-Name", "vipps-auth"),
        ("Vipps-System-Version", "0.1.0"),
        ("Vipps-System-Plugin-Name", "vipps-auth-worker"),
        (
            "Vipps-System-Plugin-Version",
            "012345678901234567890123456789",
        ),
    ]);
    assert_eq!(emu.post_access_token(&h).await.status(), 200);
}

#[tokio::test]
async fn rejects_access_token_request_without_subscription_key() {
    let emu = start().await;
    let resp = emu
        .post_access_token(&without("Ocp-Apim-Subscription-Key"))
        .await;
    assert_eq!(resp.status(), 401);
    assert_eq!(json(resp).await["error"], "unauthorized_client");
}

#[tokio::test]
async fn rejects_access_token_request_without_client_id() {
    let emu = start().await;
    let resp = emu.post_access_token(&without("client_id")).await;
    assert_eq!(resp.status(), 401);
    assert_eq!(json(resp).await["error"], "unauthorized_client");
}

#[tokio::test]
async fn rejects_access_token_request_without_client_secret() {
    let emu = start().await;
    let resp = emu.post_access_token(&without("client_secret")).await;
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn rejects_access_token_request_with_wrong_secret() {
    let emu = start().await;
    let mut h = without("client_secret");
    h.push(("client_secret", "wrong-secret"));
    let resp = emu.post_access_token(&h).await;
    assert_eq!(resp.status(), 401);
    let text = resp.text().await.expect("body");
    assert!(!text.contains("wrong-secret"), "never echo a secret");
}

#[tokio::test]
async fn rejects_access_token_request_with_wrong_client_id() {
    let emu = start().await;
    let mut h = without("client_id");
    h.push(("client_id", "someone-else"));
    assert_eq!(emu.post_access_token(&h).await.status(), 401);
}

#[tokio::test]
async fn rejects_access_token_request_with_wrong_subscription_key() {
    let emu = start().await;
    let mut h = without("Ocp-Apim-Subscription-Key");
    h.push(("Ocp-Apim-Subscription-Key", "nope"));
    assert_eq!(emu.post_access_token(&h).await.status(), 401);
}

#[tokio::test]
async fn rejects_merchant_serial_number_that_is_not_4_to_6_digits() {
    let emu = start().await;
    for bad in ["123", "1234567", "12a45", ""] {
        let resp = emu
            .post_access_token(&with("Merchant-Serial-Number", bad))
            .await;
        assert_eq!(resp.status(), 400, "MSN {bad:?}");
        assert_eq!(json(resp).await["error"], "invalid_request");
    }
    for good in ["1234", "123456"] {
        let resp = emu
            .post_access_token(&with("Merchant-Serial-Number", good))
            .await;
        assert_eq!(resp.status(), 200, "MSN {good:?}");
    }
}

#[tokio::test]
async fn rejects_system_headers_longer_than_30_characters() {
    let emu = start().await;
    for name in [
        "Vipps-System-Name",
        "Vipps-System-Version",
        "Vipps-System-Plugin-Name",
        "Vipps-System-Plugin-Version",
    ] {
        let resp = emu
            .post_access_token(&with(name, "0123456789012345678901234567890"))
            .await;
        assert_eq!(resp.status(), 400, "{name}");
    }
}

#[tokio::test]
async fn rejects_get_on_access_token_endpoint() {
    let emu = start().await;
    let resp = emu
        .http
        .get(emu.url("/accesstoken/get"))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 405);
}

#[tokio::test]
async fn answers_unknown_paths_with_json_404() {
    let emu = start().await;
    let resp = emu.http.get(emu.url("/nope")).send().await.expect("sent");
    assert_eq!(resp.status(), 404);
    assert_eq!(json(resp).await["error"], "not_found");
}
