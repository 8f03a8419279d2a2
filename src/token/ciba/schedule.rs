//! When a merchant-initiated login may be polled again: a sans-IO schedule that a server
//! keeps per `auth_req_id` and consults however often its own callers ask.
//!
//! The rules (CIBA Core 1.0 sections 7.3, 10.1 and 11; RFC 9110 section 10.2.3):
//! - polls are at least `interval` seconds apart, "measured from the instant when a polling
//!   request is sent"; the first poll comes `interval` after the start was acknowledged;
//! - never two polls of one `auth_req_id` at once ("A Client MUST NOT send two overlapping
//!   requests with the same `auth_req_id`");
//! - `slow_down`: "the interval MUST be increased by at least 5 seconds for this and all
//!   subsequent requests";
//! - `429` / `503` with `Retry-After`: not before the time it names; without a readable one,
//!   not before `interval` after the answer; the same after a failed poll (network, 5xx);
//! - after `expires_in` (counted from when the start request was sent, the conservative end)
//!   the login is over and no poll is sent.
//!
//! Times are milliseconds since the epoch, so the schedule is exact however coarse the
//! callers' own retries are.

use super::poll::CibaPoll;
use super::start::CibaStarted;

/// How much `slow_down` adds to the interval, in milliseconds (CIBA Core 1.0 section 11).
pub const SLOW_DOWN_STEP_MS: i64 = 5_000;

/// A poll with no answer after this long (ms) is taken as lost, so that a server that lost
/// it (e.g. restarted) does not wait forever. Longer than any single upstream call.
pub const LOST_POLL_MS: i64 = 65_000;

/// What to do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollDecision {
    /// Send one poll now; call [`PollSchedule::poll_sent`] before sending it.
    PollNow,
    /// Do not poll before `until` (ms since the epoch).
    Wait {
        /// The earliest time of the next poll.
        until: i64,
    },
    /// The login expired ([`crate::ErrorKind::CibaExpired`]): poll no more.
    Expired,
}

/// The polling state of one `auth_req_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollSchedule {
    /// The least time between two polls, in ms: `interval`, plus 5 s for each `slow_down`.
    pub interval_ms: i64,
    /// The earliest time the next poll may be sent (ms since the epoch).
    pub next_poll_at: i64,
    /// When the login expires (ms since the epoch).
    pub expires_at: i64,
    /// When the poll now in flight was sent, if one is.
    pub in_flight_since: Option<i64>,
}

impl PollSchedule {
    /// The schedule of a login whose start request was sent at `sent_at` and acknowledged
    /// (`started`) at `received_at` (both ms since the epoch).
    pub fn new(started: &CibaStarted, sent_at: i64, received_at: i64) -> Self {
        let interval_ms = started.interval.saturating_mul(1000);
        PollSchedule {
            interval_ms,
            next_poll_at: received_at.max(sent_at).saturating_add(interval_ms),
            expires_at: sent_at.saturating_add(started.expires_in.saturating_mul(1000)),
            in_flight_since: None,
        }
    }

    /// What to do at `now`: poll, wait, or give up.
    pub fn decide(&self, now: i64) -> PollDecision {
        if now >= self.expires_at {
            return PollDecision::Expired;
        }
        if let Some(sent) = self.in_flight_since {
            if now < sent.saturating_add(LOST_POLL_MS) {
                // One poll at a time: ask again in a moment, or when the next one is due.
                return PollDecision::Wait {
                    until: self.next_poll_at.max(now.saturating_add(1000)),
                };
            }
        }
        if now < self.next_poll_at {
            PollDecision::Wait {
                until: self.next_poll_at,
            }
        } else {
            PollDecision::PollNow
        }
    }

    /// Records that a poll is being sent at `now`: the next one is due `interval` later.
    pub fn poll_sent(&mut self, now: i64) {
        self.in_flight_since = Some(now);
        self.next_poll_at = now.saturating_add(self.interval_ms);
    }

    /// Records the answer to the poll in flight, received at `received_at`.
    pub fn answered(&mut self, answer: &CibaPoll, received_at: i64) {
        let sent = self.in_flight_since.take().unwrap_or(received_at);
        match answer {
            CibaPoll::Approved(_) | CibaPoll::Pending => {}
            CibaPoll::SlowDown => {
                // "for this and all subsequent requests": the interval after this poll too.
                self.interval_ms = self.interval_ms.saturating_add(SLOW_DOWN_STEP_MS);
                self.next_poll_at = self.next_poll_at.max(sent.saturating_add(self.interval_ms));
            }
            CibaPoll::RetryAfter(Some(after)) => self.not_before(after.until_ms(received_at)),
            CibaPoll::RetryAfter(None) => {
                self.not_before(received_at.saturating_add(self.interval_ms))
            }
        }
    }

