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
