//! `convert --format yaml`: the YAML a conversion writes reads back into the same connector as
//! its JSON, on the fixtures and on the certified and OpenAPI corpora.

mod common;

use common::run;
use connector_gen::load::LoadOptions;
use connector_gen::pipeline;
use std::path::Path;

/// What must survive: title, every operation (id, method, path, kind, parameter count), the
/// number of schemas, auth and servers.
fn shape(path: &Path) -> Option<String> {
    let l = pipeline::load_path(path, &LoadOptions::default())
        .ok()?
        .into_iter()
        .next()?;
    let c = l.connector?;
    let ops: Vec<String> = c
        .operations
        .iter()
        .map(|o| {
            format!(
                "{} {} {} {} {}",
                o.id,
                o.method.as_str(),
                o.path,
                o.kind.label(),
                o.parameters.len()
            )
        })
        .collect();
    Some(format!(
        "{}|{}|{}|{:?}|{:?}",
        c.title,
        ops.join(";"),
        c.types.len(),
        c.auth.iter().map(|a| a.label()).collect::<Vec<_>>(),
        c.servers.iter().map(|s| &s.url).collect::<Vec<_>>()
    ))
}

fn both_ways(input: &Path, out: &Path, to: &str) -> (usize, usize) {
    let (json, yaml) = (out.join("json"), out.join("yaml"));
    for (dir, format) in [(&json, "json"), (&yaml, "yaml")] {
        let r = run(&[
            "convert",
            input.to_str().unwrap(),
            "--to",
            to,
            "--format",
            format,
            "-o",
            dir.to_str().unwrap(),
        ]);
        assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    }
    let (mut compared, mut differ) = (0, Vec::new());
    for f in std::fs::read_dir(&json).unwrap() {
        let j = f.unwrap().path();
        let name = j
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".json", ".yaml");
        let y = yaml.join(&name);
        assert!(y.is_file(), "{name} missing");
        let (a, b) = (shape(&j), shape(&y));
        assert!(a.is_some(), "{} does not load", j.display());
        if a != b {
            differ.push(name);
        }
        compared += 1;
    }
    assert!(differ.is_empty(), "YAML and JSON differ: {differ:?}");
    (compared, differ.len())
}

#[test]
fn yaml_reads_back_as_the_json_does() {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = common::root().join("fixtures/connectors");
    for to in ["openapi3", "swagger2"] {
        let (n, _) = both_ways(&fixtures, &tmp.path().join(to), to);
        assert_eq!(n, 3);
    }
}

#[test]
fn yaml_of_the_corpus_reads_back_as_the_json_does() {
    let corpus = common::root().join("../shared/corpus");
    if !corpus.is_dir() {
        println!("SKIPPED: corpus not found at {}", corpus.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for (name, dir, to) in [
        (
            "certified",
            corpus.join("powerplatform/certified"),
            "openapi3",
        ),
        ("openapi", corpus.join("openapi"), "swagger2"),
    ] {
        let (n, _) = both_ways(&dir, &tmp.path().join(name), to);
        println!("{name} → {to}: {n} documents written as JSON and YAML read back alike");
        assert!(n > 10);
    }
}
