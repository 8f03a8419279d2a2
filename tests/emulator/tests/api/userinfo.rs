use crate::helpers::*;
use vipps_emulator::Config;

async fn userinfo(emu: &Emu, authorization: Option<&str>) -> reqwest::Response {
    let mut req = emu.http.get(emu.url("/vipps-userinfo-api/userinfo"));
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    req.send().await.expect("sent")
}

#[tokio::test]
async fn returns_all_claims_for_all_scopes() {
    let emu = start().await;
    let t = emu.login().await;
    let at = t["access_token"].as_str().expect("access token");
    let resp = userinfo(&emu, Some(&format!("Bearer {at}"))).await;
    assert_eq!(resp.status(), 200);
    let u = json(resp).await;
    let (_, claims, _, _) = decode_jwt(t["id_token"].as_str().expect("id"));
    assert_eq!(u["sub"], claims["sub"]);
    assert_eq!(u["name"], "Ola Nordmann");
    assert_eq!(u["given_name"], "Ola");
    assert_eq!(u["family_name"], "Nordmann");
    assert_eq!(u["email"], "ola.nordmann@example.com");
    assert_eq!(u["email_verified"], true);
    assert_eq!(u["phone_number"], "4712345678");
    assert_eq!(u["birthdate"], "1990-01-31");
    assert_eq!(u["nin"], "01019012345");
    assert_eq!(u["address"]["country"], "NO");
    for field in ["street_address", "postal_code", "region", "formatted"] {
        assert!(u["address"][field].is_string(), "{field}");
    }
}

#[tokio::test]
async fn limits_claims_to_granted_scopes() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "scope", "openid email");
    let code = emu.code_with(params).await;
    let t = json(emu.exchange(&code).await).await;
    let at = t["access_token"].as_str().expect("access token");
    let u = json(userinfo(&emu, Some(&format!("Bearer {at}"))).await).await;
    assert!(u["sub"].is_string());
    assert_eq!(u["email"], "ola.nordmann@example.com");
    for absent in ["name", "phone_number", "address", "birthdate", "nin"] {
        assert!(u.get(absent).is_none(), "{absent}");
    }
}

#[tokio::test]
async fn rejects_userinfo_without_bearer_scheme() {
    let emu = start().await;
    let t = emu.login().await;
    let at = t["access_token"].as_str().expect("access token");
    let resp = userinfo(&emu, Some(at)).await;
    assert_eq!(resp.status(), 401);
    assert!(resp.headers().contains_key("www-authenticate"));
    assert_eq!(userinfo(&emu, None).await.status(), 401);
}

#[tokio::test]
async fn rejects_userinfo_with_unknown_token() {
    let emu = start().await;
    let resp = userinfo(&emu, Some("Bearer not-a-token")).await;
    assert_eq!(resp.status(), 401);
    assert_eq!(json(resp).await["error"], "invalid_token");
}

#[tokio::test]
async fn rejects_userinfo_with_access_token_api_token() {
    let emu = start().await;
    let at = json(
        emu.post_access_token(&[
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("Ocp-Apim-Subscription-Key", SUBSCRIPTION_KEY),
        ])
        .await,
    )
    .await;
    let token = at["access_token"].as_str().expect("token");
    assert_eq!(
        userinfo(&emu, Some(&format!("Bearer {token}")))
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn rejects_userinfo_with_expired_token() {
    let emu = start_with(Config {
        login_token_lifetime_secs: 0,
        ..Default::default()
    })
    .await;
    let t = emu.login().await;
    let at = t["access_token"].as_str().expect("access token");
    assert_eq!(
        userinfo(&emu, Some(&format!("Bearer {at}"))).await.status(),
        401
    );
}
