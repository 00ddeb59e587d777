//! One suite for every store: each test runs against a SQLite file and against a fresh database
//! on the PostgreSQL server `CONNECTOR_TEST_POSTGRES` names (an admin URL; `.ci/run` starts one).
//! Without that server the PostgreSQL half prints SKIPPED, and fails when `CI` is set.

use super::postgres::PostgresStore;
use super::sqlite::SqliteStore;
use super::*;
use std::sync::Arc;

/// A fresh database on the test server: its URL, or `None` (SKIPPED) without a server.
pub(crate) fn fresh_database(test: &str) -> Option<String> {
    let Ok(admin) = std::env::var("CONNECTOR_TEST_POSTGRES") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CONNECTOR_TEST_POSTGRES is not set under CI: .ci/run starts the PostgreSQL server"
        );
        eprintln!("SKIPPED {test} on PostgreSQL: CONNECTOR_TEST_POSTGRES is not set");
        return None;
    };
    let name = format!("t_{}_{}", test, fastrand::u64(..));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
            .await
            .expect("the test PostgreSQL server answers");
        tokio::spawn(connection);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
    });
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    Some(url.to_string())
}

/// The stores a test runs on: SQLite always, PostgreSQL when there is a server.
fn stores(test: &str) -> Vec<(&'static str, Arc<dyn StateStore>, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let mut all: Vec<(&'static str, Arc<dyn StateStore>, Option<tempfile::TempDir>)> =
        vec![("sqlite", Arc::new(sqlite), Some(dir))];
    if let Some(url) = fresh_database(test) {
        all.push((
            "postgres",
            Arc::new(PostgresStore::connect(&url).unwrap()),
            None,
        ));
    }
    all
}

fn run(events: usize, fence: Option<&Fence>, from: Option<&str>) -> Run {
    Run {
        started: Timestamp::now(),
        duration: Duration::from_millis(12),
        events,
        error: None,
        fence: fence.cloned(),
        from: from.map(str::to_string),
    }
}

const TTL: Duration = Duration::from_secs(30);

#[test]
fn state_delivered_ids_and_history_round_trip() {
    for (kind, s, _dir) in stores("state") {
        assert_eq!(s.load("c/t").unwrap(), None, "{kind}");
        let st = TriggerState {
            location: Some("https://x/poll?since=3".into()),
            baselined: true,
            cursor: Some("3".into()),
        };
        s.commit("c/t", &st, &["a".into(), "b".into()], &run(2, None, None))
            .unwrap();
        // Delivered ids are a set: the same id again is no error.
        s.commit("c/t", &st, &["b".into()], &run(1, None, Some("3")))
            .unwrap();
        let mut failed = run(0, None, None);
        failed.error = Some("boom".into());
        s.record("c/t", &failed).unwrap();
        assert_eq!(s.load("c/t").unwrap(), Some(st), "{kind}");
        assert!(s.delivered("c/t", "a").unwrap(), "{kind}");
        assert!(!s.delivered("c/t", "c").unwrap(), "{kind}");
        assert!(!s.delivered("other", "a").unwrap(), "{kind}");
        let h = s.history("c/t", 10).unwrap();
        assert_eq!(h.len(), 3, "{kind}");
        assert_eq!(h[0].error.as_deref(), Some("boom"), "{kind}");
        assert_eq!(h[1].events, 1, "{kind}");
        assert_eq!(h[1].from.as_deref(), Some("3"), "{kind}");
        assert_eq!(h[1].duration, Duration::from_millis(12), "{kind}");
        assert_eq!(s.history("c/t", 1).unwrap().len(), 1, "{kind}");
    }
}

#[test]
fn inbox_subscriptions_and_signing_key() {
    for (kind, s, _dir) in stores("inbox") {
        s.enqueue(&[("a", "{\"n\":1}"), ("b", "{\"n\":2}"), ("a", "{\"n\":3}")])
            .unwrap();
        let pending = s.pending("a", 10).unwrap();
        let bodies: Vec<&str> = pending.iter().map(|(_, b)| b.as_str()).collect();
        assert_eq!(bodies, ["{\"n\":1}", "{\"n\":3}"], "{kind}");
        assert_eq!(s.pending("a", 1).unwrap().len(), 1, "{kind}");
        assert_eq!(s.backlog("a").unwrap(), 2, "{kind}");
        // Acknowledging another trigger's ids under its name changes nothing.
        let b_ids: Vec<i64> = s.pending("b", 10).unwrap().iter().map(|p| p.0).collect();
        s.ack("a", &b_ids, None).unwrap();
        assert_eq!(s.pending("b", 10).unwrap().len(), 1, "{kind}");
        s.ack("a", &[pending[0].0], None).unwrap();
        assert_eq!(s.pending("a", 10).unwrap().len(), 1, "{kind}");
        assert_eq!(s.backlog("a").unwrap(), 1, "{kind}");

        let key = s.signing_key().unwrap();
        assert_eq!(s.signing_key().unwrap(), key, "{kind}: the key is kept");
        let sub = Subscription {
            callback_url: "https://h/x?sig=1".into(),
            location: Some("https://svc/subs/1".into()),
            origin: Some("{\"connector\":\"c\"}".into()),
        };
        assert_eq!(s.subscription("a").unwrap(), None, "{kind}");
        s.set_subscription("a", Some(&sub), None).unwrap();
        assert_eq!(s.subscription("a").unwrap(), Some(sub.clone()), "{kind}");
        assert_eq!(s.subscriptions().unwrap(), vec![("a".to_string(), sub)]);
        s.set_subscription("a", None, None).unwrap();
        assert_eq!(s.subscription("a").unwrap(), None, "{kind}");
    }
}

