use crate::helpers::*;
use rsa::sha2::Digest;
use serde_json::Value;
use vipps_emulator::{Config, TokenAuthMethod};

fn form<'a>(code: &'a str, verifier: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", verifier),
    ]
}

async fn error_of(resp: reqwest::Response) -> (u16, Value) {
    (resp.status().as_u16(), json(resp).await)
}

#[tokio::test]
async fn exchanges_code_for_tokens() {
    let emu = start().await;
    let code = emu.code().await;
    let resp = emu.exchange(&code).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let t = json(resp).await;
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 3600);
    assert_eq!(
        t["scope"],
        "openid name email phoneNumber address birthDate nin"
    );
    assert!(t["access_token"].is_string());
    assert!(t.get("refresh_token").is_none());
}

#[tokio::test]
async fn id_token_is_rs256_signed_by_a_key_in_the_jwks() {
    let emu = start().await;
    let t = emu.login().await;
    let id_token = t["id_token"].as_str().expect("id_token");
    let (header, _, _, _) = decode_jwt(id_token);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    let jwks = emu.jwks().await;
    assert_eq!(header["kid"], jwks["keys"][0]["kid"]);
    assert!(verify_rs256(id_token, &jwks));
    // A tampered token does not verify.
    let at = id_token.find('.').expect("dot") + 5;
    let flipped = if &id_token[at..=at] == "A" { "B" } else { "A" };
    let tampered = format!("{}{flipped}{}", &id_token[..at], &id_token[at + 1..]);
    assert!(!verify_rs256(&tampered, &jwks));
}

#[tokio::test]
async fn id_token_has_the_vipps_claims() {
    let emu = start().await;
    let t = emu.login().await;
    let (_, c, _, _) = decode_jwt(t["id_token"].as_str().expect("id_token"));
    assert_eq!(c["iss"], emu.issuer());
    assert_eq!(c["aud"], serde_json::json!([CLIENT_ID]));
    let iat = c["iat"].as_u64().expect("iat");
    assert_eq!(c["exp"].as_u64().expect("exp"), iat + 3600);
    assert!(c["auth_time"].as_u64().is_some_and(|a| a <= iat));
    assert!(c["rat"].as_u64().is_some_and(|r| r <= iat));
    assert_eq!(c["nonce"], "nonce-abc");
    for claim in ["sub", "sid", "jti", "at_hash"] {
        assert!(c[claim].is_string(), "{claim}");
    }
    assert!(c["amr"].is_array());
    assert!(c.get("msn").is_none());
    let at = t["access_token"].as_str().expect("access token");
    let digest = rsa::sha2::Sha256::digest(at.as_bytes());
    assert_eq!(c["at_hash"], b64url(&digest[..16]));
}

#[tokio::test]
async fn id_token_nonce_is_empty_string_when_none_was_sent() {
    let emu = start().await;
    let mut params = authorize_params();
    remove(&mut params, "nonce");
    let code = emu.code_with(params).await;
    let t = json(emu.exchange(&code).await).await;
    let (_, c, _, _) = decode_jwt(t["id_token"].as_str().expect("id_token"));
    assert_eq!(c["nonce"], "");
}

#[tokio::test]
async fn sub_is_stable_per_client() {
    let emu = start().await;
    let a = emu.login().await;
    let b = emu.login().await;
    let sub = |t: &Value| decode_jwt(t["id_token"].as_str().expect("id")).1["sub"].clone();
    assert_eq!(sub(&a), sub(&b));
    let other = start_with(Config {
        client_id: "another-client".into(),
        ..Default::default()
    })
    .await;
    let mut params = authorize_params();
    set(&mut params, "client_id", "another-client");
    let code = other.code_with(params).await;
    let resp = other
        .token(
            &form(&code, VERIFIER),
            Some(basic("another-client", CLIENT_SECRET)),
        )
        .await;
    assert_ne!(sub(&json(resp).await), sub(&a));
}

