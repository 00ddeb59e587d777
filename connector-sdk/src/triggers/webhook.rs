//! Webhook triggers (feature `runtime`): signed callback URLs, an embedded listener that
//! answers a notification only once it is durably stored, delivery from that inbox, and the
//! subscription's life (subscribe with the callback URL, keep the `Location`, `DELETE` it on
//! stop).
//!
//! Callback URLs carry a signature like the platform's: `sp` (the path it allows), `sv` (the
//! version) and `sig` = base64url(HMAC-SHA256(key, "POST\n{sp}\n{sv}")). A notification whose
//! signature is wrong or missing gets 401 and is not stored. The key is 32 random bytes kept in
//! the state database, so callback URLs survive restarts.

use super::state::StateStore;
pub use super::state::Subscription;
use crate::auth::oauth::constant_time_eq;
use crate::triggers::trigger::RunnableTrigger;
use crate::{Client, Error};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use std::sync::mpsc;
use std::sync::Arc;

const VERSION: &str = "1";

/// Signs and checks callback URLs.
#[derive(Clone)]
pub struct Signer {
    key: [u8; 32],
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(<redacted>)")
    }
}

impl Signer {
    /// A signer with `key`.
    pub fn new(key: [u8; 32]) -> Self {
        Signer { key }
    }

    fn mac(&self, path: &str, version: &str) -> Vec<u8> {
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.key).expect("any key size");
        mac.update(format!("POST\n{path}\n{version}").as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// The callback URL for `path` under `public_url`. Characters that cannot stand in a URL
    /// path (`?`, `#`, `%`, spaces, non-ASCII...) are percent-encoded in it; the signature is
    /// over `path` itself, which `sp` carries.
    pub fn callback_url(&self, public_url: &str, path: &str) -> String {
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.mac(path, VERSION));
        let mut shown = String::with_capacity(path.len());
        for b in path.bytes() {
            if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
                shown.push(b as char);
            } else {
                shown.push_str(&format!("%{b:02X}"));
            }
        }
        format!(
            "{}{shown}?sp={}&sv={VERSION}&sig={sig}",
            public_url.trim_end_matches('/'),
            crate::http::call::encode_component(path)
        )
    }

    /// Whether a request to `path` with `query` carries a valid signature for that path.
    pub fn verify(&self, path: &str, query: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(&format!("http://callback/?{query}")) else {
            return false;
        };
        let get = |k: &str| {
            url.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        let (Some(sp), Some(sv), Some(sig)) = (get("sp"), get("sv"), get("sig")) else {
            return false;
        };
        let Ok(given) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig.as_bytes())
        else {
            return false;
        };
        sp == path && sv == VERSION && constant_time_eq(&given, &self.mac(&sp, &sv))
    }
}

/// A notification waiting to be stored, and who to tell when it is.
type Pending = (
    String,
    String,
    tokio::sync::oneshot::Sender<Result<(), String>>,
);

/// Stores notifications in groups: whatever arrived while the last transaction was committing
/// goes into the next one, so many concurrent notifications share one fsync.
#[derive(Clone)]
pub struct Inbox {
    tx: mpsc::SyncSender<Pending>,
}

impl std::fmt::Debug for Inbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inbox").finish_non_exhaustive()
    }
}

impl Inbox {
    /// An inbox writing to `store` on a thread of its own.
    pub fn start(store: Arc<dyn StateStore>) -> Inbox {
        let (tx, rx) = mpsc::sync_channel::<Pending>(4096);
        std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                while batch.len() < 1024 {
                    match rx.try_recv() {
                        Ok(p) => batch.push(p),
                        Err(_) => break,
                    }
                }
                let items: Vec<(&str, &str)> = batch
                    .iter()
                    .map(|(t, b, _)| (t.as_str(), b.as_str()))
                    .collect();
                let result = store.enqueue(&items).map_err(|e| e.to_string());
                for (_, _, done) in batch {
                    let _ = done.send(result.clone());
                }
            }
        });
        Inbox { tx }
    }

    /// Stores one notification of `trigger`; returns once it is committed.
    pub async fn put(&self, trigger: &str, body: String) -> Result<(), Error> {
        let state = |message: String| Error::State { message };
        let (done, wait) = tokio::sync::oneshot::channel();
        self.tx
            .send((trigger.to_string(), body, done))
            .map_err(|_| state("the inbox is closed".into()))?;
        wait.await
            .map_err(|_| state("the inbox stopped".into()))?
            .map_err(state)
    }
}

