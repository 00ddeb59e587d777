//! Redirects, with real servers on 127.0.0.1 and 127.0.0.2: for every kind of credential and
//! every redirect status, a redirect to another origin (another host, or another port of the
//! same host) carries none of what the connection adds, and no `Referer`; the same origin keeps
//! it. Bodies follow only on the same origin; loops stop at the redirect limit.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use connector_sdk::oauth::{OAuthConfig, TokenSource, Tokens};
use connector_sdk::{Call, Client, Connection, Error, OperationSpec, Policies, RetryPolicy};
use serde_json::json;
use std::sync::{Arc, Mutex};

/// What a landing server received: its name, the method, the request target, headers, body.
#[derive(Debug, Clone)]
struct Seen {
    server: &'static str,
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    /// Everything the request carried, as text.
    fn all(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        format!(
            "{} {}\n{}\n\n{}",
            self.method,
            self.target,
            headers.join("\n"),
            self.body
        )
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A server on `ip` that answers `/redirect?status=S&to=URL` with that redirect, `/loop` with a
/// redirect to itself, and records every other request.
async fn server(ip: &str, name: &'static str, log: Log) -> String {
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            async move {
                let query: Vec<(String, String)> = uri
                    .query()
                    .map(|q| {
                        url::form_urlencoded::parse(q.as_bytes())
                            .into_owned()
                            .collect()
                    })
                    .unwrap_or_default();
                let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                if uri.path() == "/redirect" {
                    let status: u16 = get("status").and_then(|s| s.parse().ok()).unwrap();
                    let to = get("to").unwrap();
                    return (
                        StatusCode::from_u16(status).unwrap(),
                        [("location", to)],
                        "",
                    )
                        .into_response();
                }
                if uri.path() == "/loop" {
                    log.lock().unwrap().push(Seen {
                        server: name,
                        method: method.to_string(),
                        target: uri.to_string(),
                        headers: Vec::new(),
                        body: String::new(),
                    });
                    return (StatusCode::FOUND, [("location", "/loop")], "").into_response();
                }
                log.lock().unwrap().push(Seen {
                    server: name,
                    method: method.to_string(),
                    target: uri.to_string(),
                    headers: headers
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("?").to_string()))
                        .collect(),
                    body: String::from_utf8_lossy(&body).into_owned(),
                });
                axum::Json(json!({"landed": name})).into_response()
            }
        },
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// The secrets a connection of each kind adds, and the connection.
fn connections(base: &str) -> Vec<(&'static str, Connection, Vec<&'static str>)> {
    let oauth = TokenSource::new(
        OAuthConfig::default(),
        Tokens {
            access_token: "TOKEN-oauth".into(),
            refresh_token: Some("REFRESH-oauth".into()),
            expires_at: None,
        },
        None,
    )
    .unwrap();
    vec![
        (
            "api key in a header",
            (Connection::new(base).with_api_key_header("X-Api-Key", "KEY-header")),
            vec!["KEY-header"],
        ),
        (
            "api key in the query",
            (Connection::new(base).with_api_key_query("code", "KEY-query")),
            vec!["KEY-query"],
        ),
        (
            "basic",
            (Connection::new(base).with_basic("user", "PASS-basic")),
            // base64("user:PASS-basic")
            vec!["dXNlcjpQQVNTLWJhc2lj"],
        ),
        (
            "bearer",
            (Connection::new(base).with_bearer("TOKEN-bearer")),
            vec!["TOKEN-bearer"],
        ),
        (
            "oauth",
            (Connection::new(base).with_oauth2(Arc::new(oauth))),
            vec!["TOKEN-oauth"],
        ),
    ]
}

/// A client of `conn` whose policy copies a connection parameter into a header, as policy
/// templates do.
fn client(conn: Connection) -> Client {
    let policies = Policies::from_value(&json!([{
        "templateId": "setheader",
        "parameters": {
            "x-ms-apimTemplateParameter.name": "X-Policy",
            "x-ms-apimTemplateParameter.value": "@connectionParameters('secretParam')",
            "x-ms-apimTemplateParameter.existsAction": "override"
        }
    }]));
    Client::new(
        conn.with_parameter("secretParam", "PARAM-secret"),
        "redirects",
    )
    .unwrap()
    .with_policies(policies)
    .with_retry(RetryPolicy::None)
}

fn call(method: &'static str, status: u16, to: &str) -> Call {
    let mut c = Call::new(OperationSpec {
        id: "Jump",
        method,
        path: "/redirect",
    });
    c.query("status", &status, connector_sdk::ArrayFormat::Csv)
        .query("to", to, connector_sdk::ArrayFormat::Csv)
        // What a call itself adds: a cookie and another header parameter.
        .header("Cookie", "session=COOKIE-call")
        .header("X-Trace", "TRACE-call");
    c
}

