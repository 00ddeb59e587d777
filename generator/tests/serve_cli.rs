//! `connector-gen serve` with real parts: a feed service and a sink on 127.0.0.1, real
//! `serve` processes killed with SIGKILL and paused with SIGSTOP, SQLite files and a real
//! PostgreSQL server (`CONNECTOR_TEST_POSTGRES`, an admin URL: `.ci/run` starts one; without it
//! the PostgreSQL tests print SKIPPED, and fail under `CI`).

mod common;

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use common::triggers::psql;
use common::{command, run_with};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A fresh database on the test server, or `None` (SKIPPED) without one.
fn fresh_database(test: &str) -> Option<String> {
    let Ok(admin) = std::env::var("CONNECTOR_TEST_POSTGRES") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CONNECTOR_TEST_POSTGRES is not set under CI: .ci/run starts the PostgreSQL server"
        );
        eprintln!("SKIPPED {test}: CONNECTOR_TEST_POSTGRES is not set (no PostgreSQL server)");
        return None;
    };
    let name = format!(
        "serve_{test}_{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            % 1_000_000_000
    );
    let out = std::process::Command::new("psql")
        .args([&admin, "-qAtc", &format!("CREATE DATABASE {name}")])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(format!("{}/{name}", admin.rsplit_once('/').unwrap().0))
}

/// How many items each feed produced ([`common::triggers::feed_app`], pages of 50).
type Feeds = BTreeMap<u32, u64>;

fn feed_service(feeds: Arc<Mutex<Feeds>>) -> (tokio::runtime::Runtime, String) {
    let (rt, addr) = common::serve(common::triggers::feed_app(feeds, 50, false));
    (rt, format!("http://{addr}"))
}

/// What the sink received: (trigger, event) pairs and their headers; `down` answers 503.
#[derive(Default)]
struct SinkLog {
    got: Vec<serde_json::Value>,
    keys: Vec<String>,
    signatures: Vec<String>,
    down: bool,
}

fn sink_service(log: Arc<Mutex<SinkLog>>) -> (tokio::runtime::Runtime, String) {
    let app = axum::Router::new().fallback(move |h: HeaderMap, body: axum::body::Bytes| {
        let log = log.clone();
        async move {
            let mut l = log.lock().unwrap();
            if l.down {
                return StatusCode::SERVICE_UNAVAILABLE;
            }
            let header = |n: &str| {
                h.get(n)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string()
            };
            l.keys.push(header("idempotency-key"));
            l.signatures.push(header("x-connector-signature"));
            l.got.push(serde_json::from_slice(&body).unwrap());
            StatusCode::OK
        }
    });
    let (rt, addr) = common::serve(app);
    (rt, format!("http://{addr}/events"))
}

/// A connector with a batch polling trigger over the feeds, and a connection file to `base`.
fn feed_connector(dir: &Path, base: &str) {
    let def = common::triggers::feed_definition();
    common::triggers::write_connector(dir, "feed.json", &def, "conn.json", base);
}

/// A host configuration of `n` feed triggers (`feed-1`...) into `sink` (TOML text).
fn feed_config(state: &str, n: u32, sink: &str, extra: &str) -> String {
    let mut text = format!(
        "[state]\nurl = \"{state}\"\n\n[lease]\nttl = \"3s\"\nrenew = \"1s\"\n\n[log]\nformat = \"json\"\n{extra}\n"
    );
    for i in 1..=n {
        text.push_str(&format!(
            "\n[[trigger]]\nname = \"feed-{i}\"\nconnector = \"feed.json\"\noperation = \"OnNewItems\"\nconnection = \"conn.json\"\nevery = \"300ms\"\nparams = {{ feed = \"{i}\" }}\nattempts = 3\nsink = {sink}\n"
        ));
    }
    text
}

fn http_sink(url: &str) -> String {
    format!("{{ type = \"http\", url = \"{url}\", secret_env = \"SINK_KEY\" }}")
}

/// A running `serve` process, killed if the test fails before stopping it.
struct Proc(Option<Child>);

