//! Retry policies as Logic Apps defines them, and the clock that waits between attempts.
//!
//! `none`; `fixed` (count, interval); `exponential` (count, interval, minimum and maximum
//! interval), where retry *n* waits a random time in
//! `[max(n == 1 ? 0 : 2^(n-2)·interval, minimum), min(2^(n-1)·interval, maximum)]`; the
//! default is exponential with 4 retries, interval 7.5 s, between 5 s and 45 s. Counts are
//! 1–90; intervals are ISO 8601 durations in configuration (`PT7.5S`).

use crate::http::response::Response;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

/// The most retries a policy may ask for.
pub const MAX_RETRIES: u32 = 90;

/// How failed attempts are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryPolicy {
    /// No retry.
    None,
    /// `count` retries, `interval` apart.
    Fixed {
        /// Retries after the first attempt (1–90).
        count: u32,
        /// The wait before each retry.
        interval: Duration,
    },
    /// `count` retries at exponentially growing, randomised intervals.
    Exponential {
        /// Retries after the first attempt (1–90).
        count: u32,
        /// The unit of growth.
        interval: Duration,
        /// The shortest wait.
        minimum: Duration,
        /// The longest wait.
        maximum: Duration,
    },
}

impl Default for RetryPolicy {
    /// The platform's default: exponential, 4 retries, 7.5 s, between 5 s and 45 s.
    fn default() -> Self {
        RetryPolicy::Exponential {
            count: 4,
            interval: Duration::from_millis(7500),
            minimum: Duration::from_secs(5),
            maximum: Duration::from_secs(45),
        }
    }
}

/// Why a retry policy's configuration cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetryConfigError {
    /// An interval that is not an ISO 8601 duration (`text`, and what is wrong with it).
    #[error("`{text}` is not an ISO 8601 duration (like PT7.5S): {why}")]
    NotADuration {
        /// The interval as written.
        text: String,
        /// What is wrong.
        why: String,
    },
    /// A negative interval.
    #[error("`{0}` is negative")]
    Negative(String),
    /// A retry count outside 1–90.
    #[error("retry count {0} is outside 1–{MAX_RETRIES}")]
    Count(u32),
    /// `minimumInterval` above `maximumInterval`.
    #[error("minimumInterval {minimum:?} is longer than maximumInterval {maximum:?}")]
    MinimumAboveMaximum {
        /// The minimum.
        minimum: Duration,
        /// The maximum.
        maximum: Duration,
    },
    /// A `type` that is none of the four.
    #[error("unknown retry policy type `{0}` (none, fixed, exponential, default)")]
    UnknownType(String),
}

/// An ISO 8601 duration (`PT7.5S`, `PT1M`) as a [`Duration`].
pub fn parse_interval(text: &str) -> Result<Duration, RetryConfigError> {
    let trimmed = text.trim();
    let not_one = |why: String| RetryConfigError::NotADuration {
        text: text.to_string(),
        why,
    };
    // jiff also reads its friendly format ("10 seconds"); configuration is ISO 8601 only.
    if !trimmed.starts_with(['P', 'p']) {
        return Err(not_one("it must start with P".into()));
    }
    let d: jiff::SignedDuration = trimmed.parse().map_err(|e| not_one(format!("{e}")))?;
    Duration::try_from(d).map_err(|_| RetryConfigError::Negative(text.to_string()))
}

