//! The generated client: snapshot of a whole generated crate source, and every fixture's client
//! compiles.

mod common;

use connector_gen::codegen::client::crate_source;
use connector_gen::load::{self, LoadOptions};

use common::FIXTURES;

fn source(rel: &str, root: &str) -> String {
    let l = load::load_path(&common::root().join(rel), &LoadOptions::default())
        .unwrap()
        .remove(0);
    crate_source(&l.connector.expect("fixture loads"), root).expect("generated code parses")
}

#[test]
fn the_client_of_a_connector_matches_its_snapshot() {
    insta::assert_snapshot!(
        "client_contoso_tasks",
        source("fixtures/connectors/contoso-tasks", "crate")
    );
    insta::assert_snapshot!(
        "client_events",
        source("fixtures/openapi30/events.yaml", "crate")
    );
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
