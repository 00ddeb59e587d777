//! Corpus tests: every real definition in `../shared/corpus` loads without a panic, and the model
//! has exactly the operations an independent reading of the same JSON/YAML finds.
//!
//! When the corpus is not beside the repository the tests print `SKIPPED` and pass.

mod common;

use common::{corpus, read_json_independently, strip_trailing_commas};
use connector_gen::diagnostics::codes;
use connector_gen::load::{self, LoadOptions};
use connector_gen::pipeline;
use serde_json::Value;
use std::path::PathBuf;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn yaml_to_json(y: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match y {
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) | Yaml::Real(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        _ => String::new(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Boolean(b) => Value::Bool(*b),
        _ => Value::Null,
    }
}

fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(ptr) => doc.pointer(ptr).unwrap_or(v),
        None => v,
    }
}

fn methods_of<'a>(doc: &'a Value, item: &'a Value) -> Vec<&'a Value> {
    let item = deref(doc, item);
    METHODS
        .iter()
        .filter_map(|m| item.get(*m))
        .filter(|o| o.is_object())
        .collect()
}

/// Operations under `paths` (+ `webhooks` and operation callbacks for OpenAPI).
fn count_operations(doc: &Value) -> usize {
    let mut n = 0;
    for section in ["paths", "webhooks"] {
        let Some(items) = doc.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (key, item) in items {
            if section == "paths" && key.starts_with("x-") {
                continue;
            }
            for op in methods_of(doc, item) {
                n += 1;
                for cb in op
                    .get("callbacks")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|m| m.values())
                {
                    for (expr, item) in deref(doc, cb).as_object().into_iter().flatten() {
                        if !expr.starts_with("x-") {
                            n += methods_of(doc, item).len();
                        }
                    }
                }
            }
        }
    }
    n
}

#[test]
fn every_certified_connector_loads_and_keeps_every_operation() {
    let Some(dir) = corpus("powerplatform/certified") else {
        return;
    };
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let opts = LoadOptions::default();
    let (mut models, mut unreadable, mut operations, mut mismatches) =
        (0, Vec::new(), 0, Vec::new());
    let mut tolerated = 0;
    for folder in &folders {
        let input = load::connector_folder(folder)
            .unwrap_or_else(|| panic!("{} has no definition", folder.display()));
        let loaded = std::panic::catch_unwind(|| pipeline::load(&input, &opts))
            .unwrap_or_else(|_| panic!("loading {} panicked", folder.display()));
        match &loaded.connector {
            Some(c) => {
                models += 1;
                operations += c.operations.len();
                let expected =
                    read_json_independently(&input.definition).map(|doc| count_operations(&doc));
                if expected != Some(c.operations.len()) {
                    mismatches.push(format!(
                        "{}: model {} vs independent {:?}",
                        folder.display(),
                        c.operations.len(),
                        expected
                    ));
                }
                if loaded
                    .diagnostics
                    .iter()
                    .any(|d| d.code == codes::TRAILING_COMMA.code || d.code == codes::UTF8_BOM.code)
                {
                    tolerated += 1;
                }
            }
            None => {
                // A definition that is truly not JSON: the error must say where.
                let e = loaded
                    .diagnostics
                    .iter()
                    .find(|d| d.code == codes::INVALID_SYNTAX.code)
                    .unwrap_or_else(|| {
                        panic!(
                            "{}: no model and no syntax error: {:?}",
                            folder.display(),
                            loaded.diagnostics
                        )
                    });
                assert!(
                    e.span.is_some() && e.file.is_some(),
                    "{}: error without a location",
                    folder.display()
                );
                assert!(
                    read_json_independently(&input.definition).is_none(),
                    "{} is readable JSON but gave no model",
                    folder.display()
                );
                unreadable.push(folder.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    println!(
        "certified corpus: {} connectors, {} models ({} read with tolerated flaws), {} not JSON {:?}, {} operations, {} count mismatches",
        folders.len(),
        models,
        tolerated,
        unreadable.len(),
        unreadable,
        operations,
        mismatches.len()
    );
    assert_eq!(folders.len(), 619);
    assert!(models >= 615, "only {models} models");
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn every_openapi_document_loads_and_keeps_every_operation() {
    let Some(dir) = corpus("openapi") else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml")
            )
        })
        .collect();
    files.sort();
    let mut total = 0;
    for file in &files {
        let loaded = pipeline::load_path(file, &LoadOptions::default())
            .unwrap()
            .remove(0);
        let c = loaded
            .connector
            .as_ref()
            .unwrap_or_else(|| panic!("{}: {:?}", file.display(), loaded.diagnostics));
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
        let text = std::fs::read_to_string(file).unwrap();
        let doc = if file.extension().unwrap() == "json" {
            serde_json::from_str(&text).unwrap()
        } else {
            yaml_to_json(&yaml_rust2::YamlLoader::load_from_str(&text).unwrap()[0])
        };
        assert_eq!(
            c.operations.len(),
            count_operations(&doc),
            "{}",
            file.display()
        );
        total += c.operations.len();
    }
    println!(
        "openapi corpus: {} documents loaded, {} operations",
        files.len(),
        total
    );
    assert_eq!(files.len(), 21);
}

#[test]
fn the_independent_reader_strips_only_real_trailing_commas() {
    assert_eq!(
        strip_trailing_commas(r#"{"a": [1, 2,], "b": ",]",}"#),
        r#"{"a": [1, 2], "b": ",]"}"#
    );
}
