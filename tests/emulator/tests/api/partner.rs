//! Partner keys (`LOGIN_PARTNER_MSNS`): authorize with `msn=`, the token and backchannel
//! endpoints with `Authorization: Bearer <a token from /accesstoken/get>` and
//! `Merchant-Serial-Number`, the `msn` claim, and the `"partner-token"` counter.

use std::time::Duration;

use crate::helpers::*;
use vipps_emulator::Config;

const MERCHANT_A: &str = "123456";
const MERCHANT_B: &str = "7890";

/// An authorize with `msn` instead of `client_id`, auto-approved: the code.
async fn msn_code(emu: &Emu, msn: &str) -> String {
    let mut params = authorize_params();
    remove(&mut params, "client_id");
    set(&mut params, "msn", msn);
    emu.code_with(params).await
}

fn exchange_form(code: &str) -> Vec<(&str, &str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", VERIFIER),
    ]
}

async fn exchange(emu: &Emu, code: &str, cred: &Cred) -> reqwest::Response {
    emu.post_form(TOKEN_PATH, &exchange_form(code), cred).await
}

async fn error_of(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    (
        status,
        json(resp).await["error"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

#[tokio::test]
async fn a_partner_exchanges_the_code_with_its_bearer_token_and_gets_the_msn_claim() {
    let emu = start_with(partner_config(&[MERCHANT_A, MERCHANT_B])).await;
    let token = emu.access_token().await;
    let code = msn_code(&emu, MERCHANT_B).await;
    let resp = exchange(&emu, &code, &Cred::partner(&token, MERCHANT_B)).await;
    assert_eq!(resp.status(), 200);
    let t = json(resp).await;
    let id_token = t["id_token"].as_str().expect("id_token");
    assert!(verify_rs256(id_token, &emu.jwks().await));
    let (_, c, _, _) = decode_jwt(id_token);
    assert_eq!(c["msn"], MERCHANT_B);
    assert_eq!(
        c["aud"],
        serde_json::json!([CLIENT_ID]),
        "aud is the merchant's client id, which partners cannot check"
    );
    assert_eq!(emu.stats().await["partner-token"], 1);
}

#[tokio::test]
async fn a_code_for_one_merchant_is_refused_with_another_merchants_msn() {
    let emu = start_with(partner_config(&[MERCHANT_A, MERCHANT_B])).await;
    let token = emu.access_token().await;
    let code = msn_code(&emu, MERCHANT_A).await;
    assert_eq!(
        error_of(exchange(&emu, &code, &Cred::partner(&token, MERCHANT_B)).await).await,
        (400, "invalid_grant".into())
    );
    // Refused without using the code up: the right merchant still gets it.
    assert_eq!(
        exchange(&emu, &code, &Cred::partner(&token, MERCHANT_A))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_partner_code_cannot_be_exchanged_with_the_client_secret() {
    let emu = start_with(partner_config(&[MERCHANT_A])).await;
    let code = msn_code(&emu, MERCHANT_A).await;
    assert_eq!(
        error_of(exchange(&emu, &code, &Cred::basic()).await).await,
        (400, "invalid_grant".into())
    );
}

#[tokio::test]
async fn a_merchant_outside_the_list_is_refused_at_authorize_and_at_the_token_endpoint() {
    let emu = start_with(partner_config(&[MERCHANT_A])).await;
    let mut params = authorize_params();
    remove(&mut params, "client_id");
    set(&mut params, "msn", "999999");
    assert_eq!(emu.authorize(&params).await.status(), 400);
    let token = emu.access_token().await;
    let code = msn_code(&emu, MERCHANT_A).await;
    let resp = exchange(&emu, &code, &Cred::partner(&token, "999999")).await;
    assert_eq!(resp.headers()["www-authenticate"], "Bearer");
    assert_eq!(error_of(resp).await, (401, "invalid_client".into()));
    let no_msn = Cred(vec![("authorization", format!("Bearer {token}"))]);
    assert_eq!(
        error_of(exchange(&emu, &code, &no_msn).await).await,
        (401, "invalid_client".into())
    );
}

#[tokio::test]
async fn only_a_live_token_the_emulator_issued_is_accepted() {
    let emu = start_with(Config {
        token_lifetime_secs: 1,
        ..partner_config(&[MERCHANT_A])
    })
    .await;
    let code = msn_code(&emu, MERCHANT_A).await;
    let forged = Cred::partner("emu-at.made-up", MERCHANT_A);
    assert_eq!(
        error_of(exchange(&emu, &code, &forged).await).await,
        (401, "invalid_client".into())
    );
    let token = emu.access_token().await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        error_of(exchange(&emu, &code, &Cred::partner(&token, MERCHANT_A)).await).await,
        (401, "invalid_client".into()),
        "an expired token"
    );
}

#[tokio::test]
async fn bearer_auth_is_refused_without_partner_keys() {
    let emu = start().await;
    let token = emu.access_token().await;
    let code = emu.code().await;
    assert_eq!(
        error_of(exchange(&emu, &code, &Cred::partner(&token, "123456")).await).await,
        (401, "invalid_client".into())
    );
    assert_eq!(
        exchange(&emu, &code, &Cred::basic()).await.status(),
        200,
        "the code was not used up"
    );
}

#[tokio::test]
async fn the_sales_units_own_logins_still_work_with_partner_keys_on() {
    let emu = start_with(partner_config(&[MERCHANT_A])).await;
    let t = emu.login().await;
    let (_, c, _, _) = decode_jwt(t["id_token"].as_str().expect("id_token"));
    assert!(c.get("msn").is_none());
    // And a partner cannot redeem one of them.
    let token = emu.access_token().await;
    let code = emu.code().await;
    assert_eq!(
        error_of(exchange(&emu, &code, &Cred::partner(&token, MERCHANT_A)).await).await,
        (400, "invalid_grant".into())
    );
}

#[tokio::test]
async fn a_partner_runs_a_merchant_initiated_login_for_a_merchant() {
    let emu = start_with(Config {
        ciba_interval_secs: 1,
        ..partner_config(&[MERCHANT_A, MERCHANT_B])
    })
    .await;
    let token = emu.access_token().await;
    let partner = Cred::partner(&token, MERCHANT_A);
    let id = emu.ciba_id(&partner).await;
    emu.ciba_control("approve", &id).await;
    tokio::time::sleep(Duration::from_millis(1_050)).await;
    assert_eq!(
        error_of(emu.ciba_poll(&id, &Cred::partner(&token, MERCHANT_B)).await).await,
        (400, "invalid_grant".into()),
        "another merchant's MSN"
    );
    tokio::time::sleep(Duration::from_millis(1_050)).await;
    let resp = emu.ciba_poll(&id, &partner).await;
    assert_eq!(resp.status(), 200);
    let (_, c, _, _) = decode_jwt(json(resp).await["id_token"].as_str().expect("id_token"));
    assert_eq!(c["msn"], MERCHANT_A);
    let stats = emu.stats().await;
    assert_eq!(
        (stats["partner-token"].as_u64(), stats["ciba-poll"].as_u64()),
        (Some(2), Some(2))
    );
}

#[tokio::test]
async fn the_config_lists_the_partner_merchants() {
    let emu = start_with(partner_config(&[MERCHANT_A, MERCHANT_B])).await;
    let c = json(
        emu.http
            .get(emu.url("/_emulator/config"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(
        c["partnerMsns"],
        serde_json::json!([MERCHANT_A, MERCHANT_B])
    );
}

#[tokio::test]
async fn id_token_claims_control_changes_the_next_id_token_only() {
    let emu = start_with(partner_config(&[MERCHANT_A, MERCHANT_B])).await;
    let resp = emu
        .control(
            "/_emulator/id-token-claims",
            serde_json::json!({ "msn": MERCHANT_B, "nonce": null }),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(json(resp).await["claims"]["msn"], MERCHANT_B);
    let token = emu.access_token().await;
    let first = exchange(
        &emu,
        &msn_code(&emu, MERCHANT_A).await,
        &Cred::partner(&token, MERCHANT_A),
    )
    .await;
    let first = json(first).await;
    let id_token = first["id_token"].as_str().expect("id_token");
    assert!(
        verify_rs256(id_token, &emu.jwks().await),
        "signed as any other"
    );
    let (_, c, _, _) = decode_jwt(id_token);
    assert_eq!(c["msn"], MERCHANT_B, "overridden");
    assert!(c.get("nonce").is_none(), "a null removes the claim");
    assert!(c.get("sub").is_some(), "the rest stays");

    let second = exchange(
        &emu,
        &msn_code(&emu, MERCHANT_A).await,
        &Cred::partner(&token, MERCHANT_A),
    )
    .await;
    let (_, c, _, _) = decode_jwt(json(second).await["id_token"].as_str().expect("id"));
    assert_eq!(c["msn"], MERCHANT_A, "used once");
}

#[tokio::test]
async fn id_token_claims_control_refuses_anything_but_an_object_and_empty_disarms() {
    let emu = start_with(partner_config(&[MERCHANT_A])).await;
    for body in [serde_json::json!(["msn"]), serde_json::json!("msn")] {
        assert_eq!(
            emu.control("/_emulator/id-token-claims", body)
                .await
                .status(),
            400
        );
    }
    emu.control(
        "/_emulator/id-token-claims",
        serde_json::json!({ "msn": "999999" }),
    )
    .await;
    let resp = emu
        .control("/_emulator/id-token-claims", serde_json::json!({}))
        .await;
    assert_eq!(json(resp).await["claims"], serde_json::json!({}));
    let token = emu.access_token().await;
    let resp = exchange(
        &emu,
        &msn_code(&emu, MERCHANT_A).await,
        &Cred::partner(&token, MERCHANT_A),
    )
    .await;
    let (_, c, _, _) = decode_jwt(json(resp).await["id_token"].as_str().expect("id"));
    assert_eq!(c["msn"], MERCHANT_A);
}
