//! Policy templates applied to real requests and responses, against a server on 127.0.0.1 that
//! records what it receives.

mod common;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use connector_sdk::{Call, Client, Connection, OperationSpec, Paging, Policies, StreamExt};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

type Log = Arc<Mutex<Vec<String>>>;

/// Records `METHOD URI [x-* headers] body`; answers `/api/pages/1` and `/api/pages/2` with a page
/// whose next page is in `next` (relative), `/api/odata` with a relative `@odata.nextLink`, and
/// anything else with `{}`.
async fn server() -> (String, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(move |m: Method, u: Uri, h: HeaderMap, body: Bytes| {
        let l = l.clone();
        async move {
            let mut headers: Vec<String> = h
                .iter()
                .filter(|(k, _)| k.as_str().starts_with("x-"))
                .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or("?")))
                .collect();
            headers.sort();
            l.lock().unwrap().push(format!(
                "{m} {u} [{}] {}",
                headers.join(", "),
                String::from_utf8_lossy(&body)
            ));
            let page = |items: Value, next: Option<&str>| {
                (
                    StatusCode::OK,
                    json!({"items": items, "next": next}).to_string(),
                )
                    .into_response()
            };
            match u.path() {
                "/api/pages/1" => page(json!([1, 2]), Some("/api/pages/2")),
                "/api/pages/2" => page(json!([3]), None),
                "/api/odata" => (
                    StatusCode::OK,
                    json!({"value": [], "@odata.nextLink": "odata?page=2"}).to_string(),
                )
                    .into_response(),
                _ => (StatusCode::OK, "{}").into_response(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("127.0.0.1:{}", addr.port()), log)
}

fn op(id: &'static str, method: &'static str, path: &'static str) -> Call {
    Call::new(OperationSpec { id, method, path })
}

const PARAM: &str = "x-ms-apimTemplateParameter.";

fn policy(template: &str, params: &[(&str, Value)], ops: &[&str]) -> Value {
    let mut p = serde_json::Map::new();
    for (k, v) in params {
        let key = if k.starts_with("x-ms-") {
            k.to_string()
        } else {
            format!("{PARAM}{k}")
        };
        p.insert(key, v.clone());
    }
    if !ops.is_empty() {
        p.insert("x-ms-apimTemplate-operationName".into(), json!(ops));
    }
    json!({"templateId": template, "parameters": p})
}

/// A client whose host only a `dynamichosturl` policy knows: the connection's own base URL is
/// unreachable.
fn client(host: &str, mut policies: Vec<Value>) -> Client {
    policies.insert(
        0,
        policy(
            "dynamichosturl",
            &[(
                "urlTemplate",
                json!("http://@connectionParameters('host')/api"),
            )],
            &[],
        ),
    );
    let conn = Connection::new("http://unreachable.invalid")
        .with_parameter("host", host)
        .with_parameter("apiKey", "k-123");
    Client::new(conn, "test")
        .unwrap()
        .with_policies(Policies::from_value(&Value::Array(policies)))
}

fn last(log: &Log) -> String {
    log.lock().unwrap().last().cloned().unwrap_or_default()
}

#[tokio::test]
async fn host_headers_and_query_come_from_the_policies() {
    let (host, log) = server().await;
    let c = client(
        &host,
        vec![
            policy(
                "setheader",
                &[
                    ("name", json!("X-Key")),
                    ("value", json!("@connectionParameters('apiKey')")),
                    ("existsAction", json!("override")),
                ],
                &[],
            ),
            policy(
                "setheader",
                &[
                    ("name", json!("X-Kept")),
                    ("value", json!("policy")),
                    ("existsAction", json!("skip")),
                ],
                &[],
            ),
            policy(
                "setheader",
                &[("name", json!("X-Only-List")), ("value", json!("1"))],
                &["List"],
            ),
            policy(
                "setqueryparameter",
                &[
                    ("name", json!("top")),
                    ("value", json!("50")),
                    ("existsAction", json!("override")),
                ],
                &[],
            ),
            policy(
                "setqueryparameter",
                &[
                    ("name", json!("skip_pagination")),
                    ("value", json!("True")),
                    ("existsAction", json!("skip")),
                ],
                &[],
            ),
        ],
    );
    let mut call = op("Get", "GET", "/items");
    call.header("X-Key", "from-caller")
        .header("X-Kept", "caller")
        .query("top", &5, connector_sdk::ArrayFormat::Csv)
        .query("skip_pagination", "False", connector_sdk::ArrayFormat::Csv);
    c.send(call).await.unwrap();
    assert_eq!(
        last(&log),
        "GET /api/items?skip_pagination=False&top=50 [x-kept: caller, x-key: k-123] "
    );
    c.send(op("List", "GET", "/items")).await.unwrap();
    assert_eq!(
        last(&log),
        "GET /api/items?top=50&skip_pagination=True [x-kept: policy, x-key: k-123, x-only-list: 1] "
    );
}

#[tokio::test]
async fn a_route_replaces_path_and_method_and_properties_are_set_in_the_body() {
    let (host, log) = server().await;
    let c = client(
        &host,
        vec![
            policy(
                "routerequesttoendpoint",
                &[
                    (
                        "newPath",
                        json!("/v3/@connectionParameters('apiKey')/{id}/search?@queryParameters('kind')={id}"),
                    ),
                    ("httpMethod", json!("POST")),
                ],
                &["Find"],
            ),
            policy(
                "setproperty",
                &[
                    ("newPropertyParentPathTemplate", json!("@body()")),
                    ("newPropertySubPathTemplate", json!("version")),
                    ("propertyValuePathTemplate", json!("v1")),
                ],
                &["Find"],
            ),
            policy(
                "setproperty",
                &[
                    ("newPropertyParentPathTemplate", json!("@body()")),
                    ("newPropertySubPathTemplate", json!("['@odata.type']")),
                    ("propertyValuePathTemplate", json!("[{@body().item}]")),
                ],
                &["Find"],
            ),
        ],
    );
    let mut call = op("Find", "GET", "/things/{id}");
    call.path("id", "a/b", connector_sdk::PathEncoding::Double)
        .query("kind", "ip", connector_sdk::ArrayFormat::Csv)
        .json(&json!({"item": {"n": 1}}));
    c.send(call).await.unwrap();
    assert_eq!(
        last(&log),
        r#"POST /api/v3/k-123/a%252Fb/search?kind=ip&ip=a%2Fb [] {"item":{"n":1},"version":"v1","@odata.type":[{"n":1}]}"#
    );
}

#[tokio::test]
async fn response_policies_make_a_next_link_that_pages_follow() {
    let (host, log) = server().await;
    let c = client(
        &host,
        vec![
            policy(
                "setproperty",
                &[
                    ("newPropertyParentPathTemplate", json!("@body()")),
                    ("newPropertySubPathTemplate", json!("nextLink")),
                    ("propertyValuePathTemplate", json!("{@body().next}")),
                    ("x-ms-apimTemplate-policySection", json!("Response")),
                ],
                &["Pages"],
            ),
            policy(
                "updatenextlink",
                &[("nextLinkPropertyName", json!("@odata.nextLink"))],
                &["OData"],
            ),
        ],
    );
    // The service's own `next` becomes `nextLink`, which paging follows, through the policy's
    // host, with the credential's origin.
    let items: Vec<Result<u32, _>> = c
        .items(
            op("Pages", "GET", "/pages/1"),
            Paging {
                item_name: "items",
                next_link_name: "nextLink",
            },
        )
        .collect()
        .await;
    let items: Vec<u32> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(items, [1, 2, 3], "{:?}", log.lock().unwrap());
    assert_eq!(log.lock().unwrap().len(), 2);
    // A relative next link becomes absolute on the connector's (policy-given) base URL.
    let r = c.send(op("OData", "GET", "/odata")).await.unwrap();
    let body: Value = r.json().unwrap();
    assert_eq!(
        body["@odata.nextLink"],
        json!(format!("http://{host}/api/odata?page=2"))
    );
}

#[tokio::test]
async fn a_missing_connection_parameter_is_a_policy_error_and_nothing_is_sent() {
    let (host, log) = server().await;
    let c = client(
        &host,
        vec![policy(
            "setheader",
            &[
                ("name", json!("X-Tenant")),
                ("value", json!("@connectionParameters('token:tenantId')")),
            ],
            &[],
        )],
    );
    let e = c.send(op("Get", "GET", "/items")).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "Get: policy template `setheader`: the connection has no parameter `token:tenantId`; add it to the connection"
    );
    assert!(log.lock().unwrap().is_empty());
    // A host template that does not make a URL says so.
    let bad = Client::new(
        Connection::new("http://x.invalid").with_parameter("host", "h"),
        "test",
    )
    .unwrap()
    .with_policies(Policies::from_value(&json!([policy(
        "dynamichosturl",
        &[("urlTemplate", json!("@connectionParameters('host')/api"))],
        &[]
    )])));
    let e = bad.send(op("Get", "GET", "/items")).await.unwrap_err();
    assert!(
        e.to_string().contains("does not start with https://"),
        "{e}"
    );
}

#[tokio::test]
async fn templates_not_applied_are_reported_once_by_name() {
    let (host, _) = server().await;
    let (out, _guard) = common::capture_logs(tracing::Level::INFO);
    let c = client(
        &host,
        vec![policy(
            "stringreplace",
            &[("sourceString", json!("%"))],
            &[],
        )],
    );
    c.send(op("Get", "GET", "/a")).await.unwrap();
    c.send(op("Get", "GET", "/b")).await.unwrap();
    let text = out.text();
    assert_eq!(
        text.matches("policy template not applied").count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("`stringreplace`: not implemented by this runtime"),
        "{text}"
    );
    assert_eq!(
        c.policies().not_applied(),
        ["`stringreplace`: not implemented by this runtime"]
    );
}