/// What the listener may be made to hold: each has a default, and the webhook listener of
/// `connector-gen watch` takes `--max-connections`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenerLimits {
    /// The largest notification body, in bytes (default 2 MiB); larger is 413.
    pub max_body_bytes: usize,
    /// How long a client may take to send a request's headers, and how long a kept-alive
    /// connection may wait before its next request (default 10 s).
    pub header_read_timeout: std::time::Duration,
    /// How long a connection may go without a byte either way before it is closed (default
    /// 60 s): slow bodies and readers that never read.
    pub idle_timeout: std::time::Duration,
    /// Connections served at once (default: 1024, or fewer when the process may open fewer
    /// files). At the cap, the connection that has waited longest for its request is closed to
    /// make room; when every connection is busy with a request, new ones wait.
    pub max_connections: usize,
}

impl Default for ListenerLimits {
    fn default() -> Self {
        ListenerLimits {
            max_body_bytes: 2 * 1024 * 1024,
            header_read_timeout: std::time::Duration::from_secs(10),
            idle_timeout: std::time::Duration::from_secs(60),
            max_connections: default_max_connections(),
        }
    }
}

/// 1024 connections, or half of what the process may open beyond a reserve of 32 files (the
/// state database, its journal, the logs), at least 16.
pub fn default_max_connections() -> usize {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the struct it is given and reads nothing else.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            let soft = usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX);
            return (soft.saturating_sub(32) / 2).clamp(16, 1024);
        }
    }
    1024
}

/// How deep a notification's JSON may nest: the limit of the parser that reads notifications
/// for delivery, so that nothing is acknowledged that delivery could not read.
pub const MAX_NOTIFICATION_DEPTH: usize = 128;

/// What the listener does with a request to its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Store this body (the notification, as text) and answer 202 once it is committed.
    Accept(String),
    /// Answer with this status and reason; nothing is stored.
    Reject(u16, String),
}

/// The listener's decision for a request to `path` with `query` and `body`: 401 without a valid
/// signature, 413 over `max_body_bytes`, 400 for a body the delivery parser cannot read (not
/// JSON, or nested deeper than [`MAX_NOTIFICATION_DEPTH`]); else accepted. The one function the
/// listener, the fuzz target and delivery agree through.
pub fn judge(
    signer: &Signer,
    path: &str,
    query: &str,
    body: &[u8],
    max_body_bytes: usize,
) -> Verdict {
    if !signer.verify(path, query) {
        return Verdict::Reject(401, "invalid or missing signature".into());
    }
    if body.len() > max_body_bytes {
        return Verdict::Reject(
            413,
            format!("the notification is larger than {max_body_bytes} bytes"),
        );
    }
    match parse_notification(body) {
        Ok(_) => Verdict::Accept(String::from_utf8_lossy(body).into_owned()),
        Err(e) if e.to_string().contains("recursion limit") => Verdict::Reject(
            400,
            format!("the notification nests deeper than {MAX_NOTIFICATION_DEPTH} levels"),
        ),
        Err(_) => Verdict::Reject(400, "the notification is not JSON".into()),
    }
}

/// A notification's JSON, as delivery reads it (nesting at most [`MAX_NOTIFICATION_DEPTH`]).
pub fn parse_notification(body: &[u8]) -> Result<Value, serde_json::Error> {
    serde_json::from_slice(body)
}

/// The embedded listener with the default limits (see [`listener_with`]).
pub fn listener(signer: Signer, inbox: Inbox, trigger: String, path: String) -> axum::Router {
    listener_with(signer, inbox, trigger, path, &ListenerLimits::default())
}

