//! The platform's asynchronous pattern: `202 Accepted` with a `Location` to poll until the status
//! is no longer 202.

use crate::call::Call;
use crate::client::{Client, Response};
use crate::Error;
use std::time::{Duration, SystemTime};

/// How long to wait before polling when the service sends no `Retry-After`.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(20);

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

impl Client {
    /// Sends a long-running action: while the service answers `202 Accepted` with a `Location`,
    /// waits (its `Retry-After`, else 20 s) and polls that location; the first other answer is
    /// the result (a status outside 2xx is an error). Stops with [`Error::Timeout`] after
    /// [`Client::long_running_timeout`].
    pub async fn send_long_running(&self, call: Call) -> Result<Response, Error> {
        let operation = call.spec.id;
        let started = tokio::time::Instant::now();
        // Time spent waiting, as the clock was asked (a test clock does not really wait).
        let mut waited = Duration::ZERO;
        let limit = self.long_running_timeout();
        let mut response = self.send_raw(call).await?;
        let mut location: Option<String> = None;
        while response.status == 202 {
            if let Some(l) = response.header("location") {
                location = Some(l.to_string());
            }
            let Some(link) = location.clone() else {
                break;
            };
            let wait = retry_after(&response, SystemTime::now()).unwrap_or(DEFAULT_RETRY_AFTER);
            if started.elapsed().max(waited) + wait > limit {
                return Err(Error::Timeout {
                    operation: operation.to_string(),
                    after: limit,
                    waiting_for: format!("the long-running operation at {link}"),
                });
            }
            self.clock().sleep(wait).await;
            waited += wait;
            response = self.follow(operation, &link).await?;
        }
        response.success()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_retry_after(v: &str) -> Response {
        Response {
            operation: "Export",
            host: "api.example".into(),
            status: 202,
            headers: vec![("retry-after".into(), v.into())],
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
}
