//! `connector-gen serve` measured (see `bench/serve.sh`): events delivered per second with 1, 2
//! and 3 instances on PostgreSQL and with one on SQLite, side by side in one run, and the
//! failover time after `kill -9`.
//!
//! A feed service with FEEDS feeds of ITEMS numbered items each (pages of 500, `Retry-After: 0`
//! while more remain) and an http sink counting what it accepts run in this process; the
//! instances are real `serve` processes (`CONNECTOR_GEN`, default `target/release/connector-gen`)
//! on a fresh database of the server `CONNECTOR_TEST_POSTGRES` names.
//!
//!   cargo run --release -p connector-gen --example serve_bench -- [FEEDS] [ITEMS] [KILLS]

use axum::http::StatusCode;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "../tests/common/triggers.rs"]
mod triggers;

fn serve(app: axum::Router) -> (tokio::runtime::Runtime, String) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
    (rt, format!("http://{addr}"))
}

use triggers::{psql, Produced};

fn feed_service(produced: Produced) -> (tokio::runtime::Runtime, String) {
    serve(triggers::feed_app(produced, 500, true))
}

/// The sink: counts, and remembers when the first and the last event came.
#[derive(Default)]
struct Counted {
    n: AtomicU64,
    first: Mutex<Option<Instant>>,
    last: Mutex<Option<Instant>>,
}

fn sink_service(c: Arc<Counted>) -> (tokio::runtime::Runtime, String) {
    let app = axum::Router::new().fallback(move || {
        let c = c.clone();
        async move {
            let now = Instant::now();
            c.first.lock().unwrap().get_or_insert(now);
            *c.last.lock().unwrap() = Some(now);
            c.n.fetch_add(1, Ordering::Relaxed);
            StatusCode::OK
        }
    });
    let (rt, url) = serve(app);
    (rt, format!("{url}/events"))
}

fn fresh_database(admin: &str, name: &str) -> String {
    psql(admin, &format!("DROP DATABASE IF EXISTS {name}"));
    psql(admin, &format!("CREATE DATABASE {name}"));
    format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
}

fn config(dir: &Path, state: &str, feeds: u32, every: &str, sink: &str) -> PathBuf {
    let mut text = format!(
        "[state]\nurl = \"{state}\"\n\n[lease]\nttl = \"3s\"\nrenew = \"1s\"\n\n[log]\nformat = \"json\"\n"
    );
    for i in 1..=feeds {
        text.push_str(&format!(
            "\n[[trigger]]\nname = \"feed-{i}\"\nconnector = \"feed.json\"\noperation = \"OnNewItems\"\nconnection = \"conn.json\"\nevery = \"{every}\"\nparams = {{ feed = \"{i}\" }}\nsink = {{ type = \"http\", url = \"{sink}\" }}\n"
        ));
    }
    let path = dir.join(format!("host-{}.toml", fastish()));
    std::fs::write(&path, text).unwrap();
    path
}

fn fastish() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn connector(dir: &Path, base: &str) {
    let def = triggers::feed_definition();
    triggers::write_connector(dir, "feed.json", &def, "conn.json", base);
}

fn binary() -> PathBuf {
    std::env::var_os("CONNECTOR_GEN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/connector-gen")
        })
}

fn start(cfg: &Path, log: &Path) -> Child {
    Command::new(binary())
        .arg("serve")
        .arg(cfg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .unwrap(),
        )
        .spawn()
        .unwrap()
}

fn stop(mut children: Vec<Child>) {
    for c in &children {
        // SAFETY: a signal to a child's process id.
        unsafe {
            libc::kill(c.id() as i32, libc::SIGTERM);
        }
    }
    for c in &mut children {
        let _ = c.wait();
    }
}

/// Delivers FEEDS × ITEMS events through `instances` instances on `state`: events per second
/// from the first event to the last, and from the start of the processes.
/// The services a run uses.
struct World<'a> {
    dir: &'a Path,
    produced: &'a Produced,
    sink_url: &'a str,
    counted: &'a Arc<Counted>,
}

