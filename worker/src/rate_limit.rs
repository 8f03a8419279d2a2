//! Per-client limits on the routes anyone may call without a key (`/login/start`,
//! `/login/token`, `/login/result`), with Cloudflare's Rate Limiting binding: one
//! `[[ratelimits]]` binding per route in wrangler.toml, keyed by the client's address
//! (`CF-Connecting-IP`, which Cloudflare sets and a client cannot). Over the limit the answer
//! is 429 `ERR_RATE_LIMITED` with `Retry-After` (RFC 9110 section 10.2.3).
//!
//! The limits bound what one client can make the worker do (Durable Object writes, calls to
//! Vipps); they are not what keeps `sessionKey` safe (256 random bits are). Cloudflare counts
//! per location and approximately (its documentation: "Rate Limiting"), so they are set far
//! above what a person needs: see worker/README.md, "Limits".

use std::net::IpAddr;

use worker::{Env, Request};

use crate::error::{Result, WorkerError};

/// The longest window Cloudflare's binding counts in (`period` is 10 or 60 seconds): waiting
/// this long always finds a fresh window.
pub const RETRY_AFTER_SECS: u32 = 60;
/// Longest `CF-Connecting-IP` read (an IPv6 address with a zone is under 64).
const MAX_ADDRESS_LEN: usize = 64;

/// Which limit a route counts against: one binding each, so each has its own budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `POST /login/start`: each call stores a login session.
    StartLogin,
    /// `POST /login/token`: each call may exchange a code at Vipps.
    ExchangeCode,
    /// `POST /login/result`: the starting browser polls it while the user approves.
    CollectResult,
}

impl Limit {
    /// The binding's name in wrangler.toml.
    pub fn binding(self) -> &'static str {
        match self {
            Limit::StartLogin => "RATE_LIMIT_LOGIN_START",
            Limit::ExchangeCode => "RATE_LIMIT_LOGIN_TOKEN",
            Limit::CollectResult => "RATE_LIMIT_LOGIN_RESULT",
        }
    }
}

/// Counts the request against `limit` for its client; `ERR_RATE_LIMITED` once over it.
/// A missing binding is `ERR_CONFIG` naming it: a deployment without limits is refused, not
/// left open.
pub async fn check(env: &Env, req: &Request, limit: Limit) -> Result<()> {
    let limiter = env
        .rate_limiter(limit.binding())
        .map_err(|_| WorkerError::Config {
            setting: limit.binding(),
            reason: "is not a Rate Limiting binding ([[ratelimits]] in wrangler.toml)",
        })?;
    let address = req.headers().get("CF-Connecting-IP").ok().flatten();
    let outcome = limiter.limit(client_key(address.as_deref())).await?;
    if outcome.success {
        Ok(())
    } else {
        Err(WorkerError::RateLimited)
    }
}

/// The key a client is counted under: its IPv4 address, or the /64 of its IPv6 address (one
/// subscriber usually holds a whole /64, so counting single IPv6 addresses would let one
/// client count as 2^64). No address or an unreadable one shares the key `unknown`.
pub fn client_key(address: Option<&str>) -> String {
    let parsed = address
        .filter(|a| a.len() <= MAX_ADDRESS_LEN)
        .and_then(|a| a.trim().parse::<IpAddr>().ok());
    match parsed {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::client_key;

    #[test]
    fn ipv4_clients_are_counted_per_address() {
        assert_eq!(client_key(Some("203.0.113.7")), "203.0.113.7");
        assert_eq!(client_key(Some("::ffff:203.0.113.7")), "203.0.113.7");
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_prefix() {
        let a = client_key(Some("2001:db8:1:2:aaaa::1"));
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, client_key(Some("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assert_ne!(a, client_key(Some("2001:db8:1:3::1")));
    }

    #[test]
    fn a_missing_or_garbage_address_shares_one_key() {
        assert_eq!(client_key(None), "unknown");
        assert_eq!(client_key(Some("not an address")), "unknown");
        assert_eq!(client_key(Some(&"1".repeat(100))), "unknown");
    }
}
