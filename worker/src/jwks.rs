//! The Vipps JWKS, cached per isolate for [`JWKS_MAX_AGE_SECS`] and fetched again at once
//! when an ID token names a key the cached set lacks (Vipps rotated its keys). ID tokens
//! reach the worker only from Vipps' own token endpoint, so that refetch cannot be
//! triggered by a caller's forged `kid`.

use std::cell::RefCell;

use vipps_auth::http::{HttpRequest, Method};
use vipps_auth::jose::jwk::JwkSet;
use vipps_auth::jose::jwt;
use vipps_auth::jose::verify;
use vipps_auth::jose::{Algorithm, VerifiedJwt};
use vipps_auth::{Error, ErrorKind};

use crate::config::Config;
use crate::error::{Result, WorkerError};
use crate::now_secs;
use crate::upstream::{self, RetryPolicy};

/// How long a fetched JWKS is used before it is fetched again.
pub const JWKS_MAX_AGE_SECS: i64 = 300;

struct Cached {
    uri: String,
    fetched_at: i64,
    body: Vec<u8>,
}

thread_local! {
    static JWKS: RefCell<Option<Cached>> = const { RefCell::new(None) };
}

/// The JWKS document (bytes) for `uri`: cached unless stale or `force`.
pub async fn document(config: &Config<'_>, uri: &str, force: bool) -> Result<Vec<u8>> {
    let now = now_secs();
    if !force {
        let hit = JWKS.with(|c| {
            c.borrow()
                .as_ref()
                .filter(|c| c.uri == uri && now - c.fetched_at < JWKS_MAX_AGE_SECS)
                .map(|c| c.body.clone())
        });
        if let Some(body) = hit {
            return Ok(body);
        }
    }
    let request = HttpRequest {
        method: Method::Get,
        url: uri.to_owned(),
        headers: vec![("Accept".into(), "application/json".into())],
        body: Vec::new(),
    };
    let res = upstream::send(
        &request,
        RetryPolicy::idempotent(config.upstream_timeout_ms()?),
    )
    .await
    .map_err(WorkerError::from_upstream)?;
    res.error_for_status().map_err(WorkerError::from_upstream)?;
    // Parse before caching: a malformed set is never cached.
    JwkSet::parse(&res.body).map_err(WorkerError::from_upstream)?;
    JWKS.with(|c| {
        *c.borrow_mut() = Some(Cached {
            uri: uri.to_owned(),
            fetched_at: now,
            body: res.body.clone(),
        });
    });
    Ok(res.body)
}

/// Verifies the ID token's signature (RS256) with the cached JWKS, refetching the set once
/// when the token's key is not in it.
pub async fn verify_id_token(config: &Config<'_>, uri: &str, token: &str) -> Result<VerifiedJwt> {
    let parsed = jwt::parse(token).map_err(upstream_token)?;
    match verify_with(&parsed, &document(config, uri, false).await?).await {
        Err(WorkerError::Core(e)) if matches!(e.kind(), ErrorKind::KeyNotFound { .. }) => {
            verify_with(&parsed, &document(config, uri, true).await?).await
        }
        other => other,
    }
}

async fn verify_with(parsed: &jwt::UnverifiedJwt, jwks: &[u8]) -> Result<VerifiedJwt> {
    let keys = JwkSet::parse(jwks).map_err(WorkerError::from_upstream)?;
    let check = verify::prepare(parsed, &keys, &[Algorithm::RS256])?;
    let valid = crate::webcrypto::verify(&check).await?;
    Ok(check.finish(valid)?)
}

/// A token from Vipps' token endpoint that does not even parse is Vipps' fault.
fn upstream_token(e: Error) -> WorkerError {
    match *e.kind() {
        ErrorKind::JwtMalformed { reason } => WorkerError::UpstreamMalformed { reason },
        _ => WorkerError::Core(e),
    }
}