impl RetryPolicy {
    /// A policy from its configuration as workflow definitions write it: `type` (`none`,
    /// `fixed`, `exponential`, `default`), `count`, and ISO 8601 `interval`,
    /// `minimumInterval`, `maximumInterval`. Errors name the setting.
    pub fn from_config(
        kind: &str,
        count: Option<u32>,
        interval: Option<&str>,
        minimum: Option<&str>,
        maximum: Option<&str>,
    ) -> Result<Self, RetryConfigError> {
        let count_of = |default: u32| -> Result<u32, RetryConfigError> {
            let c = count.unwrap_or(default);
            if (1..=MAX_RETRIES).contains(&c) {
                Ok(c)
            } else {
                Err(RetryConfigError::Count(c))
            }
        };
        let dur = |v: Option<&str>, default: Duration| v.map_or(Ok(default), parse_interval);
        match kind.to_ascii_lowercase().as_str() {
            "none" => Ok(RetryPolicy::None),
            "default" => Ok(RetryPolicy::default()),
            "fixed" => Ok(RetryPolicy::Fixed {
                count: count_of(4)?,
                interval: dur(interval, Duration::from_secs(20))?,
            }),
            "exponential" => {
                let (minimum, maximum) = (
                    dur(minimum, Duration::from_secs(5))?,
                    dur(maximum, Duration::from_secs(3600))?,
                );
                if minimum > maximum {
                    return Err(RetryConfigError::MinimumAboveMaximum { minimum, maximum });
                }
                Ok(RetryPolicy::Exponential {
                    count: count_of(4)?,
                    interval: dur(interval, Duration::from_millis(7500))?,
                    minimum,
                    maximum,
                })
            }
            other => Err(RetryConfigError::UnknownType(other.to_string())),
        }
    }

    /// The most retries.
    pub fn count(&self) -> u32 {
        match self {
            RetryPolicy::None => 0,
            RetryPolicy::Fixed { count, .. } | RetryPolicy::Exponential { count, .. } => *count,
        }
    }

    /// The wait before retry `n` (1 for the first retry), `None` past the last one.
    pub fn delay(&self, n: u32, rng: &mut fastrand::Rng) -> Option<Duration> {
        if n == 0 || n > self.count() {
            return None;
        }
        match *self {
            RetryPolicy::None => None,
            RetryPolicy::Fixed { interval, .. } => Some(interval),
            RetryPolicy::Exponential {
                interval,
                minimum,
                maximum,
                ..
            } => {
                let scaled = |power: u32| interval.saturating_mul(2u32.saturating_pow(power));
                let low = if n == 1 {
                    Duration::ZERO
                } else {
                    scaled(n - 2)
                }
                .max(minimum);
                let high = scaled(n - 1).min(maximum).max(low);
                let span = (high - low).as_nanos().min(u64::MAX as u128) as u64;
                Some(low + Duration::from_nanos(rng.u64(0..=span)))
            }
        }
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP-date (a date in the past
/// is no wait). `None` when the header is absent or unreadable.
pub fn retry_after(response: &Response, now: SystemTime) -> Option<Duration> {
    let value = response.header("retry-after")?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// True for statuses the platform retries: 408, 429 and 5xx.
pub fn retryable_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..600).contains(&status)
}

/// A wait the runtime is about to make on a service's account: what a command shows on stderr
/// (through [`Client::with_wait_observer`](crate::Client::with_wait_observer)) so that no wait
/// is silent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    /// Operation id.
    pub operation: String,
    /// How long.
    pub duration: Duration,
    /// Why.
    pub reason: WaitReason,
}

/// Why the runtime waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitReason {
    /// Before retry `attempt` of `of`, after a failed attempt (`status` when the service
    /// answered; `retry_after` when its `Retry-After` set the wait).
    Retry {
        /// The retry about to be made (1 for the first).
        attempt: u32,
        /// The retries the policy allows.
        of: u32,
        /// The status that failed, when there was an answer.
        status: Option<u16>,
        /// Whether the service's `Retry-After` chose the wait.
        retry_after: bool,
    },
    /// Before polling a long-running action's status again (`polls` made so far).
    LongRunning {
        /// Polls made so far.
        polls: u32,
    },
}

impl std::fmt::Display for Wait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.duration.as_secs_f64();
        match &self.reason {
            WaitReason::Retry {
                attempt,
                of,
                status,
                retry_after,
            } => {
                write!(f, "{}: waiting {secs:.1} s before retry {attempt} of {of}", self.operation)?;
                match (status, retry_after) {
                    (Some(s), true) => write!(f, " (HTTP {s}; the service's Retry-After)"),
                    (Some(s), false) => write!(f, " (HTTP {s})"),
                    (None, _) => write!(f, " (the request failed)"),
                }
            }
            WaitReason::LongRunning { polls } => write!(
                f,
                "{}: the action is still running after {polls} poll{}; polling again in {secs:.1} s",
                self.operation,
                if *polls == 1 { "" } else { "s" }
            ),
        }
    }
}

