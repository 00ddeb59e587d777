//! Sending requests: one HTTP client (pooled connections, rustls), credentials applied,
//! responses checked and decoded.

use crate::call::{Body, Call};
use crate::connection::{Connection, Credential, KeyLocation, Secret};
use crate::policy::Policies;
use crate::retry::{
    retryable_status, Clock, RetryPolicy, SystemClock, Wait, WaitObserver, WaitReason,
};
use crate::Error;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// The largest part of an error body kept in [`Error::Status`].
const ERROR_BODY_LIMIT: usize = 4096;

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
    http: reqwest::Client,
    connection: Connection,
    max_pages: Option<usize>,
    max_body_bytes: u64,
    max_retry_after: Duration,
    max_redirects: usize,
    min_poll_interval: Duration,
    on_wait: Option<WaitObserver>,
    long_running_timeout: Duration,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    timeout: Duration,
    policies: Arc<Policies>,
    base_override: Option<String>,
}

/// A received response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The operation it answers.
    pub operation: &'static str,
    /// The host that answered.
    pub host: String,
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body.
    pub body: Vec<u8>,
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
        let idempotent = matches!(
            call.method(),
            "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
        );
        // Spans name the operation and the path template, never the URL (a query may hold an
        // API key) nor headers. A span no subscriber wants is not entered on every poll.
        let span = tracing::info_span!(
            "action",
            operation = call.spec.id,
            method = call.method(),
            path = call.spec.path
        );
        let attempts = async move {
            let mut rng = fastrand::Rng::new();
            let mut retries = 0;
            let mut refreshed_after_401 = false;
            loop {
                let token = self.oauth_token().await?;
                let attempt = tracing::debug_span!(
                    "attempt",
                    attempt = retries + 1,
                    status = tracing::field::Empty,
                    duration_ms = tracing::field::Empty
                );
                let started = std::time::Instant::now();
                let secret = token.as_ref().map(|(t, _)| t);
                let result = if attempt.is_disabled() {
                    self.send_once(&call, secret).await
                } else {
                    self.send_once(&call, secret)
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
                attempt.record("duration_ms", ms);
                match &result {
                    Ok(r) => {
                        attempt.record("status", r.status);
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
                        match crate::retry::retry_after(r, std::time::SystemTime::now()) {
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
        };
        if span.is_disabled() {
            attempts.await
        } else {
            attempts.instrument(span).await
        }
    }

    /// One attempt; a transport error says whether the connection could not be made at all.
    /// The call is borrowed: a JSON or form body is encoded from it, so attempts copy nothing
    /// but the bytes of multipart and binary bodies.
    async fn send_once(
        &self,
        call: &Call,
        token: Option<&Secret>,
    ) -> Result<Response, (Error, bool)> {
        let operation = call.spec.id;
        let url = call
            .url(&self.connection.base_url)
            .and_then(|u| {
                reqwest::Url::parse(&u).map_err(|e| Error::Request {
                    operation: operation.to_string(),
                    // Without the query string: it may hold an API key.
                    message: format!("invalid URL `{}`: {e}", without_query(&u)),
                })
            })
            .map_err(|e| (e, false))?;
        let method = reqwest::Method::from_bytes(call.method().as_bytes()).map_err(|_| {
            (
                Error::Request {
                    operation: operation.to_string(),
                    message: format!("invalid method {}", call.method()),
                },
                false,
            )
        })?;
        let build = |method: reqwest::Method, url: reqwest::Url, hop: Hop| {
            // Off the connector's origin a request carries nothing of the call or the
            // connection: not the credential, not the headers (parameters and policy headers
            // may hold connection values), not the body.
            if !hop.credentials {
                return self.http.request(method, url);
            }
            let mut req = self.authorized(method, url, token);
            for (k, v) in &call.headers {
                req = req.header(k.as_str(), v.as_str());
            }
            if !hop.body {
                return req;
            }
            match &call.body {
                None => req,
                Some(Body::Json(v)) => req
                    .header("content-type", "application/json")
                    .body(serde_json::to_vec(v).unwrap_or_default()),
                Some(Body::Form(fields)) => {
                    let encoded: Vec<String> = fields
                        .iter()
                        .map(|(k, v)| {
                            format!(
                                "{}={}",
                                crate::call::encode_component(k),
                                crate::call::encode_component(v)
                            )
                        })
                        .collect();
                    req.header("content-type", "application/x-www-form-urlencoded")
                        .body(encoded.join("&"))
                }
                Some(Body::Multipart(parts)) => {
                    let mut form = reqwest::multipart::Form::new();
                    for p in parts {
                        let mut part = reqwest::multipart::Part::bytes(p.data.clone());
                        if let Some(f) = &p.file_name {
                            part = part.file_name(f.clone());
                        }
                        form = form.part(p.name.clone(), part);
                    }
                    req.multipart(form)
                }
                Some(Body::Bytes(data, content_type)) => req
                    .header("content-type", content_type.as_str())
                    .body(data.clone()),
            }
        };
        let first = Hop {
            credentials: true,
            body: call.body.is_some(),
        };
        let response = self.exchange(operation, method, url, first, &build).await?;
        self.answered(response).map_err(|e| (e, false))
    }

    /// Sends a request and follows the redirects it gets (at most [`Client::with_max_redirects`]):
    /// `build` makes the request of each hop. The origin of the first URL is the one the
    /// connection's credential belongs to: once a redirect leaves it, no later hop carries the
    /// credential, even back on that origin.
    async fn exchange(
        &self,
        operation: &'static str,
        mut method: reqwest::Method,
        mut url: reqwest::Url,
        mut hop: Hop,
        build: &(dyn Fn(reqwest::Method, reqwest::Url, Hop) -> reqwest::RequestBuilder + Sync),
    ) -> Result<Response, (Error, bool)> {
        if !url.username().is_empty() || url.password().is_some() {
            // The HTTP client would send them as Basic authentication, to whatever host the
            // URL names: a definition (or a service's link) is no place for credentials.
            return Err((
                Error::Request {
                    operation: operation.to_string(),
                    message: format!(
                        "the URL for {} carries credentials (user:…@); nothing was sent (credentials belong in the connection, not in a definition or a link)",
                        host_of(&url)
                    ),
                },
                false,
            ));
        }
        // The credential's origin, worked out at the first redirect (most requests have none).
        let mut origin: Option<url::Origin> = None;
        let mut redirects = 0;
        loop {
            let response = self
                .transmit(
                    operation,
                    host_of(&url),
                    build(method.clone(), url.clone(), hop),
                )
                .await?;
            let location = match response.status {
                301 | 302 | 303 | 307 | 308 if self.max_redirects > 0 => {
                    response.header("location").map(str::to_string)
                }
                _ => None,
            };
            let Some(location) = location else {
                return Ok(response);
            };
            let refuse = |target: &str, reason: String| {
                (
                    Error::Redirect {
                        operation: operation.to_string(),
                        host: authority_of(&url),
                        target: without_query(target).to_string(),
                        reason,
                    },
                    false,
                )
            };
            let mut next = url
                .join(&location)
                .map_err(|e| refuse(&location, format!("the Location is not a URL: {e}")))?;
            // Credentials a service writes into a Location are not sent anywhere.
            let _ = next.set_username("");
            let _ = next.set_password(None);
            if redirects == self.max_redirects {
                return Err((
                    Error::Limit {
                        operation: operation.to_string(),
                        message: format!(
                            "{} redirected again after {redirects} redirects, the most followed for one request (Client::with_max_redirects, or --max-redirects)",
                            authority_of(&url)
                        ),
                    },
                    false,
                ));
            }
            redirects += 1;
            let origin = origin.get_or_insert_with(|| url.origin());
            let (m, h) = redirect_step(response.status, &method, &url, &next, origin, hop)
                .map_err(|reason| refuse(next.as_str(), reason))?;
            (method, hop) = (m, h);
            let status = response.status;
            tracing::debug!(status, to = %without_query(next.as_str()), "redirected");
            url = next;
        }
    }

    /// A `GET` of a URL the service gave (a `Location` to poll, a next link). A relative URL is
    /// resolved against the operation's base URL. The credential, and the headers the policy
    /// templates set (they may hold connection parameters), are sent only when the URL has the
    /// scheme, host and port of that base URL: a link to another host gets no secret.
    pub async fn follow(&self, operation: &'static str, link: &str) -> Result<Response, Error> {
        self.link(reqwest::Method::GET, operation, link).await
    }

    /// A `DELETE` of a URL the service gave (a webhook subscription's `Location`), with the
    /// same rule for the credential as [`Client::follow`].
    pub async fn delete_link(
        &self,
        operation: &'static str,
        link: &str,
    ) -> Result<Response, Error> {
        self.link(reqwest::Method::DELETE, operation, link).await
    }

    async fn link(
        &self,
        method: reqwest::Method,
        operation: &'static str,
        link: &str,
    ) -> Result<Response, Error> {
        let base = self.base_url(operation);
        let url = resolve(&base, operation, link)?;
        // On the connector's own origin a followed link is a request of the operation: it gets
        // the credential and the headers the policies set.
        let own = same_origin(&base, &url);
        let (headers, token) = if own {
            (
                self.policies.follow_headers(operation, &self.connection)?,
                self.oauth_token().await?,
            )
        } else {
            (Vec::new(), None)
        };
        let secret = token.as_ref().map(|(t, _)| t);
        let build = |method: reqwest::Method, url: reqwest::Url, hop: Hop| {
            if !hop.credentials {
                return self.http.request(method, url);
            }
            let mut req = self.authorized(method, url, secret);
            for (k, v) in &headers {
                req = req.header(k.as_str(), v.as_str());
            }
            req
        };
        let first = Hop {
            credentials: own,
            body: false,
        };
        let response = self
            .exchange(operation, method, url, first, &build)
            .await
            .map_err(|(e, _)| e)?;
        self.answered(response)
    }

    /// A request to `url` carrying the connection's credential: an API key in the query string
    /// (unless the URL already has it), or a header.
    fn authorized(
        &self,
        method: reqwest::Method,
        mut url: reqwest::Url,
        token: Option<&Secret>,
    ) -> reqwest::RequestBuilder {
        if let Credential::ApiKey {
            name,
            location: KeyLocation::Query,
            value,
        } = &self.connection.credential
        {
            if !url.query_pairs().any(|(k, _)| k == name.as_str()) {
                let pair = format!(
                    "{}={}",
                    crate::call::encode_component(name),
                    crate::call::encode_component(value.expose())
                );
                let query = match url.query() {
                    Some(q) if !q.is_empty() => format!("{q}&{pair}"),
                    _ => pair,
                };
                url.set_query(Some(&query));
            }
        }
        let req = self.http.request(method, url);
        match &self.connection.credential {
            Credential::None
            | Credential::ApiKey {
                location: KeyLocation::Query,
                ..
            } => req,
            Credential::ApiKey {
                name,
                location: KeyLocation::Header,
                value,
            } => req.header(name.as_str(), value.expose()),
            Credential::Basic { username, password } => {
                req.basic_auth(username, Some(password.expose()))
            }
            Credential::Bearer(token) => req.bearer_auth(token.expose()),
            Credential::OAuth2(_) => match token {
                Some(t) => req.bearer_auth(t.expose()),
                None => req,
            },
        }
    }

    /// The current OAuth access token (refreshed first when it is about to expire) and its
    /// generation, for an OAuth connection.
    async fn oauth_token(&self) -> Result<Option<(Secret, u64)>, Error> {
        match &self.connection.credential {
            Credential::OAuth2(source) => source.access_token().await.map(Some),
            _ => Ok(None),
        }
    }

    /// Sends one request and reads its response, at most [`Client::max_body_bytes`] of body.
    async fn transmit(
        &self,
        operation: &'static str,
        host: String,
        req: reqwest::RequestBuilder,
    ) -> Result<Response, (Error, bool)> {
        let transport = |e: reqwest::Error| {
            let connect = e.is_connect();
            let error = if e.is_timeout() {
                Error::Timeout {
                    operation: operation.to_string(),
                    after: self.timeout,
                    waiting_for: format!("a response from {host}"),
                }
            } else {
                Error::Transport {
                    operation: operation.to_string(),
                    host: host.clone(),
                    message: transport_message(e),
                }
            };
            (error, connect)
        };
        let mut resp = req.timeout(self.timeout).send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let limit = self.max_body_bytes;
        let too_large = |what: String| {
            (
                Error::Limit {
                    operation: operation.to_string(),
                    message: format!(
                        "the response from {host} (HTTP {status}) {what}, more than the limit of {limit} bytes; raise it with Client::with_max_body_bytes, or --max-body-bytes"
                    ),
                },
                false,
            )
        };
        if let Some(length) = resp.content_length().filter(|l| *l > limit) {
            return Err(too_large(format!("says it is {length} bytes")));
        }
        let headers = std::mem::take(resp.headers_mut());
        let mut body = Vec::with_capacity(resp.content_length().unwrap_or(0) as usize);
        while let Some(chunk) = resp.chunk().await.map_err(transport)? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large("goes on".into()));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            operation,
            host,
            status,
            headers,
            body,
        })
    }

    /// The final response of an exchange, shaped by the connector's response policies.
    fn answered(&self, mut response: Response) -> Result<Response, Error> {
        if !self.policies.is_empty() {
            let base = self.base_url(response.operation);
            self.policies
                .apply_response(&mut response, &self.connection, &base)?;
        }
        Ok(response)
    }
}

