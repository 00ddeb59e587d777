//! The platform's asynchronous pattern: `202 Accepted` with a `Location` to poll until the status
//! is no longer 202.

use crate::http::call::Call;
use crate::http::client::Client;
use crate::http::response::Response;
use crate::http::retry::{retry_after, Wait, WaitReason};
use crate::Error;
use std::time::{Duration, SystemTime};

/// How long to wait before polling when the service sends no `Retry-After`.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(20);

impl Client {
    /// Sends a long-running action: while the service answers `202 Accepted` with a `Location`,
    /// waits (its `Retry-After`, else 20 s) and polls that location; the first other answer is
    /// the result (a status outside 2xx is an error). Stops with [`Error::Timeout`] after
    /// [`Client::long_running_timeout`].
    ///
    /// The service does not set the pace alone: two polls are at least
    /// [`Client::min_poll_interval`] apart, and while it keeps answering with the same
    /// `Location` and a shorter wait than that, the interval doubles (up to 20 s), so a
    /// `Retry-After: 0` pointing at itself is polled a few times a minute, not thousands.
    pub async fn send_long_running(&self, call: Call) -> Result<Response, Error> {
        let operation = call.spec.id.clone();
        let started = tokio::time::Instant::now();
        // Time spent waiting, as the clock was asked (a test clock does not really wait).
        let mut waited = Duration::ZERO;
        let limit = self.long_running_timeout();
        let mut response = self.send_raw(call).await?;
        let mut location: Option<String> = None;
        let mut floor = self.min_poll_interval();
        let mut polls = 0u32;
        while response.status == 202 {
            let previous = location.clone();
            if let Some(l) = response.header("location") {
                // A relative Location is relative to the URL that answered (RFC 9110); the
                // first answer came from the connector's base URL, where `follow` resolves it.
                let answered = match &location {
                    Some(prev) => prev.clone(),
                    None => format!("{}/", self.base_url(&operation)),
                };
                let absolute = reqwest::Url::parse(&answered)
                    .and_then(|prev| prev.join(l))
                    .ok()
                    .map(String::from);
                location = Some(absolute.unwrap_or_else(|| l.to_string()));
            }
            let Some(link) = location.clone() else {
                break;
            };
            let asked = retry_after(&response, SystemTime::now()).unwrap_or(DEFAULT_RETRY_AFTER);
            if previous.as_deref() == Some(link.as_str()) && asked < floor {
                floor = (floor * 2).min(DEFAULT_RETRY_AFTER.max(self.min_poll_interval()));
            }
            let wait = asked.max(floor);
            if started.elapsed().max(waited) + wait > limit {
                return Err(Error::Timeout {
                    operation: operation.to_string(),
                    after: limit,
                    // Without the query: a status URL may carry a signature.
                    waiting_for: format!(
                        "the long-running operation at {} (the limit is Client::with_long_running_timeout, or --long-running-timeout)",
                        link.split_once('?').map_or(link.as_str(), |(head, _)| head)
                    ),
                });
            }
            polls += 1;
            self.wait(Wait {
                operation: operation.to_string(),
                duration: wait,
                reason: WaitReason::LongRunning { polls },
            })
            .await;
            waited += wait;
            response = self.follow(operation.clone(), &link).await?;
        }
        response.success()
    }
}
