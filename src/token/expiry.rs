//! When a cached token may be used and when it should be replaced: the policy of the
//! worker's token cache.
//!
//! Vipps' tokens live 1 hour (Access Token API, test), 24 hours (Access Token API,
//! production) and 15 minutes (partner `miami` token, both environments); a token may be
//! reused for its whole validity and several may be valid at once (Vipps, "Access token
//! API"). Fetching a new one early therefore costs nothing but a request, and the old one
//! keeps working meanwhile. So:
//!
//! - refresh once 90 % of the lifetime has passed ([`TokenLifetime::refresh_at`]): 2.4 h
//!   before the end of a 24 h token, 6 min of a 1 h token, 90 s of a 15 min token;
//! - never hand out a token with under [`MIN_REMAINING_SEC`] left, so a request signed with
//!   it cannot expire in flight ([`TokenLifetime::is_usable`]).
//!
//! All times are seconds since the Unix epoch; the caller passes the clock in.

use super::access_token::AccessTokenResponse;
use super::miami::MiamiTokenResponse;

/// Least time in seconds a token must still have to be handed out.
pub const MIN_REMAINING_SEC: i64 = 60;

/// When a token was obtained and when it expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetime {
    /// When the response arrived.
    pub obtained_at: i64,
    /// When the token expires.
    pub expires_at: i64,
}

impl TokenLifetime {
    /// A token that lives `expires_in` seconds from `obtained_at` (RFC 6749 section 5.1).
    /// A negative `expires_in` counts as 0.
    pub fn from_expires_in(obtained_at: i64, expires_in: i64) -> Self {
        Self {
            obtained_at,
            expires_at: obtained_at.saturating_add(expires_in.max(0)),
        }
    }

    /// A token's lifetime from `expires_in` and, when given and sane, the absolute
    /// `expires_on`: the earlier of `expires_on` and `obtained_at + expires_in`, so neither
    /// a server clock ahead of ours nor network delay can stretch the lifetime. An
    /// `expires_on` that is not after `obtained_at` (a clock far off) is ignored.
    pub fn new(obtained_at: i64, expires_in: i64, expires_on: Option<i64>) -> Self {
        let relative = Self::from_expires_in(obtained_at, expires_in);
        match expires_on {
            Some(on) if on > obtained_at && on < relative.expires_at => Self {
                obtained_at,
                expires_at: on,
            },
            _ => relative,
        }
    }

    /// The lifetime of an Access Token API token received at `obtained_at`.
    pub fn for_access_token(res: &AccessTokenResponse, obtained_at: i64) -> Self {
        Self::new(obtained_at, res.expires_in, res.expires_on)
    }

    /// The lifetime of a partner (`miami`) token received at `obtained_at`.
    pub fn for_miami_token(res: &MiamiTokenResponse, obtained_at: i64) -> Self {
        Self::from_expires_in(obtained_at, res.expires_in)
    }

    fn lifetime(&self) -> i64 {
        self.expires_at.saturating_sub(self.obtained_at).max(0)
    }

    /// When 90 % of the lifetime has passed: the time to fetch a replacement.
    pub fn refresh_at(&self) -> i64 {
        let l = self.lifetime();
        // 9/10 of l without overflow.
        self.obtained_at
            .saturating_add(l / 10 * 9 + l % 10 * 9 / 10)
    }

    /// Seconds left at `now`, never negative.
    pub fn remaining(&self, now: i64) -> i64 {
        self.expires_at.saturating_sub(now).max(0)
    }

    /// Whether the token may be handed out at `now`: at least [`MIN_REMAINING_SEC`] left.
    pub fn is_usable(&self, now: i64) -> bool {
        self.remaining(now) >= MIN_REMAINING_SEC
    }

