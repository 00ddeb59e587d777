//! Generated models: snapshots for every fixture, and the snapshots compile.

mod common;

use connector_gen::codegen::types::models_source;
use connector_gen::load::{self, LoadOptions};

use common::FIXTURES;

fn models(rel: &str, module: &str) -> String {
    let l = load::load_path(&common::root().join(rel), &LoadOptions::default())
        .unwrap()
        .remove(0);
    let c = l.connector.expect("fixture loads");
    models_source(&c, module).expect("generated code parses")
}

#[test]
fn models_of_every_fixture_match_their_snapshots() {
    for (name, rel) in FIXTURES {
        insta::assert_snapshot!(format!("models_{name}"), models(rel, "crate::models"));
    }
}

#[test]
fn generation_is_deterministic() {
    for (_, rel) in FIXTURES {
        assert_eq!(models(rel, "crate::models"), models(rel, "crate::models"));
    }
}

#[test]
fn the_models_of_every_fixture_compile() {
    let mut lib = String::new();
    let mut files = Vec::new();
    for (name, rel) in FIXTURES {
        lib.push_str(&format!("pub mod {name} {{ pub mod models; }}\n"));
        files.push((
            format!("src/{name}/models.rs"),
            models(rel, &format!("crate::{name}::models")),
        ));
    }
    lib.insert_str(0, "#![allow(dead_code)]\n");
    let mut all: Vec<(&str, String)> = vec![("src/lib.rs", lib)];
    all.extend(files.iter().map(|(p, t)| (p.as_str(), t.clone())));
    if let Err(e) = common::check_crate("fixture_models", &all) {
        panic!("generated models do not compile:\n{e}");
    }
}