fn throughput(w: &World<'_>, state: &str, instances: usize, feeds: u32, items: u64) -> (f64, f64) {
    let World {
        dir,
        produced,
        sink_url,
        counted,
    } = *w;
    counted.n.store(0, Ordering::SeqCst);
    *counted.first.lock().unwrap() = None;
    {
        let mut p = produced.lock().unwrap();
        for f in 1..=feeds {
            p.insert(f, items);
        }
    }
    let cfg = config(dir, state, feeds, "1s", sink_url);
    let started = Instant::now();
    let children: Vec<Child> = (0..instances)
        .map(|i| start(&cfg, &dir.join(format!("tp-{i}.log"))))
        .collect();
    let total = feeds as u64 * items;
    while counted.n.load(Ordering::SeqCst) < total {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "stuck at {}",
            counted.n.load(Ordering::SeqCst)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let all = started.elapsed();
    let first = counted.first.lock().unwrap().unwrap();
    let last = counted.last.lock().unwrap().unwrap();
    stop(children);
    (
        total as f64 / (last - first).as_secs_f64(),
        total as f64 / all.as_secs_f64(),
    )
}

/// Kills an instance of 3 `kills` times; for each, the time until every trigger it held had a
/// poll committed by another instance.
fn failovers(
    dir: &Path,
    url: &str,
    feeds: u32,
    kills: usize,
    produced: &Produced,
    sink_url: &str,
) -> Vec<f64> {
    let cfg = config(dir, url, feeds, "200ms", sink_url);
    let mut children: Vec<Child> = (0..3)
        .map(|i| start(&cfg, &dir.join(format!("fo-{i}.log"))))
        .collect();
    let stop_feed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (p, s) = (produced.clone(), stop_feed.clone());
    let producer = std::thread::spawn(move || {
        while !s.load(Ordering::SeqCst) {
            for v in p.lock().unwrap().values_mut() {
                *v += 1;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    std::thread::sleep(Duration::from_secs(8));
    let mut times = Vec::new();
    for k in 0..kills {
        let victim = k % 3;
        let pid = children[victim].id();
        let held = psql(
            url,
            &format!("SELECT trigger FROM leases WHERE owner LIKE '%-{pid}-%' AND expires > now()"),
        );
        let t0: f64 = psql(url, "SELECT extract(epoch FROM now())")[0]
            .parse()
            .unwrap();
        let _ = children[victim].kill();
        let _ = children[victim].wait();
        if held.is_empty() {
            children[victim] = start(&cfg, &dir.join(format!("fo-{victim}.log")));
            std::thread::sleep(Duration::from_secs(6));
            continue;
        }
        let list = held
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(",");
        let waited = Instant::now();
        loop {
            let rows = psql(
                url,
                &format!(
                    "SELECT max(first) FROM (SELECT trigger, min(extract(epoch FROM started)) AS first FROM runs
                     WHERE error IS NULL AND started > to_timestamp({t0}) AND owner NOT LIKE '%-{pid}-%'
                       AND trigger IN ({list}) GROUP BY trigger) t HAVING count(*) = {}",
                    held.len()
                ),
            );
            if let Some(done) = rows.first().filter(|r| !r.is_empty()) {
                times.push(done.parse::<f64>().unwrap() - t0);
                break;
            }
            assert!(waited.elapsed() < Duration::from_secs(60), "no failover");
            std::thread::sleep(Duration::from_millis(50));
        }
        children[victim] = start(&cfg, &dir.join(format!("fo-{victim}.log")));
        // Let the restarted instance take its share again before the next kill.
        std::thread::sleep(Duration::from_secs(6));
    }
    stop_feed.store(true, Ordering::SeqCst);
    let _ = producer.join();
    stop(children);
    times
}

fn main() {
    let mut args = std::env::args().skip(1);
    let feeds: u32 = args.next().map_or(30, |a| a.parse().unwrap());
    let items: u64 = args.next().map_or(1000, |a| a.parse().unwrap());
    let kills: usize = args.next().map_or(10, |a| a.parse().unwrap());
    let admin =
        std::env::var("CONNECTOR_TEST_POSTGRES").expect("CONNECTOR_TEST_POSTGRES (an admin URL)");
    let dir = tempfile::tempdir().unwrap();
    let produced: Produced = Arc::default();
    let (_frt, base) = feed_service(produced.clone());
    let counted = Arc::new(Counted::default());
    let (_srt, sink_url) = sink_service(counted.clone());
    connector(dir.path(), &base);
    println!(
        "machine: {} cores; {feeds} polling triggers x {items} items, pages of 500, http sink on loopback; binary {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        binary().display()
    );
    // Side by side, twice, alternating.
    let mut rows: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for round in 0..2 {
        for (label, instances) in [
            ("sqlite x1", 1),
            ("postgres x1", 1),
            ("postgres x2", 2),
            ("postgres x3", 3),
        ] {
            let state = if label.starts_with("sqlite") {
                format!("sqlite://state-{round}-{}.db", fastish())
            } else {
                fresh_database(
                    &admin,
                    &format!("bench_{}_{round}", label.replace(' ', "_")),
                )
            };
            let world = World {
                dir: dir.path(),
                produced: &produced,
                sink_url: &sink_url,
                counted: &counted,
            };
            let r = throughput(&world, &state, instances, feeds, items);
            println!("{label}: {:.0} events/s first to last event, {:.0} events/s from the processes' start", r.0, r.1);
            rows.entry(label.to_string()).or_default().push(r);
        }
    }
    println!(
        "\n| store x instances | events/s (first to last event), 2 runs | events/s from start |"
    );
    println!("|---|---|---|");
    for (label, r) in &rows {
        println!(
            "| {label} | {} | {} |",
            r.iter()
                .map(|x| format!("{:.0}", x.0))
                .collect::<Vec<_>>()
                .join(", "),
            r.iter()
                .map(|x| format!("{:.0}", x.1))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if kills > 0 {
        let url = fresh_database(&admin, "bench_failover");
        let mut times = failovers(dir.path(), &url, feeds, kills, &produced, &sink_url);
        times.sort_by(f64::total_cmp);
        let pick = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
        println!(
            "\nfailover after kill -9 (lease ttl 3 s, renew 1 s, polls every 200 ms), {} kills: p50 {:.2} s, p99 {:.2} s, max {:.2} s; all: {:?}",
            times.len(),
            pick(0.5),
            pick(0.99),
            times.last().unwrap(),
            times.iter().map(|t| format!("{t:.2}")).collect::<Vec<_>>()
        );
    }
}
