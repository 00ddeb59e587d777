//! The cost of the runtime: one action called through the SDK (`Call` + `Client::send` + typed
//! decoding: retries armed, spans, policies, credential) against the same request made with a
//! bare `reqwest::Client` (same TLS backend, same decoding), on the same local server.
//!
//!   cargo run --release -p connector-sdk --example overhead -- [REQUESTS] [ROUNDS]
//!
//! For concurrency 1 and 64, the two sides run alternately in ROUNDS rounds of REQUESTS requests
//! each, each side first in every other round (so that drift of the machine hits both); prints allocations per request, p50/p99
//! latency, throughput and ratios. Both sides send the same headers (API key, Accept,
//! User-Agent) with the same 120 s per-request timeout, and decode the body into the same struct.

use connector_sdk::{ArrayFormat, Call, Client, Connection, OperationSpec, PathEncoding};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Counts allocations, to report allocations per request of each side. Counting is on only
/// while allocations are counted: one counter written by the client's and the server's threads
/// bounces between the cores on every allocation, which is no cost of either client and would
/// weigh on the side that allocates more.
struct Counting;
static ALLOCATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static COUNTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn count_one() {
    use std::sync::atomic::Ordering::Relaxed;
    if COUNTING.load(Relaxed) {
        ALLOCATIONS.fetch_add(1, Relaxed);
    }
}

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        count_one();
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        count_one();
        unsafe { std::alloc::System.realloc(ptr, layout, size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Item {
    id: String,
    name: String,
    tags: Vec<String>,
}

const BODY: &str = r#"{"id":"42","name":"Write the benchmark","tags":["a","b"]}"#;

const GET_ITEM: OperationSpec = OperationSpec {
    id: "GetItem",
    method: "GET",
    path: "/items/{id}",
};

fn server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    // The server has a runtime (and a thread) of its own.
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = axum::Router::new().route(
                "/items/{id}",
                axum::routing::get(|| async { ([("content-type", "application/json")], BODY) }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{}", rx.recv().unwrap())
}

#[derive(Clone, Copy)]
enum Side {
    Sdk,
    Bare,
}

struct Clients {
    sdk: Client,
    bare: reqwest::Client,
    url: String,
}

async fn one(side: Side, c: &Clients) {
    match side {
        Side::Sdk => {
            let mut call = Call::new(GET_ITEM);
            call.path("id", "42", PathEncoding::Single)
                .query("top", &5, ArrayFormat::Csv);
            let r = c.sdk.send(call).await.expect("sdk call");
            let _: Item = r.json().expect("decode");
        }
        Side::Bare => {
            let r = c
                .bare
                .get(&c.url)
                .header("X-Key", "k-123")
                .header("accept", "application/json, */*;q=0.8")
                .timeout(Duration::from_secs(120))
                .send()
                .await
                .expect("bare call");
            assert!(r.status().is_success());
            let bytes = r.bytes().await.expect("body");
            let _: Item = serde_json::from_slice(&bytes).expect("decode");
        }
    }
}

/// Runs `n` requests with `concurrency` in flight; returns each latency and the wall time.
async fn run(
    side: Side,
    c: Arc<Clients>,
    n: usize,
    concurrency: usize,
) -> (Vec<Duration>, Duration) {
    let started = Instant::now();
    let per_task = n / concurrency;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    let t = Instant::now();
                    one(side, &c).await;
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all = Vec::with_capacity(n);
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    (all, started.elapsed())
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let requests = args.first().copied().unwrap_or(20_000);
    let rounds = args.get(1).copied().unwrap_or(5);
    let base = server();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sdk = Client::new(
        Connection::new(&base).with_api_key_header("X-Key", "k-123"),
        "bench",
    )
    .unwrap();
    let bare = reqwest::Client::builder()
        .user_agent(format!("bench connector-sdk/{}", connector_sdk::VERSION))
        .build()
        .unwrap();
    let clients = Arc::new(Clients {
        sdk,
        bare,
        url: format!("{base}/items/42?top=5"),
    });
    // `ONLY=sdk|reqwest`: run one side only (for profilers), at concurrency 64.
    if let Ok(only) = std::env::var("ONLY") {
        let side = if only == "sdk" { Side::Sdk } else { Side::Bare };
        let (_, wall) = rt.block_on(run(side, clients.clone(), requests, 64));
        println!("{only}: {requests} requests in {wall:?}");
        return;
    }
    println!(
        "requests per round: {requests}, rounds: {rounds}, cores: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    // Allocations per request (client and server together; the server's share is the same for
    // both sides), sequentially after a warm-up.
    for (side, name) in [(Side::Sdk, "sdk"), (Side::Bare, "reqwest")] {
        rt.block_on(run(side, clients.clone(), 1_000, 1));
        let before = ALLOCATIONS.load(std::sync::atomic::Ordering::Relaxed);
        COUNTING.store(true, std::sync::atomic::Ordering::Relaxed);
        rt.block_on(run(side, clients.clone(), 10_000, 1));
        COUNTING.store(false, std::sync::atomic::Ordering::Relaxed);
        let after = ALLOCATIONS.load(std::sync::atomic::Ordering::Relaxed);
        println!(
            "allocations per request  {name:<8} {:.1}",
            (after - before) as f64 / 10_000.0
        );
    }
    for concurrency in [1, 64] {
        // Warm up both (connections, allocator).
        rt.block_on(run(Side::Sdk, clients.clone(), 2_000, concurrency));
        rt.block_on(run(Side::Bare, clients.clone(), 2_000, concurrency));
        let mut lat = [Vec::new(), Vec::new()];
        let mut wall = [Duration::ZERO; 2];
        for round in 0..rounds {
            // Each side goes first in every other round.
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for i in order {
                let side = [Side::Sdk, Side::Bare][i];
                let (l, w) = rt.block_on(run(side, clients.clone(), requests, concurrency));
                lat[i].extend(l);
                wall[i] += w;
            }
        }
        let mut stats = Vec::new();
        for (i, name) in ["sdk", "reqwest"].into_iter().enumerate() {
            lat[i].sort();
            let p50 = pct(&lat[i], 0.50);
            let p99 = pct(&lat[i], 0.99);
            let rps = lat[i].len() as f64 / wall[i].as_secs_f64();
            println!(
                "concurrency {concurrency:>2}  {name:<8} p50 {:>8.1} µs  p99 {:>8.1} µs  {:>8.0} req/s",
                p50.as_secs_f64() * 1e6,
                p99.as_secs_f64() * 1e6,
                rps
            );
            stats.push((p50, p99, rps));
        }
        let (s, b) = (stats[0], stats[1]);
        println!(
            "concurrency {concurrency:>2}  sdk/reqwest: p50 {:.3}×  p99 {:.3}×  throughput {:.3}×",
            s.0.as_secs_f64() / b.0.as_secs_f64(),
            s.1.as_secs_f64() / b.1.as_secs_f64(),
            s.2 / b.2
        );
    }
}
