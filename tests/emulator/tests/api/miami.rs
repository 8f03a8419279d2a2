use crate::helpers::*;

const FORM: &str = "application/x-www-form-urlencoded";

async fn miami(
    emu: &Emu,
    auth: Option<String>,
    body: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = emu
        .http
        .post(emu.url("/miami/v1/token"))
        .header("content-type", FORM)
        .body(body.to_string());
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    req.send().await.expect("sent")
}

#[tokio::test]
async fn issues_miami_token_for_client_credentials() {
    let emu = start().await;
    let resp = miami(
        &emu,
        Some(basic(CLIENT_ID, CLIENT_SECRET)),
        "grant_type=client_credentials",
        &[],
    )
    .await;
    assert_eq!(resp.status(), 200);
    let body = json(resp).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(body["access_token"].is_string());
    assert!(body.get("scope").is_none());
}

#[tokio::test]
async fn echoes_requested_miami_scope() {
    let emu = start().await;
    let resp = miami(
        &emu,
        Some(basic(CLIENT_ID, CLIENT_SECRET)),
        "grant_type=client_credentials&scope=donations%3Aread",
        &[],
    )
    .await;
    assert_eq!(json(resp).await["scope"], "donations:read");
}

#[tokio::test]
async fn uses_separate_miami_credentials_when_configured() {
    let emu = start_with(vipps_emulator::Config {
        miami_client_id: "partner".into(),
        miami_client_secret: "partner-secret".into(),
        ..Default::default()
    })
    .await;
    let ok = miami(
        &emu,
        Some(basic("partner", "partner-secret")),
        "grant_type=client_credentials",
        &[],
    )
    .await;
    assert_eq!(ok.status(), 200);
    let old = miami(
        &emu,
        Some(basic(CLIENT_ID, CLIENT_SECRET)),
        "grant_type=client_credentials",
        &[],
    )
    .await;
    assert_eq!(old.status(), 401);
}

#[tokio::test]
async fn rejects_miami_request_without_grant_type() {
    let emu = start().await;
    let resp = miami(&emu, Some(basic(CLIENT_ID, CLIENT_SECRET)), "scope=x", &[]).await;
    assert_eq!(resp.status(), 401);
    assert_eq!(json(resp).await["error"], "invalid_client");
}

#[tokio::test]
async fn rejects_miami_request_with_other_grant_type() {
    let emu = start().await;
    let resp = miami(
        &emu,
        Some(basic(CLIENT_ID, CLIENT_SECRET)),
        "grant_type=password",
        &[],
    )
    .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(json(resp).await["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn rejects_miami_request_with_subscription_key() {
    let emu = start().await;
    let resp = miami(
        &emu,
        Some(basic(CLIENT_ID, CLIENT_SECRET)),
        "grant_type=client_credentials",
        &[("Ocp-Apim-Subscription-Key", SUBSCRIPTION_KEY)],
    )
    .await;
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn rejects_miami_request_with_wrong_basic_auth() {
    let emu = start().await;
    let resp = miami(
        &emu,
        Some(basic(CLIENT_ID, "wrong")),
        "grant_type=client_credentials",
        &[],
    )
    .await;
    assert_eq!(resp.status(), 401);
    assert_eq!(json(resp).await["error"], "invalid_client");
    let resp = miami(
        &emu,
        Some("Basic !!!".into()),
        "grant_type=client_credentials",
        &[],
    )
    .await;
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn rejects_miami_request_without_basic_auth() {
    let emu = start().await;
    let resp = miami(&emu, None, "grant_type=client_credentials", &[]).await;
    assert_eq!(resp.status(), 401);
    assert_eq!(json(resp).await["error"], "invalid_client");
}

#[tokio::test]
async fn rejects_miami_request_that_is_not_form_encoded() {
    let emu = start().await;
    let resp = emu
        .http
        .post(emu.url("/miami/v1/token"))
        .header("authorization", basic(CLIENT_ID, CLIENT_SECRET))
        .header("content-type", "application/json")
        .body(r#"{"grant_type":"client_credentials"}"#)
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 400);
}
