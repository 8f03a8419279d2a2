//! The `Retry-After` response header (RFC 9110 section 10.2.3): how long a client must wait
//! after a `429 Too Many Requests` (RFC 6585 section 4) or a `503 Service Unavailable`.
//! Vipps answers a CIBA login started too often toward one user with 429 and
//! `Retry-After` ("Merchant-initiated login", error responses).
//!
//! `Retry-After = HTTP-date / delay-seconds`. Read here: `delay-seconds` (`1*DIGIT`) and
//! the IMF-fixdate form of HTTP-date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 section
//! 5.6.7), the one form senders must generate. The two obsolete date forms (RFC 850 and
//! asctime) are read as no header at all: the caller then waits its own, conservative delay.

use crate::http::HttpResponse;

/// Longest delay read, in seconds (a week); a larger value is read as this.
pub const MAX_RETRY_AFTER_SEC: u64 = 7 * 86_400;

/// When to try again, as the server said it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// `delay-seconds`: this many seconds after the answer arrived.
    Delay(u64),
    /// An HTTP-date: not before this time (seconds since the epoch).
    At(i64),
}

impl RetryAfter {
    /// Parses a header value; `None` for anything else than the two forms above.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim_matches([' ', '\t']);
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            // Beyond 18 digits it cannot be an i64; such a value is read as the cap.
            let secs = value.parse::<u64>().unwrap_or(MAX_RETRY_AFTER_SEC);
            return Some(RetryAfter::Delay(secs.min(MAX_RETRY_AFTER_SEC)));
        }
        imf_fixdate(value).map(RetryAfter::At)
    }

    /// The response's `Retry-After`, when it has a readable one.
    pub fn of(res: &HttpResponse) -> Option<Self> {
        res.header("Retry-After").and_then(Self::parse)
    }

    /// The earliest time to try again, in milliseconds since the epoch, for an answer that
    /// arrived at `received_at_ms`. A date in the past means "now"; a date is never read as
    /// later than [`MAX_RETRY_AFTER_SEC`] after the answer.
    pub fn until_ms(self, received_at_ms: i64) -> i64 {
        let max = received_at_ms.saturating_add(secs_to_ms(MAX_RETRY_AFTER_SEC));
        match self {
            RetryAfter::Delay(secs) => received_at_ms.saturating_add(secs_to_ms(secs)),
            RetryAfter::At(at) => at.saturating_mul(1000).clamp(received_at_ms, max),
        }
    }
}

fn secs_to_ms(secs: u64) -> i64 {
    i64::try_from(secs).unwrap_or(i64::MAX).saturating_mul(1000)
}

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `IMF-fixdate = day-name "," SP day SP month SP year SP hour ":" minute ":" second SP "GMT"`
/// (RFC 9110 section 5.6.7), as seconds since the epoch. The day name must be the right one.
fn imf_fixdate(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 29 || b.get(3) != Some(&b',') || s.get(25..) != Some(" GMT") {
        return None;
    }
    let spaces = [4, 7, 11, 16];
    if spaces.iter().any(|&i| b.get(i) != Some(&b' '))
        || b.get(19) != Some(&b':')
        || b.get(22) != Some(&b':')
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<i64> {
        let part = s.get(from..to)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let day = num(5, 7)?;
    let month = MONTHS.iter().position(|m| s.get(8..11) == Some(*m))?;
    let year = num(12, 16)?;
    let (hour, minute, second) = (num(17, 19)?, num(20, 22)?, num(23, 25)?);
    let month = i64::try_from(month).ok()? + 1;
    if !(1..=days_in_month(year, month)).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // 1970-01-01 was a Thursday (index 3 from Monday).
    let weekday = usize::try_from((days + 3).rem_euclid(7)).ok()?;
    if s.get(0..3) != DAY_NAMES.get(weekday).copied() {
        return None;
    }
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the well-known era-based algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_delay_seconds() {
        assert_eq!(RetryAfter::parse("120"), Some(RetryAfter::Delay(120)));
        assert_eq!(RetryAfter::parse(" 0 "), Some(RetryAfter::Delay(0)));
        assert_eq!(
            RetryAfter::parse("99999999999999999999999"),
            Some(RetryAfter::Delay(MAX_RETRY_AFTER_SEC))
        );
        assert_eq!(
            RetryAfter::parse("604801"),
            Some(RetryAfter::Delay(MAX_RETRY_AFTER_SEC))
        );
    }

    #[test]
    fn reads_the_rfc_9110_example_date() {
        // RFC 9110 section 5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT" is 784111777.
        assert_eq!(
            RetryAfter::parse("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(RetryAfter::At(784_111_777))
        );
        assert_eq!(
            RetryAfter::parse("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(RetryAfter::At(0))
        );
        assert_eq!(
            RetryAfter::parse("Tue, 29 Feb 2028 23:59:59 GMT"),
            Some(RetryAfter::At(1_835_481_599))
        );
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "-5",
            "1.5",
            "5 s",
            "Mon, 06 Nov 1994 08:49:37 GMT", // wrong day name
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Wed, 30 Feb 2028 00:00:00 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850 (obsolete)
            "Sun Nov  6 08:49:37 1994",       // asctime (obsolete)
        ] {
            assert_eq!(RetryAfter::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn until_counts_from_the_answer_and_never_goes_back_or_too_far() {
        let received = 1_700_000_000_000;
        assert_eq!(RetryAfter::Delay(7).until_ms(received), received + 7000);
        assert_eq!(
            RetryAfter::At(1_700_000_030).until_ms(received),
            received + 30_000
        );
        assert_eq!(
            RetryAfter::At(1_600_000_000).until_ms(received),
            received,
            "a past date means now"
        );
        assert_eq!(
            RetryAfter::At(i64::MAX).until_ms(received),
            received + 604_800_000
        );
    }

    #[test]
    fn is_read_from_the_response_header_case_insensitively() {
        let mut res = HttpResponse::new(429, "");
        assert_eq!(RetryAfter::of(&res), None);
        res.headers.push(("retry-after".into(), "3".into()));
        assert_eq!(RetryAfter::of(&res), Some(RetryAfter::Delay(3)));
    }
}