/// The embedded listener: `POST {path}` with a valid signature and a JSON body that delivery
/// can read is stored in the inbox of `trigger`, then answered 202; everything else is refused
/// as [`judge`] says, before anything is stored.
pub fn listener_with(
    signer: Signer,
    inbox: Inbox,
    trigger: String,
    path: String,
    limits: &ListenerLimits,
) -> axum::Router {
    use axum::http::{StatusCode, Uri};
    let max_body = limits.max_body_bytes;
    let handler = move |uri: Uri, body: axum::body::Bytes| {
        let (signer, inbox, trigger) = (signer.clone(), inbox.clone(), trigger.clone());
        async move {
            match judge(
                &signer,
                uri.path(),
                uri.query().unwrap_or(""),
                &body,
                max_body,
            ) {
                Verdict::Reject(status, reason) => (
                    StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
                    reason,
                ),
                Verdict::Accept(text) => match inbox.put(&trigger, text).await {
                    Ok(()) => (StatusCode::ACCEPTED, String::new()),
                    Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
                },
            }
        }
    };
    axum::Router::new()
        .route(&path, axum::routing::post(handler))
        // A body over the limit is refused while it arrives (413), never read whole.
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
}

impl Client {
    /// Subscribes `trigger` with `callback_url` (placed where its definition says); returns the
    /// subscription with the `Location` of the answer.
    pub async fn subscribe<T: RunnableTrigger>(
        &self,
        trigger: &T,
        callback_url: &str,
    ) -> Result<Subscription, Error> {
        let response = self
            .send(trigger.trigger_request(Some(callback_url))?)
            .await?;
        Ok(Subscription {
            callback_url: callback_url.to_string(),
            location: response.header("location").map(str::to_string),
            origin: None,
        })
    }

    /// Deletes a subscription (`DELETE` its `Location`; the credential only on the connector's
    /// own origin).
    pub async fn unsubscribe(
        &self,
        operation: impl Into<crate::http::call::Name>,
        location: &str,
    ) -> Result<(), Error> {
        self.delete_link(operation, location)
            .await?
            .success()
            .map(|_| ())
    }
}

/// The JSON of a stored notification. Only bodies [`parse_notification`] reads are stored; a
/// row written otherwise (by an older version) is delivered as its text, never lost as `null`.
pub fn notification(body: &str) -> Value {
    parse_notification(body.as_bytes()).unwrap_or_else(|_| Value::String(body.to_string()))
}

/// Serves the listener on `socket` with the default limits until the task is dropped.
pub async fn serve(socket: tokio::net::TcpListener, app: axum::Router) -> std::io::Result<()> {
    crate::triggers::server::serve(socket, app, ListenerLimits::default()).await
}

/// Serves the listener on `socket` within `limits` until the task is dropped.
pub async fn serve_with(
    socket: tokio::net::TcpListener,
    app: axum::Router,
    limits: ListenerLimits,
) -> std::io::Result<()> {
    crate::triggers::server::serve(socket, app, limits).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_urls_verify_only_for_their_path_and_key() {
        let signer = Signer::new([7; 32]);
        let url = signer.callback_url("https://hooks.example/", "/hooks/a/b");
        let (head, query) = url.split_once('?').unwrap();
        assert_eq!(head, "https://hooks.example/hooks/a/b");
        assert!(
            query.starts_with("sp=%2Fhooks%2Fa%2Fb&sv=1&sig="),
            "{query}"
        );
        assert!(signer.verify("/hooks/a/b", query));
        assert!(!signer.verify("/hooks/a/c", query));
        assert!(!Signer::new([8; 32]).verify("/hooks/a/b", query));
        assert!(!signer.verify("/hooks/a/b", &query.replace("sv=1", "sv=2")));
        // A path with characters a URL path cannot hold raw still gives a URL that verifies
        // (found by the webhook fuzz target: `?` in the path ended the path early).
        let odd = "/hooks/OnN&m?vtesI=5#x y";
        let url = signer.callback_url("https://hooks.example", odd);
        let (head, query) = url.split_once('?').unwrap();
        assert_eq!(head, "https://hooks.example/hooks/OnN&m%3FvtesI=5%23x%20y");
        assert!(signer.verify(odd, query));
        assert!(!signer.verify("/hooks/a/b", &query.replace("sig=", "sig=x")));
        assert!(!signer.verify("/hooks/a/b", "sp=%2Fhooks%2Fa%2Fb&sv=1"));
        assert!(!signer.verify("/hooks/a/b", ""));
        assert_eq!(format!("{signer:?}"), "Signer(<redacted>)");
    }
}
