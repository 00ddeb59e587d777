//! `connector-gen watch` against a server on 127.0.0.1 that implements the platform's polling
//! contract (200 + items + Location, 202 + Location + Retry-After when nothing is new), with
//! SQLite state in a temporary directory: delivery, restarts, Retry-After 0 bursts, dedupe by
//! id, and a process killed with SIGKILL in the middle of its work.

mod common;

use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use common::{command, run_with};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The service: `items` grows as the test (or the server itself) adds to it; a poll returns
/// at most `page` items after the cursor.
#[derive(Default)]
struct Feed {
    items: Vec<u64>,
    requests: Vec<String>,
    page: usize,
    /// Retry-After sent with a page that still leaves items behind.
    burst_retry_after: &'static str,
    /// Add this many items on every request (the crash test's steady producer).
    produce: u64,
}

type Shared = Arc<Mutex<Feed>>;

fn serve(feed: Shared) -> (tokio::runtime::Runtime, String) {
    let app = axum::Router::new().fallback(move |u: Uri| {
        let feed = feed.clone();
        async move {
            let mut f = feed.lock().unwrap();
            f.requests.push(u.to_string());
            for _ in 0..f.produce {
                let next = f.items.len() as u64 + 1;
                f.items.push(next);
            }
            let since: usize = u
                .query()
                .and_then(|q| q.strip_prefix("since="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let page = if f.page == 0 { usize::MAX } else { f.page };
            let new: Vec<u64> = f.items.iter().skip(since).take(page).copied().collect();
            let cursor = since + new.len();
            let location = format!("/items/poll?since={cursor}");
            if new.is_empty() {
                return (
                    StatusCode::ACCEPTED,
                    [("location", location), ("retry-after", "1".to_string())],
                    String::new(),
                )
                    .into_response();
            }
            let more = cursor < f.items.len();
            let retry = if more { f.burst_retry_after } else { "1" };
            let body = serde_json::json!({"value": new.iter().map(|n| serde_json::json!({"id": n})).collect::<Vec<_>>()});
            (
                StatusCode::OK,
                [
                    ("location", location),
                    ("retry-after", retry.to_string()),
                    ("content-type", "application/json".to_string()),
                ],
                body.to_string(),
            )
                .into_response()
        }
    });
    let (rt, addr) = common::serve(app);
    (rt, format!("http://{addr}"))
}

/// A connector with one batch polling trigger, and a connection file pointing at `base`.
fn connector(dir: &Path, base: &str) -> (PathBuf, PathBuf) {
    let def = serde_json::json!({
        "swagger": "2.0",
        "info": {"title": "Feed", "version": "1.0", "description": "A feed of items."},
        "host": "feed.example", "basePath": "/", "schemes": ["https"],
        "paths": {
            "/items/poll": {"get": {
                "operationId": "OnNewItems", "summary": "When items are added",
                "description": "Triggers for each new item.",
                "x-ms-trigger": "batch",
                "responses": {
                    "200": {"description": "new items", "schema": {"type": "object", "properties": {
                        "value": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}}}}}}},
                    "202": {"description": "nothing new"}
                }
            }},
            "/items/all": {"get": {
                "operationId": "OnAnyItems", "summary": "Every item each time",
                "description": "Returns every item.",
                "x-ms-trigger": "batch",
                "responses": {"200": {"description": "all items", "schema": {"type": "array",
                    "items": {"type": "object", "properties": {"id": {"type": "integer"}}}}}}
            }}
        }
    });
    let path = dir.join("feed.json");
    std::fs::write(&path, def.to_string()).unwrap();
    let conn = dir.join("conn.json");
    std::fs::write(&conn, serde_json::json!({ "base_url": base }).to_string()).unwrap();
    (path, conn)
}

/// Ids of the events printed (one JSON line each).
fn ids(stdout: &str) -> Vec<u64> {
    ids_of(stdout, "OnNewItems")
}

