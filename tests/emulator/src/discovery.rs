//! OIDC discovery (`.well-known/openid-configuration`) and the JWKS (`.well-known/jwks.json`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::state::{lock, Shared};
use crate::user::KNOWN_SCOPES;
use crate::util::{json as json_response, now};

pub async fn openid_configuration(State(state): State<Shared>) -> Response {
    let issuer = state.issuer();
    let base = state.config.base_url();
    json_response(
        StatusCode::OK,
        json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}oauth2/auth"),
            "token_endpoint": format!("{issuer}oauth2/token"),
            "jwks_uri": format!("{issuer}.well-known/jwks.json"),
            "userinfo_endpoint": format!("{base}{}", crate::USERINFO_PATH),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": [
                "authorization_code",
                "urn:openid:params:grant-type:ciba",
                "urn:vipps:params:grant-type:ciba-redirect"
            ],
            "backchannel_authentication_endpoint": format!("{base}{}", crate::CIBA_AUTHENTICATION_PATH),
            "backchannel_token_delivery_modes_supported": ["poll"],
            "backchannel_user_code_parameter_supported": false,
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["none"],
            "scopes_supported": KNOWN_SCOPES,
            "claims_supported": [
                "iss", "aud", "exp", "iat", "auth_time", "nonce", "sub", "at_hash", "sid",
                "jti", "rat", "amr", "msn", "auth_req_id", "name", "given_name", "family_name", "email",
                "email_verified", "phone_number", "address", "birthdate", "nin"
            ],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256", "plain"],
            "request_parameter_supported": false,
            "request_uri_parameter_supported": false,
            "claims_parameter_supported": false,
        }),
    )
}

pub async fn jwks(State(state): State<Shared>) -> Response {
    let body = lock(&state.keys).jwks(now());
    json_response(StatusCode::OK, body)
}