/// Called with every [`Wait`] before it starts.
#[derive(Clone)]
pub struct WaitObserver(pub std::sync::Arc<dyn Fn(&Wait) + Send + Sync>);

impl std::fmt::Debug for WaitObserver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WaitObserver")
    }
}

/// Waiting, replaceable in tests so that nothing sleeps for real.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Waits `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// The real clock (tokio's timer).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_waits_stay_in_the_documented_windows() {
        let p = RetryPolicy::default();
        let mut rng = fastrand::Rng::with_seed(7);
        let s = Duration::from_secs_f64;
        // [max(0, 5), min(7.5, 45)], [max(7.5, 5), min(15, 45)], [15, 30], [30, 45]
        let windows = [(5.0, 7.5), (7.5, 15.0), (15.0, 30.0), (30.0, 45.0)];
        for (n, (low, high)) in (1..=4).zip(windows) {
            let waits: Vec<Duration> = (0..500).map(|_| p.delay(n, &mut rng).unwrap()).collect();
            assert!(
                waits.iter().all(|w| *w >= s(low) && *w <= s(high)),
                "retry {n}"
            );
            // Random, not constant: both halves of the window are used.
            let mid = s((low + high) / 2.0);
            assert!(waits.iter().any(|w| *w < mid) && waits.iter().any(|w| *w > mid));
        }
        assert_eq!(p.delay(5, &mut rng), None);
        assert_eq!(p.delay(0, &mut rng), None);
    }

    #[test]
    fn configuration_is_read_and_checked() {
        let p = RetryPolicy::from_config("fixed", Some(3), Some("PT2S"), None, None).unwrap();
        assert_eq!(
            p,
            RetryPolicy::Fixed {
                count: 3,
                interval: Duration::from_secs(2)
            }
        );
        assert_eq!(
            p.delay(3, &mut fastrand::Rng::new()),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            RetryPolicy::from_config(
                "Exponential",
                Some(2),
                Some("PT10S"),
                Some("PT1S"),
                Some("PT1M")
            )
            .unwrap(),
            RetryPolicy::Exponential {
                count: 2,
                interval: Duration::from_secs(10),
                minimum: Duration::from_secs(1),
                maximum: Duration::from_secs(60)
            }
        );
        for (kind, count, interval, min, max, says) in [
            ("fixed", Some(91), None, None, None, "outside 1–90"),
            ("fixed", Some(0), None, None, None, "outside 1–90"),
            (
                "fixed",
                None,
                Some("10 seconds"),
                None,
                None,
                "not an ISO 8601 duration",
            ),
            (
                "exponential",
                None,
                None,
                Some("PT1M"),
                Some("PT1S"),
                "is longer than",
            ),
            (
                "sometimes",
                None,
                None,
                None,
                None,
                "unknown retry policy type",
            ),
        ] {
            let e = RetryPolicy::from_config(kind, count, interval, min, max)
                .unwrap_err()
                .to_string();
            assert!(e.contains(says), "{e}");
        }
        assert_eq!(
            RetryPolicy::from_config("none", None, None, None, None),
            Ok(RetryPolicy::None)
        );
    }

    fn with_retry_after(v: &str) -> Response {
        Response {
            operation: "Export".into(),
            host: "api.example".into(),
            status: 202,
            headers: [(
                reqwest::header::RETRY_AFTER,
                reqwest::header::HeaderValue::from_str(v).unwrap(),
            )]
            .into_iter()
            .collect(),
            body: Vec::new(),
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 22 Nov 2026 10:00:00 GMT").unwrap();
        assert_eq!(
            retry_after(&with_retry_after("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&with_retry_after("Sun, 22 Nov 2026 10:01:30 GMT"), now),
            Some(Duration::from_secs(90))
        );
        // A date in the past is no wait; nonsense is no answer.
        assert_eq!(
            retry_after(&with_retry_after("Sun, 22 Nov 2026 09:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&with_retry_after("soon"), now), None);
    }

    #[test]
    fn statuses_retried_are_408_429_and_5xx() {
        for s in [408, 429, 500, 502, 503, 504, 599] {
            assert!(retryable_status(s), "{s}");
        }
        for s in [200, 202, 400, 401, 403, 404, 409, 600] {
            assert!(!retryable_status(s), "{s}");
        }
    }
}
