//! `diff` over the 331 real before/after pairs of certified connectors: every pair is compared
//! without a crash, and the operations and parameters found removed, added and renamed are
//! checked against this test's own reading of the two JSON documents. The count of changes per
//! rule over the whole set is printed.

mod common;

use connector_gen::diff::{self, Change};
use connector_gen::load::LoadOptions;
use connector_gen::pipeline;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation as read here: method, path, and parameters as (name, in).
type Op = (String, String, BTreeSet<(String, String)>);

/// The operations of a Swagger 2.0 document by id: (method, path, parameters as (name, in)),
/// the path item's parameters included and local `$ref`s followed.
fn operations(doc: &Value) -> BTreeMap<String, Op> {
    let resolve = |p: &Value| -> Value {
        match p.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with("#/") => doc
                .pointer(&r[1..].replace("~1", "/"))
                .cloned()
                .unwrap_or(Value::Null),
            _ => p.clone(),
        }
    };
    let params = |list: Option<&Value>| -> Vec<(String, String)> {
        list.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(resolve)
            .filter_map(|p| {
                Some((
                    p.get("name")?.as_str()?.to_string(),
                    p.get("in")?.as_str()?.to_string(),
                ))
            })
            .collect()
    };
    let mut out = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let shared = params(item.get("parameters"));
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut ps: BTreeSet<(String, String)> =
                params(op.get("parameters")).into_iter().collect();
            for s in &shared {
                if !ps.iter().any(|(n, i)| n == &s.0 && i == &s.1) {
                    ps.insert(s.clone());
                }
            }
            out.entry(id.to_string())
                .or_insert((m.to_string(), path.clone(), ps));
        }
    }
    out
}

fn read(path: &Path) -> Option<Value> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    (v.get("swagger").and_then(Value::as_str) == Some("2.0")).then_some(v)
}

fn ids(changes: &[Change], code: &str) -> BTreeSet<String> {
    changes
        .iter()
        .filter(|c| c.code == code)
        .filter_map(|c| c.operation.clone())
        .collect()
}

#[test]
fn every_real_change_is_compared_and_matches_an_independent_reading() {
    let Some(root) = common::corpus("changes/certified") else {
        return;
    };
    let mut pairs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("old").is_dir() && p.join("new").is_dir())
        .collect();
    pairs.sort();
    assert!(pairs.len() >= 300, "{} pairs", pairs.len());
    let opts = LoadOptions::default();
    let (mut compared, mut unreadable, mut checked) = (0, 0, 0);
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut every: Vec<Change> = Vec::new();
    for pair in &pairs {
        let old = pipeline::load_path(&pair.join("old"), &opts).unwrap();
        let new = pipeline::load_path(&pair.join("new"), &opts).unwrap();
        let changes = match diff::diff_sets(&old, &new) {
            Ok(c) => c,
            Err(diff::DiffError::Unreadable { .. }) => {
                unreadable += 1;
                continue;
            }
        };
        compared += 1;
        every.extend(changes.iter().cloned());
        for c in &changes {
            *per_rule
                .entry(format!("{} {}", c.code, c.name))
                .or_default() += 1;
        }
        let def = |side: &str| pair.join(side).join("apiDefinition.swagger.json");
        let (Some(o), Some(n)) = (read(&def("old")), read(&def("new"))) else {
            continue;
        };
        checked += 1;
        let (oo, no) = (operations(&o), operations(&n));
        let name = pair.file_name().unwrap().to_string_lossy();
        // Operations gone by id are either removed or renamed (same method and path).
        let gone: BTreeSet<String> = oo
            .keys()
            .filter(|k| !no.contains_key(*k))
            .cloned()
            .collect();
        let mut ours = ids(&changes, "PC0101");
        ours.extend(ids(&changes, "PC0103"));
        assert_eq!(ours, gone, "{name}: operations gone");
        for id in ids(&changes, "PC0103") {
            let (m, p, _) = &oo[&id];
            assert!(
                no.values().any(|(nm, np, _)| nm == m
                    && connector_gen::diff::path_shape(np) == connector_gen::diff::path_shape(p)),
                "{name}: {id} renamed, but no operation has its method and path"
            );
        }
        let added = changes.iter().filter(|c| c.code == "PC0102").count();
        let new_ids = no.keys().filter(|k| !oo.contains_key(*k)).count();
        assert_eq!(
            added + ids(&changes, "PC0103").len(),
            new_ids,
            "{name}: operations added"
        );
        // Parameters of operations kept under their id: gone by (name, in) are removed,
        // renamed or moved.
        for (id, (_, _, ops)) in &oo {
            let Some((_, _, nps)) = no.get(id) else {
                continue;
            };
            let gone: BTreeSet<&(String, String)> = ops.difference(nps).collect();
            let reported = changes
                .iter()
                .filter(|c| {
                    c.operation.as_deref() == Some(id)
                        && matches!(c.code, "PC0201" | "PC0203" | "PC0204")
                })
                .count();
            assert_eq!(
                reported,
                gone.len(),
                "{name}: parameters of {id} gone: {gone:?}"
            );
        }
    }
    println!("{} pairs: {compared} compared, {unreadable} with a side that cannot be read, {checked} cross-checked", pairs.len());
    for (rule, n) in &per_rule {
        println!("{n:6}  {rule}");
    }
    assert!(compared >= 320, "{compared}");
    // The SARIF report of every change of the set is valid SARIF 2.1.0.
    let sarif = connector_gen::diff::report::sarif(&every);
    let errors = common::sarif_errors(&sarif);
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(every.len() > 1000, "{} changes", every.len());
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        every.len()
    );
    assert!(per_rule.contains_key("PC0101 operation-removed"));
}
