//! `connector-gen call` against a real HTTP server on 127.0.0.1.

mod common;

use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use common::run;
use std::sync::{Arc, Mutex};

type Log = Arc<Mutex<Vec<String>>>;

fn serve() -> (tokio::runtime::Runtime, String, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(move |m: Method, u: Uri, h: HeaderMap| {
        let l = l.clone();
        async move {
            let host = h
                .get("host")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_string();
            let auth = h
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_string();
            let header = |name: &str| common::header_field(&h, name);
            l.lock().unwrap().push(format!(
                "{m} {u} auth={auth}{}{}",
                header("x-client"),
                header("x-page-size")
            ));
            let json = |s: StatusCode, b: String| {
                (s, [("content-type", "application/json")], b).into_response()
            };
            match (m.as_str(), u.path(), u.query().unwrap_or("")) {
                ("GET", "/v2/projects", q) if q.contains("page=2") => {
                    json(StatusCode::OK, r#"{"value":[{"id":"p3"}]}"#.into())
                }
                ("GET", "/v2/projects", _) => json(
                    StatusCode::OK,
                    format!(
                        r#"{{"value":[{{"id":"p1"}},{{"id":"p2"}}],"@odata.nextLink":"http://{host}/v2/projects?page=2"}}"#
                    ),
                ),
                ("GET", "/v2/attachments/a1", _) => (
                    StatusCode::OK,
                    [("content-type", "application/octet-stream")],
                    vec![0x89u8, b'P', b'N', b'G', 0, 0xff],
                )
                    .into_response(),
                ("GET", "/v2/projects/p%2F1/tasks/t%25202", _) => {
                    json(StatusCode::OK, r#"{"id":"t2","title":"Write tests"}"#.into())
                }
                _ => json(StatusCode::NOT_FOUND, r#"{"message":"no such task"}"#.into()),
            }
        }
    });
    let (rt, addr) = common::serve(app);
    (rt, format!("http://{addr}/v2"), log)
}

fn connection_file(dir: &std::path::Path, base: &str) -> String {
    let p = dir.join("conn.json");
    std::fs::write(
        &p,
        format!(r#"{{"base_url": "{base}", "access_token": "t0ken", "region": "eu"}}"#),
    )
    .unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn an_action_is_called_and_its_body_printed() {
    let (_rt, base, log) = serve();
    let dir = tempfile::tempdir().unwrap();
    let conn = connection_file(dir.path(), &base);
    let r = run(&[
        "call",
        "fixtures/connectors/contoso-tasks",
        "GetTask",
        "--param",
        "projectId=p/1",
        "--param",
        "taskId=t 2",
        "--connection",
        &conn,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v, serde_json::json!({"id": "t2", "title": "Write tests"}));
    // The same encodings as generated code: single for projectId, double for taskId.
    assert_eq!(
        *log.lock().unwrap(),
        ["GET /v2/projects/p%2F1/tasks/t%25202 auth=Bearer t0ken x-client=connector x-page-size=eu"]
    );
}

/// A file is written to stdout as received (for `> file`), not as text.
#[test]
fn a_file_response_is_written_unchanged() {
    let (_rt, base, _log) = serve();
    let dir = tempfile::tempdir().unwrap();
    let conn = connection_file(dir.path(), &base);
    let out = common::command()
        .args([
            "call",
            "fixtures/connectors/contoso-tasks",
            "DownloadAttachment",
        ])
        .args(["--param", "attachmentId=a1", "--connection", &conn])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, [0x89u8, b'P', b'N', b'G', 0, 0xff]);
}

#[test]
fn a_pageable_action_prints_every_item_of_every_page() {
    let (_rt, base, log) = serve();
    let dir = tempfile::tempdir().unwrap();
    let conn = connection_file(dir.path(), &base);
    let r = run(&[
        "call",
        "fixtures/connectors/contoso-tasks",
        "ListProjects",
        "--connection",
        &conn,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{"id": "p1"}, {"id": "p2"}, {"id": "p3"}])
    );
    assert_eq!(log.lock().unwrap().len(), 2);
    let r = run(&[
        "call",
        "fixtures/connectors/contoso-tasks",
        "ListProjects",
        "--connection",
        &conn,
        "--max-pages",
        "1",
    ]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v, serde_json::json!([{"id": "p1"}, {"id": "p2"}]));
}

#[test]
fn failures_and_bad_arguments_say_what_is_wrong() {
    let (_rt, base, _) = serve();
    let dir = tempfile::tempdir().unwrap();
    let conn = connection_file(dir.path(), &base);
    let contoso = "fixtures/connectors/contoso-tasks";
    // The service says no: exit 1, its status and body on stderr.
    let r = run(&[
        "call",
        contoso,
        "DeleteTask",
        "--param",
        "projectId=p1",
        "--param",
        "taskId=nope",
        "--connection",
        &conn,
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("HTTP 404") && r.stderr.contains("no such task"),
        "{}",
        r.stderr
    );
    // A missing required parameter, an unknown one, an unknown operation, a trigger: exit 2.
    for (args, says) in [
        (vec!["GetTask", "--param", "projectId=p1"], "needs `taskId`"),
        (
            vec!["GetTask", "--param", "nope=1"],
            "has no parameter `nope`",
        ),
        (vec!["GetTsk"], "did you mean `GetTask`?"),
        (vec!["OnNewTask"], "is a trigger"),
    ] {
        let mut all = vec!["call", contoso];
        all.extend(args);
        all.extend(["--connection", conn.as_str()]);
        let r = run(&all);
        assert_eq!(r.code, 2, "{all:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{all:?}: {}", r.stderr);
    }
    // A connection file without the credential the scheme needs.
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "{}").unwrap();
    let r = run(&[
        "call",
        contoso,
        "ListProjects",
        "--connection",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("needs `access_token`"), "{}", r.stderr);
}

/// A Relay instance: records `METHOD URI key=X-Api-Key body`.
fn serve_relay() -> (tokio::runtime::Runtime, String, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(
        move |m: Method, u: Uri, h: HeaderMap, body: axum::body::Bytes| {
            let l = l.clone();
            async move {
                let key = h
                    .get("x-api-key")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-")
                    .to_string();
                l.lock().unwrap().push(format!(
                    "{m} {u} key={key} {}",
                    String::from_utf8_lossy(&body)
                ));
                let json = |s: StatusCode, b: String| {
                    (s, [("content-type", "application/json")], b).into_response()
                };
                match (m.as_str(), u.path(), u.query().unwrap_or("")) {
                    ("GET", "/api/notes", q) if q.contains("page=2") => json(
                        StatusCode::OK,
                        r#"{"value":[{"id":"n2","text":"b"}]}"#.into(),
                    ),
                    ("GET", "/api/notes", _) => json(
                        StatusCode::OK,
                        r#"{"value":[{"id":"n1","text":"a"}],"@odata.nextLink":"notes?page=2"}"#
                            .into(),
                    ),
                    ("POST", "/api/notes", _) => json(
                        StatusCode::CREATED,
                        String::from_utf8_lossy(&body).into_owned(),
                    ),
                    ("GET", "/api/v3/indicators/ip/1.2.3.4", _) => {
                        json(StatusCode::OK, r#"{"verdict":"clean"}"#.into())
                    }
                    _ => json(StatusCode::NOT_FOUND, "{}".into()),
                }
            }
        },
    );
    let (rt, addr) = common::serve(app);
    (rt, addr.to_string(), log)
}

#[test]
fn policy_templates_shape_the_requests_and_unknown_ones_are_reported_once() {
    let (_rt, host, log) = serve_relay();
    let dir = tempfile::tempdir().unwrap();
    // No base URL: the host comes from the `hostName` connection parameter through the
    // connector's dynamichosturl policy.
    let conn = dir.path().join("relay.json");
    std::fs::write(
        &conn,
        format!(r#"{{"api_key": "k-1", "hostName": "{host}"}}"#),
    )
    .unwrap();
    let conn = conn.to_str().unwrap();
    let relay = "fixtures/connectors/relay-lookup";
    let warning =
        "warning: policy template `stringreplace`: not implemented by this runtime; it is not applied to this call";

    let r = run(&["call", relay, "ListNotes", "--connection", conn]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches(warning).count(), 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{"id": "n1", "text": "a"}, {"id": "n2", "text": "b"}])
    );

    let r = run(&[
        "call",
        relay,
        "CreateNote",
        "--body",
        r#"{"text": "seen"}"#,
        "--connection",
        conn,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let r = run(&[
        "call",
        relay,
        "LookupIndicator",
        "--param",
        "kind=ip",
        "--param",
        "value=1.2.3.4",
        "--connection",
        conn,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap(),
        serde_json::json!({"verdict": "clean"})
    );
    assert_eq!(
        *log.lock().unwrap(),
        [
            // setqueryparameter on every request; the next link (relative) made absolute on
            // the instance, with the key.
            "GET /api/notes?api-version=2024-01-01 key=k-1 ",
            "GET /api/notes?page=2 key=k-1 ",
            // setproperty in the body.
            r#"POST /api/notes?api-version=2024-01-01 key=k-1 {"text":"seen","source":"connector"}"#,
            // routerequesttoendpoint: path from the query values.
            "GET /api/v3/indicators/ip/1.2.3.4?kind=ip&value=1.2.3.4&api-version=2024-01-01 key=k-1 ",
        ]
    );

    // Without the host parameter the policy cannot make the URL: exit 1, saying which.
    std::fs::write(dir.path().join("nohost.json"), r#"{"api_key": "k-1"}"#).unwrap();
    let nohost = dir.path().join("nohost.json");
    let r = run(&[
        "call",
        relay,
        "ListNotes",
        "--connection",
        nohost.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "policy template `dynamichosturl`: the connection has no parameter `hostName`"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn the_retry_policy_is_chosen_on_the_command_line() {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(move |u: Uri| {
        let l = l.clone();
        async move {
            l.lock().unwrap().push(u.to_string());
            (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response()
        }
    });
    let (_rt, addr) = common::serve(app);
    let dir = tempfile::tempdir().unwrap();
    let conn = dir.path().join("conn.json");
    std::fs::write(
        &conn,
        format!(r#"{{"base_url": "http://{addr}/v2", "access_token": "t", "region": "eu"}}"#),
    )
    .unwrap();
    let call = |retry: &str| {
        run(&[
            "call",
            "fixtures/connectors/contoso-tasks",
            "ListProjects",
            "--connection",
            conn.to_str().unwrap(),
            "--retry",
            retry,
        ])
    };
    let r = call(r#"{"type": "fixed", "count": 2, "interval": "PT0.01S"}"#);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("HTTP 503"), "{}", r.stderr);
    assert_eq!(
        log.lock().unwrap().len(),
        3,
        "the first attempt and 2 retries"
    );
    log.lock().unwrap().clear();
    let r = call("none");
    assert_eq!(r.code, 1);
    assert_eq!(log.lock().unwrap().len(), 1);
    let r = call(r#"{"type": "fixed", "count": 91, "interval": "PT1S"}"#);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("error: --retry:"), "{}", r.stderr);
}
