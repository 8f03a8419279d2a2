//! Which scope a Vipps login may ask for, and be granted. `LOGIN_SCOPE` is the widest: the
//! deployment, not the caller, decides which personal data a login may reach. Scope values
//! are compared exactly (RFC 6749 section 3.3: space-delimited, case-sensitive).
//!
//! The authorize URL passes through the caller (it is the caller's to open), so the scope in it
//! is only what the caller chose to send: after the code exchange the token response's `scope`
//! (RFC 6749 section 5.1: what Vipps granted; Vipps' Login API sends it) is checked against
//! `LOGIN_SCOPE` and, for a login started with `/login/start`, against the scope that login
//! asked for, before the ID token is checked or userinfo fetched.

use vipps_auth::ErrorKind;

use crate::error::{Result, WorkerError};

/// A requested scope may only narrow `allowed`: each of its values must be one of `allowed`'s
/// (the core still requires `openid`).
pub fn check_requested(requested: &str, allowed: &str) -> Result<()> {
    if within(requested, allowed) {
        Ok(())
    } else {
        Err(WorkerError::Core(
            ErrorKind::InvalidParams {
                param: "scope",
                reason: "may only hold values of the worker's LOGIN_SCOPE",
            }
            .into(),
        ))
    }
}

/// The token response's `scope` must lie within every one of `limits`. A response without
/// `scope` is refused too: RFC 6749 section 5.1 lets a server leave it out when it granted
/// exactly what the authorize request asked for, but that request went through the caller's
/// hands, so without `scope` the worker cannot tell what was granted.
pub fn check_granted(granted: Option<&str>, limits: &[&str]) -> Result<()> {
    let Some(granted) = granted else {
        return Err(WorkerError::UpstreamMalformed {
            reason: "the token response does not say which scope was granted (scope)",
        });
    };
    if limits.iter().all(|limit| within(granted, limit)) {
        Ok(())
    } else {
        Err(WorkerError::ScopeNotAllowed)
    }
}

/// Whether every value of `scope` is one of `allowed`'s.
fn within(scope: &str, allowed: &str) -> bool {
    let allowed: Vec<&str> = allowed.split_whitespace().collect();
    scope.split_whitespace().all(|v| allowed.contains(&v))
}

#[cfg(test)]
mod tests {
    use super::{check_granted, check_requested};

    #[test]
    fn a_requested_scope_may_only_narrow_login_scope() {
        let allowed = "openid name email phoneNumber";
        assert!(check_requested("openid", allowed).is_ok());
        assert!(check_requested("openid email", allowed).is_ok());
        assert!(check_requested(" openid  name ", allowed).is_ok());
        let e = check_requested("openid nin", allowed).unwrap_err();
        assert_eq!((e.code(), e.status()), ("ERR_INVALID_PARAMS", 400));
        assert!(check_requested("openid emai", allowed).is_err());
        assert!(check_requested("openid Email", allowed).is_err());
    }

    #[test]
    fn a_granted_scope_must_lie_within_every_limit() {
        let login_scope = "openid name email phoneNumber";
        let started = "openid name";
        assert!(check_granted(Some("openid name"), &[login_scope, started]).is_ok());
        assert!(check_granted(Some("name openid"), &[login_scope, started]).is_ok());
        assert!(check_granted(Some("openid"), &[login_scope, started]).is_ok());
        for wider in ["openid name nin", "openid name email", "openid Name"] {
            let e = check_granted(Some(wider), &[login_scope, started]).unwrap_err();
            assert_eq!(
                (e.code(), e.status()),
                ("ERR_SCOPE_NOT_ALLOWED", 403),
                "{wider}"
            );
        }
        assert!(check_granted(Some("openid email"), &[login_scope]).is_ok());
        assert!(check_granted(Some("openid address"), &[login_scope]).is_err());
    }

    #[test]
    fn a_token_response_without_scope_is_refused() {
        let e = check_granted(None, &["openid name"]).unwrap_err();
        assert_eq!((e.code(), e.status()), ("ERR_UPSTREAM_MALFORMED", 502));
    }
}