/// The request a redirect (`status`, from `from` to `to`) makes of one sent with `method` at
/// `hop`, the connection's credential belonging to `origin`; or why it is not followed.
fn redirect_step(
    status: u16,
    method: &reqwest::Method,
    from: &reqwest::Url,
    to: &reqwest::Url,
    origin: &url::Origin,
    mut hop: Hop,
) -> Result<(reqwest::Method, Hop), String> {
    if !matches!(to.scheme(), "http" | "https") {
        return Err(format!(
            "only http and https are followed, not {}",
            to.scheme()
        ));
    }
    if from.scheme() == "https" && to.scheme() == "http" {
        return Err("a redirect from https to http would send the request unencrypted".into());
    }
    let mut method = method.clone();
    if status == 303 || (matches!(status, 301 | 302) && method == reqwest::Method::POST) {
        // See Other (and what browsers do with a POST moved): a GET of the new place.
        if method != reqwest::Method::HEAD {
            method = reqwest::Method::GET;
        }
        hop.body = false;
    }
    if &to.origin() != origin {
        hop.credentials = false;
        if hop.body {
            return Err(format!(
                "HTTP {status} asks to send the request's body to another origin; it is sent only to the origin it was meant for"
            ));
        }
    }
    Ok((method, hop))
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

/// How a request is sent at one hop of a redirect chain.
#[derive(Debug, Clone, Copy)]
struct Hop {
    /// With the connection's credential and the call's headers (the connector's origin).
    credentials: bool,
    /// With the call's body.
    body: bool,
}

/// The host of `url`, for responses and messages.
fn host_of(url: &reqwest::Url) -> String {
    url.host_str().unwrap_or_default().to_string()
}

/// The host and port (when written) of `url`: redirects between ports of one host are between
/// origins, so their messages say which.
fn authority_of(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// `url` without its query string (which may hold a key or a signature), for messages.
fn without_query(url: &str) -> &str {
    url.split_once('?').map_or(url, |(head, _)| head)
}

/// `link` resolved against `base`: `join` keeps an absolute link as it is and resolves a
/// relative one.
fn resolve(base: &str, operation: &str, link: &str) -> Result<reqwest::Url, Error> {
    reqwest::Url::parse(&format!("{}/", base.trim_end_matches('/')))
        .and_then(|b| b.join(link))
        .map_err(|e| Error::Request {
            operation: operation.to_string(),
            message: format!("the service gave an invalid link `{link}`: {e}"),
        })
}

/// Whether `url` has the scheme, host and port of `base`.
fn same_origin(base: &str, url: &reqwest::Url) -> bool {
    reqwest::Url::parse(base).is_ok_and(|b| b.origin() == url.origin())
}

/// What went wrong, with its causes ("error sending request: connection refused"), without the
/// URL: a query string may carry an API key.
fn transport_message(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

impl Response {
    /// The response itself when its status is 2xx, else an [`Error::Status`] with the start of
    /// its body.
    pub fn success(self) -> Result<Response, Error> {
        if (200..300).contains(&self.status) {
            return Ok(self);
        }
        let body = &self.body;
        let mut text =
            String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_LIMIT)]).into_owned();
        if body.len() > ERROR_BODY_LIMIT {
            text.push_str(" …");
        }
        Err(Error::Status {
            operation: self.operation.to_string(),
            status: self.status,
            host: self.host,
            body: text,
        })
    }

    /// Decodes the JSON body; a mismatch names the JSON path where it was found.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        // Decoding with path tracking costs on every call; it runs only to explain a failure.
        if let Ok(v) = serde_json::from_slice(body) {
            return Ok(v);
        }
        let de = &mut serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
            operation: self.operation.to_string(),
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })
    }

    /// The body as received: a file, an image, a document (`type: file` or `format: binary`
    /// responses).
    pub fn bytes(&self) -> Result<Vec<u8>, Error> {
        Ok(self.body.clone())
    }

    /// The body as text (a string response whose media type is not JSON, such as
    /// `text/plain` or `text/csv`); a body that is not UTF-8 is a decode error.
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.clone()).map_err(|e| Error::Decode {
            operation: self.operation.to_string(),
            path: ".".into(),
            message: format!("the text response is not UTF-8: {e}"),
        })
    }

    /// A header's value (name compared without regard to case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    fn url(s: &str) -> reqwest::Url {
        reqwest::Url::parse(s).unwrap()
    }

    #[test]
    fn redirects_keep_credentials_and_bodies_on_their_origin_only() {
        let from = url("https://api.example/a");
        let origin = from.origin();
        let with_body = Hop {
            credentials: true,
            body: true,
        };
        // Same origin: 307/308 keep method, body and credential.
        for status in [307, 308] {
            let (m, h) = redirect_step(
                status,
                &Method::POST,
                &from,
                &url("https://api.example/b"),
                &origin,
                with_body,
            )
            .unwrap();
            assert_eq!((m, h.credentials, h.body), (Method::POST, true, true));
        }
        // 303, and 301/302 after a POST: a GET without the body.
        for status in [301, 302, 303] {
            let (m, h) = redirect_step(
                status,
                &Method::POST,
                &from,
                &url("https://api.example/b"),
                &origin,
                with_body,
            )
            .unwrap();
            assert_eq!((m, h.credentials, h.body), (Method::GET, true, false));
        }
        let (m, _) = redirect_step(
            303,
            &Method::HEAD,
            &from,
            &url("https://api.example/b"),
            &origin,
            with_body,
        )
        .unwrap();
        assert_eq!(m, Method::HEAD);
        // Another host, port or scheme is another origin: no credential from then on.
        let no_body = Hop {
            credentials: true,
            body: false,
        };
        for to in ["https://other.example/b", "https://api.example:8443/b"] {
            let (m, h) =
                redirect_step(302, &Method::GET, &from, &url(to), &origin, no_body).unwrap();
            assert_eq!((m, h.credentials), (Method::GET, false), "{to}");
        }
        // A body is never sent to another origin: 307/308 there are refused.
        for status in [307, 308] {
            let e = redirect_step(
                status,
                &Method::PUT,
                &from,
                &url("https://other.example/b"),
                &origin,
                with_body,
            )
            .unwrap_err();
            assert!(e.contains("another origin"), "{e}");
        }
        // Down to http, or to another scheme: refused.
        let e = redirect_step(
            302,
            &Method::GET,
            &from,
            &url("http://api.example/a"),
            &origin,
            no_body,
        )
        .unwrap_err();
        assert!(e.contains("from https to http"), "{e}");
        let e = redirect_step(
            302,
            &Method::GET,
            &from,
            &url("file:///etc/passwd"),
            &origin,
            no_body,
        )
        .unwrap_err();
        assert!(e.contains("not file"), "{e}");
        // http to https is an upgrade, but another origin all the same.
        let plain = url("http://api.example/a");
        let (_, h) = redirect_step(
            301,
            &Method::GET,
            &plain,
            &url("https://api.example/a"),
            &plain.origin(),
            no_body,
        )
        .unwrap();
        assert!(!h.credentials);
    }
}
