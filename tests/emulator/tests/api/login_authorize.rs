use crate::helpers::*;
use serde_json::json as j;

#[tokio::test]
async fn serves_discovery_with_issuer_and_endpoints() {
    let emu = start().await;
    let issuer = emu.issuer();
    assert_eq!(issuer, emu.url("/access-management-1.0/access/"));
    let resp = emu
        .http
        .get(format!("{issuer}.well-known/openid-configuration"))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 200);
    let d = json(resp).await;
    assert_eq!(d["issuer"], issuer);
    assert!(issuer.ends_with("/access-management-1.0/access/"));
    assert_eq!(d["authorization_endpoint"], format!("{issuer}oauth2/auth"));
    assert_eq!(d["token_endpoint"], format!("{issuer}oauth2/token"));
    assert_eq!(d["jwks_uri"], format!("{issuer}.well-known/jwks.json"));
    assert_eq!(
        d["userinfo_endpoint"],
        emu.url("/vipps-userinfo-api/userinfo")
    );
    assert_eq!(
        d["id_token_signing_alg_values_supported"],
        serde_json::json!(["RS256"])
    );
    assert_eq!(
        d["code_challenge_methods_supported"],
        serde_json::json!(["S256", "plain"])
    );
    assert!(d["scopes_supported"]
        .as_array()
        .is_some_and(|s| s.contains(&"openid".into())));
}

#[tokio::test]
async fn uses_public_url_in_issuer() {
    let emu = start_with(vipps_emulator::Config {
        public_url: Some("https://emulator.example/".into()),
        ..Default::default()
    })
    .await;
    let d = json(
        emu.http
            .get(emu.url("/access-management-1.0/access/.well-known/openid-configuration"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(
        d["issuer"],
        "https://emulator.example/access-management-1.0/access/"
    );
    assert_eq!(
        d["userinfo_endpoint"],
        "https://emulator.example/vipps-userinfo-api/userinfo"
    );
    assert_eq!(
        emu.issuer(),
        "https://emulator.example/access-management-1.0/access/"
    );
}

#[tokio::test]
async fn serves_jwks_with_rs256_signing_key() {
    let emu = start().await;
    let jwks = emu.jwks().await;
    let keys = jwks["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1);
    let k = &keys[0];
    assert_eq!(k["kty"], "RSA");
    assert_eq!(k["alg"], "RS256");
    assert_eq!(k["use"], "sig");
    assert!(k["kid"]
        .as_str()
        .is_some_and(|kid| kid.starts_with("public:") && kid.len() == 43));
    assert_eq!(k["e"], "AQAB");
}

#[tokio::test]
async fn shows_consent_page_with_approve_and_deny_buttons() {
    let emu = start().await;
    let resp = emu.authorize(&authorize_params()).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .is_ok_and(|c| c.starts_with("text/html")));
    let html = resp.text().await.expect("body");
    assert!(html.contains("id=\"approve\""));
    assert!(html.contains("id=\"deny\""));
    assert!(html.contains("Ola Nordmann"));
    assert!(html.contains("ola.nordmann@example.com"));
}

fn request_id(html: &str) -> String {
    let marker = "name=\"request_id\" value=\"";
    let start = html.find(marker).expect("hidden request_id") + marker.len();
    let end = html[start..].find('"').expect("closing quote") + start;
    html[start..end].to_string()
}

async fn decide(emu: &Emu, id: &str, decision: &str) -> reqwest::Response {
    emu.http
        .post(emu.url("/access-management-1.0/access/oauth2/consent"))
        .form(&[("request_id", id), ("decision", decision)])
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn approving_consent_redirects_with_code_and_state() {
    let emu = start().await;
    let html = emu
        .authorize(&authorize_params())
        .await
        .text()
        .await
        .expect("body");
    let id = request_id(&html);
    let resp = decide(&emu, &id, "approve").await;
    assert_eq!(resp.status(), 302);
    assert!(location(&resp).starts_with(REDIRECT_URI));
    let p = location_params(&resp);
    assert_eq!(p["state"], STATE);
    let code = p["code"].clone();
    assert_eq!(emu.exchange(&code).await.status(), 200);
    // The consent request is single-use.
    assert_eq!(decide(&emu, &id, "approve").await.status(), 400);
}

#[tokio::test]
async fn denying_consent_redirects_with_access_denied() {
    let emu = start().await;
    let html = emu
        .authorize(&authorize_params())
        .await
        .text()
        .await
        .expect("body");
    let resp = decide(&emu, &request_id(&html), "deny").await;
    assert_eq!(resp.status(), 302);
    let p = location_params(&resp);
    assert_eq!(p["error"], "access_denied");
    assert_eq!(p["state"], STATE);
    assert!(!p.contains_key("code"));
}

#[tokio::test]
async fn auto_approve_redirects_at_once_with_code() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "emulator_auto_approve", "true");
    let resp = emu.authorize(&params).await;
    assert_eq!(resp.status(), 302);
    let p = location_params(&resp);
    assert!(p["code"].len() >= 32);
    assert_eq!(p["state"], STATE);
}

#[tokio::test]
async fn auto_deny_redirects_with_access_denied() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "emulator_auto_deny", "true");
    let resp = emu.authorize(&params).await;
    assert_eq!(resp.status(), 302);
    assert_eq!(location_params(&resp)["error"], "access_denied");
}

