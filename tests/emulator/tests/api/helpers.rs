//! Shared test helpers: start an emulator, build requests, PKCE, JWT checks.

#![allow(dead_code)]

use std::collections::HashMap;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use reqwest::{Client, Response};
use rsa::sha2::{Digest, Sha256};
use serde_json::Value;
use vipps_emulator::{spawn, Config, Running};

pub const CLIENT_ID: &str = "emulator-client-id";
pub const CLIENT_SECRET: &str = "emulator-client-secret";
pub const SUBSCRIPTION_KEY: &str = "emulator-subscription-key";
pub const REDIRECT_URI: &str = "http://localhost:8080/callback.html";
pub const STATE: &str = "state-0123456789";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
pub const CIBA_PATH: &str = "/vipps-login-ciba/api/backchannel/authentication";
pub const TOKEN_PATH: &str = "/access-management-1.0/access/oauth2/token";
pub const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";
pub const CIBA_REDIRECT_GRANT: &str = "urn:vipps:params:grant-type:ciba-redirect";
/// The test user's phone number (the only one merchant-initiated login knows).
pub const PHONE: &str = "4712345678";

/// How a client authenticates at the token and backchannel endpoints, as request headers.
#[derive(Clone, Debug)]
pub struct Cred(pub Vec<(&'static str, String)>);

impl Cred {
    /// The sales unit's own keys, `client_secret_basic`.
    pub fn basic() -> Self {
        Cred(vec![("authorization", basic(CLIENT_ID, CLIENT_SECRET))])
    }

    /// A partner's Bearer token acting for `msn`.
    pub fn partner(token: &str, msn: &str) -> Self {
        Cred(vec![
            ("authorization", format!("Bearer {token}")),
            ("merchant-serial-number", msn.to_string()),
        ])
    }
}

/// A config with partner keys on for these merchants.
pub fn partner_config(msns: &[&str]) -> Config {
    Config {
        partner_msns: msns.iter().map(|m| m.to_string()).collect(),
        ..Config::default()
    }
}

pub struct Emu {
    pub run: Running,
    pub http: Client,
}

pub async fn start() -> Emu {
    start_with(Config::default()).await
}

pub async fn start_with(config: Config) -> Emu {
    let run = spawn(config).await.expect("emulator starts");
    let http = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds");
    Emu { run, http }
}

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn s256(verifier: &str) -> String {
    b64url(&Sha256::digest(verifier.as_bytes()))
}

pub fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// Query parameters of a `Location` header.
pub fn location_params(resp: &Response) -> HashMap<String, String> {
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location header");
    let query = location.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn location(resp: &Response) -> String {
    resp.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The standard authorize parameters (S256 PKCE, auto-approve off).
pub fn authorize_params() -> Vec<(&'static str, String)> {
    vec![
        ("client_id", CLIENT_ID.into()),
        ("response_type", "code".into()),
        (
            "scope",
            "openid name email phoneNumber address birthDate nin".into(),
        ),
        ("state", STATE.into()),
        ("nonce", "nonce-abc".into()),
        ("redirect_uri", REDIRECT_URI.into()),
        ("code_challenge", CHALLENGE.into()),
        ("code_challenge_method", "S256".into()),
    ]
}

pub fn set(params: &mut Vec<(&'static str, String)>, key: &'static str, value: &str) {
    params.retain(|(k, _)| *k != key);
    params.push((key, value.to_string()));
}

pub fn remove(params: &mut Vec<(&'static str, String)>, key: &str) {
    params.retain(|(k, _)| *k != key);
}

pub async fn json(resp: Response) -> Value {
    resp.json().await.expect("a JSON body")
}

impl Emu {
    pub fn url(&self, path: &str) -> String {
        self.run.url(path)
    }

    pub fn issuer(&self) -> String {
        self.run.issuer()
    }

    pub async fn post_access_token(&self, headers: &[(&str, &str)]) -> Response {
        let mut req = self.http.post(self.url("/accesstoken/get"));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send().await.expect("request sent")
    }

    pub async fn authorize(&self, params: &[(&'static str, String)]) -> Response {
        self.http
            .get(self.url("/access-management-1.0/access/oauth2/auth"))
            .query(params)
            .send()
            .await
            .expect("request sent")
    }

    /// Runs authorize with auto-approve and answers the code.
    pub async fn code_with(&self, mut params: Vec<(&'static str, String)>) -> String {
        set(&mut params, "emulator_auto_approve", "true");
        let resp = self.authorize(&params).await;
        assert_eq!(resp.status(), 302, "authorize should redirect");
        location_params(&resp)
            .remove("code")
            .expect("a code in the redirect")
    }

    pub async fn code(&self) -> String {
        self.code_with(authorize_params()).await
    }

    /// POSTs the token endpoint with the given form and optional Authorization header.
    pub async fn token(&self, form: &[(&str, &str)], authorization: Option<String>) -> Response {
        let mut req = self
            .http
            .post(self.url("/access-management-1.0/access/oauth2/token"))
            .form(form);
        if let Some(a) = authorization {
            req = req.header("authorization", a);
        }
        req.send().await.expect("request sent")
    }

    /// A standard, valid code exchange for `code` (client_secret_basic, S256 verifier).
    pub async fn exchange(&self, code: &str) -> Response {
        self.token(
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", REDIRECT_URI),
                ("code_verifier", VERIFIER),
            ],
            Some(basic(CLIENT_ID, CLIENT_SECRET)),
        )
        .await
    }

    /// A full login: answers the token response JSON.
    pub async fn login(&self) -> Value {
        let code = self.code().await;
        let resp = self.exchange(&code).await;
        assert_eq!(resp.status(), 200);
        json(resp).await
    }

    pub async fn jwks(&self) -> Value {
        json(
            self.http
                .get(self.url("/access-management-1.0/access/.well-known/jwks.json"))
                .send()
                .await
                .expect("request sent"),
        )
        .await
    }

    pub async fn control(&self, path: &str, body: Value) -> Response {
        self.http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request sent")
    }

    /// An Access Token API token (with partner keys on: a partner's token).
    pub async fn access_token(&self) -> String {
        let resp = self
            .post_access_token(&[
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("Ocp-Apim-Subscription-Key", SUBSCRIPTION_KEY),
            ])
            .await;
        assert_eq!(resp.status(), 200);
        json(resp).await["access_token"]
            .as_str()
            .expect("a token")
            .to_string()
    }

    /// POSTs a form to `path` with the credential headers.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)], cred: &Cred) -> Response {
        let mut req = self.http.post(self.url(path)).form(form);
        for (k, v) in &cred.0 {
            req = req.header(*k, v);
        }
        req.send().await.expect("request sent")
    }

    /// Starts a merchant-initiated login; answers the raw response.
    pub async fn ciba_start(&self, form: &[(&str, &str)], cred: &Cred) -> Response {
        self.post_form(CIBA_PATH, form, cred).await
    }

    /// Starts a login for the test user with `scope=openid name`; answers its `auth_req_id`.
    pub async fn ciba_id(&self, cred: &Cred) -> String {
        let resp = self
            .ciba_start(
                &[
                    ("scope", "openid name"),
                    ("login_hint", "urn:msisdn:4712345678"),
                ],
                cred,
            )
            .await;
        assert_eq!(resp.status(), 200);
        json(resp).await["auth_req_id"]
            .as_str()
            .expect("auth_req_id")
            .to_string()
    }

    /// One poll of the token endpoint with the CIBA grant.
    pub async fn ciba_poll(&self, auth_req_id: &str, cred: &Cred) -> Response {
        self.post_form(
            TOKEN_PATH,
            &[("grant_type", CIBA_GRANT), ("auth_req_id", auth_req_id)],
            cred,
        )
        .await
    }

    /// `POST /_emulator/ciba/<act>` with `{"authReqId"}`.
    pub async fn ciba_control(&self, act: &str, auth_req_id: &str) -> Response {
        self.control(
            &format!("/_emulator/ciba/{act}"),
            serde_json::json!({ "authReqId": auth_req_id }),
        )
        .await
    }

    pub async fn stats(&self) -> Value {
        json(
            self.http
                .get(self.url("/_emulator/stats"))
                .send()
                .await
                .expect("request sent"),
        )
        .await
    }
}

/// Splits a compact JWT into decoded header, claims, signing input and signature.
pub fn decode_jwt(token: &str) -> (Value, Value, String, Vec<u8>) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact JWS has three parts");
    let header =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("json");
    let claims =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).expect("b64");
    (
        header,
        claims,
        format!("{}.{}", parts[0], parts[1]),
        signature,
    )
}

/// Verifies an RS256 JWT against a JWKS: answers whether a key with its kid verified it.
pub fn verify_rs256(token: &str, jwks: &Value) -> bool {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;
    use rsa::{BigUint, RsaPublicKey};

    let parts: Vec<&str> = token.split('.').collect();
    let [h, c, s] = parts.as_slice() else {
        return false;
    };
    let Ok(header_bytes) = URL_SAFE_NO_PAD.decode(h) else {
        return false;
    };
    let Ok(header) = serde_json::from_slice::<Value>(&header_bytes) else {
        return false;
    };
    let Ok(signature) = URL_SAFE_NO_PAD.decode(s) else {
        return false;
    };
    let input = format!("{h}.{c}");
    if header["alg"] != "RS256" {
        return false;
    }
    let Some(keys) = jwks["keys"].as_array() else {
        return false;
    };
    let Some(jwk) = keys.iter().find(|k| k["kid"] == header["kid"]) else {
        return false;
    };
    let part = |name: &str| {
        URL_SAFE_NO_PAD
            .decode(jwk[name].as_str().expect("string"))
            .expect("b64")
    };
    let key = RsaPublicKey::new(
        BigUint::from_bytes_be(&part("n")),
        BigUint::from_bytes_be(&part("e")),
    )
    .expect("valid public key");
    let Ok(sig) = Signature::try_from(signature.as_slice()) else {
        return false;
    };
    VerifyingKey::<Sha256>::new(key)
        .verify(input.as_bytes(), &sig)
        .is_ok()
}