/// Ids of the events of `trigger` printed (one JSON line each).
fn ids_of(stdout: &str, trigger: &str) -> Vec<u64> {
    stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["trigger"], trigger);
            assert!(v["received"].as_str().unwrap().ends_with('Z'));
            v["event"]["id"].as_u64().unwrap()
        })
        .collect()
}

fn watch(def: &Path, conn: &Path, db: &Path, extra: &[&str]) -> std::process::Command {
    watch_trigger(def, "OnNewItems", conn, db, extra)
}

/// `watch DEF TRIGGER --connection CONN --state DB EXTRA...`.
fn watch_trigger(
    def: &Path,
    trigger: &str,
    conn: &Path,
    db: &Path,
    extra: &[&str],
) -> std::process::Command {
    let mut c = command();
    c.args(["watch", def.to_str().unwrap(), trigger, "--connection"])
        .arg(conn)
        .arg("--state")
        .arg(db)
        .args(extra);
    c
}

#[test]
fn events_are_delivered_once_across_restarts_and_bursts_poll_at_once() {
    let feed: Shared = Arc::default();
    feed.lock().unwrap().items = vec![1, 2, 3];
    feed.lock().unwrap().burst_retry_after = "0";
    let (_rt, base) = serve(feed.clone());
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = connector(dir.path(), &base);
    let db = dir.path().join("state.db");

    // First run: the three items, then nothing new (202).
    let r = run_with(&mut watch(
        &def,
        &conn,
        &db,
        &["--every", "10ms", "--polls", "2"],
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ids(&r.stdout), [1, 2, 3]);
    assert_eq!(
        feed.lock().unwrap().requests,
        ["/items/poll", "/items/poll?since=3"]
    );

    // A restart resumes from the stored Location: only what is new.
    {
        let mut f = feed.lock().unwrap();
        f.items.extend([4, 5, 6, 7, 8]);
        f.requests.clear();
        f.page = 2;
    }
    // Pages of two with Retry-After 0: polled at once although the schedule says hourly.
    let mut child = watch(&def, &conn, &db, &["--every", "1h", "--polls", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_or_kill(&mut child, Duration::from_secs(60));
    assert_eq!(ids(&out), [4, 5, 6, 7, 8]);
    assert_eq!(
        feed.lock().unwrap().requests,
        [
            "/items/poll?since=3",
            "/items/poll?since=5",
            "/items/poll?since=7"
        ]
    );

    // The run history is in the state file.
    let conn_db = rusqlite_count(&db);
    assert!(conn_db >= 5, "{conn_db} runs recorded");
}

/// Waits for `child` (failing if it runs longer than `limit`: it did not poll at once);
/// returns its stdout.
fn wait_or_kill(child: &mut Child, limit: Duration) -> String {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            assert!(status.success(), "{err}");
            return out;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("watch did not finish: Retry-After 0 was not honoured");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn rusqlite_count(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM runs", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_trigger_without_state_in_its_answers_dedupes_by_id_after_a_baseline() {
    // Every poll returns every item (no Location, no 202, no cursor).
    let items: common::Ids = Arc::new(Mutex::new(vec![1, 2]));
    let (_rt, addr, _) = common::serve_ids(items.clone());
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = connector(dir.path(), &format!("http://{addr}"));
    let db = dir.path().join("state.db");
    let run = |polls: &str| {
        run_with(&mut watch_trigger(
            &def,
            "OnAnyItems",
            &conn,
            &db,
            &["--every", "10ms", "--polls", polls, "--dedupe-on", "id"],
        ))
    };
    // The first poll is the baseline: the items that exist are not events.
    let r = run("1");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    items.lock().unwrap().extend([3, 4]);
    let r = run("2");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ids_of(&r.stdout, "OnAnyItems"), [3, 4]);
}

#[test]
fn bad_arguments_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = connector(dir.path(), "http://127.0.0.1:9");
    let db = dir.path().join("state.db");
    for (extra, says) in [
        (vec!["--every", "soon"], "--every `soon` is not a duration"),
        (
            vec!["--recurrence", "{\"frequency\":\"Week\",\"interval\":72}"],
            "1 to 71",
        ),
    ] {
        let r = run_with(&mut watch(&def, &conn, &db, &extra));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(says), "{}", r.stderr);
    }
    let r = run_with(command().args(["watch", def.to_str().unwrap(), "Nope"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("triggers: OnNewItems, OnAnyItems"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_killed_watcher_loses_nothing_when_restarted() {
    // The server adds an item on every request; the watcher polls every few milliseconds and is
    // killed with SIGKILL while it works, three times, then runs until it has caught up.
    let feed: Shared = Arc::default();
    feed.lock().unwrap().produce = 1;
    let (_rt, base) = serve(feed.clone());
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = connector(dir.path(), &base);
    let db = dir.path().join("state.db");
    let mut delivered: Vec<u64> = Vec::new();
    for round in 0..3 {
        let mut child = watch(&def, &conn, &db, &["--every", "5ms"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Let it deliver a few events, then kill it mid-stream.
        for _ in 0..(5 + round * 3) {
            match lines.next() {
                Some(Ok(l)) => delivered.extend(ids(&l)),
                _ => break,
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Whatever it had written before dying counts as delivered.
        delivered.extend(lines.map_while(Result::ok).flat_map(|l| ids(&l)));
    }
    // Stop producing; a last run catches up.
    let produced = {
        let mut f = feed.lock().unwrap();
        f.produce = 0;
        f.items.len() as u64
    };
    let r = run_with(&mut watch(
        &def,
        &conn,
        &db,
        &["--every", "5ms", "--polls", "3"],
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    delivered.extend(ids(&r.stdout));
    let unique: BTreeSet<u64> = delivered.iter().copied().collect();
    let missing: Vec<u64> = (1..=produced).filter(|n| !unique.contains(n)).collect();
    let duplicates = delivered.len() - unique.len();
    println!(
        "crash test: {produced} items produced, {} delivered, {} distinct, {duplicates} duplicates after 3 SIGKILLs",
        delivered.len(),
        unique.len()
    );
    assert!(missing.is_empty(), "lost events: {missing:?}");
}

/// A service with webhook subscriptions: `POST /hooks` (body `{"callbackUrl": ...}`) → 201 +
/// Location `/hooks/N`; `DELETE /hooks/N` → 200. Records `METHOD PATH` and the callbacks.
fn hook_service() -> (tokio::runtime::Runtime, String, Arc<Mutex<Vec<String>>>) {
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(
        move |m: axum::http::Method, u: Uri, body: axum::body::Bytes| {
            let l = l.clone();
            async move {
                let mut log = l.lock().unwrap();
                if m == axum::http::Method::POST {
                    let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                    log.push(format!(
                        "POST {} {}",
                        u.path(),
                        v["callbackUrl"].as_str().unwrap_or("-")
                    ));
                    let n = log.iter().filter(|l| l.starts_with("POST")).count();
                    return (
                        StatusCode::CREATED,
                        [("location", format!("/hooks/{n}"))],
                        "{}",
                    )
                        .into_response();
                }
                log.push(format!("{m} {}", u.path()));
                (StatusCode::OK, "{}").into_response()
            }
        },
    );
    let (rt, addr) = common::serve(app);
    (rt, format!("http://{addr}"), log)
}

fn hook_connector(dir: &Path, base: &str) -> (PathBuf, PathBuf) {
    let def = common::triggers::hook_definition("/hooks");
    common::triggers::write_connector(dir, "hooks.json", &def, "conn.json", base)
}

/// Waits until `log` has a line starting with `prefix`; returns it.
fn wait_line(log: &Arc<Mutex<Vec<String>>>, prefix: &str, nth: usize) -> String {
    let started = Instant::now();
    loop {
        if let Some(l) = log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with(prefix))
            .nth(nth)
        {
            return l.clone();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no `{prefix}` in {log:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// An address on 127.0.0.1 nothing listens on.
fn free_listen() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("127.0.0.1:{port}")
}

/// `watch DEF OnEvent` with its listener on `listen`, stopping after `max` events.
fn watch_hooks(
    def: &Path,
    conn: &Path,
    db: &Path,
    listen: &str,
    max: &str,
) -> std::process::Command {
    let mut c = command();
    c.args(["watch", def.to_str().unwrap(), "OnEvent", "--connection"])
        .arg(conn)
        .arg("--state")
        .arg(db)
        .args(["--listen", listen, "--max-events", max])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn post(url: &str, body: &str) -> u16 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        reqwest::Client::new()
            .post(url)
            .body(body.to_string())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
}

#[test]
fn webhooks_subscribe_check_signatures_deliver_and_unsubscribe() {
    let (_rt, base, log) = hook_service();
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = hook_connector(dir.path(), &base);
    let db = dir.path().join("state.db");
    let listen = free_listen();
    let start = |max: &str| watch_hooks(&def, &conn, &db, &listen, max).spawn().unwrap();
    let child = start("2");
    let subscribed = wait_line(&log, "POST /hooks ", 0);
    let callback = subscribed.split(' ').nth(2).unwrap().to_string();
    assert!(
        callback.starts_with(&format!("http://{listen}/hooks/hooks/onevent?sp=")),
        "{callback}"
    );

    // Wrong, missing or misplaced signatures: 401 and nothing delivered; not JSON: 400.
    let (path, query) = callback.split_once('?').unwrap();
    let tampered = format!("{path}?{}", query.replace("sig=", "sig=A"));
    let unsigned = path.to_string();
    let other_path = format!("{}/x?{query}", path.trim_end_matches("/onevent"));
    assert_eq!(post(&tampered, "{\"n\":0}"), 401);
    assert_eq!(post(&unsigned, "{\"n\":0}"), 401);
    assert_ne!(post(&other_path, "{\"n\":0}"), 202);
    assert_eq!(post(&callback, "not json"), 400);
    // Valid ones: 202 once stored, then delivered in order.
    assert_eq!(post(&callback, "{\"n\":1}"), 202);
    assert_eq!(post(&callback, "{\"n\":2}"), 202);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["event"].clone())
        .collect();
    assert_eq!(
        events,
        [serde_json::json!({"n": 1}), serde_json::json!({"n": 2})]
    );
    // Stopped: the subscription was deleted.
    wait_line(&log, "DELETE /hooks/1", 0);

    // Killed without unsubscribing, with a notification accepted (stored) but not yet
    // delivered: after the restart it is delivered, and the subscription (same callback URL)
    // is kept, not made again.
    let mut child = start("5");
    // Killed once it says it subscribed (the subscription is stored by then).
    let mut err = BufReader::new(child.stderr.take().unwrap()).lines();
    assert!(err.any(|l| l.is_ok_and(|l| l == "Subscribed")));
    child.kill().unwrap();
    child.wait().unwrap();
    let state = rusqlite::Connection::open(&db).unwrap();
    let trigger: String = state
        .query_row("SELECT trigger FROM subscriptions", [], |r| r.get(0))
        .unwrap();
    state
        .execute(
            "INSERT INTO inbox (trigger, body, received) VALUES (?1, '{\"n\":3}', 'now')",
            [&trigger],
        )
        .unwrap();
    drop(state);
    let mut child = start("2");
    // Its stderr is read to the end on a thread (a closed pipe would fail its last lines).
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (seen, kept) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if line.contains("Subscribed (kept from the last run)") {
                let _ = seen.send(());
            }
        }
    });
    kept.recv_timeout(Duration::from_secs(60))
        .expect("the subscription of the killed run is kept");
    assert_eq!(post(&callback, "{\"n\":4}"), 202);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    let order: Vec<&str> = printed.lines().collect();
    assert!(
        order[0].contains("{\"n\":3}") && order[1].contains("{\"n\":4}"),
        "{printed}"
    );
    let posts = log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("POST"))
        .count();
    assert_eq!(posts, 2, "{:?}", log.lock().unwrap());
}

#[test]
fn a_pollingtrigger_policy_turns_an_action_into_a_trigger_with_a_baseline() {
    // Files newest first; `after` returns those created later. The connector's policy polls
    // `ListFiles` with `after` = the newest `created` of the last answer with data.
    let files: Arc<Mutex<Vec<(u64, String)>>> = Arc::new(Mutex::new(vec![
        (1, "2026-01-01T00:00:01Z".into()),
        (2, "2026-01-01T00:00:02Z".into()),
    ]));
    let requests: Arc<Mutex<Vec<String>>> = Arc::default();
    let (f, r) = (files.clone(), requests.clone());
    let app = axum::Router::new().fallback(move |u: Uri| {
        let (f, r) = (f.clone(), r.clone());
        async move {
            r.lock().unwrap().push(u.to_string());
            let after = u
                .query()
                .and_then(|q| q.strip_prefix("after="))
                .map(|a| a.replace("%3A", ":"))
                .unwrap_or_default();
            let mut newer: Vec<serde_json::Value> = f
                .lock()
                .unwrap()
                .iter()
                .filter(|(_, c)| *c > after)
                .map(|(id, c)| serde_json::json!({"id": id, "created": c}))
                .collect();
            newer.reverse();
            axum::Json(serde_json::json!({ "files": newer }))
        }
    });
    let (_rt, addr) = common::serve(app);
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("files");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("apiDefinition.swagger.json"),
        serde_json::json!({
            "swagger": "2.0",
            "info": {"title": "Files", "version": "1.0", "description": "Files in a folder."},
            "host": "files.example", "basePath": "/", "schemes": ["https"],
            "paths": {"/files": {"get": {
                "operationId": "ListFiles", "summary": "List files", "description": "Newest first.",
                "parameters": [{"name": "after", "in": "query", "type": "string", "x-ms-summary": "After", "description": "Created after"}],
                "responses": {"200": {"description": "files", "schema": {"type": "object"}}}
            }}}
        })
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        folder.join("apiProperties.json"),
        serde_json::json!({"properties": {"policyTemplateInstances": [{
            "templateId": "pollingtrigger",
            "parameters": {
                "x-ms-apimTemplate-operationName": ["ListFiles"],
                "x-ms-apimTemplateParameter.triggerConfig": {"after": "@{triggerBody().files[0].created}"},
                "x-ms-apimTemplateParameter.triggerDataPath": "@triggerBody().files"
            }
        }]}})
        .to_string(),
    )
    .unwrap();
    let conn = dir.path().join("conn.json");
    std::fs::write(
        &conn,
        serde_json::json!({"base_url": format!("http://{addr}")}).to_string(),
    )
    .unwrap();
    let db = dir.path().join("state.db");
    let run = |polls: &str| {
        run_with(&mut watch_trigger(
            &folder,
            "ListFiles",
            &conn,
            &db,
            &["--every", "10ms", "--polls", polls],
        ))
    };
    // The baseline: what exists is not an event.
    let r = run("1");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    files
        .lock()
        .unwrap()
        .push((3, "2026-01-01T00:00:03Z".into()));
    files
        .lock()
        .unwrap()
        .push((4, "2026-01-01T00:00:04Z".into()));
    let r = run("2");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ids_of(&r.stdout, "ListFiles"), [4, 3]);
    assert_eq!(
        *requests.lock().unwrap(),
        [
            "/files",
            "/files?after=2026-01-01T00%3A00%3A02Z",
            "/files?after=2026-01-01T00%3A00%3A04Z"
        ]
    );
}

#[test]
fn ctrl_c_stops_cleanly_and_unsubscribes() {
    let (_rt, base, log) = hook_service();
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = hook_connector(dir.path(), &base);
    let listen = format!("127.0.0.1:{}", {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    });
    let child = command()
        .args(["watch", def.to_str().unwrap(), "OnEvent", "--connection"])
        .arg(&conn)
        .arg("--state")
        .arg(dir.path().join("state.db"))
        .args(["--listen", &listen])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_line(&log, "POST /hooks ", 0);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("stopping") && stderr.contains("Unsubscribed"),
        "{stderr}"
    );
    wait_line(&log, "DELETE /hooks/1", 0);
}

#[test]
fn a_cursor_parameter_carries_the_largest_id_seen() {
    let items: common::Ids = Arc::new(Mutex::new(vec![1, 2]));
    let (_rt, addr, requests) = common::serve_ids(items.clone());
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = connector(dir.path(), &format!("http://{addr}"));
    let db = dir.path().join("state.db");
    let run = |polls: &str| {
        run_with(&mut watch_trigger(
            &def,
            "OnAnyItems",
            &conn,
            &db,
            &["--every", "10ms", "--polls", polls, "--cursor", "since=id"],
        ))
    };
    let r = run("1");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "", "the first poll is the baseline");
    items.lock().unwrap().extend([3, 10]);
    let r = run("2");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ids_of(&r.stdout, "OnAnyItems"), [3, 10]);
    // Numbers compare as numbers: 10 > 3.
    assert_eq!(
        *requests.lock().unwrap(),
        ["/items/all", "/items/all?since=2", "/items/all?since=10"]
    );
}

/// A service whose polls all fail, with a terminal escape sequence in its error body.
fn failing_service() -> (tokio::runtime::Runtime, String, Arc<Mutex<usize>>) {
    let hits: Arc<Mutex<usize>> = Arc::default();
    let h = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let h = h.clone();
        async move {
            *h.lock().unwrap() += 1;
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "down\u{1b}[2J\u{1b}]0;pwned\u{7}",
            )
        }
    });
    let (rt, addr) = common::serve(app);
    (rt, format!("http://{addr}"), hits)
}

/// Sends SIGTERM to `child` (what Ctrl-C does) and returns its exit code, stdout and stderr.
fn stop(child: Child) -> (Option<i32>, String, String) {
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn failed_polls_are_said_on_stderr_without_flooding_it() {
    let (_rt, base, hits) = failing_service();
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = connector(dir.path(), &base);
    let db = dir.path().join("state.db");
    let child = watch(&def, &conn, &db, &["--every", "1s", "--retry", "none"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while *hits.lock().unwrap() < 3 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let (code, stdout, stderr) = stop(child);
    assert!(
        *hits.lock().unwrap() >= 3,
        "the watcher did not keep polling"
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    // Three failed polls in a few seconds: one line says the first (with its cause and when the
    // next attempt is), the others wait for the next line, at most one every 30 s.
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("poll failed"))
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("Feed/OnNewItems: poll failed (1 in a row)")
            && lines[0].contains("HTTP 500")
            && lines[0].contains("next attempt at 20"),
        "{stderr}"
    );
    // What the server wrote reaches the terminal as text.
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\u{1b}[2J"), "{stderr}");
}

#[test]
fn an_empty_or_special_state_file_is_refused_with_how_to_start_over() {
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = connector(dir.path(), "http://127.0.0.1:9");
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    let r = run_with(&mut watch(&def, &conn, &empty, &["--polls", "1"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("is empty (0 bytes)")
            && r.stderr.contains(&format!("rm {}", empty.display())),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::metadata(&empty).unwrap().len(),
        0,
        "left as it was"
    );
    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    let fifo = dir.path().join("fifo.db");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for (path, says) in [(&link, "a symbolic link"), (&fifo, "a FIFO")] {
        let r = run_with(&mut watch(&def, &conn, path, &["--polls", "1"]));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(says), "{}", r.stderr);
    }
}

/// A tmpfs of `kib` KiB mounted at `dir` (unmounted when dropped), or `None` when this process
/// may not mount one.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, kib: u32) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_state_that_cannot_be_committed_stops_the_watcher_after_the_events_it_printed() {
    // The service fails every poll (nothing is committed for a failed poll) until the test
    // opens it; then it has two items.
    let open = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let polls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (o, p) = (open.clone(), polls.clone());
    let app = axum::Router::new().fallback(move || {
        let (open, polls) = (o.clone(), p.clone());
        async move {
            polls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if !open.load(std::sync::atomic::Ordering::SeqCst) {
                return (StatusCode::SERVICE_UNAVAILABLE, "not yet").into_response();
            }
            (
                StatusCode::OK,
                [("location", "/items/poll?since=2")],
                axum::Json(serde_json::json!({"value": [{"id": 1}, {"id": 2}]})),
            )
                .into_response()
        }
    });
    let (_rt, addr) = common::serve(app);
    let base = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = connector(dir.path(), &base);
    let Some(disk) = Tmpfs::mount(&dir.path().join("disk"), 1024) else {
        println!("SKIPPED: the full-disk case needs a tmpfs, which this process may not mount (root needed)");
        return;
    };
    let db = disk.0.join("state.db");
    // A watcher running on a disk that is about to fill up.
    let child = watch(&def, &conn, &db, &["--every", "1s", "--retry", "none"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while polls.load(std::sync::atomic::Ordering::SeqCst) < 1
        && started.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    // The disk fills up (every byte taken by another file), then the service has two items.
    {
        use std::io::Write;
        let mut filler = std::fs::File::create(disk.0.join("filler")).unwrap();
        let block = vec![0u8; 64 * 1024];
        while filler.write_all(&block).is_ok() {}
        let small = [0u8; 512];
        while filler.write_all(&small).is_ok() {}
        let _ = filler.sync_all();
    }
    open.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut child = child;
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the watcher went on with a state it cannot commit");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(1), "{stderr}");
    // The events were printed once, then the watcher stopped instead of printing them again.
    assert_eq!(ids(&stdout), [1, 2], "{stdout}");
    assert!(
        stderr.contains("2 event(s) were delivered but the new state cannot be recorded")
            && stderr.contains("Free the disk"),
        "{stderr}"
    );
    drop(disk);
}

#[test]
fn with_256_open_files_300_slow_clients_do_not_keep_a_notification_out() {
    // The webhook listener of a watcher that may open 256 files, facing 300 clients that never
    // finish their headers: its connection cap follows the file limit, and at the cap the
    // longest-waiting connection makes room, so a signed notification still gets its 202.
    let (_rt, base, log) = hook_service();
    let dir = tempfile::tempdir().unwrap();
    let (def, conn) = hook_connector(dir.path(), &base);
    let db = dir.path().join("state.db");
    let listen = free_listen();
    let mut cmd = watch_hooks(&def, &conn, &db, &listen, "1");
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
            let limit = libc::rlimit {
                rlim_cur: 256,
                rlim_max: 256,
            };
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            Ok(())
        });
    }
    let child = cmd.spawn().unwrap();
    let subscribed = wait_line(&log, "POST /hooks ", 0);
    let callback = subscribed.split(' ').nth(2).unwrap().to_string();
    let mut slow = Vec::new();
    for _ in 0..300 {
        let mut s = std::net::TcpStream::connect(&listen).unwrap();
        std::io::Write::write_all(&mut s, b"POST /hooks HTTP/1.1\r\nHost: x\r\nX-Slow: ").unwrap();
        slow.push(s);
    }
    let started = Instant::now();
    let status = tokio::runtime::Runtime::new().unwrap().block_on(async {
        reqwest::Client::new()
            .post(&callback)
            .body("{\"n\": 1}")
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or_else(|e| panic!("the notification got no answer: {e}"))
    });
    let took = started.elapsed();
    assert_eq!(status, 202);
    println!("a notification behind 300 slow clients, 256 open files: 202 after {took:?}");
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    drop(slow);
}