#[test]
fn leases_have_one_owner_and_growing_tokens_and_stale_writes_are_refused() {
    for (kind, s, _dir) in stores("leases") {
        let a = s.acquire("t", "A", TTL).unwrap().expect("free");
        assert_eq!(a.token, 1, "{kind}");
        assert_eq!(s.acquire("t", "B", TTL).unwrap(), None, "{kind}: held by A");
        assert!(s.renew("t", &a, TTL).unwrap(), "{kind}");
        let st = TriggerState::default();
        s.commit("t", &st, &[], &run(0, Some(&a), None)).unwrap();
        // A lets it run out (a zero lease), B takes it with a larger token.
        assert!(s.renew("t", &a, Duration::ZERO).unwrap(), "{kind}");
        let b = s.acquire("t", "B", TTL).unwrap().expect("expired");
        assert_eq!(b.token, 2, "{kind}");
        assert!(!s.renew("t", &a, TTL).unwrap(), "{kind}: A lost it");
        // Every write of A is now refused, nothing of it recorded.
        for e in [
            s.commit(
                "t",
                &TriggerState {
                    cursor: Some("stale".into()),
                    ..st.clone()
                },
                &["x".into()],
                &run(1, Some(&a), None),
            )
            .unwrap_err(),
            s.ack("t", &[1], Some(&a)).unwrap_err(),
            s.set_subscription("t", None, Some(&a)).unwrap_err(),
        ] {
            assert!(
                matches!(&e, Error::Fenced { token: 1, owner, .. } if owner == "A"),
                "{kind}: {e}"
            );
        }
        assert_eq!(s.load("t").unwrap().unwrap().cursor, None, "{kind}");
        assert!(!s.delivered("t", "x").unwrap(), "{kind}");
        s.commit("t", &st, &[], &run(0, Some(&b), None)).unwrap();
        let h = s.history("t", 10).unwrap();
        assert_eq!(h[0].fence.as_ref(), Some(&b), "{kind}");
        // Released: taken at once, token 3.
        s.release("t", &b).unwrap();
        let leases = s.leases().unwrap();
        assert_eq!(leases.len(), 1, "{kind}");
        assert_eq!(leases[0].owner, None, "{kind}");
        let c = s.acquire("t", "C", TTL).unwrap().expect("released");
        assert_eq!(c.token, 3, "{kind}");
        assert_eq!(s.leases().unwrap()[0].owner.as_deref(), Some("C"), "{kind}");
    }
}

#[test]
fn one_of_many_racing_instances_gets_each_lease() {
    for (kind, s, _dir) in stores("race") {
        let winners: Vec<Option<Fence>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let s = s.clone();
                    scope.spawn(move || s.acquire("t", &format!("i{i}"), TTL).unwrap())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(winners.iter().flatten().count(), 1, "{kind}: {winners:?}");
    }
}

#[test]
fn instances_heartbeat_and_leave_and_dead_letters_are_kept() {
    for (kind, s, _dir) in stores("instances") {
        let alive = s.heartbeat("A", TTL).unwrap();
        assert_eq!(alive.len(), 1, "{kind}");
        let alive = s.heartbeat("B", TTL).unwrap();
        let ids: Vec<&str> = alive.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["A", "B"], "{kind}");
        // With a zero window nobody else counts as alive.
        std::thread::sleep(Duration::from_millis(5));
        let ids: Vec<String> = s
            .heartbeat("B", Duration::from_millis(1))
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(ids, ["B"], "{kind}");
        s.leave("A").unwrap();
        assert_eq!(s.heartbeat("B", TTL).unwrap().len(), 1, "{kind}");

        for n in 0..3 {
            s.dead_letter(
                "t",
                &NewDeadLetter {
                    event_id: &format!("e{n}"),
                    event: "{\"id\":1}",
                    error: "503 Service Unavailable",
                    attempts: 5,
                },
            )
            .unwrap();
        }
        let (letters, total) = s.dead_letters("t", 2).unwrap();
        assert_eq!(total, 3, "{kind}");
        assert_eq!(letters.len(), 2, "{kind}");
        assert_eq!(letters[0].event_id, "e2", "{kind}");
        assert_eq!(letters[0].attempts, 5, "{kind}");
        assert_eq!(s.dead_letters("other", 2).unwrap().1, 0, "{kind}");
    }
}

#[test]
fn postgres_migrations_apply_once_when_instances_start_together() {
    let Some(url) = fresh_database("migrations") else {
        return;
    };
    let stores: Vec<PostgresStore> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| PostgresStore::connect(&url).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(stores[0].migrations().unwrap(), vec![1]);
    // Every instance shares the one signing key.
    let keys: Vec<[u8; 32]> = stores.iter().map(|s| s.signing_key().unwrap()).collect();
    assert!(keys.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn an_unreachable_server_is_a_clear_error_without_the_password() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e =
        PostgresStore::connect(&format!("postgres://u:s3cret@127.0.0.1:{port}/db")).unwrap_err();
    let text = e.to_string();
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(!text.contains("s3cret"), "{text}");
    let e = PostgresStore::connect("postgres://[bad").unwrap_err();
    assert!(e.to_string().contains("is not a PostgreSQL URL"), "{e}");
}