    /// Whether a replacement should be fetched at `now`: past [`Self::refresh_at`], or no
    /// longer usable.
    pub fn should_refresh(&self, now: i64) -> bool {
        now >= self.refresh_at() || !self.is_usable(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::AccessToken;

    const T0: i64 = 1_700_000_000;
    const DAY: i64 = 86_400;

    #[test]
    fn production_token_refreshes_after_90_percent_of_24_hours() {
        let l = TokenLifetime::from_expires_in(T0, DAY);
        assert_eq!(l.expires_at, T0 + DAY);
        assert_eq!(l.refresh_at(), T0 + 77_760);
        assert!(!l.should_refresh(T0 + 77_759));
        assert!(l.should_refresh(T0 + 77_760));
        assert!(l.is_usable(T0 + 77_760));
    }

    #[test]
    fn test_and_miami_tokens_refresh_at_54_and_13_5_minutes() {
        assert_eq!(
            TokenLifetime::from_expires_in(T0, 3600).refresh_at(),
            T0 + 3240
        );
        assert_eq!(
            TokenLifetime::from_expires_in(T0, 900).refresh_at(),
            T0 + 810
        );
        assert_eq!(
            TokenLifetime::from_expires_in(T0, 86_398).refresh_at(),
            T0 + 77_758
        );
    }

    #[test]
    fn a_token_with_under_a_minute_left_is_not_usable() {
        let l = TokenLifetime::from_expires_in(T0, 900);
        assert!(l.is_usable(T0 + 840));
        assert_eq!(l.remaining(T0 + 840), MIN_REMAINING_SEC);
        assert!(!l.is_usable(T0 + 841));
        assert!(!l.is_usable(T0 + 900));
        assert!(!l.is_usable(T0 + 10_000));
        assert!(l.should_refresh(T0 + 841));
    }

    #[test]
    fn a_token_shorter_than_a_minute_is_never_usable() {
        let l = TokenLifetime::from_expires_in(T0, 30);
        assert!(!l.is_usable(T0));
        assert!(l.should_refresh(T0));
    }

    #[test]
    fn a_fresh_token_is_usable_and_needs_no_refresh() {
        let l = TokenLifetime::from_expires_in(T0, 3600);
        assert!(l.is_usable(T0));
        assert!(!l.should_refresh(T0));
        assert_eq!(l.remaining(T0), 3600);
    }

    #[test]
    fn remaining_is_never_negative() {
        let l = TokenLifetime::from_expires_in(T0, 60);
        assert_eq!(l.remaining(T0 + 61), 0);
        assert_eq!(l.remaining(i64::MIN), i64::MAX);
        assert_eq!(l.remaining(i64::MAX), 0);
    }

    #[test]
    fn uses_expires_on_when_it_is_earlier_and_after_obtained_at() {
        let l = TokenLifetime::new(T0, 3600, Some(T0 + 3500));
        assert_eq!(l.expires_at, T0 + 3500);
        assert_eq!(l.refresh_at(), T0 + 3150);
    }

    #[test]
    fn ignores_expires_on_that_is_later_past_or_absent() {
        assert_eq!(
            TokenLifetime::new(T0, 3600, Some(T0 + 3700)).expires_at,
            T0 + 3600
        );
        assert_eq!(TokenLifetime::new(T0, 3600, Some(T0)).expires_at, T0 + 3600);
        assert_eq!(
            TokenLifetime::new(T0, 3600, Some(T0 - 5)).expires_at,
            T0 + 3600
        );
        assert_eq!(TokenLifetime::new(T0, 3600, None).expires_at, T0 + 3600);
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        let l = TokenLifetime::from_expires_in(i64::MAX - 10, i64::MAX);
        assert_eq!(l.expires_at, i64::MAX);
        assert!(l.refresh_at() >= l.obtained_at);
        let l = TokenLifetime::from_expires_in(T0, -5);
        assert_eq!(l.expires_at, T0);
        assert!(l.should_refresh(T0));
        let l = TokenLifetime {
            obtained_at: i64::MIN,
            expires_at: i64::MAX,
        };
        assert!(l.obtained_at < l.refresh_at() && l.refresh_at() < l.expires_at);
        let l = TokenLifetime {
            obtained_at: T0,
            expires_at: T0 - 100,
        };
        assert_eq!(l.refresh_at(), T0);
    }

    #[test]
    fn lifetimes_come_from_access_token_and_miami_responses() {
        let res = AccessTokenResponse {
            access_token: AccessToken::new("t"),
            token_type: "Bearer".into(),
            expires_in: 86_398,
            ext_expires_in: Some(0),
            expires_on: Some(T0 + 86_390),
            not_before: Some(T0 - 5),
            resource: None,
        };
        assert_eq!(
            TokenLifetime::for_access_token(&res, T0).expires_at,
            T0 + 86_390
        );
        let res = MiamiTokenResponse {
            access_token: AccessToken::new("t"),
            token_type: "Bearer".into(),
            expires_in: 900,
            scope: None,
        };
        assert_eq!(
            TokenLifetime::for_miami_token(&res, T0),
            TokenLifetime {
                obtained_at: T0,
                expires_at: T0 + 900
            }
        );
    }
}
