//! The worker's routes: each path, the methods it takes and the limit it counts against, in
//! one table that the router, `Allow` and preflight answers all read.

use crate::rate_limit::Limit;

/// A route of the worker's HTTP interface (DESIGN.md, "Worker: the HTTP interface").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Healthz,
    LoginConfig,
    LoginJwks,
    LoginStart,
    LoginToken,
    LoginResult,
    AccessToken,
    MiamiToken,
    CibaStart,
    CibaPoll,
    CibaToken,
}

/// A method a route can take, read from the raw request line: a method the platform's
/// `Method` enum does not know maps to nothing here (never to GET).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Head,
    Post,
    Options,
}

impl Verb {
    /// The verb for the method as sent (methods are case-sensitive, RFC 9110 section 9.1).
    pub fn of(method: &str) -> Option<Verb> {
        match method {
            "GET" => Some(Verb::Get),
            "HEAD" => Some(Verb::Head),
            "POST" => Some(Verb::Post),
            "OPTIONS" => Some(Verb::Options),
            _ => None,
        }
    }
}

const READ: &str = "GET, HEAD, OPTIONS";
const WRITE: &str = "POST, OPTIONS";

impl Route {
    /// The route at `path`, matched exactly.
    pub fn of(path: &str) -> Option<Route> {
        Some(match path {
            "/healthz" => Route::Healthz,
            "/login/config" => Route::LoginConfig,
            "/login/jwks" => Route::LoginJwks,
            "/login/start" => Route::LoginStart,
            "/login/token" => Route::LoginToken,
            "/login/result" => Route::LoginResult,
            "/accesstoken" => Route::AccessToken,
            "/miami/token" => Route::MiamiToken,
            "/login/ciba/start" => Route::CibaStart,
            "/login/ciba/poll" => Route::CibaPoll,
            "/login/ciba/token" => Route::CibaToken,
            _ => return None,
        })
    }

    /// Whether the route does something on the caller's behalf (POST) rather than read.
    pub fn is_post(self) -> bool {
        !matches!(self, Route::Healthz | Route::LoginConfig | Route::LoginJwks)
    }

    /// The `Allow` value (RFC 9110 section 10.2.1), also the preflight's allowed methods.
    pub fn allow(self) -> &'static str {
        if self.is_post() {
            WRITE
        } else {
            READ
        }
    }

    /// Whether the route takes `verb` (OPTIONS, the preflight, is answered before).
    pub fn takes(self, verb: Verb) -> bool {
        match verb {
            Verb::Get | Verb::Head => !self.is_post(),
            Verb::Post => self.is_post(),
            Verb::Options => true,
        }
    }

    /// The limit per client for routes anyone may call without a key.
    pub fn rate_limit(self) -> Option<Limit> {
        match self {
            Route::LoginStart => Some(Limit::StartLogin),
            Route::LoginToken => Some(Limit::ExchangeCode),
            Route::LoginResult => Some(Limit::CollectResult),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Route, Verb};

    #[test]
    fn only_the_methods_a_route_takes_reach_it() {
        assert!(Route::Healthz.takes(Verb::Get) && Route::Healthz.takes(Verb::Head));
        assert!(!Route::Healthz.takes(Verb::Post));
        assert!(Route::LoginToken.takes(Verb::Post) && !Route::LoginToken.takes(Verb::Get));
        for method in [
            "PROPFIND", "get", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "",
        ] {
            assert_eq!(Verb::of(method), None, "{method}");
        }
        assert_eq!(Route::LoginResult.allow(), "POST, OPTIONS");
        assert_eq!(Route::LoginJwks.allow(), "GET, HEAD, OPTIONS");
    }

    #[test]
    fn the_unauthenticated_login_routes_are_rate_limited_and_no_other() {
        let limited: Vec<_> = [
            "/healthz",
            "/login/config",
            "/login/jwks",
            "/login/start",
            "/login/token",
            "/login/result",
            "/accesstoken",
            "/miami/token",
            "/login/ciba/start",
            "/login/ciba/poll",
            "/login/ciba/token",
        ]
        .into_iter()
        .filter(|p| Route::of(p).and_then(Route::rate_limit).is_some())
        .collect();
        assert_eq!(limited, ["/login/start", "/login/token", "/login/result"]);
        assert_eq!(Route::of("/login/token/"), None);
    }
}
