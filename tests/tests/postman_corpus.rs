//! Postman corpus: every collection of `../shared/corpus/postman` loads; its operations plus the
//! requests reported as merged or skipped equal the requests an independent reading counts;
//! `convert` output validates against the OpenAPI 3.0 and Swagger 2.0 JSON schemas and loads
//! back with the same operations.
//!
//! When the corpus is not beside the repository the test prints `SKIPPED` and passes.

mod common;

use common::corpus;
use connector_gen::convert::{convert, Target};
use connector_gen::diagnostics::{codes, Severity};
use connector_gen::load::LoadOptions;
use connector_gen::pipeline;
use serde_json::Value;
use std::path::Path;

/// Requests counted straight from the JSON: v2 `item` trees (an item with `request`), v1
/// `requests`.
fn count_requests(doc: &Value) -> usize {
    fn walk(items: &[Value]) -> usize {
        items
            .iter()
            .map(|i| {
                if i.get("request").is_some() {
                    1
                } else {
                    i.get("item")
                        .and_then(Value::as_array)
                        .map_or(0, |a| walk(a))
                }
            })
            .sum()
    }
    match doc.get("item").and_then(Value::as_array) {
        Some(items) => walk(items),
        None => doc
            .get("requests")
            .and_then(Value::as_array)
            .map_or(0, Vec::len),
    }
}

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(name),
    )
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).expect("schema compiles")
}

fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn every_postman_request_is_an_operation_or_a_diagnostic_and_converts_to_valid_documents() {
    let Some(dir) = corpus("postman") else { return };
    let oas3 = schema("openapi-3.0.json");
    let swagger = schema("swagger-2.0.json");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let scratch = tempfile::tempdir().unwrap();
    let (mut requests, mut operations, mut merged, mut skipped) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let independent: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let expected = count_requests(&independent);
        let mut loaded = pipeline::load_path(path, &LoadOptions::default()).unwrap();
        assert_eq!(loaded.len(), 1, "{name}: one collection per file");
        let l = loaded.remove(0);
        let Some(c) = l.connector.as_ref() else {
            failures.push(format!("{name}: not loaded: {:?}", l.diagnostics));
            continue;
        };
        let m = l
            .diagnostics
            .iter()
            .filter(|d| d.code == codes::POSTMAN_REQUEST_MERGED.code)
            .count();
        let s = l
            .diagnostics
            .iter()
            .filter(|d| d.code == codes::POSTMAN_REQUEST_SKIPPED.code)
            .count();
        if c.operations.len() + m + s != expected {
            failures.push(format!(
                "{name}: {} operations + {m} merged + {s} skipped != {expected} requests",
                c.operations.len()
            ));
        }
        if let Some(d) = l.diagnostics.iter().find(|d| d.severity == Severity::Error) {
            failures.push(format!("{name}: loading error {}: {}", d.code, d.message));
        }
        // No `{{variable}}` is left inside a URL: each became a server variable or a parameter.
        let urls = c
            .servers
            .iter()
            .chain(c.operations.iter().flat_map(|o| o.rare().servers.iter()))
            .map(|s| s.url.as_str())
            .chain(c.operations.iter().map(|o| o.path.as_str()));
        for u in urls.filter(|u| u.contains("{{") || u.contains("}}")) {
            failures.push(format!("{name}: `{u}` still holds a Postman variable"));
        }
        requests += expected;
        operations += c.operations.len();
        merged += m;
        skipped += s;
        for (target, validator, ext) in [
            (Target::OpenApi3, &oas3, "oas3.json"),
            (Target::Swagger2, &swagger, "swagger.json"),
        ] {
            let out = convert(c, target);
            let errors = schema_errors(validator, &out.document);
            if !errors.is_empty() {
                failures.push(format!("{name} → {target:?}: {errors:#?}"));
                continue;
            }
            // What was written loads back into the same operations.
            let written = scratch.path().join(format!("{name}.{ext}"));
            std::fs::write(&written, serde_json::to_string(&out.document).unwrap()).unwrap();
            let back = pipeline::load_path(&written, &LoadOptions::default())
                .unwrap()
                .remove(0);
            let mut back_ops: Vec<(String, String)> = back
                .connector
                .as_ref()
                .map(|b| {
                    b.operations
                        .iter()
                        .map(|o| (o.id.clone(), o.method.as_str().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let mut ops: Vec<(String, String)> = c
                .operations
                .iter()
                .map(|o| (o.id.clone(), o.method.as_str().to_string()))
                .collect();
            // Operations are grouped by path when written: compare them as sets.
            back_ops.sort();
            ops.sort();
            if back_ops != ops {
                failures.push(format!(
                    "{name} → {target:?}: read back {} operations, wrote {}",
                    back_ops.len(),
                    ops.len()
                ));
            }
            if let Some(d) = back
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
            {
                failures.push(format!(
                    "{name} → {target:?}: reading it back: {} {}",
                    d.code, d.message
                ));
            }
        }
    }
    println!(
        "postman corpus: {} collections, {requests} requests → {operations} operations + {merged} merged into an operation with the same method and path + {skipped} skipped with a diagnostic; OpenAPI 3.0 and Swagger 2.0 output valid and read back",
        files.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        files.len() >= 50 && requests > 2000,
        "the whole corpus was read"
    );
}

#[test]
fn the_schema_check_can_fail() {
    // An operation without `responses` is not OpenAPI 3.0; an unknown top-level key is not
    // Swagger 2.0.
    let bad3 = serde_json::json!({"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/a": {"get": {}}}});
    assert!(!schema("openapi-3.0.json").is_valid(&bad3));
    let bad2 = serde_json::json!({"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}, "servers": []});
    assert!(!schema("swagger-2.0.json").is_valid(&bad2));
}