impl Drop for Proc {
    fn drop(&mut self) {
        if let Some(c) = &mut self.0 {
            signal(c, libc::SIGCONT);
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A `serve` process; its logs appended to `log`.
fn start(config: &Path, log: &Path, extra: &[&str]) -> Proc {
    Proc(Some(spawn_serve(config, log, extra)))
}

fn spawn_serve(config: &Path, log: &Path, extra: &[&str]) -> Child {
    let err = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    command()
        .arg("serve")
        .arg(config)
        .args(extra)
        .env("SINK_KEY", "sink-signing-key")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(err)
        .spawn()
        .unwrap()
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: kill only sends a signal to the child's process id.
    unsafe {
        libc::kill(child.id() as i32, sig);
    }
}

/// Sends SIGTERM and waits for the exit status (killing it after 20 s).
fn terminate(mut p: Proc) -> Option<i32> {
    stop_child(p.0.take().expect("running"))
}

fn stop_child(mut child: Child) -> Option<i32> {
    signal(&child, libc::SIGTERM);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve did not stop within 20 s of SIGTERM");
}

/// Waits until `done()` holds, at most `limit`.
fn wait_for(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// (feed, id) of every delivery received.
fn deliveries(sink: &Arc<Mutex<SinkLog>>) -> Vec<(u64, u64)> {
    sink.lock()
        .unwrap()
        .got
        .iter()
        .map(|v| {
            (
                v["event"]["feed"].as_u64().unwrap(),
                v["event"]["id"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Items produced and not delivered.
fn missing(feeds: &Arc<Mutex<Feeds>>, sink: &Arc<Mutex<SinkLog>>) -> usize {
    let got: BTreeSet<(u64, u64)> = deliveries(sink).into_iter().collect();
    let produced = feeds.lock().unwrap().clone();
    produced
        .iter()
        .map(|(f, n)| (1..=*n).filter(|i| !got.contains(&(*f as u64, *i))).count())
        .sum()
}

#[test]
fn check_reports_every_mistake_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    feed_connector(dir.path(), "http://127.0.0.1:9");
    let cfg = dir.path().join("host.toml");
    let check = |text: &str| {
        std::fs::write(&cfg, text).unwrap();
        run_with(command().arg("serve").arg(&cfg).arg("--check"))
    };
    // A good one.
    let r = check(&feed_config(
        "sqlite://state.db",
        2,
        "{ type = \"stdout\" }",
        "",
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("ok: 2 trigger(s) (2 polling, 0 webhook)"),
        "{}",
        r.stderr
    );
    // The bundled example.
    let r = run_with(command().args(["serve", "fixtures/serve/host.toml", "--check"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("ok: 2 trigger(s) (1 polling, 1 webhook)"),
        "{}",
        r.stderr
    );
    // Not TOML: exit 2, where the parser stopped.
    let r = check("[state\nurl = 1\n");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("host.toml:1:"), "{}", r.stderr);
    // An unknown key: exit 2, at the key.
    let r = check("[state]\nurl = \"sqlite://s.db\"\nurll = 1\n");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("host.toml:3:1:"), "{}", r.stderr);
    assert!(r.stderr.contains("unknown field `urll`"), "{}", r.stderr);
    // Mistakes in values: every one, each at its place, exit 1.
    let text = "[state]\nurl = \"mysql://x\"\n\n[lease]\nttl = \"2s\"\nrenew = \"5s\"\n\n[[trigger]]\nname = \"a b\"\nconnector = \"feed.json\"\noperation = \"OnNewItems\"\nevery = \"soon\"\nsink = { type = \"http\", url = \"ftp://x\" }\n\n[[trigger]]\nname = \"ok\"\nconnector = \"feed.json\"\noperation = \"OnNewItems\"\nsink = { type = \"kafka\" }\n";
    let r = check(text);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for expected in [
        "host.toml:2:7: the state URL starts with `sqlite://`",
        "host.toml:6:9: renew (5s) must be shorter than ttl (2s)",
        "host.toml:9:8: trigger name `a b`",
        "host.toml:12:9: `soon` is not a duration",
        "host.toml:13:31: `ftp://x` is not an http(s) URL",
        "host.toml:19:17: sink type `kafka`",
    ] {
        assert!(
            r.stderr.contains(expected),
            "no `{expected}` in:\n{}",
            r.stderr
        );
    }
    // The connector is checked too: an operation it does not have, at its line.
    let bad = feed_config("sqlite://state.db", 1, "{ type = \"stdout\" }", "")
        .replace("operation = \"OnNewItems\"", "operation = \"OnNewItem\"");
    let r = check(&bad);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line = bad
        .lines()
        .position(|l| l.starts_with("operation"))
        .unwrap()
        + 1;
    assert!(
        r.stderr
            .contains(&format!("host.toml:{line}:13: no trigger `OnNewItem`")),
        "{}",
        r.stderr
    );
    // A secret that is not set is said before anything runs.
    std::fs::write(
        &cfg,
        feed_config(
            "sqlite://state.db",
            1,
            &http_sink("http://127.0.0.1:9/e"),
            "",
        ),
    )
    .unwrap();
    let r = run_with(
        command()
            .arg("serve")
            .arg(&cfg)
            .arg("--check")
            .env_remove("SINK_KEY"),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("secret_env `SINK_KEY` is not set"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unreachable_database_at_start_is_a_clear_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    feed_connector(dir.path(), "http://127.0.0.1:9");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = dir.path().join("host.toml");
    std::fs::write(
        &cfg,
        feed_config(
            &format!("postgres://fleet:pa55word@127.0.0.1:{port}/fleet"),
            1,
            "{ type = \"stdout\" }",
            "",
        ),
    )
    .unwrap();
    let r = run_with(command().arg("serve").arg(&cfg));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("cannot use the state database postgres://fleet:***@127.0.0.1"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("pa55word"), "{}", r.stderr);
}

#[test]
fn one_sqlite_instance_runs_many_triggers_into_stdout_command_and_http_sinks() {
    let dir = tempfile::tempdir().unwrap();
    let feeds: Arc<Mutex<Feeds>> = Arc::default();
    for f in 1..=3 {
        feeds.lock().unwrap().insert(f, 20);
    }
    let (_frt, base) = feed_service(feeds.clone());
    let sink: Arc<Mutex<SinkLog>> = Arc::default();
    let (_srt, sink_url) = sink_service(sink.clone());
    feed_connector(dir.path(), &base);
    let out = dir.path().join("command-out.jsonl");
    let listen = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let mut text = feed_config(
        "sqlite://state.db",
        1,
        "{ type = \"stdout\" }",
        &format!("\n[listener]\naddr = \"{listen}\"\n"),
    );
    text.push_str(&format!(
        "\n[[trigger]]\nname = \"feed-2\"\nconnector = \"feed.json\"\noperation = \"OnNewItems\"\nconnection = \"conn.json\"\nevery = \"300ms\"\nparams = {{ feed = \"2\" }}\nsink = {{ type = \"command\", program = \"/bin/sh\", args = [\"-c\", \"cat >> '{}'\"] }}\n",
        out.display()
    ));
    text.push_str(&format!(
        "\n[[trigger]]\nname = \"feed-3\"\nconnector = \"feed.json\"\noperation = \"OnNewItems\"\nconnection = \"conn.json\"\nevery = \"300ms\"\nparams = {{ feed = \"3\" }}\nsink = {}\n",
        http_sink(&sink_url)
    ));
    let cfg = dir.path().join("host.toml");
    std::fs::write(&cfg, text).unwrap();
    let mut child = Proc(Some(
        command()
            .arg("serve")
            .arg(&cfg)
            .env("SINK_KEY", "sink-signing-key")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(dir.path().join("serve.log")).unwrap())
            .spawn()
            .unwrap(),
    ));
    let stdout = child.0.as_mut().unwrap().stdout.take().unwrap();
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let l = lines.clone();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            l.lock().unwrap().push(line);
        }
    });
    let command_lines = || {
        std::fs::read_to_string(&out)
            .unwrap_or_default()
            .lines()
            .count()
    };
    wait_for(Duration::from_secs(60), "every sink's 20 events", || {
        lines.lock().unwrap().len() >= 20
            && command_lines() >= 20
            && sink.lock().unwrap().got.len() >= 20
    });
    // Metrics and health on the listener.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (health, metrics) = rt.block_on(async {
        let c = reqwest::Client::new();
        let h = c
            .get(format!("http://{listen}/healthz"))
            .send()
            .await
            .unwrap();
        let m = c
            .get(format!("http://{listen}/metrics"))
            .send()
            .await
            .unwrap();
        (h.status().as_u16(), m.text().await.unwrap())
    });
    assert_eq!(health, 200);
    for expected in [
        "connector_events_delivered_total{trigger=\"feed-3\"} 20",
        "connector_lease_changes_total{",
        "connector_delivery_latency_seconds_bucket{",
        "connector_leases_held 3",
    ] {
        assert!(metrics.contains(expected), "no `{expected}` in\n{metrics}");
    }
    assert_eq!(terminate(child), Some(0));
    let printed = lines.lock().unwrap().clone();
    let first: serde_json::Value = serde_json::from_str(&printed[0]).unwrap();
    assert_eq!(first["trigger"], "feed-1");
    assert_eq!(first["event"], serde_json::json!({"id": 1, "feed": 1}));
    assert_eq!(printed.len(), 20, "each event once: {printed:?}");
    assert_eq!(command_lines(), 20);
    // The http sink: the event id as idempotency key, the body signed with the key.
    let s = sink.lock().unwrap();
    assert_eq!(s.got.len(), 20);
    assert_eq!(s.keys.iter().collect::<BTreeSet<_>>().len(), 20);
    assert!(s
        .signatures
        .iter()
        .all(|sig| sig.starts_with("sha256=") && sig.len() == 71));
    drop(s);
    // Status: every lease given back on SIGTERM, the last polls, no failures.
    let r = run_with(command().args(["serve", "status"]).arg(&cfg).arg("--json"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
    for row in rows.as_array().unwrap() {
        assert_eq!(row["owner"], serde_json::Value::Null, "{row}");
        assert_eq!(row["failures"], 0, "{row}");
        assert!(row["last_poll"].is_string(), "{row}");
    }
    let r = run_with(command().args(["serve", "status"]).arg(&cfg));
    assert!(r.stdout.starts_with("TRIGGER"), "{}", r.stdout);
}

#[test]
fn a_sink_that_is_down_fills_the_dead_letters_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let feeds: Arc<Mutex<Feeds>> = Arc::default();
    feeds.lock().unwrap().insert(1, 3);
    let (_frt, base) = feed_service(feeds.clone());
    let sink: Arc<Mutex<SinkLog>> = Arc::default();
    sink.lock().unwrap().down = true;
    let (_srt, sink_url) = sink_service(sink.clone());
    feed_connector(dir.path(), &base);
    let cfg = dir.path().join("host.toml");
    std::fs::write(
        &cfg,
        feed_config("sqlite://state.db", 1, &http_sink(&sink_url), "")
            .replace("attempts = 3", "attempts = 2"),
    )
    .unwrap();
    // Before the host ran there is no state to show (and status makes none).
    let r = run_with(command().args(["serve", "status"]).arg(&cfg));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no state at"), "{}", r.stderr);
    assert!(!dir.path().join("state.db").exists());
    let log = dir.path().join("serve.log");
    let child = start(&cfg, &log, &[]);
    let dead = || {
        let r = run_with(command().args(["serve", "status"]).arg(&cfg).arg("--json"));
        let rows: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_default();
        rows[0]["dead_letters"].as_u64().unwrap_or(0)
    };
    let waited = Instant::now();
    while dead() < 3 {
        if waited.elapsed() > Duration::from_secs(60) {
            let r = run_with(command().args(["serve", "status"]).arg(&cfg).arg("--json"));
            panic!(
                "no 3 dead letters after 60 s: status {} {} {}\nlog:\n{}",
                r.code,
                r.stdout,
                r.stderr,
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // The sink is back: new events are delivered, the dead ones stay kept.
    sink.lock().unwrap().down = false;
    feeds.lock().unwrap().insert(1, 5);
    wait_for(Duration::from_secs(60), "items 4 and 5", || {
        deliveries(&sink).len() >= 2
    });
    assert_eq!(terminate(child), Some(0));
    assert_eq!(deliveries(&sink), [(1, 4), (1, 5)]);
    assert_eq!(dead(), 3);
    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(logs.contains("kept as a dead letter"), "{logs}");
    assert!(logs.contains("the sink answered 503"), "{logs}");
    // The dead letters hold the events (SQLite: the file the configuration names).
    let db = rusqlite::Connection::open(dir.path().join("state.db")).unwrap();
    let events: Vec<String> = db
        .prepare("SELECT event FROM dead_letters ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        events,
        [1, 2, 3].map(|i| format!("{{\"id\":{i},\"feed\":1}}"))
    );
}

/// A loopback TCP proxy to `target` that can cut every connection and refuse new ones.
struct Proxy {
    addr: String,
    cut: Arc<AtomicBool>,
}

fn proxy(target: std::net::SocketAddr) -> Proxy {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let cut = Arc::new(AtomicBool::new(false));
    let c = cut.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().map_while(Result::ok) {
            if c.load(Ordering::SeqCst) {
                drop(client);
                continue;
            }
            let Ok(server) = std::net::TcpStream::connect(target) else {
                continue;
            };
            for (mut from, mut to) in [
                (client.try_clone().unwrap(), server.try_clone().unwrap()),
                (server, client),
            ] {
                let c = c.clone();
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16384];
                    loop {
                        use std::io::Read;
                        let n = match from.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        if c.load(Ordering::SeqCst) || to.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = from.shutdown(std::net::Shutdown::Both);
                    let _ = to.shutdown(std::net::Shutdown::Both);
                });
            }
        }
    });
    Proxy { addr, cut }
}

#[test]
fn a_database_cut_off_during_a_run_is_retried_and_nothing_is_lost() {
    let Some(url) = fresh_database("cut") else {
        return;
    };
    let target: std::net::SocketAddr = {
        let u = url::Url::parse(&url).unwrap();
        format!("127.0.0.1:{}", u.port().unwrap()).parse().unwrap()
    };
    let p = proxy(target);
    let proxied = {
        let mut u = url::Url::parse(&url).unwrap();
        u.set_port(Some(p.addr.rsplit_once(':').unwrap().1.parse().unwrap()))
            .unwrap();
        u.to_string()
    };
    let dir = tempfile::tempdir().unwrap();
    let feeds: Arc<Mutex<Feeds>> = Arc::default();
    let (_frt, base) = feed_service(feeds.clone());
    let sink: Arc<Mutex<SinkLog>> = Arc::default();
    let (_srt, sink_url) = sink_service(sink.clone());
    feed_connector(dir.path(), &base);
    let cfg = dir.path().join("host.toml");
    std::fs::write(&cfg, feed_config(&proxied, 3, &http_sink(&sink_url), "")).unwrap();
    let log = dir.path().join("serve.log");
    let child = start(&cfg, &log, &[]);
    let produce = |n: u64| {
        let mut f = feeds.lock().unwrap();
        for feed in 1..=3 {
            *f.entry(feed).or_default() += n;
        }
    };
    produce(5);
    wait_for(Duration::from_secs(60), "the first items", || {
        missing(&feeds, &sink) == 0
    });
    // Cut off for 5 s while items keep coming.
    p.cut.store(true, Ordering::SeqCst);
    for _ in 0..5 {
        produce(3);
        std::thread::sleep(Duration::from_secs(1));
    }
    p.cut.store(false, Ordering::SeqCst);
    produce(3);
    wait_for(Duration::from_secs(90), "every item after the cut", || {
        missing(&feeds, &sink) == 0
    });
    assert_eq!(terminate(child), Some(0));
    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(
        logs.contains("the state store failed; trying again"),
        "the cut was not visible:\n{logs}"
    );
}

/// Runs the chaos: `instances` serve processes, one killed with SIGKILL (and restarted) every
/// few seconds, another paused with SIGSTOP past its lease and resumed, for `length`.
struct Fleet {
    /// The store, to find the instance holding the most leases (the one paused).
    url: String,
    listen: bool,
    config: PathBuf,
    logs: Vec<PathBuf>,
    children: Vec<Child>,
    listens: Vec<String>,
}

impl Fleet {
    fn start(url: &str, config: &Path, dir: &Path, n: usize, listen: bool) -> Fleet {
        let mut fleet = Fleet {
            url: url.to_string(),
            listen,
            config: config.to_path_buf(),
            logs: (0..n).map(|i| dir.join(format!("serve-{i}.log"))).collect(),
            children: Vec::new(),
            listens: (0..n)
                .map(|_| {
                    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                    l.local_addr().unwrap().to_string()
                })
                .collect(),
        };
        for i in 0..n {
            let child = fleet.spawn(i);
            fleet.children.push(child);
        }
        fleet
    }

    fn spawn(&self, i: usize) -> Child {
        if self.listen {
            spawn_serve(&self.config, &self.logs[i], &["--listen", &self.listens[i]])
        } else {
            spawn_serve(&self.config, &self.logs[i], &[])
        }
    }

    /// Fails when an instance ended by itself.
    fn all_running(&mut self) {
        for (i, c) in self.children.iter_mut().enumerate() {
            if let Some(status) = c.try_wait().unwrap() {
                panic!(
                    "instance {i} ended by itself ({status}):\n{}",
                    std::fs::read_to_string(&self.logs[i]).unwrap_or_default()
                );
            }
        }
    }

    /// Kills and restarts one instance every 4 s, pauses another for `pause` every 10 s.
    fn chaos(&mut self, length: Duration, pause: Duration, mut tick: impl FnMut()) -> usize {
        let started = Instant::now();
        let mut kills = 0;
        let mut round = 0usize;
        // Every third round an instance is paused: the other one holding the most leases. One
        // holding none (leases not yet spread, or all with the instance just killed) would
        // lose nothing, so the pause waits for a round where it holds some.
        let mut pause_due = false;
        while started.elapsed() < length {
            round += 1;
            self.all_running();
            let victim = fastrand(round) % self.children.len();
            let _ = self.children[victim].kill();
            let _ = self.children[victim].wait();
            kills += 1;
            std::thread::sleep(Duration::from_millis(300));
            self.children[victim] = self.spawn(victim);
            pause_due |= round % 3 == 1;
            if pause_due {
                let held = |c: &Child| {
                    psql(
                        &self.url,
                        &format!(
                            "SELECT count(*) FROM leases WHERE owner LIKE '%-{}-%' AND expires > now()",
                            c.id()
                        ),
                    )[0]
                    .parse::<usize>()
                    .unwrap()
                };
                let (paused, leases) = (0..self.children.len())
                    .filter(|i| *i != victim)
                    .map(|i| (i, held(&self.children[i])))
                    .max_by_key(|(_, n)| *n)
                    .unwrap();
                if leases == 0 {
                    for _ in 0..10 {
                        tick();
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    continue;
                }
                pause_due = false;
                signal(&self.children[paused], libc::SIGSTOP);
                let until = Instant::now() + pause;
                while Instant::now() < until {
                    tick();
                    std::thread::sleep(Duration::from_millis(100));
                }
                signal(&self.children[paused], libc::SIGCONT);
            }
            for _ in 0..40 {
                tick();
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        kills
    }

    fn stop(mut self) -> String {
        self.all_running();
        for child in std::mem::take(&mut self.children) {
            assert_eq!(stop_child(child), Some(0));
        }
        self.logs
            .iter()
            .map(|l| std::fs::read_to_string(l).unwrap_or_default())
            .collect()
    }
}

impl Drop for Fleet {
    /// A failed test leaves no instance running.
    fn drop(&mut self) {
        for c in &mut self.children {
            signal(c, libc::SIGCONT);
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A number from `seed` (the tests need no real randomness, only spread).
fn fastrand(seed: usize) -> usize {
    let mut x = (seed as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(12345);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    (x ^ (x >> 33)) as usize
}

/// The longest time a trigger went without a committed poll, and the p50 of each trigger's
/// longest gap (the failover times), in seconds.
fn failover_times(url: &str) -> (f64, f64) {
    let rows = psql(
        url,
        "SELECT trigger, extract(epoch FROM started) FROM runs WHERE error IS NULL ORDER BY trigger, started",
    );
    let mut by: HashMap<String, Vec<f64>> = HashMap::new();
    for r in rows {
        let (t, at) = r.split_once('|').unwrap();
        by.entry(t.to_string())
            .or_default()
            .push(at.parse().unwrap());
    }
    let mut gaps: Vec<f64> = by
        .values()
        .map(|ts| ts.windows(2).map(|w| w[1] - w[0]).fold(0.0, f64::max))
        .collect();
    gaps.sort_by(f64::total_cmp);
    (
        gaps.last().copied().unwrap_or(0.0),
        gaps.get(gaps.len() / 2).copied().unwrap_or(0.0),
    )
}

#[test]
fn chaos_polling_30_triggers_on_3_instances_lose_nothing() {
    let Some(url) = fresh_database("chaos_poll") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let feeds: Arc<Mutex<Feeds>> = Arc::default();
    let (_frt, base) = feed_service(feeds.clone());
    let sink: Arc<Mutex<SinkLog>> = Arc::default();
    let (_srt, sink_url) = sink_service(sink.clone());
    feed_connector(dir.path(), &base);
    let cfg = dir.path().join("host.toml");
    std::fs::write(&cfg, feed_config(&url, 30, &http_sink(&sink_url), "")).unwrap();
    let produce = || {
        let mut f = feeds.lock().unwrap();
        for feed in 1..=30 {
            *f.entry(feed).or_default() += 1;
        }
    };
    let mut fleet = Fleet::start(&url, &cfg, dir.path(), 3, false);
    let kills = fleet.chaos(Duration::from_secs(30), Duration::from_secs(5), produce);
    let produced: u64 = feeds.lock().unwrap().values().sum();
    let waited = Instant::now();
    while missing(&feeds, &sink) > 0 {
        if waited.elapsed() > Duration::from_secs(60) {
            let got: BTreeSet<(u64, u64)> = deliveries(&sink).into_iter().collect();
            let produced = feeds.lock().unwrap().clone();
            let short: Vec<String> = produced
                .iter()
                .filter_map(|(f, n)| {
                    let lost: Vec<u64> = (1..=*n)
                        .filter(|i| !got.contains(&(*f as u64, *i)))
                        .collect();
                    (!lost.is_empty()).then(|| {
                        format!(
                            "feed {f}: {} of {n} missing, first {:?}",
                            lost.len(),
                            &lost[..lost.len().min(5)]
                        )
                    })
                })
                .collect();
            let leases = psql(
                &url,
                "SELECT trigger, owner, token, expires > now() FROM leases ORDER BY trigger",
            );
            let state = psql(
                &url,
                "SELECT trigger, location FROM trigger_state ORDER BY trigger",
            );
            let logs = fleet.stop();
            panic!(
                "items missing after 60 s:\n{}\nleases {leases:#?}\nstate {state:#?}\nlogs:\n{}",
                short.join("\n"),
                &logs[logs.len().saturating_sub(20000)..]
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let logs = fleet.stop();
    let all = deliveries(&sink);
    let unique: BTreeSet<_> = all.iter().collect();
    let (longest, p50) = failover_times(&url);
    let lost_leases = logs.matches("the lease was taken over").count();
    println!(
        "chaos (polling): {produced} items produced, {} deliveries, {} duplicates, 0 lost; {kills} kills; {lost_leases} leases lost by paused or cut-off owners; longest failover {longest:.1} s, p50 of each trigger's longest gap {p50:.1} s",
        all.len(),
        all.len() - unique.len()
    );
    assert_eq!(unique.len() as u64, produced);
    // No poll's deliveries were committed twice: not under one token, nor under two.
    let twice = psql(
        &url,
        "SELECT trigger, from_state, count(*), count(DISTINCT token) FROM runs
         WHERE error IS NULL AND events > 0 GROUP BY 1, 2 HAVING count(*) > 1",
    );
    assert!(twice.is_empty(), "polls committed twice: {twice:?}");
    // Every commit under a lease, and each token had one owner.
    let owners = psql(
        &url,
        "SELECT trigger, token FROM runs WHERE error IS NULL GROUP BY 1, 2 HAVING count(DISTINCT owner) > 1
         UNION ALL SELECT trigger, 0 FROM runs WHERE token IS NULL",
    );
    assert!(owners.is_empty(), "{owners:?}");
    assert!(
        lost_leases > 0,
        "the paused instance never lost a lease:\n{logs}"
    );
    // The hand-over after SIGKILL is within the lease (3 s) plus a renewal (1 s), plus the
    // restart and the poll interval on a loaded machine.
    assert!(longest < 15.0, "longest failover {longest:.1} s");
}

/// A webhook service: subscriptions (callback URLs by trigger) and deletions.
#[derive(Default)]
struct Hooks {
    subscribed: Vec<String>,
    deleted: Vec<String>,
}

fn hook_service(hooks: Arc<Mutex<Hooks>>) -> (tokio::runtime::Runtime, String) {
    let app = axum::Router::new().fallback(
        move |m: axum::http::Method, u: Uri, body: axum::body::Bytes| {
            let hooks = hooks.clone();
            async move {
                let mut h = hooks.lock().unwrap();
                if m == axum::http::Method::POST {
                    let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                    h.subscribed
                        .push(v["callbackUrl"].as_str().unwrap_or("-").to_string());
                    let n = h.subscribed.len();
                    return (
                        StatusCode::CREATED,
                        [("location", format!("/subs/{n}"))],
                        "{}",
                    )
                        .into_response();
                }
                h.deleted.push(u.path().to_string());
                (StatusCode::OK, "{}").into_response()
            }
        },
    );
    let (rt, addr) = common::serve(app);
    (rt, format!("http://{addr}"))
}

fn hook_connector(dir: &Path, base: &str) {
    let def = common::triggers::hook_definition("/subs");
    common::triggers::write_connector(dir, "hooks.json", &def, "hooks-conn.json", base);
}

fn hook_config(state: &str, names: &[String], sink: &str) -> String {
    let mut text = format!(
        "[state]\nurl = \"{state}\"\n\n[lease]\nttl = \"3s\"\nrenew = \"1s\"\n\n[log]\nformat = \"json\"\n\n[listener]\naddr = \"127.0.0.1:9\"\npublic_url = \"https://hooks.fleet.example\"\n"
    );
    for name in names {
        text.push_str(&format!(
            "\n[[trigger]]\nname = \"{name}\"\nconnector = \"hooks.json\"\noperation = \"OnEvent\"\nconnection = \"hooks-conn.json\"\nattempts = 3\nsink = {sink}\n"
        ));
    }
    text
}

/// Posts `body` to the callback `url` (its public origin replaced by `instance`); the status,
/// or `None` when the instance does not answer within 1 s.
async fn notify(client: &reqwest::Client, url: &str, instance: &str, body: &str) -> Option<u16> {
    let local = url.replacen(
        "https://hooks.fleet.example",
        &format!("http://{instance}"),
        1,
    );
    client
        .post(local)
        .body(body.to_string())
        .timeout(Duration::from_secs(1))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

#[test]
fn chaos_webhooks_on_3_instances_lose_no_accepted_notification() {
    let Some(url) = fresh_database("chaos_hooks") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let hooks: Arc<Mutex<Hooks>> = Arc::default();
    let (_hrt, base) = hook_service(hooks.clone());
    let sink: Arc<Mutex<SinkLog>> = Arc::default();
    let (_srt, sink_url) = sink_service(sink.clone());
    hook_connector(dir.path(), &base);
    let names: Vec<String> = (1..=10).map(|i| format!("hook-{i}")).collect();
    let cfg = dir.path().join("host.toml");
    std::fs::write(&cfg, hook_config(&url, &names, &http_sink(&sink_url))).unwrap();
    let mut fleet = Fleet::start(&url, &cfg, dir.path(), 3, true);
    wait_for(Duration::from_secs(60), "10 subscriptions", || {
        hooks.lock().unwrap().subscribed.len() >= 10
    });
    let callbacks: Vec<String> = hooks.lock().unwrap().subscribed.clone();
    // Notifications to every instance in turn; one counts as sent once it got its 202.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = reqwest::Client::new();
    let accepted: Arc<Mutex<Vec<u64>>> = Arc::default();
    let mut n = 0u64;
    let listens = fleet.listens.clone();
    let mut send_some = || {
        for _ in 0..20 {
            n += 1;
            let body = serde_json::json!({ "n": n }).to_string();
            let callback = &callbacks[n as usize % callbacks.len()];
            for k in 0..listens.len() {
                let instance = &listens[(n as usize + k) % listens.len()];
                if rt.block_on(notify(&client, callback, instance, &body)) == Some(202) {
                    accepted.lock().unwrap().push(n);
                    break;
                }
            }
        }
    };
    let kills = fleet.chaos(
        Duration::from_secs(30),
        Duration::from_secs(5),
        &mut send_some,
    );
    let accepted = accepted.lock().unwrap().clone();
    let delivered = || -> BTreeSet<u64> {
        sink.lock()
            .unwrap()
            .got
            .iter()
            .filter_map(|v| v["event"]["n"].as_u64())
            .collect()
    };
    wait_for(
        Duration::from_secs(60),
        "every accepted notification",
        || accepted.iter().all(|n| delivered().contains(n)),
    );
    let logs = fleet.stop();
    let total = sink.lock().unwrap().got.len();
    let subscribed = hooks.lock().unwrap().subscribed.len();
    let lost_leases = logs.matches("the lease was taken over").count();
    println!(
        "chaos (webhooks): {n} notifications sent, {} accepted (202), {total} deliveries, {} duplicates, 0 lost; {kills} kills; {subscribed} subscriptions for 10 triggers; {lost_leases} leases lost by paused owners",
        accepted.len(),
        total - delivered().len(),
    );
    assert!(
        lost_leases > 0,
        "the paused instance never lost a lease:\n{logs}"
    );
    assert!(
        accepted.len() as u64 > n / 2,
        "{} of {n} accepted",
        accepted.len()
    );
    // One subscription per trigger, not one per instance (all share the public URL and key).
    assert_eq!(subscribed, 10, "{:?}", hooks.lock().unwrap().subscribed);
    assert!(hooks.lock().unwrap().deleted.is_empty());
}

#[test]
fn a_trigger_removed_from_the_configuration_is_unsubscribed() {
    let dir = tempfile::tempdir().unwrap();
    let hooks: Arc<Mutex<Hooks>> = Arc::default();
    let (_hrt, base) = hook_service(hooks.clone());
    hook_connector(dir.path(), &base);
    feed_connector(dir.path(), "http://127.0.0.1:9");
    let cfg = dir.path().join("host.toml");
    let names = ["keep".to_string(), "drop".to_string()];
    std::fs::write(
        &cfg,
        hook_config("sqlite://state.db", &names, "{ type = \"stdout\" }"),
    )
    .unwrap();
    let log = dir.path().join("serve.log");
    let listen = free();
    let child = start(&cfg, &log, &["--listen", &listen]);
    wait_for(Duration::from_secs(60), "2 subscriptions", || {
        hooks.lock().unwrap().subscribed.len() >= 2
    });
    assert_eq!(terminate(child), Some(0));
    // Stopping keeps the subscriptions (the trigger stays in the configuration).
    assert!(hooks.lock().unwrap().deleted.is_empty());
    std::fs::write(
        &cfg,
        hook_config("sqlite://state.db", &names[..1], "{ type = \"stdout\" }"),
    )
    .unwrap();
    let child = start(&cfg, &log, &["--listen", &listen]);
    wait_for(
        Duration::from_secs(60),
        "the removed trigger's deletion",
        || !hooks.lock().unwrap().deleted.is_empty(),
    );
    assert_eq!(terminate(child), Some(0));
    let h = hooks.lock().unwrap();
    assert_eq!(
        h.subscribed.len(),
        2,
        "the kept one is not subscribed again"
    );
    let dropped = h
        .subscribed
        .iter()
        .position(|c| c.contains("/hooks/drop?"))
        .unwrap();
    assert_eq!(h.deleted, [format!("/subs/{}", dropped + 1)]);
    let db = rusqlite::Connection::open(dir.path().join("state.db")).unwrap();
    let left: Vec<String> = db
        .prepare("SELECT trigger FROM subscriptions")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(left, ["keep"]);
}

fn free() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}
