//! The control surface under `/_emulator/`: key rotation, faults, stats, reset, config.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::faults::FaultSpec;
use crate::state::{lock, AccessTokenClock, Shared};
use crate::util::{json as json_response, now, oauth_error};

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RotateRequest {
    grace_seconds: Option<u64>,
}

fn bad(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

/// `POST /_emulator/rotate-keys` with an optional `{"graceSeconds": N}`.
pub async fn rotate_keys(State(state): State<Shared>, body: Bytes) -> Response {
    let req: RotateRequest = if body.iter().all(u8::is_ascii_whitespace) {
        RotateRequest::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(r) => r,
            Err(e) => return bad(&format!("invalid JSON: {e}")),
        }
    };
    let grace = req.grace_seconds.unwrap_or(state.config.key_grace_secs);
    let kid = lock(&state.keys).rotate(now(), grace);
    json_response(StatusCode::OK, json!({ "kid": kid, "graceSeconds": grace }))
}

/// `POST /_emulator/faults`: arms a fault for the next `count` requests to `path`.
pub async fn set_fault(State(state): State<Shared>, body: Bytes) -> Response {
    let spec: FaultSpec = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return bad(&format!("invalid fault: {e}")),
    };
    match spec.into_fault() {
        Ok((path, fault)) => {
            let mut faults = lock(&state.faults);
            faults.set(path, fault);
            json_response(StatusCode::OK, faults.to_json())
        }
        Err(e) => bad(&e),
    }
}

/// `GET /_emulator/faults`: the faults still armed.
pub async fn list_faults(State(state): State<Shared>) -> Response {
    json_response(StatusCode::OK, lock(&state.faults).to_json())
}

/// `DELETE /_emulator/faults`: disarms every fault.
pub async fn clear_faults(State(state): State<Shared>) -> Response {
    let mut faults = lock(&state.faults);
    *faults = Default::default();
    json_response(StatusCode::OK, faults.to_json())
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockRequest {
    skew_seconds: Option<i64>,
    expires_on: Option<i64>,
}

/// `POST /_emulator/clock` `{"skewSeconds"?: N, "expiresOn"?: T}`: the clock behind the
/// Access Token API's `expires_on` / `not_before` runs N seconds off, or `expires_on` is T
/// (e.g. 0). `{}` puts it back. Answers the setting.
pub async fn set_clock(State(state): State<Shared>, body: Bytes) -> Response {
    let req: ClockRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ClockRequest::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(r) => r,
            Err(e) => return bad(&format!("invalid clock: {e}")),
        }
    };
    let clock = AccessTokenClock {
        skew_secs: req.skew_seconds.unwrap_or(0),
        fixed_expires_on: req.expires_on,
    };
    *lock(&state.clock) = clock;
    json_response(
        StatusCode::OK,
        json!({ "skewSeconds": clock.skew_secs, "expiresOn": clock.fixed_expires_on }),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorizationIssRequest {
    enabled: bool,
}

/// `POST /_emulator/authorization-iss` `{"enabled": bool}`: whether authorization redirects
/// carry `iss` (RFC 9207). Answers the setting.
pub async fn set_authorization_iss(State(state): State<Shared>, body: Bytes) -> Response {
    let req: AuthorizationIssRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return bad(&format!("invalid setting: {e}")),
    };
    state
        .authorization_iss
        .store(req.enabled, std::sync::atomic::Ordering::Relaxed);
    json_response(StatusCode::OK, json!({ "enabled": req.enabled }))
}

/// `POST /_emulator/id-token-claims` `{"<claim>": value, ...}`: the next ID token the token
/// endpoint signs (any grant) carries these claims instead of its own, and lacks those given
/// as `null` (e.g. `{"msn": "999999"}`: a token for another merchant). Used once; `{}`
/// disarms. Answers `{"claims": {...}}`, what is armed.
pub async fn set_id_token_claims(State(state): State<Shared>, body: Bytes) -> Response {
    let armed = match one_shot_members(&body, "claims") {
        Ok(armed) => armed,
        Err(reason) => return bad(&reason),
    };
    let shown = armed.clone().unwrap_or_default();
    lock(&state.sessions).next_id_token_claims = armed;
    json_response(StatusCode::OK, json!({ "claims": shown }))
}

/// `POST /_emulator/token-response-fields` `{"<field>": value, ...}`: the next successful token
/// response (any grant) carries these fields instead of its own, and lacks those given as
/// `null` (e.g. `{"scope": null}`: a response that does not say what was granted, as RFC 6749
/// section 5.1 allows when it is what was asked for). Used once; `{}` disarms. Answers
/// `{"fields": {...}}`, what is armed.
pub async fn set_token_response_fields(State(state): State<Shared>, body: Bytes) -> Response {
    let armed = match one_shot_members(&body, "fields") {
        Ok(armed) => armed,
        Err(reason) => return bad(&reason),
    };
    let shown = armed.clone().unwrap_or_default();
    lock(&state.sessions).next_token_response_fields = armed;
    json_response(StatusCode::OK, json!({ "fields": shown }))
}

/// The body of a one-shot override control: a JSON object of members (`what` names them in
/// the refusal's reason), armed when it has any, disarmed (`None`) when it is `{}`.
fn one_shot_members(
    body: &[u8],
    what: &str,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, String> {
    let members: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body)
        .map_err(|e| format!("a JSON object of {what} is required: {e}"))?;
    Ok((!members.is_empty()).then_some(members))
}

/// `GET /_emulator/stats`: requests received per path.
pub async fn stats(State(state): State<Shared>) -> Response {
    json_response(StatusCode::OK, lock(&state.stats).to_json())
}

/// `POST /_emulator/reset`: counters, faults, codes, tokens and keys back to the start.
pub async fn reset(State(state): State<Shared>) -> Response {
    state.reset();
    let kid = lock(&state.keys).current().kid.clone();
    json_response(StatusCode::OK, json!({ "reset": true, "kid": kid }))
}

/// `GET /_emulator/config`: the public settings. Never the secrets.
pub async fn config(State(state): State<Shared>) -> Response {
    let c = &state.config;
    json_response(
        StatusCode::OK,
        json!({
            "baseUrl": c.base_url(),
            "issuer": c.issuer(),
            "clientId": c.client_id,
            "msn": c.msn,
            "miamiClientId": c.miami_client_id,
            "redirectUris": c.redirect_uris,
            "tokenEndpointAuthMethod": c.token_auth.as_str(),
            "tokenLifetimeSeconds": c.token_lifetime_secs,
            "codeLifetimeSeconds": c.code_lifetime_secs,
            "loginTokenLifetimeSeconds": c.login_token_lifetime_secs,
            "miamiTokenLifetimeSeconds": c.miami_token_lifetime_secs,
            "keyGraceSeconds": c.key_grace_secs,
            "partnerMsns": c.partner_msns,
            "cibaIntervalSeconds": c.ciba_interval_secs,
            "cibaExpiresInSeconds": c.ciba_expires_in_secs,
            "cibaOldAppPhoneNumber": crate::user::OLD_APP_PHONE_NUMBER,
            "testUser": {
                "name": format!("{} {}", crate::user::GIVEN_NAME, crate::user::FAMILY_NAME),
                "email": crate::user::EMAIL,
                "phoneNumber": crate::user::PHONE_NUMBER,
            },
        }),
    )
}
