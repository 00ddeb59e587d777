//! The generated client: a snapshot of the whole generated source of every fixture, and every
//! fixture's client compiles.

mod common;

use connector_gen::codegen::lib_rs::crate_source;
use connector_gen::load::LoadOptions;
use connector_gen::pipeline;

use common::FIXTURES;

fn source(rel: &str, root: &str) -> String {
    let l = pipeline::load_path(&common::root().join(rel), &LoadOptions::default())
        .unwrap()
        .remove(0);
    crate_source(&l.connector.expect("fixture loads"), root).expect("generated code parses")
}

#[test]
fn the_client_of_every_fixture_matches_its_snapshot() {
    for (name, rel) in FIXTURES {
        insta::assert_snapshot!(format!("client_{name}"), source(rel, "crate"));
    }
}

#[test]
fn the_client_of_every_fixture_compiles() {
    let mut lib = String::from("#![allow(dead_code)]\n");
    let mut files = Vec::new();
    for (name, rel) in FIXTURES {
        lib.push_str(&format!("pub mod {name};\n"));
        files.push((
            format!("src/{name}.rs"),
            source(rel, &format!("crate::{name}")),
        ));
    }
    let mut all: Vec<(&str, String)> = vec![("src/lib.rs", lib)];
    all.extend(files.iter().map(|(p, t)| (p.as_str(), t.clone())));
    if let Err(e) = common::check_crate("fixture_clients", &all) {
        panic!("generated clients do not compile:\n{e}");
    }
}

/// Formatting in parallel pieces gives the text of formatting the whole file at once.
#[test]
fn formatting_in_pieces_equals_formatting_whole() {
    let mut paths: Vec<std::path::PathBuf> = FIXTURES
        .iter()
        .map(|(_, rel)| common::root().join(rel))
        .collect();
    let corpus = common::root().join("../shared/corpus");
    if corpus.is_dir() {
        for name in [
            "openapi/oxide__nexus.json",
            "powerplatform/certified/Encodian",
        ] {
            paths.push(corpus.join(name));
        }
    } else {
        println!("corpus not found at {}: fixtures only", corpus.display());
    }
    for path in paths {
        let c = pipeline::load_path(&path, &LoadOptions::default())
            .unwrap()
            .remove(0)
            .connector
            .unwrap();
        assert_eq!(
            connector_gen::codegen::lib_rs::crate_source(&c, "crate").unwrap(),
            connector_gen::codegen::lib_rs::crate_source_whole(&c, "crate").unwrap(),
            "{}",
            path.display()
        );
    }
}
