//! Retries and tracing against a real HTTP server on 127.0.0.1, with a clock that records waits
//! instead of sleeping.

mod common;

use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use common::TestClock;
use connector_sdk::{Call, Client, Connection, OperationSpec, RetryPolicy};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Answers `GET /flaky/{n}` with 503 `n` times, then 200; `/limited` with 429 + Retry-After: 3
/// once; `/broken` with 500 always; `/missing` with 404; other paths with 200.
async fn server() -> (String, Arc<Mutex<Vec<String>>>) {
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(move |m: Method, u: Uri, _h: HeaderMap| {
        let l = l.clone();
        async move {
            let seen = {
                let mut log = l.lock().unwrap();
                log.push(format!("{m} {u}"));
                log.iter().filter(|x| **x == format!("{m} {u}")).count()
            };
            let path = u.path().to_string();
            if let Some(n) = path.strip_prefix("/flaky/") {
                let n: usize = n.parse().unwrap_or(0);
                if seen <= n {
                    return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
                }
                return (StatusCode::OK, "{\"ok\":true}").into_response();
            }
            if path == "/limited" && seen == 1 {
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", "3")],
                    "slow down",
                )
                    .into_response();
            }
            if path == "/slow" {
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            if path == "/missing" {
                return (StatusCode::NOT_FOUND, "no such thing").into_response();
            }
            if path == "/broken" {
                return (StatusCode::INTERNAL_SERVER_ERROR, "broken").into_response();
            }
            (StatusCode::OK, "{}").into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), log)
}

fn call(method: &'static str, path: &'static str) -> Call {
    Call::new(OperationSpec {
        id: "Op",
        method,
        path,
    })
}

fn client(base: &str, policy: RetryPolicy) -> (Client, Arc<TestClock>) {
    let clock = Arc::new(TestClock::default());
    let c = Client::new(Connection::new(base), "test")
        .unwrap()
        .with_retry(policy)
        .with_clock(clock.clone());
    (c, clock)
}

#[tokio::test]
async fn the_default_policy_retries_a_busy_service_within_the_documented_windows() {
    let (base, log) = server().await;
    let (c, clock) = client(&base, RetryPolicy::default());
    let r = c.send(call("GET", "/flaky/2")).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(log.lock().unwrap().len(), 3, "two failures, then success");
    let waits = clock.0.lock().unwrap().clone();
    assert_eq!(waits.len(), 2);
    let s = Duration::from_secs_f64;
    assert!(waits[0] >= s(5.0) && waits[0] <= s(7.5), "{waits:?}");
    assert!(waits[1] >= s(7.5) && waits[1] <= s(15.0), "{waits:?}");
}

#[tokio::test]
async fn retry_after_replaces_the_policy_wait() {
    let (base, _) = server().await;
    let (c, clock) = client(&base, RetryPolicy::default());
    c.send(call("GET", "/limited")).await.unwrap();
    assert_eq!(*clock.0.lock().unwrap(), [Duration::from_secs(3)]);
}

#[tokio::test]
async fn the_count_bounds_the_attempts_and_the_last_error_is_returned() {
    let (base, log) = server().await;
    let policy = RetryPolicy::Fixed {
        count: 3,
        interval: Duration::from_secs(2),
    };
    let (c, clock) = client(&base, policy);
    let e = c.send(call("POST", "/broken")).await.unwrap_err();
    assert_eq!(e.status(), Some(500));
    // Statuses are retried for every method: the server answered.
    assert_eq!(log.lock().unwrap().len(), 4);
    assert_eq!(*clock.0.lock().unwrap(), [Duration::from_secs(2); 3]);
}

#[tokio::test]
async fn no_retry_policy_and_client_errors_are_not_retried() {
    let (base, log) = server().await;
    let (c, clock) = client(&base, RetryPolicy::None);
    assert_eq!(
        c.send(call("GET", "/flaky/1")).await.unwrap_err().status(),
        Some(503)
    );
    assert_eq!(log.lock().unwrap().len(), 1);
    assert!(clock.0.lock().unwrap().is_empty());
    // 404 is not retried, whatever the policy.
    let (c, clock) = client(&base, RetryPolicy::default());
    assert_eq!(
        c.send(call("GET", "/missing")).await.unwrap_err().status(),
        Some(404)
    );
    assert!(clock.0.lock().unwrap().is_empty());
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_connection_that_cannot_be_made_is_retried_even_for_post() {
    // A port nothing listens on: the connection is refused, nothing was sent.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let policy = RetryPolicy::Fixed {
        count: 2,
        interval: Duration::from_secs(1),
    };
    let (c, clock) = client(&base, policy);
    let e = c.send(call("POST", "/anything")).await.unwrap_err();
    assert!(e.to_string().contains("cannot reach 127.0.0.1"), "{e}");
    assert_eq!(clock.0.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn spans_name_the_operation_and_attempts_but_never_the_key() {
    let (base, log) = server().await;
    let (out, _guard) = common::capture_logs(tracing::Level::DEBUG);
    let clock = Arc::new(TestClock::default());
    let c = Client::new(
        Connection::new(&base).with_api_key_query("api_key", "s3cret-key-value"),
        "test",
    )
    .unwrap()
    .with_clock(clock);
    c.send(call("GET", "/flaky/1")).await.unwrap();
    // The key reaches the service, on every attempt.
    assert_eq!(
        *log.lock().unwrap(),
        [
            "GET /flaky/1?api_key=s3cret-key-value",
            "GET /flaky/1?api_key=s3cret-key-value"
        ]
    );
    // A refused connection: its error names the host and the cause, not the URL with the key.
    let refused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", refused.local_addr().unwrap());
    drop(refused);
    let c = Client::new(
        Connection::new(&dead).with_api_key_query("api_key", "s3cret-key-value"),
        "test",
    )
    .unwrap()
    .with_retry(RetryPolicy::None);
    let e = c.send(call("GET", "/x")).await.unwrap_err();
    let text = out.text();
    assert!(
        text.contains("action{operation=\"Op\" method=\"GET\" path=\"/flaky/1\"}"),
        "{text}"
    );
    assert!(
        text.contains("attempt{attempt=1}") && text.contains("attempt{attempt=2}"),
        "{text}"
    );
    assert!(
        text.contains("status=503") && text.contains("status=200"),
        "{text}"
    );
    assert!(text.contains("retrying"), "{text}");
    assert!(
        !text.contains("s3cret"),
        "a secret reached the logs:\n{text}"
    );
    assert!(!e.to_string().contains("s3cret"), "{e}");
    assert!(e.to_string().contains("cannot reach 127.0.0.1"), "{e}");
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_a_timeout_error_retried_only_when_idempotent() {
    let (base, log) = server().await;
    let policy = RetryPolicy::Fixed {
        count: 1,
        interval: Duration::from_secs(1),
    };
    let (c, clock) = client(&base, policy);
    let c = c.with_timeout(Duration::from_millis(100));
    let e = c.send(call("POST", "/slow")).await.unwrap_err();
    assert!(
        e.to_string()
            .contains("gave up after 100ms waiting for a response from 127.0.0.1"),
        "{e}"
    );
    // The POST may have been carried out: not retried.
    assert_eq!(log.lock().unwrap().len(), 1);
    assert!(clock.0.lock().unwrap().is_empty());
    // A GET is.
    c.send(call("GET", "/slow")).await.unwrap_err();
    assert_eq!(log.lock().unwrap().len(), 3);
    assert_eq!(*clock.0.lock().unwrap(), [Duration::from_secs(1)]);
}
