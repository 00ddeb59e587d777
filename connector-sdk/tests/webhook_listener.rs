//! The webhook listener under abuse, on 127.0.0.1: hundreds of clients that never finish their
//! headers do not keep a valid notification out (at the connection cap the longest-waiting one
//! is closed to make room, and header and idle timeouts close them anyway); and a notification
//! is acknowledged only when delivery can read it: too deep or too large is refused, never a 202
//! followed by a lost event.
#![cfg(feature = "runtime")]

use connector_sdk::runtime::{SqliteStore, StateStore};
use connector_sdk::webhook::{listener_with, notification, Inbox, ListenerLimits, Signer};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PATH: &str = "/hooks/test/on-item";
const TRIGGER: &str = "test/OnItem";

/// A listener on 127.0.0.1 with `limits`; its store, its address and the signed callback URL.
async fn start(limits: ListenerLimits) -> (Arc<SqliteStore>, String, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("state.db")).unwrap());
    let signer = Signer::new(store.signing_key().unwrap());
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap().to_string();
    let callback = signer.callback_url(&format!("http://{addr}"), PATH);
    let app = listener_with(
        signer,
        Inbox::start(store.clone()),
        TRIGGER.into(),
        PATH.into(),
        &limits,
    );
    tokio::spawn(connector_sdk::webhook::serve_with(socket, app, limits));
    (store, addr, callback, dir)
}

/// `n` connections that send the start of a request and then nothing.
async fn slow_clients(addr: &str, n: usize) -> Vec<tokio::net::TcpStream> {
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(format!("POST {PATH} HTTP/1.1\r\nHost: x\r\nX-Slow: ").as_bytes())
            .await
            .unwrap();
        clients.push(s);
    }
    clients
}

async fn notify(callback: &str, body: Vec<u8>) -> (u16, String) {
    let r = reqwest::Client::new()
        .post(callback)
        .header("content-type", "application/json")
        .body(body)
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

/// Whether the server closed `s` (EOF or reset) within `within`.
async fn closed(s: &mut tokio::net::TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 256];
    match tokio::time::timeout(within, s.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => true,
        // A 408 or similar answer, then the close.
        Ok(Ok(_)) => matches!(
            tokio::time::timeout(within, s.read(&mut buf)).await,
            Ok(Ok(0)) | Ok(Err(_))
        ),
        Err(_) => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_header_clients_do_not_keep_a_valid_notification_out() {
    let limits = ListenerLimits {
        header_read_timeout: Duration::from_secs(2),
        max_connections: 64,
        ..ListenerLimits::default()
    };
    let (store, addr, callback, _dir) = start(limits).await;
    // 300 clients that never finish their headers: far more than the 64 served at once.
    let mut slow = slow_clients(&addr, 300).await;
    let started = Instant::now();
    let (status, _) = notify(&callback, br#"{"id": 1}"#.to_vec()).await;
    let took = started.elapsed();
    assert_eq!(status, 202);
    assert_eq!(store.pending(TRIGGER, 10).unwrap().len(), 1);
    eprintln!("a valid notification behind 300 slow clients (cap 64): 202 after {took:?}");
    // The slow clients are closed: made room for, or timed out (2 s) — none stays.
    let mut still_open = 0;
    for s in slow.iter_mut() {
        if !closed(s, Duration::from_secs(10)).await {
            still_open += 1;
        }
    }
    assert_eq!(still_open, 0, "slow clients kept their connections");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_never_sends_a_byte_is_closed_after_the_header_timeout() {
    let limits = ListenerLimits {
        header_read_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(1),
        ..ListenerLimits::default()
    };
    let (_store, addr, callback, _dir) = start(limits).await;
    let mut silent = tokio::net::TcpStream::connect(&addr).await.unwrap();
    assert!(closed(&mut silent, Duration::from_secs(10)).await);
    // A client that sends its headers and then a body it never finishes: the idle timeout.
    let mut dribble = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let query = callback.split_once('?').unwrap().1;
    dribble
        .write_all(
            format!("POST {PATH}?{query} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{{")
                .as_bytes(),
        )
        .await
        .unwrap();
    assert!(closed(&mut dribble, Duration::from_secs(10)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_what_delivery_can_read_is_acknowledged() {
    let limits = ListenerLimits {
        max_body_bytes: 1024 * 1024,
        ..ListenerLimits::default()
    };
    let (store, _addr, callback, _dir) = start(limits).await;
    // 100,000 nested arrays, validly signed: refused, not acknowledged and lost.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (status, reason) = notify(&callback, deep.into_bytes()).await;
    assert_eq!(
        (status, reason.as_str()),
        (400, "the notification nests deeper than 128 levels")
    );
    // Just past the limit and just within it.
    let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert_eq!(notify(&callback, nested(129).into_bytes()).await.0, 400);
    assert_eq!(notify(&callback, nested(127).into_bytes()).await.0, 202);
    // Too large, not JSON, not signed.
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(1025 * 1024));
    assert_eq!(notify(&callback, big.into_bytes()).await.0, 413);
    assert_eq!(notify(&callback, b"not json".to_vec()).await.0, 400);
    let unsigned = callback.split_once('?').unwrap().0.to_string();
    assert_eq!(notify(&unsigned, b"{}".to_vec()).await.0, 401);
    // What was acknowledged is delivered as it was sent.
    let pending = store.pending(TRIGGER, 10).unwrap();
    assert_eq!(pending.len(), 1);
    let delivered = notification(&pending[0].1);
    assert_eq!(
        delivered,
        serde_json::from_str::<serde_json::Value>(&nested(127)).unwrap()
    );
    assert!(!delivered.is_null());
}
