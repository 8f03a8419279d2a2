//! `GET <issuer>oauth2/auth`: validates the authorization request, then shows the consent
//! page (or, with `emulator_auto_approve=true` / `emulator_auto_deny=true`, answers at once).

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

use super::{approve, deny, error_page, redirect_error, with_iss};
use crate::config::Config;
use crate::state::{lock, AuthRequest, Pending, Pkce, Shared};
use crate::user::{consent_lines, KNOWN_SCOPES};
use crate::util::{html_escape, now, parse_form, random_token};

/// `state` must be at least this long.
const STATE_MIN: usize = 8;
/// From about this length Vipps answers 502.
const STATE_MAX: usize = 1000;
/// How long the consent page stays valid.
const CONSENT_LIFETIME_SECS: u64 = 600;

const FLOWS: [&str; 3] = [
    "automatic_return_from_vipps_app",
    "app_to_app",
    "app_to_app_v2",
];

pub async fn authorize(State(state): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    let resp = answer(&state, &headers, &uri);
    with_iss(&state, resp)
}

fn answer(state: &Shared, headers: &HeaderMap, uri: &Uri) -> Response {
    let params = match parse_form(uri.query().unwrap_or("").as_bytes()) {
        Ok(p) => p,
        Err(e) => return error_page(headers, StatusCode::BAD_REQUEST, "invalid_request", &e),
    };
    let request = match validate(&state.config, &params, headers, now()) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    let flag = |name: &str| params.get(name).map(String::as_str) == Some("true");
    if flag("emulator_auto_approve") && flag("emulator_auto_deny") {
        return error_page(
            headers,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "emulator_auto_approve and emulator_auto_deny exclude each other.",
        );
    }
    if flag("emulator_auto_deny") {
        return deny(&request);
    }
    if flag("emulator_auto_approve") {
        return approve(state, request);
    }
    let id = random_token();
    let page = consent_page(&id, &request);
    {
        let mut sessions = lock(&state.sessions);
        sessions.prune(now());
        sessions.pending.insert(
            id,
            Pending {
                request,
                expires_at: now().saturating_add(CONSENT_LIFETIME_SECS),
            },
        );
    }
    let mut resp = Html(page).into_response();
    crate::util::no_store(&mut resp);
    resp
}

/// Whether authorize accepts `msn=` this merchant serial number: one of
/// `LOGIN_PARTNER_MSNS` when partner keys are on, else `VIPPS_MSN`.
fn partner_may_use(cfg: &Config, msn: &str) -> bool {
    if cfg.partner_mode() {
        cfg.partner_msns.iter().any(|m| m == msn)
    } else {
        msn == cfg.msn
    }
}