#[tokio::test]
async fn appends_to_a_redirect_uri_that_has_a_query() {
    let emu = start_with(vipps_emulator::Config {
        redirect_uris: vec!["http://localhost:8080/cb?x=1".into()],
        ..Default::default()
    })
    .await;
    let mut params = authorize_params();
    set(&mut params, "redirect_uri", "http://localhost:8080/cb?x=1");
    set(&mut params, "emulator_auto_approve", "true");
    let resp = emu.authorize(&params).await;
    assert!(location(&resp).starts_with("http://localhost:8080/cb?x=1&code="));
}

#[tokio::test]
async fn rejects_unregistered_redirect_uri_without_redirecting() {
    let emu = start().await;
    for bad in [
        "http://localhost:8080/callback.html/",
        "http://localhost:8080/callback.html?x=1",
        "https://evil.example/callback.html",
    ] {
        let mut params = authorize_params();
        set(&mut params, "redirect_uri", bad);
        let resp = emu.authorize(&params).await;
        assert_eq!(resp.status(), 400, "{bad}");
        assert!(resp.headers().get("location").is_none());
    }
    let mut params = authorize_params();
    remove(&mut params, "redirect_uri");
    assert_eq!(emu.authorize(&params).await.status(), 400);
}

#[tokio::test]
async fn rejects_unknown_client_id_without_redirecting() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "client_id", "someone-else");
    let resp = emu.authorize(&params).await;
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
    assert_eq!(json(resp).await["error"], "invalid_client");
}

#[tokio::test]
async fn shows_html_error_page_to_browsers() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "client_id", "someone-else");
    let resp = emu
        .http
        .get(emu.url("/access-management-1.0/access/oauth2/auth"))
        .query(&params)
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.expect("body").contains("invalid_client"));
}

#[tokio::test]
async fn redirects_invalid_scope_when_openid_is_missing() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "scope", "name email");
    let resp = emu.authorize(&params).await;
    assert_eq!(resp.status(), 302);
    let p = location_params(&resp);
    assert_eq!(p["error"], "invalid_scope");
    assert_eq!(p["state"], STATE);
    assert!(p.contains_key("error_description"));
}

#[tokio::test]
async fn redirects_invalid_scope_for_unknown_scope() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "scope", "openid profile");
    let resp = emu.authorize(&params).await;
    assert_eq!(location_params(&resp)["error"], "invalid_scope");
}

#[tokio::test]
async fn rejects_state_shorter_than_8_characters() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "state", "1234567");
    let resp = emu.authorize(&params).await;
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
    remove(&mut params, "state");
    assert_eq!(emu.authorize(&params).await.status(), 400);
}

#[tokio::test]
async fn answers_502_for_state_of_1000_characters_or_more() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "state", &"s".repeat(1000));
    assert_eq!(emu.authorize(&params).await.status(), 502);
    set(&mut params, "state", &"s".repeat(999));
    set(&mut params, "emulator_auto_approve", "true");
    assert_eq!(emu.authorize(&params).await.status(), 302);
}