/// Every secret the connection, its policy and the call add.
fn secrets(own: &[&'static str]) -> Vec<&'static str> {
    let mut all = own.to_vec();
    all.extend(["PARAM-secret", "COOKIE-call", "TRACE-call"]);
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_origin_carries_no_credential_for_any_kind_or_status() {
    let log: Log = Arc::default();
    let origin = server("127.0.0.1", "origin", log.clone()).await;
    let other_host = server("127.0.0.2", "other host", log.clone()).await;
    let other_port = server("127.0.0.1", "other port", log.clone()).await;
    let mut checked = 0;
    for (kind, conn, own) in connections(&origin) {
        let client = client(conn);
        for status in [301, 302, 303, 307, 308] {
            for (target, base) in [("other host", &other_host), ("other port", &other_port)] {
                log.lock().unwrap().clear();
                let to = format!("{base}/landing?from={status}");
                let r = client
                    .send(call("GET", status, &to))
                    .await
                    .unwrap_or_else(|e| panic!("{kind} {status} {target}: {e}"));
                assert_eq!(r.status, 200);
                let seen = log.lock().unwrap().clone();
                assert_eq!(seen.len(), 1, "{kind} {status} {target}: {seen:?}");
                let landed = &seen[0];
                assert_eq!(landed.server, target);
                let text = landed.all();
                for secret in secrets(&own) {
                    assert!(
                        !text.contains(secret),
                        "{kind} {status} → {target}: `{secret}` reached it:\n{text}"
                    );
                }
                assert!(landed.header("authorization").is_none(), "{text}");
                assert!(landed.header("referer").is_none(), "{text}");
                assert!(landed.header("cookie").is_none(), "{text}");
                // The response says who answered.
                assert_eq!(
                    r.host,
                    base.trim_start_matches("http://")
                        .split(':')
                        .next()
                        .unwrap()
                );
                checked += 1;
            }
        }
        // On its own origin the credential, the policy header and the call's headers stay.
        for status in [301, 302, 303, 307, 308] {
            log.lock().unwrap().clear();
            let to = format!("{origin}/landing");
            client.send(call("GET", status, &to)).await.unwrap();
            let seen = log.lock().unwrap().clone();
            let text = seen[0].all();
            for secret in secrets(&own) {
                assert!(
                    text.contains(secret),
                    "{kind} {status} same origin: `{secret}` missing:\n{text}"
                );
            }
            assert!(seen[0].header("referer").is_none(), "{text}");
        }
    }
    assert_eq!(checked, 5 * 5 * 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_a_redirect_leaves_the_origin_coming_back_carries_nothing_either() {
    let log: Log = Arc::default();
    let origin = server("127.0.0.1", "origin", log.clone()).await;
    let other = server("127.0.0.2", "other host", log.clone()).await;
    let client = client(Connection::new(&origin).with_bearer("TOKEN-bearer"));
    // origin → other host → back to the origin's landing page.
    let back = format!("{origin}/landing");
    let bounce = format!(
        "{other}/redirect?status=302&to={}",
        connector_sdk::call::encode_component(&back)
    );
    client.send(call("GET", 302, &bounce)).await.unwrap();
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].server, "origin");
    assert!(!seen[0].all().contains("TOKEN-bearer"), "{}", seen[0].all());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_follow_only_on_their_origin_and_303_becomes_a_get() {
    let log: Log = Arc::default();
    let origin = server("127.0.0.1", "origin", log.clone()).await;
    let other = server("127.0.0.2", "other host", log.clone()).await;
    let client = client(Connection::new(&origin).with_api_key_header("X-Api-Key", "KEY-header"));
    let post = |status, to: &str| {
        let mut c = call("POST", status, to);
        c.json(&json!({"data": "BODY-secret"}));
        c
    };
    // 307/308 on the origin: the same POST with its body and credential.
    for status in [307, 308] {
        log.lock().unwrap().clear();
        client
            .send(post(status, &format!("{origin}/landing")))
            .await
            .unwrap();
        let seen = log.lock().unwrap()[0].clone();
        assert_eq!(seen.method, "POST");
        assert!(seen.body.contains("BODY-secret") && seen.all().contains("KEY-header"));
    }
    // 307/308 to another origin would send the body there: refused, nothing arrives.
    for status in [307, 308] {
        log.lock().unwrap().clear();
        let e = client
            .send(post(status, &format!("{other}/landing")))
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Redirect { .. }), "{e}");
        let text = e.to_string();
        assert!(text.contains("another origin"), "{text}");
        // The message names the host that redirected, not only the first one asked.
        assert!(
            text.contains(origin.trim_start_matches("http://")),
            "{text}"
        );
        assert!(log.lock().unwrap().is_empty());
    }
    // 303 (and 301/302 after a POST) to another origin: a GET without the body.
    for status in [301, 302, 303] {
        log.lock().unwrap().clear();
        client
            .send(post(status, &format!("{other}/landing")))
            .await
            .unwrap();
        let seen = log.lock().unwrap()[0].clone();
        assert_eq!((seen.method.as_str(), seen.body.as_str()), ("GET", ""));
        assert!(!seen.all().contains("KEY-header") && !seen.all().contains("BODY-secret"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_loops_stop_at_the_limit_and_links_follow_the_same_rules() {
    let log: Log = Arc::default();
    let origin = server("127.0.0.1", "origin", log.clone()).await;
    let other = server("127.0.0.2", "other host", log.clone()).await;
    let client = client(Connection::new(&origin).with_bearer("TOKEN-bearer"));
    let mut looping = Call::new(OperationSpec {
        id: "Loop",
        method: "GET",
        path: "/loop",
    });
    looping.query("x", "1", connector_sdk::ArrayFormat::Csv);
    let e = client.send(looping).await.unwrap_err();
    assert!(matches!(e, Error::Limit { .. }), "{e}");
    assert!(e.to_string().contains("after 10 redirects"), "{e}");
    // The first request and ten redirects.
    assert_eq!(log.lock().unwrap().len(), 11);
    // A limit of 0: the redirect is the answer.
    let r = client
        .clone()
        .with_max_redirects(0)
        .send_raw(call("GET", 302, &format!("{other}/landing")))
        .await
        .unwrap();
    assert_eq!(r.status, 302);
    // A next link or status URL the service gives is followed by the same rules.
    log.lock().unwrap().clear();
    let jump = format!(
        "{origin}/redirect?status=302&to={}",
        connector_sdk::call::encode_component(&format!("{other}/landing"))
    );
    client.follow("Jump", &jump).await.unwrap();
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen[0].server, "other host");
    assert!(!seen[0].all().contains("TOKEN-bearer"));
}
