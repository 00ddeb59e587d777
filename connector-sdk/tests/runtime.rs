//! The trigger runtime's poller against a server on 127.0.0.1 implementing the polling contract:
//! a failing handler or a failing poll leaves the state where it was (the events come again),
//! and the run history records each run with its error.
#![cfg(feature = "runtime")]

use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use connector_sdk::runtime::{DynamicTrigger, Every, Poller, SqliteStore, StateStore};
use connector_sdk::{
    Call, Client, Connection, Error, OperationSpec, RetryPolicy, TriggerKind, TriggerMode,
    TriggerSpec,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `/poll` → items 1..=3 with Location `/poll?since=3`; `/poll?since=3` → 202. While `fail` is
/// set, every request is a 500.
async fn server(fail: Arc<Mutex<bool>>) -> String {
    let app = axum::Router::new().fallback(move |u: Uri| {
        let fail = fail.clone();
        async move {
            if *fail.lock().unwrap() {
                return (StatusCode::INTERNAL_SERVER_ERROR, "down").into_response();
            }
            if u.query() == Some("since=3") {
                return (StatusCode::ACCEPTED, [("location", "/poll?since=3")], "").into_response();
            }
            (
                StatusCode::OK,
                [("location", "/poll?since=3")],
                axum::Json(serde_json::json!({"value": [{"id": 1}, {"id": 2}, {"id": 3}]})),
            )
                .into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn state_advances_only_after_the_handler_and_failures_are_recorded() {
    let fail = Arc::new(Mutex::new(false));
    let base = server(fail.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let client = Client::new(Connection::new(&base), "test")
        .unwrap()
        .with_retry(RetryPolicy::None);
    let spec = TriggerSpec {
        operation: OperationSpec {
            id: "OnItems",
            method: "GET",
            path: "/poll",
        },
        kind: TriggerKind::Polling,
        mode: TriggerMode::Batch,
        split_on: Some("value"),
    };
    let trigger = DynamicTrigger {
        spec: spec.into(),
        call: Call::new(spec.operation),
    };
    let poller = Poller::new(
        &client,
        trigger,
        "t",
        &store,
        Every::Interval(Duration::from_secs(60)),
    );

    // The handler fails on the second event: nothing is committed.
    let mut seen: Vec<i64> = Vec::new();
    let mut failing = |e: serde_json::Value| {
        let id = e["id"].as_i64().unwrap();
        seen.push(id);
        let result = if id == 2 {
            Err(Error::Request {
                operation: "handler".into(),
                message: "the handler is down".into(),
            })
        } else {
            Ok(())
        };
        async move { result }
    };
    let e = poller.poll_once(&mut failing).await.unwrap_err();
    assert!(e.to_string().contains("the handler is down"));
    assert_eq!(seen, [1, 2]);
    assert_eq!(store.load("t").unwrap(), None);

    // The service fails: recorded, state unchanged.
    *fail.lock().unwrap() = true;
    let mut ok = |_e: serde_json::Value| async { Ok(()) };
    let e = poller.poll_once(&mut ok).await.unwrap_err();
    assert_eq!(e.status(), Some(500));
    *fail.lock().unwrap() = false;

    // Working again: the same events come again (at least once), then the state advances.
    let got: Arc<Mutex<Vec<i64>>> = Arc::default();
    let g = got.clone();
    let mut collect = move |e: serde_json::Value| {
        g.lock().unwrap().push(e["id"].as_i64().unwrap());
        async { Ok(()) }
    };
    let (n, _) = poller.poll_once(&mut collect).await.unwrap();
    assert_eq!(n, 3);
    assert_eq!(*got.lock().unwrap(), [1, 2, 3]);
    let state = store.load("t").unwrap().unwrap();
    assert_eq!(state.location.as_deref(), Some("/poll?since=3"));
    let (n, _) = poller.poll_once(&mut collect).await.unwrap();
    assert_eq!(n, 0, "202: nothing new");

    let history = store.history("t", 10).unwrap();
    let errors: Vec<Option<&str>> = history.iter().map(|r| r.error.as_deref()).collect();
    assert_eq!(history.len(), 4);
    assert_eq!(errors[0], None);
    assert_eq!(errors[1], None);
    assert!(errors[2].unwrap().contains("HTTP 500"), "{errors:?}");
    assert!(
        errors[3].unwrap().contains("the handler is down"),
        "{errors:?}"
    );
    assert_eq!(history[1].events, 3);
}
