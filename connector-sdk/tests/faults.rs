//! Faults a real service produces, scripted by servers on 127.0.0.1: connections reset before
//! an answer, 202 sequences whose `Location` points at another host, oversized error bodies.
//! Each test asserts the exact requests the servers received and the headers on each.

mod common;

use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use common::TestClock;
use connector_sdk::{Call, Client, Connection, OperationSpec, RetryPolicy};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

type Log = Arc<Mutex<Vec<String>>>;

fn call(method: &'static str, path: &'static str) -> Call {
    Call::new(OperationSpec {
        id: "Op",
        method,
        path,
    })
}

fn client(base: &str) -> (Client, Arc<TestClock>) {
    let clock = Arc::new(TestClock::default());
    let c = Client::new(Connection::new(base).with_bearer("s3cret"), "test")
        .unwrap()
        .with_retry(RetryPolicy::Fixed {
            count: 2,
            interval: Duration::from_secs(1),
        })
        .with_clock(clock.clone());
    (c, clock)
}

/// A raw HTTP server: reads each request, logs its request line, and resets the first
/// `resets` connections (RST, no answer); later ones get `200 {}`.
async fn resetting_server(resets: usize) -> (String, Log) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Log = Arc::default();
    let l = log.clone();
    tokio::spawn(async move {
        let mut seen = 0;
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let mut buf = vec![0u8; 8192];
            let mut got = Vec::new();
            while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                match sock.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&got);
            l.lock()
                .unwrap()
                .push(text.lines().next().unwrap_or("").to_string());
            seen += 1;
            if seen <= resets {
                // Linger 0: closing sends a reset instead of a clean end (and, with a zero
                // timeout, does not block the thread the deprecation warns about).
                #[allow(deprecated)]
                let _ = sock.set_linger(Some(Duration::ZERO));
                drop(sock);
                continue;
            }
            let _ = sock
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
                .await;
        }
    });
    (format!("http://{addr}"), log)
}

#[tokio::test]
async fn a_reset_connection_is_retried_for_get_but_not_for_post() {
    let (base, log) = resetting_server(1).await;
    let (c, clock) = client(&base);
    let r = c.send(call("GET", "/items")).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(
        *log.lock().unwrap(),
        ["GET /items HTTP/1.1", "GET /items HTTP/1.1"]
    );
    assert_eq!(*clock.0.lock().unwrap(), [Duration::from_secs(1)]);

    // A POST whose connection is lost may have been carried out: reported, not repeated.
    let (base, log) = resetting_server(1).await;
    let (c, clock) = client(&base);
    let e = c.send(call("POST", "/orders")).await.unwrap_err();
    assert!(
        e.to_string()
            .starts_with("Op failed: cannot reach 127.0.0.1"),
        "{e}"
    );
    assert_eq!(*log.lock().unwrap(), ["POST /orders HTTP/1.1"]);
    assert!(clock.0.lock().unwrap().is_empty());
}

/// Records `METHOD URI auth=...` for every request, under `name`.
async fn recording(name: &'static str, log: Log, app: axum::Router) -> String {
    let app = app.layer(axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| {
            let log = log.clone();
            async move {
                let auth = req
                    .headers()
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-")
                    .to_string();
                log.lock().unwrap().push(format!(
                    "{name}: {} {} auth={auth}",
                    req.method(),
                    req.uri()
                ));
                next.run(req).await
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_location_on_another_host_is_polled_without_the_credential() {
    let log: Log = Arc::default();
    // The status host answers 202 once more, then the result.
    let polls = Arc::new(Mutex::new(0));
    let p = polls.clone();
    let status = recording(
        "status",
        log.clone(),
        axum::Router::new().fallback(move |_m: Method, u: Uri, _h: HeaderMap| {
            let p = p.clone();
            async move {
                let n = {
                    let mut n = p.lock().unwrap();
                    *n += 1;
                    *n
                };
                if n == 1 {
                    (
                        StatusCode::ACCEPTED,
                        [("location", u.to_string()), ("retry-after", "2".into())],
                        String::new(),
                    )
                        .into_response()
                } else {
                    (StatusCode::OK, "{\"done\":true}").into_response()
                }
            }
        }),
    )
    .await;
    let location = format!("{status}/jobs/7?sig=abc");
    let service = recording(
        "service",
        log.clone(),
        axum::Router::new().fallback(move || {
            let location = location.clone();
            async move {
                (
                    StatusCode::ACCEPTED,
                    [("location", location), ("retry-after", "5".into())],
                    String::new(),
                )
            }
        }),
    )
    .await;
    let (c, clock) = client(&service);
    let r = c.send_long_running(call("POST", "/exports")).await.unwrap();
    assert_eq!(r.body, b"{\"done\":true}");
    assert_eq!(
        *log.lock().unwrap(),
        [
            "service: POST /exports auth=Bearer s3cret",
            "status: GET /jobs/7?sig=abc auth=-",
            "status: GET /jobs/7?sig=abc auth=-",
        ]
    );
    assert_eq!(
        *clock.0.lock().unwrap(),
        [Duration::from_secs(5), Duration::from_secs(2)]
    );
}

#[tokio::test]
async fn error_bodies_are_capped() {
    let log: Log = Arc::default();
    let base = recording(
        "service",
        log.clone(),
        axum::Router::new().fallback(|| async { (StatusCode::BAD_REQUEST, "x".repeat(100_000)) }),
    )
    .await;
    let (c, _) = client(&base);
    let e = c.send(call("GET", "/big")).await.unwrap_err();
    let connector_sdk::Error::Status { status, body, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!(*status, 400);
    assert_eq!(body.len(), 4096 + " …".len());
    assert!(body.ends_with(" …"));
    assert_eq!(log.lock().unwrap().len(), 1, "400 is not retried");
}

#[tokio::test]
async fn api_keys_and_basic_credentials_go_where_the_definition_says() {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(move |u: Uri, h: HeaderMap| {
        let l = l.clone();
        async move {
            let get = |n: &str| {
                h.get(n)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-")
                    .to_string()
            };
            l.lock().unwrap().push(format!(
                "{u} x-api-key={} authorization={}",
                get("x-api-key"),
                get("authorization")
            ));
            "{}"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    for conn in [
        Connection::new(&base).with_api_key_header("X-Api-Key", "k 1"),
        Connection::new(&base).with_api_key_query("code", "k&2"),
        Connection::new(&base).with_basic("ann", "pw:3"),
    ] {
        let c = Client::new(conn, "test").unwrap();
        let mut call = call("GET", "/items");
        call.query("top", &5, connector_sdk::ArrayFormat::Csv);
        c.send(call).await.unwrap();
    }
    assert_eq!(
        *log.lock().unwrap(),
        [
            "/items?top=5 x-api-key=k 1 authorization=-",
            "/items?top=5&code=k%262 x-api-key=- authorization=-",
            // base64("ann:pw:3")
            "/items?top=5 x-api-key=- authorization=Basic YW5uOnB3OjM=",
        ]
    );
}
