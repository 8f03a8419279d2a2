//! The last steps of every login that ends with tokens: verify the ID token's signature
//! (WebCrypto, Vipps' JWKS), validate its claims (OpenID Connect Core 1.0 section 3.1.3.7),
//! fetch userinfo with the access token (when asked), and answer `{idToken, claims,
//! userinfo?}`: never the access token. Used by the code exchange (`login_exchange`) and by
//! merchant-initiated login (`ciba_session`).

use serde::{Deserialize, Serialize};
use vipps_auth::discovery::Endpoints;
use vipps_auth::id_token::{self, IdTokenExpectations};
use vipps_auth::json;
use vipps_auth::secret::AccessToken;
use vipps_auth::token::userinfo::{process_userinfo_response, userinfo_request};

use crate::config::Config;
use crate::error::{Result, WorkerError};
use crate::jwks;
use crate::now_secs;
use crate::upstream::{self, RetryPolicy};

/// What a finished login answers with. Its `Debug` shows none of it: the ID token is a
/// bearer credential and the claims are the user's personal data.
#[derive(Clone, Serialize, Deserialize)]
pub struct Identity {
    #[serde(rename = "idToken")]
    pub id_token: String,
    pub claims: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub userinfo: Option<serde_json::Value>,
}

impl core::fmt::Debug for Identity {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Identity")
            .field("userinfo", &self.userinfo.is_some())
            .finish_non_exhaustive()
    }
}

/// Verifies and validates `id_token` against `expect` (its `access_token` is set here, for
/// `at_hash`), then, with `include_userinfo`, fetches userinfo for the token's `sub`.
pub async fn identity(
    config: &Config<'_>,
    endpoints: &Endpoints,
    id_token: String,
    access_token: &AccessToken,
    mut expect: IdTokenExpectations,
    include_userinfo: bool,
) -> Result<Identity> {
    let verified = jwks::verify_id_token(config, &endpoints.jwks_uri, &id_token).await?;
    expect.access_token = Some(access_token.clone());
    let claims = id_token::validate(&verified, &expect, now_secs())?;
    let sub = claims.get_str("sub").map(str::to_owned);
    let claims_json = to_serde(claims);
    let userinfo = if include_userinfo {
        Some(userinfo(config, endpoints, access_token, sub.as_deref()).await?)
    } else {
        None
    };
    Ok(Identity {
        id_token,
        claims: claims_json,
        userinfo,
    })
}

/// `GET` userinfo with the access token; its `sub` must be the ID token's (OpenID Connect
/// Core 1.0 section 5.3.2).
async fn userinfo(
    config: &Config<'_>,
    endpoints: &Endpoints,
    access_token: &AccessToken,
    sub: Option<&str>,
) -> Result<serde_json::Value> {
    let timeout = config.upstream_timeout_ms()?;
    let request = userinfo_request(&endpoints.userinfo_endpoint, access_token)?;
    let res = upstream::send(&request, RetryPolicy::idempotent(timeout))
        .await
        .map_err(WorkerError::from_upstream)?;
    let info = process_userinfo_response(&res, sub).map_err(WorkerError::from_upstream)?;
    Ok(to_serde(&info))
}

/// The core's JSON object as a `serde_json` value.
fn to_serde(object: &json::Object) -> serde_json::Value {
    serde_json::from_str(&json::Value::Object(object.clone()).to_json())
        .unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::Identity;

    #[test]
    fn debug_shows_neither_the_id_token_nor_the_claims() {
        let identity = Identity {
            id_token: "eyJ.secret-id-token.sig".into(),
            claims: serde_json::json!({"sub": "user-sub-123"}),
            userinfo: Some(serde_json::json!({"email": "ola@example.com"})),
        };
        let shown = format!("{identity:?}");
        for secret in ["secret-id-token", "user-sub-123", "ola@example.com"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