#[tokio::test]
async fn partner_login_adds_msn_claim() {
    let emu = start().await;
    let mut params = authorize_params();
    remove(&mut params, "client_id");
    set(&mut params, "msn", "123456");
    let code = emu.code_with(params).await;
    let t = json(emu.exchange(&code).await).await;
    let (_, c, _, _) = decode_jwt(t["id_token"].as_str().expect("id_token"));
    assert_eq!(c["msn"], "123456");
}

#[tokio::test]
async fn rejects_reused_code() {
    let emu = start().await;
    let code = emu.code().await;
    assert_eq!(emu.exchange(&code).await.status(), 200);
    let (status, e) = error_of(emu.exchange(&code).await).await;
    assert_eq!(status, 400);
    assert_eq!(e["error"], "invalid_grant");
}

#[tokio::test]
async fn rejects_unknown_code() {
    let emu = start().await;
    let (status, e) = error_of(emu.exchange("not-a-code").await).await;
    assert_eq!((status, e["error"].as_str()), (400, Some("invalid_grant")));
}

#[tokio::test]
async fn rejects_expired_code() {
    let emu = start_with(Config {
        code_lifetime_secs: 0,
        ..Default::default()
    })
    .await;
    let code = emu.code().await;
    let (status, e) = error_of(emu.exchange(&code).await).await;
    assert_eq!((status, e["error"].as_str()), (400, Some("invalid_grant")));
}

#[tokio::test]
async fn rejects_wrong_code_verifier() {
    let emu = start().await;
    let code = emu.code().await;
    let wrong = "x".repeat(43);
    let resp = emu
        .token(&form(&code, &wrong), Some(basic(CLIENT_ID, CLIENT_SECRET)))
        .await;
    let (status, e) = error_of(resp).await;
    assert_eq!((status, e["error"].as_str()), (400, Some("invalid_grant")));
}

#[tokio::test]
async fn rejects_missing_code_verifier() {
    let emu = start().await;
    let code = emu.code().await;
    let resp = emu
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT_URI),
            ],
            Some(basic(CLIENT_ID, CLIENT_SECRET)),
        )
        .await;
    let (status, e) = error_of(resp).await;
    assert_eq!((status, e["error"].as_str()), (400, Some("invalid_grant")));
}

#[tokio::test]
async fn accepts_plain_pkce_and_defaults_to_plain_without_method() {
    let emu = start().await;
    let verifier = "plain-verifier-0123456789-0123456789-0123456789";
    for method in [Some("plain"), None] {
        let mut params = authorize_params();
        set(&mut params, "code_challenge", verifier);
        match method {
            Some(m) => set(&mut params, "code_challenge_method", m),
            None => remove(&mut params, "code_challenge_method"),
        }
        let code = emu.code_with(params.clone()).await;
        // The S256 transform of the verifier is not what was registered.
        let resp = emu
            .token(
                &form(&code, &s256(verifier)),
                Some(basic(CLIENT_ID, CLIENT_SECRET)),
            )
            .await;
        assert_eq!(resp.status(), 400);
        let code = emu.code_with(params).await;
        let resp = emu
            .token(
                &form(&code, verifier),
                Some(basic(CLIENT_ID, CLIENT_SECRET)),
            )
            .await;
        assert_eq!(resp.status(), 200, "method {method:?}");
    }
}

#[tokio::test]
async fn accepts_login_without_pkce_but_rejects_unexpected_verifier() {
    let emu = start().await;
    let mut params = authorize_params();
    remove(&mut params, "code_challenge");
    remove(&mut params, "code_challenge_method");
    let code = emu.code_with(params.clone()).await;
    let resp = emu
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT_URI),
            ],
            Some(basic(CLIENT_ID, CLIENT_SECRET)),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let code = emu.code_with(params).await;
    assert_eq!(emu.exchange(&code).await.status(), 400);
}

#[tokio::test]
async fn rejects_wrong_redirect_uri() {
    let emu = start().await;
    let code = emu.code().await;
    let resp = emu
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", "http://127.0.0.1:8080/callback.html"),
                ("code_verifier", VERIFIER),
            ],
            Some(basic(CLIENT_ID, CLIENT_SECRET)),
        )
        .await;
    let (status, e) = error_of(resp).await;
    assert_eq!((status, e["error"].as_str()), (400, Some("invalid_grant")));
}

