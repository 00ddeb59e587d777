//! Sending requests: one HTTP client (pooled connections, rustls), credentials applied,
//! responses checked and decoded.

pub use super::response::Response;
use crate::auth::connection::{Connection, Credential};
use crate::http::call::Call;
use crate::http::policy::Policies;
use crate::http::retry::{
    retryable_status, Clock, RetryPolicy, SystemClock, Wait, WaitObserver, WaitReason,
};
use crate::Error;
use std::sync::Arc;
use std::time::Duration;
use tracing::level_filters::LevelFilter;
use tracing::Instrument;

/// The largest response body read by default (100 MiB, the platform's message size limit).
pub const DEFAULT_MAX_BODY_BYTES: u64 = 100 * 1024 * 1024;

/// The longest `Retry-After` honoured by default before a retry (5 minutes).
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// Redirects followed by default for one request.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;

/// Pages of a pageable action read by default before the stream stops with an error.
pub const DEFAULT_MAX_PAGES: usize = 1000;

/// The shortest wait between two polls of a long-running action by default, whatever its
/// `Retry-After` says.
pub const DEFAULT_MIN_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Runs operations against one service.
#[derive(Debug, Clone)]
pub struct Client {
    pub(super) http: reqwest::Client,
    pub(super) connection: Connection,
    pub(super) max_pages: Option<usize>,
    pub(super) max_body_bytes: u64,
    pub(super) max_retry_after: Duration,
    pub(super) max_redirects: usize,
    pub(super) min_poll_interval: Duration,
    pub(super) on_wait: Option<WaitObserver>,
    pub(super) long_running_timeout: Duration,
    pub(super) retry: RetryPolicy,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) timeout: Duration,
    pub(super) policies: Arc<Policies>,
    pub(super) base_override: Option<String>,
}

