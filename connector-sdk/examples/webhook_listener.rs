//! The webhook listener alone, for load tests: a SQLite state file (WAL), the signed callback
//! URL printed on stdout, every accepted notification committed before its 202, and a delivery
//! loop acknowledging them. Prints the counts when stdin closes.
//!
//!   cargo run --release -p connector-sdk --features runtime --example webhook_listener -- STATE [ADDR]
//!
//! STATE is a SQLite file, or a `postgres://` URL (the shared inbox of `connector-gen serve`).

use connector_sdk::runtime::{PostgresStore, SqliteStore, StateStore};
use connector_sdk::webhook::{listener, serve, Inbox, Signer};
use std::sync::Arc;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let db = args.next().expect("a state file");
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:0".into());
    let store: Arc<dyn StateStore> = if db.starts_with("postgres://") {
        Arc::new(PostgresStore::connect(&db).expect("state"))
    } else {
        Arc::new(SqliteStore::open(std::path::Path::new(&db)).expect("state"))
    };
    let signer = Signer::new(store.signing_key().expect("key"));
    let socket = tokio::net::TcpListener::bind(&addr).await.expect("listen");
    let local = socket.local_addr().unwrap();
    let path = "/hooks/bench/onevent".to_string();
    println!("{}", signer.callback_url(&format!("http://{local}"), &path));
    let inbox = Inbox::start(store.clone());
    let app = listener(signer, inbox, "bench/OnEvent".into(), path);
    tokio::spawn(async move { serve(socket, app).await });
    // Deliver (acknowledge) what arrives, as `watch` does, until stdin closes.
    let delivered = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let d = delivered.clone();
    let s = store.clone();
    std::thread::spawn(move || loop {
        let batch = s.pending("bench/OnEvent", 1024).unwrap_or_default();
        if batch.is_empty() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
        if s.ack("bench/OnEvent", &ids, None).is_ok() {
            d.fetch_add(ids.len() as u64, std::sync::atomic::Ordering::Relaxed);
        }
    });
    let _ = tokio::task::spawn_blocking(|| {
        let mut sink = String::new();
        while std::io::stdin()
            .read_line(&mut sink)
            .map(|n| n > 0)
            .unwrap_or(false)
        {}
    })
    .await;
    eprintln!(
        "delivered {}",
        delivered.load(std::sync::atomic::Ordering::Relaxed)
    );
}
