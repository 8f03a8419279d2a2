//! No response body, on any path, success or error, ever carries a configured secret.

use crate::helpers::*;
use vipps_emulator::Config;

const SECRET: &str = "s3cret-Client-Secret-VALUE";
const SUB_KEY: &str = "s3cret-Subscription-Key-VALUE";
const MIAMI_SECRET: &str = "s3cret-Miami-Secret-VALUE";

fn secret_config() -> Config {
    Config {
        client_secret: SECRET.into(),
        subscription_key: SUB_KEY.into(),
        miami_client_secret: MIAMI_SECRET.into(),
        ..Default::default()
    }
}

async fn body_of(resp: reqwest::Response) -> String {
    let headers = format!("{:?}", resp.headers());
    format!("{headers}\n{}", resp.text().await.unwrap_or_default())
}

#[tokio::test]
async fn no_response_ever_contains_a_configured_secret() {
    let emu = start_with(secret_config()).await;
    let mut bodies = Vec::new();

    // Access Token API: success and every failure, with the secrets sent in odd places.
    let good = [
        ("client_id", CLIENT_ID),
        ("client_secret", SECRET),
        ("Ocp-Apim-Subscription-Key", SUB_KEY),
    ];
    bodies.push(body_of(emu.post_access_token(&good).await).await);
    bodies.push(body_of(emu.post_access_token(&good[..2]).await).await);
    bodies.push(body_of(emu.post_access_token(&good[1..]).await).await);
    bodies.push(
        body_of(
            emu.post_access_token(&[
                ("client_id", SECRET),
                ("client_secret", SUB_KEY),
                ("Ocp-Apim-Subscription-Key", SUB_KEY),
            ])
            .await,
        )
        .await,
    );
    let mut with_bad_msn = good.to_vec();
    with_bad_msn.push(("Merchant-Serial-Number", "x"));
    bodies.push(body_of(emu.post_access_token(&with_bad_msn).await).await);

    // miami.
    for auth in [
        basic(CLIENT_ID, MIAMI_SECRET),
        basic(CLIENT_ID, SECRET),
        basic(SECRET, SUB_KEY),
    ] {
        for body in ["grant_type=client_credentials", "", "grant_type=x"] {
            let resp = emu
                .http
                .post(emu.url("/miami/v1/token"))
                .header("authorization", auth.clone())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("sent");
            bodies.push(body_of(resp).await);
        }
    }

    // Login: token endpoint with right and wrong secrets, in the header and the body.
    let code = emu.code().await;
    bodies.push(
        body_of(
            emu.token(&[("code", &code)], Some(basic(CLIENT_ID, SUB_KEY)))
                .await,
        )
        .await,
    );
    bodies.push(
        body_of(
            emu.token(
                &[
                    ("client_id", CLIENT_ID),
                    ("client_secret", SECRET),
                    ("code", &code),
                ],
                None,
            )
            .await,
        )
        .await,
    );
    bodies.push(
        body_of(
            emu.token(
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", REDIRECT_URI),
                    ("code_verifier", VERIFIER),
                ],
                Some(basic(CLIENT_ID, SECRET)),
            )
            .await,
        )
        .await,
    );
    let mut params = authorize_params();
    set(&mut params, "client_id", SECRET);
    bodies.push(body_of(emu.authorize(&params).await).await);
    bodies.push(body_of(emu.authorize(&authorize_params()).await).await);

    // Merchant-initiated login: start and poll with right and wrong secrets.
    let form = [("scope", "openid"), ("login_hint", "urn:msisdn:4712345678")];
    let right = Cred(vec![("authorization", basic(CLIENT_ID, SECRET))]);
    let wrong = Cred(vec![("authorization", basic(CLIENT_ID, SUB_KEY))]);
    let started = emu.ciba_start(&form, &right).await;
    let id = json(started).await["auth_req_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    bodies.push(body_of(emu.ciba_start(&form, &wrong).await).await);
    bodies.push(body_of(emu.ciba_poll(&id, &right).await).await);
    bodies.push(body_of(emu.ciba_poll(&id, &wrong).await).await);
    bodies.push(body_of(emu.ciba_control("approve", &id).await).await);

    // Everything else.
    for path in [
        "/access-management-1.0/access/.well-known/openid-configuration",
        "/access-management-1.0/access/.well-known/jwks.json",
        "/vipps-userinfo-api/userinfo",
        "/_emulator/config",
        "/_emulator/stats",
        "/_emulator/faults",
        "/unknown",
    ] {
        bodies.push(body_of(emu.http.get(emu.url(path)).send().await.expect("sent")).await);
    }

    assert!(bodies.len() > 25);
    for body in &bodies {
        for secret in [SECRET, SUB_KEY, MIAMI_SECRET] {
            assert!(!body.contains(secret), "a response leaked a secret: {body}");
        }
    }
}