impl Client {
    /// A client for `connection`; `connector` names the connector in the `User-Agent`.
    /// Requests time out after 120 seconds.
    ///
    /// Redirects are followed by the client itself, at most 10 per request
    /// ([`Client::with_max_redirects`]): a redirect to another origin (scheme, host or port)
    /// carries nothing the connection adds — no `Authorization`, API key (header or query),
    /// cookie or header set by a policy template — nor any header or body of the call; a
    /// redirect from `https` to `http` is refused; `303` (and `301`/`302` after a `POST`)
    /// becomes a `GET` without a body; a body is forwarded only to the same origin. `Referer` is
    /// never sent.
    pub fn new(connection: Connection, connector: &str) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .user_agent(user_agent(connector))
            // JSON first, anything else accepted: connectors mostly speak JSON, and a server
            // choosing among several media types should pick it. A call's own Accept wins.
            .default_headers(reqwest::header::HeaderMap::from_iter([(
                reqwest::header::ACCEPT,
                reqwest::header::HeaderValue::from_static("application/json, */*;q=0.8"),
            )]))
            .build()
            .map_err(|e| Error::Request {
                operation: "client".into(),
                message: format!("cannot create the HTTP client: {e}"),
            })?;
        Ok(Client {
            http,
            connection,
            max_pages: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            min_poll_interval: DEFAULT_MIN_POLL_INTERVAL,
            on_wait: None,
            long_running_timeout: Duration::from_secs(3600),
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
            timeout: Duration::from_secs(120),
            policies: Arc::new(Policies::default()),
            base_override: None,
        })
    }

    /// Sends every request to `base_url`, whatever the connection and the connector's
    /// `dynamichosturl` policy say: for mock servers and tests.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_override = Some(base_url.into().trim_end_matches('/').to_string());
        self
    }

    /// Applies the connector's policy templates to every request and response. Each template
    /// it does not apply is reported here, once, as a `tracing` warning naming it.
    pub fn with_policies(mut self, policies: Policies) -> Self {
        for what in policies.not_applied() {
            tracing::warn!(policy = %what, "policy template not applied");
        }
        self.policies = Arc::new(policies);
        self
    }

    /// The policy templates it applies.
    pub fn policies(&self) -> &Policies {
        &self.policies
    }

    /// The base URL of `operation`: the one given to [`Client::with_base_url`], else the one a
    /// `dynamichosturl` policy makes of the connection parameters, else the connection's.
    pub fn base_url(&self, operation: &str) -> String {
        if let Some(url) = &self.base_override {
            return url.clone();
        }
        self.policies
            .base_url(operation, &self.connection)
            .unwrap_or_else(|| self.connection.base_url.trim_end_matches('/').to_string())
    }

    /// Gives up on a request (each attempt) after `timeout` (default: 120 seconds, the
    /// platform's limit for a synchronous call); the error is [`Error::Timeout`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Retries failed attempts by `policy` (default: the platform's exponential policy with 4
    /// retries, see [`RetryPolicy`]).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Waits between attempts and polls with `clock` (tests use one that does not sleep).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The clock waits go through.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Reads at most `pages` pages of a pageable action, then ends the stream as if it were
    /// the last page (`Some`: the caller asked for that many). With `None` (the default), a
    /// service that keeps giving next links is stopped after [`DEFAULT_MAX_PAGES`] pages with
    /// an [`Error::Limit`]; `Some(usize::MAX)` reads every page.
    pub fn with_max_pages(mut self, pages: Option<usize>) -> Self {
        self.max_pages = pages;
        self
    }

    /// The page limit of pageable actions that was asked for (`None`: the default limit).
    pub fn max_pages(&self) -> Option<usize> {
        self.max_pages
    }

    /// Refuses response bodies larger than `bytes` (default: [`DEFAULT_MAX_BODY_BYTES`]): a
    /// body is read as it arrives and given up on at the limit with an [`Error::Limit`],
    /// never held in memory past it.
    pub fn with_max_body_bytes(mut self, bytes: u64) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// The largest response body read.
    pub fn max_body_bytes(&self) -> u64 {
        self.max_body_bytes
    }

    /// The longest `Retry-After` honoured before a retry (default:
    /// [`DEFAULT_MAX_RETRY_AFTER`]); a service asking for a longer wait makes the call fail with
    /// an [`Error::Limit`] at once, rather than wait silently for as long as it says.
    pub fn with_max_retry_after(mut self, longest: Duration) -> Self {
        self.max_retry_after = longest;
        self
    }

    /// The longest `Retry-After` honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Follows at most `redirects` redirects per request (default: [`DEFAULT_MAX_REDIRECTS`];
    /// 0: a redirect is the response).
    pub fn with_max_redirects(mut self, redirects: usize) -> Self {
        self.max_redirects = redirects;
        self
    }

    /// Waits at least `interval` between two polls of a long-running action (default:
    /// [`DEFAULT_MIN_POLL_INTERVAL`]), even when the service says `Retry-After: 0`; polling
    /// the same `Location` again and again backs off from there.
    pub fn with_min_poll_interval(mut self, interval: Duration) -> Self {
        self.min_poll_interval = interval;
        self
    }

    /// The shortest wait between two polls of a long-running action.
    pub fn min_poll_interval(&self) -> Duration {
        self.min_poll_interval
    }

    /// Calls `observer` before every wait the service causes (a retry, a poll of a
    /// long-running action), so that a program can say why it waits.
    pub fn with_wait_observer(mut self, observer: impl Fn(&Wait) + Send + Sync + 'static) -> Self {
        self.on_wait = Some(WaitObserver(Arc::new(observer)));
        self
    }

    /// Reports a wait to the observer and in the traces, then waits.
    pub(crate) async fn wait(&self, wait: Wait) {
        tracing::debug!(wait_ms = wait.duration.as_millis() as u64, "{wait}");
        if let Some(observer) = &self.on_wait {
            (observer.0)(&wait);
        }
        self.clock.sleep(wait.duration).await;
    }

    /// Gives up polling a long-running action after `timeout` (default: one hour).
    pub fn with_long_running_timeout(mut self, timeout: Duration) -> Self {
        self.long_running_timeout = timeout;
        self
    }

    /// How long a long-running action is polled.
    pub fn long_running_timeout(&self) -> Duration {
        self.long_running_timeout
    }

    /// The connection it uses.
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// Runs an action: sends `call` (polling its `Location` while the service answers 202 when
    /// `long_running`), then turns the successful response into the action's result with
    /// `decode`. What generated methods return; an value that could not be written into the call is an [`Error::Request`].
    pub async fn run<R: Send + 'static>(
        &self,
        call: Call,
        long_running: bool,
        decode: fn(Response) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let response = if long_running {
            self.send_long_running(call).await?
        } else {
            self.send(call).await?
        };
        decode(response)
    }

    /// Sends a request; a status outside 2xx is an [`Error::Status`].
    pub async fn send(&self, call: Call) -> Result<Response, Error> {
        let response = self.send_raw(call).await?;
        response.success()
    }

    /// Sends a request and returns the response whatever its status (transport failures are
    /// still errors), retrying by the client's [`RetryPolicy`]: statuses 408, 429 and 5xx for
    /// every method (the server answered, as the platform does); a connection that could not
    /// be made for every method (nothing was sent); other transport failures (a timeout, a
    /// connection lost mid-way) only for idempotent methods, since a `POST` may have been
    /// carried out. `Retry-After` (seconds or HTTP-date) replaces the policy's wait.
    pub async fn send_raw(&self, call: Call) -> Result<Response, Error> {
        let fixed_base = self.base_override.is_some();
        let mut call = self
            .policies
            .apply_request(call.check()?, &self.connection, fixed_base)?;
        if let Some(url) = &self.base_override {
            call.base_url = Some(url.clone());
        }
        // Spans name the operation and the path template, never the URL (a query may hold an
        // API key) nor headers. A span no subscriber wants is not entered on every poll; and
        // when no subscriber wants the level none is made (with `tracing`'s `log` feature, which other
        // crates turn on, a disabled span still writes its fields and its closing for `log`).
        let span = if LevelFilter::current() >= tracing::Level::INFO {
            tracing::info_span!(
                "action",
                operation = &*call.spec.id,
                method = call.method(),
                path = &*call.spec.path
            )
        } else {
            tracing::Span::none()
        };
        // The attempts borrow the call: it is not moved into another future.
        if span.is_disabled() {
            self.attempts(&call).await
        } else {
            self.attempts(&call).instrument(span).await
        }
    }

    /// Sends `call` until it is answered, fails for good, or the retries are used up.
    async fn attempts(&self, call: &Call) -> Result<Response, Error> {
        let idempotent = matches!(
            call.method(),
            "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
        );
        let mut rng = fastrand::Rng::new();
        let mut retries = 0;
        let mut refreshed_after_401 = false;
        loop {
            let token = self.oauth_token().await?;
            let attempt = if LevelFilter::current() >= tracing::Level::DEBUG {
                tracing::debug_span!(
                    "attempt",
                    attempt = retries + 1,
                    status = tracing::field::Empty,
                    duration_ms = tracing::field::Empty
                )
            } else {
                tracing::Span::none()
            };
            let started = std::time::Instant::now();
            let secret = token.as_ref().map(|(t, _)| t);
            let result = if attempt.is_disabled() {
                self.send_once(call, secret).await
            } else {
                self.send_once(call, secret)
                    .instrument(attempt.clone())
                    .await
            };
            // An OAuth token the service no longer takes is refreshed once (by one caller
            // however many saw the 401) and the request sent again.
            if let (Ok(r), Some((_, generation)), Credential::OAuth2(source)) =
                (&result, &token, &self.connection.credential)
            {
                if r.status == 401 && !refreshed_after_401 {
                    refreshed_after_401 = true;
                    source.refresh_after_unauthorized(*generation).await?;
                    continue;
                }
            }
            let ms = started.elapsed().as_millis() as u64;
            // Recording into a span nobody wants still formats for `log`: skipped.
            if !attempt.is_disabled() {
                attempt.record("duration_ms", ms);
                if let Ok(r) = &result {
                    attempt.record("status", r.status);
                }
            }
            match &result {
                Ok(r) => {
                    tracing::debug!(parent: &attempt, status = r.status, duration_ms = ms, "answered");
                }
                Err((e, _)) => {
                    tracing::debug!(parent: &attempt, duration_ms = ms, error = %e, "failed");
                }
            }
            let next = retries + 1;
            // (the wait, whether the service's Retry-After chose it)
            let wait = match &result {
                _ if next > self.retry.count() => None,
                Ok(r) if retryable_status(r.status) => {
                    match crate::http::retry::retry_after(r, std::time::SystemTime::now()) {
                        Some(asked) if asked > self.max_retry_after => {
                            return Err(Error::Limit {
                                operation: call.spec.id.to_string(),
                                message: format!(
                                    "HTTP {} from {}, which asks to retry after {} s (Retry-After): longer than the longest wait honoured, {} s; not retried (raise it with Client::with_max_retry_after, or --max-retry-after)",
                                    r.status,
                                    r.host,
                                    asked.as_secs(),
                                    self.max_retry_after.as_secs()
                                ),
                            });
                        }
                        Some(asked) => Some((asked, true)),
                        None => self.retry.delay(next, &mut rng).map(|d| (d, false)),
                    }
                }
                Err((Error::Transport { .. } | Error::Timeout { .. }, connect))
                    if *connect || idempotent =>
                {
                    self.retry.delay(next, &mut rng).map(|d| (d, false))
                }
                _ => None,
            };
            match wait {
                Some((duration, retry_after)) => {
                    tracing::info!(
                        retry = next,
                        wait_ms = duration.as_millis() as u64,
                        "retrying"
                    );
                    retries = next;
                    self.wait(Wait {
                        operation: call.spec.id.to_string(),
                        duration,
                        reason: WaitReason::Retry {
                            attempt: next,
                            of: self.retry.count(),
                            status: result.as_ref().ok().map(|r| r.status),
                            retry_after,
                        },
                    })
                    .await;
                }
                None => return result.map_err(|(e, _)| e),
            }
        }
    }
}

/// `{connector} connector-sdk/{version}`, the connector's name as visible ASCII (it comes from
/// a definition, and a header value cannot hold control characters).
fn user_agent(connector: &str) -> String {
    let name: String = connector
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{} connector-sdk/{}", name.trim(), crate::VERSION)
}
