//! What a service controls is bounded: response bodies are cut at their limit while they
//! stream, a `Retry-After` longer than the longest honoured fails at once, a long-running
//! action that answers `202` + `Retry-After: 0` at itself is polled with back-off, and a service
//! that gives next links forever is stopped at the default page limit. Servers on 127.0.0.1.

mod common;

use axum::body::Body;
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use common::TestClock;
use connector_sdk::{
    Call, Client, Connection, Error, OperationSpec, Paging, RetryPolicy, StreamExt, Wait,
    WaitReason,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Serves `app` on 127.0.0.1; counts requests.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn get(path: &'static str) -> Call {
    Call::new(OperationSpec {
        id: "Op",
        method: "GET",
        path,
    })
}

fn client(base: &str) -> (Client, Arc<TestClock>) {
    let clock = Arc::new(TestClock::default());
    let c = Client::new(Connection::new(base), "limits")
        .unwrap()
        .with_clock(clock.clone());
    (c, clock)
}

/// A body of `chunks` chunks of 1 MiB, streamed without a length.
fn endless(chunks: usize) -> Body {
    let chunk = axum::body::Bytes::from(vec![b'x'; 1024 * 1024]);
    Body::from_stream(futures_util::stream::iter(
        (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
    ))
}

#[tokio::test]
async fn a_response_body_is_cut_at_its_limit_while_it_streams() {
    let base = serve(
        axum::Router::new()
            .route("/stream", axum::routing::get(|| async { endless(200) }))
            .route(
                "/declared",
                axum::routing::get(|| async {
                    ([("content-length", "5000000000")], endless(1)).into_response()
                }),
            )
            .route("/small", axum::routing::get(|| async { "{\"ok\":true}" })),
    )
    .await;
    let (c, _) = client(&base);
    // 200 MiB streamed against the default limit of 100 MiB.
    let e = c.send(get("/stream")).await.unwrap_err();
    assert!(matches!(e, Error::Limit { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("more than the limit of 104857600 bytes")
            && text.contains("--max-body-bytes"),
        "{text}"
    );
    // A lower limit stops sooner; a length said up front is refused before reading.
    let small = c.clone().with_max_body_bytes(1024);
    let e = small.send(get("/stream")).await.unwrap_err();
    assert!(e.to_string().contains("limit of 1024 bytes"), "{e}");
    let e = c.send(get("/declared")).await.unwrap_err();
    assert!(e.to_string().contains("says it is 5000000000 bytes"), "{e}");
    // Below the limit nothing changes.
    assert_eq!(
        small.send(get("/small")).await.unwrap().body,
        b"{\"ok\":true}"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_longest_honoured_fails_at_once_and_others_are_announced() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let base = serve(axum::Router::new().fallback(move |u: Uri| {
        let h = h.clone();
        async move {
            let n = h.fetch_add(1, Ordering::SeqCst);
            let wait = if u.path() == "/day" { "100000" } else { "30" };
            if n == 0 || u.path() == "/day" {
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", wait)],
                    "slow",
                )
                    .into_response()
            } else {
                (StatusCode::OK, "{}").into_response()
            }
        }
    }))
    .await;
    let waits: Arc<Mutex<Vec<Wait>>> = Arc::default();
    let w = waits.clone();
    let (c, clock) = client(&base);
    let c = c
        .with_retry(RetryPolicy::default())
        .with_wait_observer(move |wait| w.lock().unwrap().push(wait.clone()));
    // 30 s is within the 300 s honoured by default: waited, and said.
    c.send(get("/half-minute")).await.unwrap();
    assert_eq!(*clock.0.lock().unwrap(), [Duration::from_secs(30)]);
    assert_eq!(
        *waits.lock().unwrap(),
        [Wait {
            operation: "Op".into(),
            duration: Duration::from_secs(30),
            reason: WaitReason::Retry {
                attempt: 1,
                of: 4,
                status: Some(429),
                retry_after: true
            }
        }]
    );
    assert_eq!(
        waits.lock().unwrap()[0].to_string(),
        "Op: waiting 30.0 s before retry 1 of 4 (HTTP 429; the service's Retry-After)"
    );
    // A day is not: the call fails at once, without waiting.
    hits.store(0, Ordering::SeqCst);
    let e = c.send(get("/day")).await.unwrap_err();
    assert!(matches!(e, Error::Limit { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("retry after 100000 s") && text.contains("longest wait honoured, 300 s"),
        "{text}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert_eq!(clock.0.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_long_running_action_pointing_at_itself_with_no_wait_is_polled_with_back_off() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let base = serve(axum::Router::new().fallback(move || {
        let h = h.clone();
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            (
                StatusCode::ACCEPTED,
                [("location", "/jobs/1"), ("retry-after", "0")],
                "",
            )
        }
    }))
    .await;
    let (c, clock) = client(&base);
    let c = c.with_long_running_timeout(Duration::from_secs(60));
    let e = c.send_long_running(get("/jobs/1")).await.unwrap_err();
    assert!(matches!(e, Error::Timeout { .. }), "{e}");
    assert!(e.to_string().contains("--long-running-timeout"), "{e}");
    // 1 s at least between polls, doubling while nothing changes, up to 20 s: a minute holds
    // 1 + 2 + 4 + 8 + 16 + 20 s of waiting, so seven requests instead of thousands.
    let waits: Vec<u64> = clock
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|d| d.as_secs())
        .collect();
    assert_eq!(waits, [1, 2, 4, 8, 16, 20]);
    assert_eq!(hits.load(Ordering::SeqCst), 7);
}

#[tokio::test]
async fn a_service_that_pages_forever_is_stopped_at_the_default_page_limit() {
    let base = serve(axum::Router::new().fallback(|u: Uri| async move {
        let page: u64 = u
            .query()
            .and_then(|q| q.strip_prefix("page="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        axum::Json(serde_json::json!({
            "value": [page],
            "nextLink": format!("/items?page={}", page + 1),
        }))
    }))
    .await;
    let (c, _) = client(&base);
    let items: Vec<Result<u64, Error>> = c.items(get("/items"), Paging::default()).collect().await;
    assert_eq!(items.len(), 1001);
    assert!(items[..1000].iter().all(Result::is_ok));
    let e = items[1000].as_ref().unwrap_err();
    assert!(matches!(e, Error::Limit { .. }), "{e}");
    assert!(e.to_string().contains("stopped after 1000 pages"), "{e}");
    // Pages asked for are read without an error.
    let c = c.with_max_pages(Some(3));
    let items: Vec<Result<u64, Error>> = c.items(get("/items"), Paging::default()).collect().await;
    assert_eq!(items.iter().filter(|i| i.is_ok()).count(), 3);
    assert_eq!(items.len(), 3);
}