    /// Records that the poll in flight failed without an answer that ends the login (a
    /// network failure, a timeout, a 5xx): the next poll waits a whole interval from now.
    pub fn failed(&mut self, received_at: i64) {
        self.in_flight_since = None;
        self.not_before(received_at.saturating_add(self.interval_ms));
    }

    fn not_before(&mut self, at: i64) {
        self.next_poll_at = self.next_poll_at.max(at);
    }
}

/// Whole seconds from `now` to `until`, rounded up and at least 1: what to tell a caller
/// who must wait (a `retryAfter`, a `Retry-After`).
pub fn seconds_until(until: i64, now: i64) -> i64 {
    let ms = until.saturating_sub(now).max(1);
    ms.saturating_add(999) / 1000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry_after::RetryAfter;

    const T0: i64 = 1_700_000_000_000;

    fn started(expires_in: i64, interval: i64) -> CibaStarted {
        CibaStarted {
            auth_req_id: "id".into(),
            expires_in,
            interval,
        }
    }

    fn schedule() -> PollSchedule {
        PollSchedule::new(&started(600, 5), T0, T0 + 40)
    }

    #[test]
    fn the_first_poll_waits_one_interval_after_the_acknowledgement() {
        let s = schedule();
        assert_eq!(s.decide(T0 + 40), PollDecision::Wait { until: T0 + 5_040 });
        assert_eq!(
            s.decide(T0 + 5_039),
            PollDecision::Wait { until: T0 + 5_040 }
        );
        assert_eq!(s.decide(T0 + 5_040), PollDecision::PollNow);
    }

    #[test]
    fn polls_are_an_interval_apart_counted_from_the_send() {
        let mut s = schedule();
        s.poll_sent(T0 + 5_040);
        s.answered(&CibaPoll::Pending, T0 + 5_900);
        assert_eq!(
            s.decide(T0 + 10_039),
            PollDecision::Wait { until: T0 + 10_040 }
        );
        assert_eq!(s.decide(T0 + 10_040), PollDecision::PollNow);
    }

    #[test]
    fn never_two_polls_at_once_even_when_the_answer_is_late() {
        let mut s = schedule();
        s.poll_sent(T0 + 5_040);
        // The interval has passed, but the first poll has no answer yet.
        assert_eq!(
            s.decide(T0 + 20_000),
            PollDecision::Wait { until: T0 + 21_000 }
        );
        s.answered(&CibaPoll::Pending, T0 + 20_500);
        assert_eq!(
            s.decide(T0 + 20_500),
            PollDecision::PollNow,
            "the interval passed while waiting: poll at once"
        );
    }

    #[test]
    fn a_poll_lost_without_an_answer_does_not_block_forever() {
        let mut s = schedule();
        s.poll_sent(T0 + 5_040);
        assert!(matches!(
            s.decide(T0 + 5_040 + LOST_POLL_MS - 1),
            PollDecision::Wait { .. }
        ));
        assert_eq!(s.decide(T0 + 5_040 + LOST_POLL_MS), PollDecision::PollNow);
    }

    #[test]
    fn slow_down_adds_five_seconds_to_this_and_every_later_interval() {
        let mut s = schedule();
        s.poll_sent(T0 + 5_040);
        s.answered(&CibaPoll::SlowDown, T0 + 5_100);
        assert_eq!(s.interval_ms, 10_000);
        assert_eq!(
            s.decide(T0 + 15_039),
            PollDecision::Wait { until: T0 + 15_040 }
        );
        s.poll_sent(T0 + 15_040);
        s.answered(&CibaPoll::SlowDown, T0 + 15_100);
        assert_eq!(s.interval_ms, 15_000);
        s.poll_sent(T0 + 30_040);
        s.answered(&CibaPoll::Pending, T0 + 30_100);
        assert_eq!(
            s.decide(T0 + 45_039),
            PollDecision::Wait { until: T0 + 45_040 },
            "the longer interval stays"
        );
    }

    #[test]
    fn retry_after_is_honoured_and_never_shortens_the_interval() {
        let mut s = schedule();
        s.poll_sent(T0 + 5_040);
        s.answered(
            &CibaPoll::RetryAfter(Some(RetryAfter::Delay(30))),
            T0 + 5_200,
        );
        assert_eq!(
            s.decide(T0 + 35_199),
            PollDecision::Wait { until: T0 + 35_200 }
        );
        s.poll_sent(T0 + 35_200);
        s.answered(
            &CibaPoll::RetryAfter(Some(RetryAfter::Delay(1))),
            T0 + 35_300,
        );
        assert_eq!(
            s.decide(T0 + 36_300),
            PollDecision::Wait { until: T0 + 40_200 },
            "1 s is less than the interval"
        );
        s.poll_sent(T0 + 40_200);
        s.answered(&CibaPoll::RetryAfter(None), T0 + 41_000);
        assert_eq!(
            s.decide(T0 + 45_999),
            PollDecision::Wait { until: T0 + 46_000 },
            "no readable Retry-After: an interval from the answer"
        );
        assert_eq!(
            s.interval_ms, 5_000,
            "a 429 does not change the interval itself"
        );
    }

    #[test]
    fn a_failed_poll_waits_an_interval_from_the_failure() {
        let mut s = schedule();
        s.poll_sent(T0 + 5_040);
        s.failed(T0 + 13_000);
        assert_eq!(s.in_flight_since, None);
        assert_eq!(
            s.decide(T0 + 17_999),
            PollDecision::Wait { until: T0 + 18_000 }
        );
    }

    #[test]
    fn expiry_counts_from_the_start_request_and_stops_polling() {
        let mut s = PollSchedule::new(&started(12, 5), T0, T0 + 900);
        assert_eq!(s.expires_at, T0 + 12_000);
        s.poll_sent(T0 + 5_900);
        s.answered(&CibaPoll::Pending, T0 + 6_000);
        assert_eq!(
            s.decide(T0 + 10_899),
            PollDecision::Wait { until: T0 + 10_900 }
        );
        assert_eq!(s.decide(T0 + 11_999), PollDecision::PollNow);
        assert_eq!(s.decide(T0 + 12_000), PollDecision::Expired);
        s.answered(
            &CibaPoll::RetryAfter(Some(RetryAfter::Delay(3600))),
            T0 + 6_000,
        );
        assert_eq!(
            s.decide(T0 + 12_000),
            PollDecision::Expired,
            "a long Retry-After ends in expiry, not a poll"
        );
    }

    #[test]
    fn however_often_callers_ask_polls_stay_an_interval_apart() {
        // 50 callers asking every 100 ms for two minutes; Vipps answers pending, sometimes
        // slow_down or 429; each answer takes 300 ms. The upstream polls are counted.
        let mut s = PollSchedule::new(&started(600, 5), T0, T0);
        let mut sent: Vec<i64> = Vec::new();
        let mut in_flight: Option<(i64, usize)> = None;
        let mut now = T0;
        while now < T0 + 120_000 {
            if let Some((at, n)) = in_flight {
                if now >= at + 300 {
                    let answer = match n % 7 {
                        3 => CibaPoll::SlowDown,
                        5 => CibaPoll::RetryAfter(Some(RetryAfter::Delay(8))),
                        _ => CibaPoll::Pending,
                    };
                    s.answered(&answer, now);
                    in_flight = None;
                }
            }
            for _caller in 0..50 {
                if s.decide(now) == PollDecision::PollNow {
                    s.poll_sent(now);
                    in_flight = Some((now, sent.len()));
                    sent.push(now);
                }
            }
            now += 100;
        }
        assert!(sent.len() > 5, "it does poll: {}", sent.len());
        for pair in sent.windows(2) {
            assert!(
                pair[1] - pair[0] >= 5_000,
                "polls {} ms apart",
                pair[1] - pair[0]
            );
        }
        assert_eq!(sent[0], T0 + 5_000);
    }

    #[test]
    fn seconds_until_rounds_up_and_is_at_least_one() {
        assert_eq!(seconds_until(T0 + 5_000, T0), 5);
        assert_eq!(seconds_until(T0 + 4_001, T0), 5);
        assert_eq!(seconds_until(T0, T0), 1);
        assert_eq!(seconds_until(T0 - 10, T0), 1);
    }
}