fn is_unreserved(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

fn is_base64url(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// Checks every parameter. Errors about the client or the redirect URI (and about `state`,
/// which Vipps refuses outright) are shown as a page; the rest go back to the redirect URI.
fn validate(
    cfg: &Config,
    p: &HashMap<String, String>,
    headers: &HeaderMap,
    now: u64,
) -> Result<AuthRequest, Box<Response>> {
    let get = |k: &str| p.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let page = |status: StatusCode, error: &str, desc: &str| {
        Box::new(error_page(headers, status, error, desc))
    };

    let (client_id, msn) = match (get("client_id"), get("msn")) {
        (Some(_), Some(_)) => {
            return Err(page(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Send either client_id or msn, not both.",
            ))
        }
        (None, None) => {
            return Err(page(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "client_id (or msn for partners) is required.",
            ))
        }
        (Some(id), None) if id == cfg.client_id => (id.to_string(), None),
        (None, Some(msn)) if partner_may_use(cfg, msn) => {
            (cfg.client_id.clone(), Some(msn.to_string()))
        }
        (Some(_), None) => {
            return Err(page(
                StatusCode::BAD_REQUEST,
                "invalid_client",
                "Unknown client_id.",
            ))
        }
        (None, Some(_)) => {
            return Err(page(
                StatusCode::BAD_REQUEST,
                "invalid_client",
                "Unknown msn.",
            ))
        }
    };
    let Some(redirect_uri) = get("redirect_uri") else {
        return Err(page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "redirect_uri is required.",
        ));
    };
    if !cfg.redirect_uris.iter().any(|r| r == redirect_uri) {
        return Err(page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "redirect_uri does not exactly match a registered redirect URI.",
        ));
    }
    let state = get("state").unwrap_or("");
    if state.chars().count() >= STATE_MAX {
        return Err(page(
            StatusCode::BAD_GATEWAY,
            "bad_gateway",
            "The request was too large (state is too long).",
        ));
    }
    if state.chars().count() < STATE_MIN {
        return Err(page(
            StatusCode::BAD_REQUEST,
            "invalid_state",
            "state is required and must be at least 8 characters.",
        ));
    }
    let back = |error: &str, desc: &str| Box::new(redirect_error(redirect_uri, state, error, desc));

    match get("response_type") {
        None => return Err(back("invalid_request", "response_type is required.")),
        Some("code") => {}
        Some(_) => {
            return Err(back(
                "unsupported_response_type",
                "Only response_type=code is supported.",
            ))
        }
    }
    let Some(scope) = get("scope") else {
        return Err(back(
            "invalid_scope",
            "scope is required and must contain openid.",
        ));
    };
    let mut scopes: Vec<String> = Vec::new();
    for s in scope.split(' ').filter(|s| !s.is_empty()) {
        if !KNOWN_SCOPES.contains(&s) {
            return Err(back("invalid_scope", &format!("Unknown scope '{s}'.")));
        }
        if !scopes.iter().any(|x| x == s) {
            scopes.push(s.to_string());
        }
    }
    if !scopes.iter().any(|s| s == "openid") {
        return Err(back("invalid_scope", "scope must contain openid."));
    }
    let pkce = match (get("code_challenge"), get("code_challenge_method")) {
        (None, None) => Pkce::None,
        (None, Some(_)) => {
            return Err(back(
                "invalid_request",
                "code_challenge_method was sent without code_challenge.",
            ))
        }
        (Some(c), Some("S256")) => {
            if c.len() != 43 || !is_base64url(c) {
                return Err(back(
                    "invalid_request",
                    "An S256 code_challenge is 43 characters of base64url.",
                ));
            }
            Pkce::S256(c.to_string())
        }
        // Vipps treats a challenge without a method as plain.
        (Some(c), None | Some("plain")) => {
            if !(43..=128).contains(&c.len()) || !is_unreserved(c) {
                return Err(back(
                    "invalid_request",
                    "A plain code_challenge is 43 to 128 unreserved characters.",
                ));
            }
            Pkce::Plain(c.to_string())
        }
        (Some(_), Some(_)) => {
            return Err(back(
                "invalid_request",
                "code_challenge_method must be S256 or plain.",
            ))
        }
    };
    let flow = get("requested_flow");
    if let Some(f) = flow {
        if !FLOWS.contains(&f) {
            return Err(back("invalid_request", "Unknown requested_flow."));
        }
    }
    let app_flow = matches!(flow, Some("app_to_app" | "app_to_app_v2"));
    match (get("app_callback_uri"), app_flow) {
        (Some(_), false) => {
            return Err(back(
                "invalid_request",
                "app_callback_uri is only allowed with requested_flow=app_to_app or app_to_app_v2.",
            ))
        }
        (None, true) => {
            return Err(back(
                "invalid_app_callback_uri",
                "app-to-app flows require app_callback_uri.",
            ))
        }
        _ => {}
    }
    if flow == Some("app_to_app_v2") && pkce == Pkce::None {
        return Err(back("invalid_request", "app_to_app_v2 requires PKCE."));
    }
    if let Some(v) = get("final_redirect_is_app") {
        if v != "true" && v != "false" {
            return Err(back(
                "invalid_request",
                "final_redirect_is_app must be true or false.",
            ));
        }
    }
    Ok(AuthRequest {
        client_id,
        msn,
        redirect_uri: redirect_uri.to_string(),
        scopes,
        state: state.to_string(),
        nonce: get("nonce").map(String::from),
        pkce,
        requested_at: now,
    })
}

fn consent_page(request_id: &str, request: &AuthRequest) -> String {
    let rows: String = consent_lines(&request.scopes)
        .iter()
        .map(|(label, value)| {
            format!(
                "<li><strong>{}</strong>: {}</li>",
                html_escape(label),
                html_escape(value)
            )
        })
        .collect();
    let scopes = html_escape(&request.scopes.join(" "));
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Vipps emulator: log in</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}}button{{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}}#approve{{background:#ff5b24;color:#fff;border:0}}</style>
</head><body>
<h1>Vipps emulator</h1>
<p>Log in as the test user <strong id="user">Ola Nordmann</strong> and share:</p>
<ul id="claims">{rows}</ul>
<p>Requested scopes: <code id="scopes">{scopes}</code></p>
<form method="post" action="consent">
<input type="hidden" name="request_id" value="{id}">
<button type="submit" id="approve" name="decision" value="approve">Approve</button>
<button type="submit" id="deny" name="decision" value="deny">Deny</button>
</form>
<p><small>Local emulator: no real Vipps account is used.</small></p>
</body></html>
"#,
        id = html_escape(request_id)
    )
}