#[tokio::test]
async fn redirects_unsupported_response_type() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "response_type", "token");
    let resp = emu.authorize(&params).await;
    assert_eq!(location_params(&resp)["error"], "unsupported_response_type");
}

#[tokio::test]
async fn rejects_unknown_code_challenge_method() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "code_challenge_method", "S512");
    let resp = emu.authorize(&params).await;
    assert_eq!(location_params(&resp)["error"], "invalid_request");
}

#[tokio::test]
async fn rejects_malformed_s256_challenge() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "code_challenge", "too-short");
    let resp = emu.authorize(&params).await;
    assert_eq!(location_params(&resp)["error"], "invalid_request");
}

#[tokio::test]
async fn rejects_unknown_requested_flow() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "requested_flow", "teleport");
    assert_eq!(
        location_params(&emu.authorize(&params).await)["error"],
        "invalid_request"
    );
}

#[tokio::test]
async fn accepts_automatic_return_flow() {
    let emu = start().await;
    let mut params = authorize_params();
    set(
        &mut params,
        "requested_flow",
        "automatic_return_from_vipps_app",
    );
    set(&mut params, "emulator_auto_approve", "true");
    assert!(location_params(&emu.authorize(&params).await).contains_key("code"));
}

#[tokio::test]
async fn rejects_app_callback_uri_without_app_to_app_flow() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "app_callback_uri", "myapp://callback");
    assert_eq!(
        location_params(&emu.authorize(&params).await)["error"],
        "invalid_request"
    );
    set(&mut params, "requested_flow", "app_to_app");
    set(&mut params, "emulator_auto_approve", "true");
    assert!(location_params(&emu.authorize(&params).await).contains_key("code"));
}

#[tokio::test]
async fn requires_pkce_for_app_to_app_v2() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "requested_flow", "app_to_app_v2");
    set(&mut params, "app_callback_uri", "myapp://callback");
    remove(&mut params, "code_challenge");
    remove(&mut params, "code_challenge_method");
    assert_eq!(
        location_params(&emu.authorize(&params).await)["error"],
        "invalid_request"
    );
}

#[tokio::test]
async fn accepts_partner_msn_instead_of_client_id() {
    let emu = start().await;
    let mut params = authorize_params();
    remove(&mut params, "client_id");
    set(&mut params, "msn", "123456");
    set(&mut params, "emulator_auto_approve", "true");
    assert!(location_params(&emu.authorize(&params).await).contains_key("code"));
    set(&mut params, "msn", "654321");
    assert_eq!(emu.authorize(&params).await.status(), 400);
}

#[tokio::test]
async fn rejects_repeated_parameters() {
    let emu = start().await;
    let mut params = authorize_params();
    params.push(("scope", "openid".into()));
    assert_eq!(emu.authorize(&params).await.status(), 400);
}

#[tokio::test]
async fn authorization_iss_puts_the_issuer_in_every_redirect_until_turned_off_or_reset() {
    let emu = start().await;
    let redirect = |flag: &'static str| {
        let mut params = authorize_params();
        set(&mut params, flag, "true");
        params
    };
    let plain = location_params(&emu.authorize(&redirect("emulator_auto_approve")).await);
    assert!(!plain.contains_key("iss"), "off by default");
    let on = emu
        .control("/_emulator/authorization-iss", j!({"enabled": true}))
        .await;
    assert_eq!(json(on).await, j!({"enabled": true}));
    for flag in ["emulator_auto_approve", "emulator_auto_deny"] {
        let p = location_params(&emu.authorize(&redirect(flag)).await);
        assert_eq!(p["iss"], emu.issuer(), "{flag}");
        assert_eq!(p["state"], STATE);
    }
    let bad = emu
        .control("/_emulator/authorization-iss", j!({"enabled": "yes"}))
        .await;
    assert_eq!(bad.status(), 400);
    emu.control("/_emulator/reset", j!({})).await;
    let after = location_params(&emu.authorize(&redirect("emulator_auto_approve")).await);
    assert!(!after.contains_key("iss"), "reset turns it off");
}
