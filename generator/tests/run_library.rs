//! The `run` library: calls built from the model, connections chosen from values, triggers
//! found and polled, against real servers on 127.0.0.1 and a real SQLite state file — without
//! the command line.

mod common;

use axum::http::{HeaderMap, Uri};
use axum::response::IntoResponse;
use connector_gen::load::LoadOptions;
use connector_gen::model::{Connector, TriggerMode};
use connector_gen::run::call::{self, Outcome};
use connector_gen::run::connect;
use connector_gen::run::watch::{self, TriggerRun};
use connector_gen::run::Error;
use connector_sdk::runtime::{Every, Poller, SqliteStore};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn fixture(path: &str) -> Connector {
    call::load_one(&common::root().join(path), &LoadOptions::default()).expect("fixture loads")
}

fn values(json: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    json.as_object().expect("an object").clone()
}

type Log = Arc<Mutex<Vec<String>>>;

/// A server for contoso-tasks: two pages of projects, a task feed, anything else 404. Logs
/// each request as `METHOD path?query auth=...`.
fn contoso_server() -> (tokio::runtime::Runtime, String, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(
        move |m: axum::http::Method, u: Uri, h: HeaderMap| {
            let l = l.clone();
            async move {
                let auth = h
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-")
                    .to_string();
                let host = h
                    .get("host")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-")
                    .to_string();
                l.lock().unwrap().push(format!("{m} {u} auth={auth}"));
                let json = |status: u16, body: String| {
                    axum::response::Response::builder()
                        .status(status)
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from(body))
                        .unwrap()
                };
                match (u.path(), u.query().unwrap_or("")) {
                    ("/v2/projects", q) if q.contains("page=2") => {
                        json(200, r#"{"value":[{"id":"p3"}]}"#.into())
                    }
                    ("/v2/projects", _) => json(
                        200,
                        format!(
                            r#"{{"value":[{{"id":"p1"}},{{"id":"p2"}}],"@odata.nextLink":"http://{host}/v2/projects?page=2"}}"#
                        ),
                    ),
                    ("/v2/trigger/tasks/batch", _) => {
                        json(200, r#"{"value":[{"id":"t1"},{"id":"t2"}]}"#.into())
                    }
                    _ => json(404, r#"{"message":"no such thing"}"#.into()),
                }
            }
        },
    );
    let (rt, addr) = common::serve(app);
    (rt, format!("http://{addr}/v2"), log)
}

#[test]
fn an_action_is_built_from_the_model_and_its_pages_followed() {
    let c = fixture("fixtures/connectors/contoso-tasks");
    let (op, long_running) = call::find_action(&c, "ListProjects").unwrap();
    assert!(!long_running);
    assert!(call::paging_of(op).is_some(), "ListProjects is pageable");
    let (server, base, log) = contoso_server();
    let (conn, fixed) = call::connection_from_values(
        &c,
        &values(serde_json::json!({"base_url": base, "access_token": "t0ken"})),
    )
    .unwrap();
    assert!(fixed, "the values gave base_url");
    let client = connector_sdk::Client::new(conn, &c.name).unwrap();
    let built = call::build(
        &c,
        op,
        &["$top=5".to_string(), r#"labels=["a","b"]"#.to_string()],
        None,
    )
    .unwrap();
    let outcome = server
        .block_on(call::run_action(&client, built, op, long_running))
        .unwrap();
    let Outcome::Items(items) = outcome else {
        panic!("a pageable action gives items: {outcome:?}")
    };
    let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(ids, ["p1", "p2", "p3"]);
    let log = log.lock().unwrap().clone();
    assert_eq!(log.len(), 2, "{log:?}");
    // `labels` is `collectionFormat: multi`: one pair per item.
    assert!(
        log[0].starts_with("GET /v2/projects?%24top=5&labels=a&labels=b ")
            || log[0].starts_with("GET /v2/projects?$top=5&labels=a&labels=b "),
        "{log:?}"
    );
    assert!(
        log.iter().all(|l| l.ends_with("auth=Bearer t0ken")),
        "{log:?}"
    );
}

#[test]
fn a_new_connection_is_tested_through_the_connectors_policies() {
    // contoso-tasks tests a connection with ListProjects, on a host its `dynamichosturl` policy
    // makes from the `region` parameter: without it the test fails before anything is sent.
    let c = fixture("fixtures/connectors/contoso-tasks");
    let op = connect::test_operation(&c).expect("contoso-tasks names testConnection");
    assert_eq!(op.id, "ListProjects");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let no_region = connector_sdk::Connection::new("https://api.contoso.example/v2");
    match rt.block_on(call::send_once(&c, op, no_region)) {
        Err(Error::Sdk(connector_sdk::Error::Policy { template, .. })) => {
            assert_eq!(template, "dynamichosturl")
        }
        other => panic!("{other:?}"),
    }
    // relay-lookup's host is `http://@connectionParameters('hostName')/api`: the request goes
    // to the server the connection names, with the `api-version` its policy adds.
    let c = fixture("fixtures/connectors/relay-lookup");
    let (op, _) = call::find_action(&c, "ListNotes").unwrap();
    let log: Log = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(move |u: Uri| {
        let l = l.clone();
        async move {
            l.lock().unwrap().push(u.to_string());
            if u.path() == "/api/notes" {
                axum::Json(serde_json::json!([])).into_response()
            } else {
                axum::http::StatusCode::NOT_FOUND.into_response()
            }
        }
    });
    let (server, addr) = common::serve(app);
    let conn = connector_sdk::Connection::new("http://relay.example/api")
        .with_parameter("hostName", addr.to_string());
    server.block_on(call::send_once(&c, op, conn)).unwrap();
    assert_eq!(*log.lock().unwrap(), ["/api/notes?api-version=2024-01-01"]);
    let elsewhere = connector_sdk::Connection::new("http://relay.example/api")
        .with_parameter("hostName", format!("{addr}/nowhere"));
    let err = server
        .block_on(call::send_once(&c, op, elsewhere))
        .unwrap_err();
    assert!(matches!(err, Error::Sdk(_)), "{err:?}");
}

#[test]
fn wrong_ids_and_values_are_typed_errors_that_say_what_is_wrong() {
    let c = fixture("fixtures/connectors/contoso-tasks");
    match call::find_action(&c, "ListProject") {
        Err(Error::NoOperation { near, .. }) => assert_eq!(near.as_deref(), Some("ListProjects")),
        other => panic!("{other:?}"),
    }
    let e = call::find_action(&c, "OnNewTask").unwrap_err();
    assert!(matches!(e, Error::IsTrigger(_)), "{e:?}");
    assert!(e.to_string().contains("connector-gen watch"), "{e}");
    let (op, _) = call::find_action(&c, "GetProjectReport").unwrap();
    match call::build(&c, op, &[], None) {
        Err(Error::MissingParams { missing, .. }) => assert_eq!(missing, ["projectId"]),
        other => panic!("{other:?}"),
    }
    match call::build(&c, op, &["nope=1".into()], None) {
        Err(Error::UnknownParam { name, known, .. }) => {
            assert_eq!(name, "nope");
            assert_eq!(known, ["projectId"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        call::build(&c, op, &["projectId".into()], None),
        Err(Error::ParamSyntax(_))
    ));
    let (create, _) = call::find_action(&c, "CreateTask").unwrap();
    assert!(matches!(
        call::build(&c, create, &["projectId=p".into()], Some("{not json")),
        Err(Error::BodyNotJson(_))
    ));
    assert!(matches!(
        call::retry_policy("{\"type\":\"fixed\",\"count\":1e3}"),
        Err(Error::RetryCountNotWhole(_))
    ));
    assert!(call::retry_policy("none").is_ok());
}

#[test]
fn connection_values_choose_the_way_to_connect() {
    let c = fixture("fixtures/connectors/acme-keys");
    let base = "https://acme.example";
    // A user name and password go out as basic, never as the API key.
    let (conn, _) = call::connection_from_values(
        &c,
        &values(serde_json::json!({"base_url": base, "username": "u", "password": "p"})),
    )
    .unwrap();
    assert!(
        matches!(conn.credential, connector_sdk::Credential::Basic { .. }),
        "{:?}",
        conn.credential
    );
    let (conn, _) = call::connection_from_values(
        &c,
        &values(serde_json::json!({"base_url": base, "api_key": "k"})),
    )
    .unwrap();
    assert!(
        matches!(conn.credential, connector_sdk::Credential::ApiKey { .. }),
        "{:?}",
        conn.credential
    );
    match call::connection_from_values(&c, &values(serde_json::json!({"base_url": base}))) {
        Err(Error::ConnectionFits { expected, .. }) => {
            assert_eq!(expected.len(), 3, "{expected:?}");
            assert!(expected[2].contains("basic"), "{expected:?}");
        }
        other => panic!("{other:?}"),
    }
    // The parameter set decides the way for `connect`.
    let key = connect::declared(&c, Some("key")).unwrap();
    let access = connect::choose_access(&c, &key.parameters).unwrap();
    assert!(matches!(
        access.login,
        connector_gen::plan::Login::ApiKey { .. }
    ));
    let basic = connect::declared(&c, Some("basic")).unwrap();
    let access = connect::choose_access(&c, &basic.parameters).unwrap();
    assert!(matches!(access.login, connector_gen::plan::Login::Basic));
    let first = connect::declared(&c, None).unwrap();
    assert_eq!(first.defaulted_set.map(|(name, _)| name), Some("key"));
    assert!(matches!(
        connect::declared(&c, Some("nope")),
        Err(Error::NoParameterSet { .. })
    ));
    let e = connect::missing(&c, &["api_key".into(), "api_key".into()]);
    assert_eq!(
        e.to_string(),
        format!(
            "{} needs `api_key`: give --param NAME=VALUE or set CONNECTOR_GEN_PARAM_API_KEY",
            c.name
        )
    );
}

#[test]
fn triggers_are_found_and_their_schedules_read() {
    let c = fixture("fixtures/connectors/contoso-tasks");
    let (_, run) = watch::find_trigger(&c, "OnNewTask", false).unwrap();
    assert_eq!(run, TriggerRun::Polling(TriggerMode::Single));
    let (_, run) = watch::find_trigger(&c, "OnTasksChanged", false).unwrap();
    assert_eq!(run, TriggerRun::Polling(TriggerMode::Batch));
    let (hook, run) = watch::find_trigger(&c, "OnTaskCompleted", false).unwrap();
    assert_eq!(run, TriggerRun::Webhook);
    assert!(matches!(
        watch::find_trigger(&c, "ListProjects", false),
        Err(Error::IsAction(_))
    ));
    let (_, run) = watch::find_trigger(&c, "ListProjects", true).unwrap();
    assert_eq!(run, TriggerRun::Polling(TriggerMode::Batch));
    match watch::find_trigger(&c, "Nope", false) {
        Err(Error::NoTrigger { triggers, .. }) => {
            assert!(triggers.contains(&"OnNewTask".to_string()), "{triggers:?}")
        }
        other => panic!("{other:?}"),
    }
    // The subscribe request carries the callback URL where the definition says.
    let call = watch::subscribe_call(&c, hook, &[], "https://hooks.example/cb?sig=1").unwrap();
    assert_eq!(call.spec.id, "OnTaskCompleted");

    assert!(matches!(
        watch::schedule(None, Some("5m")).unwrap(),
        Every::Interval(d) if d == Duration::from_secs(300)
    ));
    assert!(matches!(
        watch::schedule(None, None).unwrap(),
        Every::Interval(d) if d == Duration::from_secs(180)
    ));
    assert!(matches!(
        watch::schedule(None, Some("0s")),
        Err(Error::EveryZero)
    ));
    assert!(matches!(
        watch::schedule(None, Some("soon")),
        Err(Error::Every { .. })
    ));
    assert!(matches!(
        watch::schedule(Some(r#"{"frequency":"Hour","interval":2}"#), None).unwrap(),
        Every::Recurrence(_)
    ));
    assert!(matches!(
        watch::schedule(Some("{"), None),
        Err(Error::RecurrenceNotJson(_))
    ));
    assert_eq!(watch::parse_cursor("since=id").unwrap(), ("since", "id"));
    assert!(matches!(
        watch::parse_cursor("since"),
        Err(Error::Cursor(_))
    ));
    assert!(watch::check_listen("127.0.0.1:8080").is_ok());
    assert!(matches!(
        watch::check_listen("nowhere"),
        Err(Error::Listen(_))
    ));
    assert!(watch::check_public_url("https://hooks.example.com").is_ok());
    for bad in [
        "ftp://hooks.example.com",
        "https://hooks.example.com/?q=1",
        "https://u:p@hooks.example.com",
        "not a url",
    ] {
        assert!(
            matches!(watch::check_public_url(bad), Err(Error::PublicUrl { .. })),
            "{bad}"
        );
    }
}

#[test]
fn a_polling_trigger_runs_against_a_server_with_its_state_in_sqlite() {
    let c = fixture("fixtures/connectors/contoso-tasks");
    let (op, run) = watch::find_trigger(&c, "OnTasksChanged", false).unwrap();
    let TriggerRun::Polling(mode) = run else {
        panic!("{run:?}")
    };
    let trigger = watch::polling_trigger(&c, op, &mode, &[]).unwrap();
    let (server, base, log) = contoso_server();
    let client = connector_sdk::Client::new(connector_sdk::Connection::new(base), &c.name).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let store = watch::open_state(Some(&state)).unwrap();
    let schedule = Every::Interval(Duration::from_millis(1));
    let poller = Poller::new(
        &client,
        trigger,
        "contoso/OnTasksChanged",
        &store,
        schedule.clone(),
    )
    .dedupe_on("id");
    let events: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let seen = events.clone();
    server
        .block_on(watch::poll_times(&poller, 3, &schedule, move |e| {
            seen.lock().unwrap().push(e);
            async { Ok(()) }
        }))
        .unwrap();
    // Three polls of the same two items: the first is the baseline, the others bring nothing
    // new.
    assert_eq!(log.lock().unwrap().len(), 3);
    assert!(events.lock().unwrap().is_empty(), "{:?}", events.lock());
    drop(poller);
    drop(store);
    // The state is in the file: a second run knows the baseline.
    let reopened = SqliteStore::open(&state).unwrap();
    use connector_sdk::runtime::StateStore;
    assert!(reopened.load("contoso/OnTasksChanged").unwrap().is_some());
    // A file that is not a state database is refused as such.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"").unwrap();
    assert!(matches!(
        watch::open_state(Some(&junk)),
        Err(Error::StateFile(_))
    ));
    // The event line has the trigger, the time and the event.
    let line = watch::event_line("OnTasksChanged", &serde_json::json!({"id": "t1"}));
    assert_eq!(line["trigger"], "OnTasksChanged");
    assert_eq!(line["event"]["id"], "t1");
    assert!(line["received"].as_str().is_some());
}
