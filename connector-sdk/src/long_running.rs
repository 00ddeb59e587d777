//! The platform's asynchronous pattern: `202 Accepted` with a `Location` to poll until the status
//! is no longer 202.

use crate::call::Call;
use crate::client::{Client, Response};
use crate::retry::retry_after;
use crate::Error;
use std::time::{Duration, SystemTime};

/// How long to wait before polling when the service sends no `Retry-After`.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(20);

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
                // A relative Location is relative to the URL that answered (RFC 9110); the
                // first answer came from the connector's base URL, where `follow` resolves it.
                let answered = match &location {
                    Some(prev) => prev.clone(),
                    None => format!("{}/", self.base_url(operation)),
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
            let wait = retry_after(&response, SystemTime::now()).unwrap_or(DEFAULT_RETRY_AFTER);
            if started.elapsed().max(waited) + wait > limit {
                return Err(Error::Timeout {
                    operation: operation.to_string(),
                    after: limit,
                    // Without the query: a status URL may carry a signature.
                    waiting_for: format!(
                        "the long-running operation at {}",
                        link.split_once('?').map_or(link.as_str(), |(head, _)| head)
                    ),
                });
            }
            self.clock().sleep(wait).await;
            waited += wait;
            response = self.follow(operation, &link).await?;
        }
        response.success()
    }
}
