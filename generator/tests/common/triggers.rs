//! Trigger connectors the `watch` and `serve` tests and the `serve` benchmark run against
//! (shared by `tests/common` and `examples/serve_bench.rs`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A webhook trigger `OnEvent` subscribed with `POST {path}` and a `callbackUrl` body field.
pub fn hook_definition(path: &str) -> serde_json::Value {
    serde_json::json!({
        "swagger": "2.0",
        "info": {"title": "Hooks", "version": "1.0", "description": "Events by webhook."},
        "host": "hooks.example", "basePath": "/", "schemes": ["https"],
        "paths": {path: {"post": {
            "operationId": "OnEvent", "summary": "When an event happens",
            "description": "Subscribes a webhook.", "x-ms-trigger": "single",
            "parameters": [{"name": "body", "in": "body", "required": true, "schema": {
                "type": "object", "required": ["callbackUrl"],
                "properties": {"callbackUrl": {"type": "string", "x-ms-notification-url": true,
                    "x-ms-visibility": "internal"}}}}],
            "responses": {"201": {"description": "subscribed"}}
        }}}
    })
}

/// A batch polling trigger `OnNewItems` over `GET /feeds/{feed}/poll` (items `{id, feed}`).
pub fn feed_definition() -> serde_json::Value {
    serde_json::json!({
        "swagger": "2.0",
        "info": {"title": "Feeds", "version": "1.0", "description": "Feeds of items."},
        "host": "feeds.example", "basePath": "/", "schemes": ["https"],
        "paths": {"/feeds/{feed}/poll": {"get": {
            "operationId": "OnNewItems", "summary": "When items are added",
            "description": "Triggers for each new item.", "x-ms-trigger": "batch",
            "parameters": [{"name": "feed", "in": "path", "required": true, "type": "string"}],
            "responses": {
                "200": {"description": "new items", "schema": {"type": "object", "properties": {
                    "value": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "integer"}, "feed": {"type": "integer"}}}}}}},
                "202": {"description": "nothing new"}
            }
        }}}
    })
}

/// Writes `def` to `dir/file` and a connection file `dir/conn_file` pointing at `base`.
pub fn write_connector(
    dir: &Path,
    file: &str,
    def: &serde_json::Value,
    conn_file: &str,
    base: &str,
) -> (PathBuf, PathBuf) {
    let path = dir.join(file);
    std::fs::write(&path, def.to_string()).unwrap();
    let conn = dir.join(conn_file);
    std::fs::write(&conn, serde_json::json!({ "base_url": base }).to_string()).unwrap();
    (path, conn)
}

/// How many items each feed has produced, by feed number.
pub type Produced = std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<u32, u64>>>;

/// The feeds of [`feed_definition`]: `GET /feeds/{n}/poll?since=K` answers the items after K
/// (at most `page`) as `{"value": [{"id", "feed"}...]}` with a `Location` carrying the new K, or
/// 202 when there is nothing new. With `burst`, a page that leaves items behind says
/// `Retry-After: 0` (poll again at once) and the last one `Retry-After: 1`.
pub fn feed_app(produced: Produced, page: u64, burst: bool) -> axum::Router {
    use axum::http::{StatusCode, Uri};
    use axum::response::IntoResponse;
    axum::Router::new().fallback(move |u: Uri| {
        let produced = produced.clone();
        async move {
            let Some(feed) = u
                .path()
                .split('/')
                .nth(2)
                .and_then(|n| n.parse::<u32>().ok())
            else {
                return StatusCode::NOT_FOUND.into_response();
            };
            let since: u64 = u
                .query()
                .and_then(|q| q.strip_prefix("since="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let total = produced.lock().unwrap().get(&feed).copied().unwrap_or(0);
            let last = total.min(since + page);
            let location = format!("/feeds/{feed}/poll?since={last}");
            if last <= since {
                return (
                    StatusCode::ACCEPTED,
                    [("location", location)],
                    String::new(),
                )
                    .into_response();
            }
            let items: Vec<serde_json::Value> = (since + 1..=last)
                .map(|id| serde_json::json!({"id": id, "feed": feed}))
                .collect();
            let mut headers = vec![
                ("location", location),
                ("content-type", "application/json".to_string()),
            ];
            if burst {
                let after = if last < total { "0" } else { "1" };
                headers.push(("retry-after", after.to_string()));
            }
            let mut response = (
                StatusCode::OK,
                serde_json::json!({ "value": items }).to_string(),
            )
                .into_response();
            for (name, value) in headers {
                response
                    .headers_mut()
                    .insert(name, value.parse().expect("a header value"));
            }
            response
        }
    })
}

/// Rows of `sql` on the PostgreSQL database `url` (through `psql`), `|`-separated.
pub fn psql(url: &str, sql: &str) -> Vec<String> {
    let out = std::process::Command::new("psql")
        .args([url, "-qAtc", sql])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}
