//! Polling events per second through the runtime: a local server implementing the polling
//! contract (pages of ITEMS events with a Location cursor and Retry-After 0), polled by a
//! `Poller` that hands each event to a handler and commits the state to SQLite (WAL,
//! synchronous=FULL) after each page.
//!
//!   cargo run --release -p connector-sdk --features runtime --example polling_rate -- [EVENTS] [ITEMS]

use connector_sdk::runtime::{DynamicTrigger, Every, Poller, SqliteStore};
use connector_sdk::{
    Call, Client, Connection, OperationSpec, TriggerKind, TriggerMode, TriggerSpec,
};
use std::time::{Duration, Instant};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let total = args.first().copied().unwrap_or(200_000);
    let page = args.get(1).copied().unwrap_or(100);
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri| async move {
        let since: usize = uri
            .query()
            .and_then(|q| q.strip_prefix("since="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let items: Vec<serde_json::Value> = (since..since + page)
            .map(|i| serde_json::json!({"id": i, "name": "item", "score": i % 97}))
            .collect();
        (
            [
                ("location", format!("/poll?since={}", since + page)),
                ("retry-after", "0".to_string()),
                ("content-type", "application/json".to_string()),
            ],
            serde_json::json!({ "value": items }).to_string(),
        )
    });
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", socket.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(socket, app).await });
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let client = Client::new(Connection::new(&base), "bench").unwrap();
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
        "bench/OnItems",
        &store,
        Every::Interval(Duration::from_secs(60)),
    );
    let mut seen = 0usize;
    let mut handler = |_e: serde_json::Value| {
        seen += 1;
        async { Ok(()) }
    };
    let started = Instant::now();
    let mut polls = 0;
    let mut handled = 0;
    while handled < total {
        let (n, _) = poller.poll_once(&mut handler).await.expect("poll");
        handled += n;
        polls += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "polling: {handled} events in {polls} polls of {page} in {secs:.2} s → {:.0} events/s, {:.0} polls/s (state committed after each poll)",
        handled as f64 / secs,
        polls as f64 / secs
    );
}
