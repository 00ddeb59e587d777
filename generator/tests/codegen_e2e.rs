//! End to end: the crate generated from a fixture is built and its client calls a real HTTP
//! server on 127.0.0.1, which records exactly what it receives.

mod common;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use connector_gen::codegen::lib_rs::crate_source;
use connector_gen::load::LoadOptions;
use connector_gen::pipeline;
use std::sync::{Arc, Mutex};

type Log = Arc<Mutex<Vec<String>>>;

async fn handle(
    log: Log,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_string()
    };
    let extra = header("x-request-id");
    let policy_headers = format!("{}/{}", header("x-client"), header("x-page-size"));
    let agent = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    log.lock().unwrap().push(format!(
        "{method} {uri} auth={auth} x-request-id={extra} policy={policy_headers} agent-ok={} body={}",
        agent.starts_with("contoso-tasks connector-sdk/"),
        String::from_utf8_lossy(&body)
    ));
    let polls = log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("GET /v2/jobs/1"))
        .count();
    let port = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.rsplit(':').next())
        .unwrap_or("")
        .to_string();
    let query = uri.query().unwrap_or("");
    // A multipart upload: which parts arrived (the boundary differs on every run).
    if uri.path() == "/v2/attachments" {
        let text = String::from_utf8_lossy(&body);
        let mut last = log.lock().unwrap().pop().unwrap_or_default();
        last = last.split(" body=").next().unwrap_or("").to_string();
        log.lock().unwrap().push(format!(
            "{last} multipart={} file-part={} name-part={}",
            header("content-type").starts_with("multipart/form-data; boundary="),
            text.contains("name=\"file\"; filename=\"file\"") && text.contains("hello"),
            text.contains("name=\"name\"") && text.contains("notes.txt"),
        ));
        return (
            StatusCode::OK,
            [("content-type", "application/json")],
            r#"{"id":"a1"}"#.to_string(),
        )
            .into_response();
    }
    let json = |s: StatusCode, v: &str| (s, [("content-type", "application/json")], v.to_string());
    let accepted = |location: String, retry: &str| {
        (
            StatusCode::ACCEPTED,
            [("location", location), ("retry-after", retry.to_string())],
            String::new(),
        )
    };
    match (method.as_str(), uri.path()) {
        // Pages: the first links to the second on another origin (localhost, not 127.0.0.1).
        ("GET", "/v2/projects") if query.contains("%24top=2") => json(
            StatusCode::OK,
            &format!(
                r#"{{"value":[{{"id":"p1","name":"One"}},{{"id":"p2","name":"Two"}}],"@odata.nextLink":"http://localhost:{port}/v2/projects?page=2"}}"#
            ),
        )
        .into_response(),
        ("GET", "/v2/projects") if query == "page=2" => json(
            StatusCode::OK,
            r#"{"value":[{"id":"p3","name":"Three"}]}"#,
        )
        .into_response(),
        ("POST", "/v2/exports") => accepted("/v2/jobs/1".into(), "0").into_response(),
        ("GET", "/v2/jobs/1") if polls <= 2 => {
            accepted("/v2/jobs/1".into(), "0").into_response()
        }
        ("GET", "/v2/jobs/1") => json(StatusCode::OK, r#"{"rows":42}"#).into_response(),
        ("GET", "/v2/trigger/tasks/new") if !query.contains("since") => {
            accepted("/v2/trigger/tasks/new?projectId=p1&since=5".into(), "7").into_response()
        }
        ("GET", "/v2/trigger/tasks/new") => {
            json(StatusCode::OK, r#"{"id":"t5","title":"Fresh"}"#).into_response()
        }
        ("GET", "/v2/trigger/tasks/batch") => json(
            StatusCode::OK,
            r#"{"value":[{"id":"t6","title":"Six"},{"id":"t7","title":"Seven"}]}"#,
        )
        .into_response(),
        ("GET", "/v2/projects") => json(
            StatusCode::OK,
            r#"{"value":[{"id":"p1","name":"First project"}],"@odata.nextLink":null}"#,
        )
        .into_response(),
        ("GET", p) if p.starts_with("/v2/projects/") && p.contains("/tasks/") => json(
            StatusCode::OK,
            r#"{"id":"t2","title":"Write tests","status":"in-review","due":"not a date"}"#,
        )
        .into_response(),
        // A file: bytes that are not JSON (nor UTF-8).
        ("GET", "/v2/attachments/a1") => (
            StatusCode::OK,
            [("content-type", "application/octet-stream")],
            vec![0x89u8, b'P', b'N', b'G', 0, 0xff],
        )
            .into_response(),
        ("GET", "/v2/projects/p1/report") => (
            StatusCode::OK,
            [("content-type", "text/plain")],
            "id,title\nt1,Plan\n".to_string(),
        )
            .into_response(),
        ("POST", "/oauth/token") => json(
            StatusCode::OK,
            r#"{"access_token":"fresh","token_type":"bearer","expires_in":3600,"refresh_token":"r2"}"#,
        )
        .into_response(),
        ("POST", "/v2/projects/p1/tasks") => {
            json(StatusCode::CREATED, r#"{"id":"t9","title":"New task"}"#).into_response()
        }
        _ => json(StatusCode::NOT_FOUND, r#"{"message":"no such task"}"#).into_response(),
    }
}

const PROGRAM: &str = r#"
use connector_sdk::{Connection, StreamExt};
use contoso_e2e::{auth, models, options, triggers, Client};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = std::env::args().nth(1).expect("base URL");
    // Futures of generated methods are `Send` (they can be spawned on a multi-thread runtime)
    // and borrow only the client; nothing is sent until they are awaited.
    fn assert_send<T: Send>(_: &T) {}
    let idle = Client::new(Connection::new("http://127.0.0.1:9")).expect("client");
    let pending = {
        let temporary = String::from("p1");
        idle.get_task(&temporary, "t1")
    };
    assert_send(&pending);
    drop(pending);
    let config = auth::oauth2_config();
    println!("auth: {} {:?}", config.identity_provider, config.scopes);
    // The connector's policies set headers and the host (from the `region` connection
    // parameter); `with_base_url` points every request at the test server instead.
    let connection = auth::oauth2("t0ken").with_parameter("region", "eu");
    let sdk = connector_sdk::Client::new(connection, "contoso-tasks").expect("sdk client").with_base_url(base.clone());
    let client = Client::from_sdk(sdk).expect("client");
    let projects = client
        .list_projects(options::ListProjectsOptions { top: Some(5), labels: Some(vec!["a".into(), "b c".into()]) })
        .await
        .expect("list projects");
    println!("projects: {}", projects.value.unwrap_or_default()[0].name.clone().unwrap_or_default());
    let task = client.get_task("p/1", "t 2").await.expect("get task");
    println!("task: {} {:?} {}", task.title, task.status, task.due.map(|d| d.to_string()).unwrap_or_default());
    let new = models::Task { title: "New task".into(), id: None, status: None, due: None, subtasks: None, fields: None, owner: None };
    let created = client.create_task("p1", &new).await.expect("create task");
    println!("created: {}", created.id.unwrap_or_default());
    match client.delete_task("p1", "nope").await {
        Err(e) => println!("error: {} (status {:?})", e.to_string().lines().next().unwrap_or(""), e.status()),
        Ok(()) => println!("unexpected success"),
    }
    let names: Vec<String> = client
        .list_projects_items(options::ListProjectsOptions { top: Some(2), ..Default::default() })
        .map(|p| p.expect("page item").name.unwrap_or_default())
        .collect()
        .await;
    println!("all projects: {names:?}");
    let export = client.export_project("p1").await.expect("export");
    println!("export: {export}");
    let uploaded = client
        .upload_attachment(b"hello", options::UploadAttachmentOptions { name: Some("notes.txt".into()) })
        .await
        .expect("upload");
    println!("uploaded: {}", uploaded.id.unwrap_or_default());
    // A `type: file` response is its bytes; a string response of text/plain is its text.
    let file: Vec<u8> = client.download_attachment("a1").await.expect("download");
    println!("file: {file:?}");
    let report: String = client.get_project_report("p1").await.expect("report");
    println!("report: {report:?}");
    let new_tasks = triggers::OnNewTaskTrigger { project_id: "p1".into() };
    let first = client.sdk().poll(&new_tasks, None).await.expect("first poll");
    println!("poll 1: {} events, next {:?} after {:?}", first.events.len(), first.location, first.retry_after);
    let second = client.sdk().poll(&new_tasks, first.location.as_deref()).await.expect("second poll");
    println!("poll 2: {:?}", second.events.iter().map(|t| t.title.clone()).collect::<Vec<_>>());
    let batch = client.sdk().poll(&triggers::OnTasksChangedTrigger {}, None).await.expect("batch poll");
    println!("batch: {:?}", batch.events.iter().map(|t| t.title.clone()).collect::<Vec<_>>());
    // The same generated trigger run by the SDK's trigger runtime, events typed, state in SQLite.
    let dir = std::env::temp_dir().join(format!("contoso-e2e-{}", std::process::id()));
    let store = connector_sdk::runtime::SqliteStore::open(&dir.join("state.db")).expect("state");
    let poller = connector_sdk::runtime::Poller::new(
        client.sdk(),
        triggers::OnTasksChangedTrigger {},
        "contoso/OnTasksChanged",
        &store,
        connector_sdk::runtime::Every::Interval(std::time::Duration::from_secs(60)),
    );
    let titles = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let t = titles.clone();
    let mut handler = move |task: models::Task| {
        t.lock().unwrap().push(task.title);
        async { Ok(()) }
    };
    let (n, _) = poller.poll_once(&mut handler).await.expect("runtime poll");
    println!("runtime: {n} typed events {:?}", titles.lock().unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    // OAuth 2.0 with tokens that refresh themselves: the sign-in settings of the identity
    // provider (aad: v2.0 endpoints, the resource's default scope), then an expired token
    // refreshed at the token endpoint (here the test server) before the call.
    let mut config = auth::oauth2_config()
        .sign_in(Some("app".into()), Some("s3cret".into()), "http://127.0.0.1:8/redirect")
        .expect("sign-in settings");
    println!("sign-in: {} {} {:?}", config.authorization_url, config.token_url, config.scopes);
    config.token_url = format!("{}/oauth/token", base.trim_end_matches("/v2"));
    let expired = connector_sdk::Tokens { access_token: "old".into(), refresh_token: Some("r1".into()), expires_at: Some(0) };
    let connection = auth::oauth2_tokens(config, expired).expect("token connection").with_parameter("region", "eu");
    let sdk = connector_sdk::Client::new(connection, "contoso-tasks").expect("sdk client").with_base_url(base);
    let client = Client::from_sdk(sdk).expect("client");
    let task = client.get_task("p1", "t2").await.expect("a call with a refreshed token");
    println!("refreshed: {}", task.title);
}
"#;

#[test]
fn a_generated_client_calls_a_real_server() {
    let log: Log = Arc::default();
    let app_log = log.clone();
    let app = axum::Router::new().fallback(move |m: Method, u: Uri, h: HeaderMap, b: Bytes| {
        handle(app_log.clone(), m, u, h, b)
    });
    let (_rt, addr) = common::serve(app);

    let l = pipeline::load_path(
        &common::root().join("fixtures/connectors/contoso-tasks"),
        &LoadOptions::default(),
    )
    .unwrap()
    .remove(0);
    let lib = crate_source(&l.connector.unwrap(), "crate").unwrap();
    let files = [("src/lib.rs", lib), ("src/main.rs", PROGRAM.to_string())];
    let out = common::run_crate_with_runtime(
        "contoso_e2e",
        &files,
        "tokio = { version = \"1\", features = [\"rt\", \"macros\"] }",
        &[&format!("http://{addr}/v2")],
    )
    .unwrap_or_else(|e| panic!("the generated crate did not build or run:\n{e}"));
    assert_eq!(
        out,
        "auth: aad [\"Tasks.ReadWrite\"]\n\
         projects: First project\n\
         task: Write tests Some(Other(\"in-review\")) not a date\n\
         created: t9\n\
         error: DeleteTask failed: HTTP 404 from 127.0.0.1 (status Some(404))\n\
         all projects: [\"One\", \"Two\", \"Three\"]\n\
         export: {\"rows\":42}\n\
         uploaded: a1\n\
         file: [137, 80, 78, 71, 0, 255]\n\
         report: \"id,title\\nt1,Plan\\n\"\n\
         poll 1: 0 events, next Some(\"/v2/trigger/tasks/new?projectId=p1&since=5\") after Some(7s)\n\
         poll 2: [\"Fresh\"]\n\
         batch: [\"Six\", \"Seven\"]\n\
         runtime: 2 typed events [\"Six\", \"Seven\"]\n\
         sign-in: https://login.microsoftonline.com/common/oauth2/v2.0/authorize https://login.microsoftonline.com/common/oauth2/v2.0/token [\"https://api.contoso.example/.default\", \"offline_access\"]\n\
         refreshed: Write tests\n"
    );
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        [
            "GET /v2/projects?%24top=5&labels=a&labels=b%20c auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            // projectId is single-encoded, taskId double-encoded, as x-ms-url-encoding says.
            "GET /v2/projects/p%2F1/tasks/t%25202 auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            // The internal header with a default is sent without being asked for.
            "POST /v2/projects/p1/tasks auth=Bearer t0ken x-request-id=generated policy=connector/eu agent-ok=true body={\"title\":\"New task\"}",
            "DELETE /v2/projects/p1/tasks/nope auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            "GET /v2/projects?%24top=2 auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            // The next link points at another origin: it gets no credential.
            "GET /v2/projects?page=2 auth=- x-request-id=- policy=-/- agent-ok=true body=",
            // Long-running: 202 + Location, polled until the result.
            "POST /v2/exports?projectId=p1 auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            "GET /v2/jobs/1 auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            "GET /v2/jobs/1 auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            "GET /v2/jobs/1 auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            "POST /v2/attachments auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true multipart=true file-part=true name-part=true",
            "GET /v2/attachments/a1 auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            "GET /v2/projects/p1/report auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            // A polling trigger: the second poll requests the Location of the first.
            "GET /v2/trigger/tasks/new?projectId=p1 auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            "GET /v2/trigger/tasks/new?projectId=p1&since=5 auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            "GET /v2/trigger/tasks/batch auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            // The same trigger through the runtime's poller.
            "GET /v2/trigger/tasks/batch auth=Bearer t0ken x-request-id=- policy=connector/eu agent-ok=true body=",
            // The expired token is refreshed with the client's id and secret, then sent.
            "POST /oauth/token auth=Basic YXBwOnMzY3JldA== x-request-id=- policy=-/- agent-ok=false body=grant_type=refresh_token&refresh_token=r1",
            "GET /v2/projects/p1/tasks/t2 auth=Bearer fresh x-request-id=- policy=connector/eu agent-ok=true body=",
        ]
    );
}