#[tokio::test]
async fn rejects_wrong_client_secret_at_token_endpoint() {
    let emu = start().await;
    let code = emu.code().await;
    let resp = emu
        .token(&form(&code, VERIFIER), Some(basic(CLIENT_ID, "nope")))
        .await;
    assert_eq!(resp.headers()["www-authenticate"], "Basic");
    let (status, e) = error_of(resp).await;
    assert_eq!((status, e["error"].as_str()), (401, Some("invalid_client")));
    // A failed client authentication does not burn the code.
    assert_eq!(emu.exchange(&code).await.status(), 200);
}

#[tokio::test]
async fn rejects_client_secret_post_when_registered_for_basic() {
    let emu = start().await;
    let code = emu.code().await;
    let mut f = form(&code, VERIFIER);
    f.extend([("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)]);
    let (status, e) = error_of(emu.token(&f, None).await).await;
    assert_eq!((status, e["error"].as_str()), (401, Some("invalid_client")));
}

#[tokio::test]
async fn rejects_basic_auth_when_registered_for_client_secret_post() {
    let emu = start_with(Config {
        token_auth: TokenAuthMethod::ClientSecretPost,
        ..Default::default()
    })
    .await;
    let code = emu.code().await;
    let (status, e) = error_of(emu.exchange(&code).await).await;
    assert_eq!((status, e["error"].as_str()), (401, Some("invalid_client")));
    let mut f = form(&code, VERIFIER);
    f.extend([("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)]);
    assert_eq!(emu.token(&f, None).await.status(), 200);
}

#[tokio::test]
async fn rejects_token_request_without_client_authentication() {
    let emu = start().await;
    let code = emu.code().await;
    let (status, e) = error_of(emu.token(&form(&code, VERIFIER), None).await).await;
    assert_eq!((status, e["error"].as_str()), (401, Some("invalid_client")));
}

#[tokio::test]
async fn rejects_other_grant_types_at_token_endpoint() {
    let emu = start().await;
    let resp = emu
        .token(
            &[("grant_type", "refresh_token"), ("refresh_token", "x")],
            Some(basic(CLIENT_ID, CLIENT_SECRET)),
        )
        .await;
    let (status, e) = error_of(resp).await;
    assert_eq!(
        (status, e["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
}

#[tokio::test]
async fn rejects_json_body_at_token_endpoint() {
    let emu = start().await;
    let resp = emu
        .http
        .post(emu.url("/access-management-1.0/access/oauth2/token"))
        .header("authorization", basic(CLIENT_ID, CLIENT_SECRET))
        .json(&serde_json::json!({"grant_type": "authorization_code"}))
        .send()
        .await
        .expect("sent");
    let (status, e) = error_of(resp).await;
    assert_eq!(
        (status, e["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn the_granted_scope_is_the_one_the_authorize_request_asked_for() {
    let emu = start().await;
    let mut params = authorize_params();
    set(&mut params, "scope", "openid nin name nin");
    let resp = emu.exchange(&emu.code_with(params).await).await;
    assert_eq!(json(resp).await["scope"], "openid nin name");
}

#[tokio::test]
async fn token_response_fields_control_changes_the_next_response_only() {
    let emu = start().await;
    let resp = emu
        .control(
            "/_emulator/token-response-fields",
            serde_json::json!({ "scope": null, "expires_in": 5 }),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(json(resp).await["fields"]["expires_in"], 5);
    let first = emu.login().await;
    assert!(first.get("scope").is_none(), "a null removes the field");
    assert_eq!(first["expires_in"], 5, "overridden");
    assert!(first["id_token"].is_string(), "the rest stays");
    let second = emu.login().await;
    assert_eq!(
        second["scope"], "openid name email phoneNumber address birthDate nin",
        "used once"
    );
    let bad = emu
        .control(
            "/_emulator/token-response-fields",
            serde_json::json!(["scope"]),
        )
        .await;
    assert_eq!(bad.status(), 400);
}
