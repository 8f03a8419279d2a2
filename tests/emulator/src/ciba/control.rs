//! `POST /_emulator/ciba/approve`, `/deny` and `/expire` with `{"authReqId"}`: what the user's
//! phone (or time) does to a pending merchant-initiated login.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::state::{lock, CibaCode, CibaStatus, Shared};
use crate::util::{json as json_response, now, oauth_error, random_token};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Target {
    auth_req_id: String,
}

#[derive(Clone, Copy)]
enum Act {
    Approve,
    Deny,
    Expire,
}

pub async fn approve(State(state): State<Shared>, body: Bytes) -> Response {
    act(&state, &body, Act::Approve)
}

pub async fn deny(State(state): State<Shared>, body: Bytes) -> Response {
    act(&state, &body, Act::Deny)
}

pub async fn expire(State(state): State<Shared>, body: Bytes) -> Response {
    act(&state, &body, Act::Expire)
}

fn act(state: &Shared, body: &[u8], act: Act) -> Response {
    let target: Target = match serde_json::from_slice(body) {
        Ok(t) => t,
        Err(e) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &format!("expected {{\"authReqId\": \"...\"}}: {e}"),
            )
        }
    };
    let id = target.auth_req_id;
    let issued = now();
    let code_lifetime = state.config.code_lifetime_secs;
    let mut sessions = lock(&state.sessions);
    let Some(login) = sessions.ciba.get_mut(&id) else {
        return oauth_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "No login with this authReqId.",
        );
    };
    let open = matches!(login.status, CibaStatus::Pending) && issued < login.expires_at;
    let expirable = matches!(login.status, CibaStatus::Pending | CibaStatus::Approved);
    let mut answer = json!({ "authReqId": id });
    match act {
        Act::Approve | Act::Deny if !open => {
            return oauth_error(
                StatusCode::CONFLICT,
                "conflict",
                "The login is no longer pending (answered, expired or used).",
            )
        }
        Act::Expire if !expirable => {
            return oauth_error(
                StatusCode::CONFLICT,
                "conflict",
                "The login has already ended.",
            )
        }
        Act::Approve => {
            login.status = CibaStatus::Approved;
            login.approved_at = issued;
            answer["status"] = json!("approved");
            if let Some(uri) = login.redirect_uri.clone() {
                // The redirect variant: the app opens the browser at `redirect_uri?code=...`,
                // with no `state`.
                login.status = CibaStatus::Done;
                let code = random_token();
                let sep = if uri.contains('?') { '&' } else { '?' };
                let query = form_urlencoded::Serializer::new(String::new())
                    .append_pair("code", &code)
                    .finish();
                answer["redirectUrl"] = Value::String(format!("{uri}{sep}{query}"));
                sessions.ciba_codes.insert(
                    code,
                    CibaCode {
                        auth_req_id: id,
                        expires_at: issued.saturating_add(code_lifetime),
                        used: false,
                    },
                );
            }
        }
        Act::Deny => {
            login.status = CibaStatus::Denied;
            answer["status"] = json!("denied");
        }
        Act::Expire => {
            login.status = CibaStatus::Expired;
            answer["status"] = json!("expired");
        }
    }
    json_response(StatusCode::OK, answer)
}
