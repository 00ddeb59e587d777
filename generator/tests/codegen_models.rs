//! Generated models: snapshots for every fixture, and models that decode as meant. (That the
//! models compile is checked with the whole generated client, which contains them:
//! `codegen_client.rs`.)

mod common;

use connector_gen::codegen::types::models_source;
use connector_gen::load::LoadOptions;
use connector_gen::pipeline;

use common::FIXTURES;

fn models(rel: &str, module: &str) -> String {
    let l = pipeline::load_path(&common::root().join(rel), &LoadOptions::default())
        .unwrap()
        .remove(0);
    let c = l.connector.expect("fixture loads");
    models_source(&c, module).expect("generated code parses")
}

/// Builds a crate `name` whose library is the models of the fixture at `rel` and whose `main` is
/// `main`, runs it, and returns what it printed.
fn run_with_models(rel: &str, name: &str, main: &str) -> String {
    let lib = format!("pub mod models {{\n{}\n}}\n", models(rel, "crate::models"));
    common::run_crate(
        name,
        &[("src/lib.rs", lib), ("src/main.rs", main.to_string())],
        "",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"))
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

/// Unions decode as their definition means them: by the tag property (unknown tags do not fail),
/// and constants merged into one enum (unknown values kept); both serialise back.
#[test]
fn tagged_unions_and_merged_constants_round_trip() {
    let main = r##"
use shapes_decode::models::{Layer, Shape, State};
fn main() {
    let text = r#"{"state":"paused","shapes":[{"kind":"circle","radius":2.5},{"kind":"square","side":3,"label":"a"},{"kind":"point"},{"kind":"hexagon","n":6},{"kind":"group","parent":{"kind":"point"},"members":[{"kind":"point"}]}]}"#;
    let layer: Layer = connector_sdk::serde_json::from_str(text).unwrap();
    println!("{:?}", layer.state);
    for s in &layer.shapes {
        println!("{s:?}");
    }
    let back = connector_sdk::serde_json::to_string(&layer.shapes[..3]).unwrap();
    println!("{back}");
    // The discriminator's mapping (`dog`) and implicit mapping (the schema name `Cat`).
    let pets = r#"{"state":"active","shapes":[],"pets":[{"petType":"dog","name":"Rex","barks":true},{"petType":"Cat","name":"Tom","lives":9}]}"#;
    let layer: Layer = connector_sdk::serde_json::from_str(pets).unwrap();
    println!("{:?}", layer.pets);
    println!("{}", connector_sdk::serde_json::to_string(&layer.pets).unwrap());
    let unknown: State = connector_sdk::serde_json::from_str("\"archived\"").unwrap();
    println!("{unknown:?} {}", unknown.as_str());
    assert!(connector_sdk::serde_json::from_str::<Shape>(r#"{"kind":"circle"}"#).is_err());
}
"##;
    let out = run_with_models("fixtures/openapi31/shapes.yaml", "shapes_decode", main);
    assert_eq!(
        out,
        "Paused\n\
         Circle { radius: 2.5 }\n\
         Square { side: 3.0, label: Some(\"a\") }\n\
         Point\n\
         Other\n\
         Group { parent: Some(Point), members: Some([Point]) }\n\
         [{\"kind\":\"circle\",\"radius\":2.5},{\"kind\":\"square\",\"side\":3.0,\"label\":\"a\"},{\"kind\":\"point\"}]\n\
         Some([Dog { name: \"Rex\", barks: Some(true) }, Cat { name: \"Tom\", lives: Some(9) }])\n\
         [{\"petType\":\"dog\",\"name\":\"Rex\",\"barks\":true},{\"petType\":\"Cat\",\"name\":\"Tom\",\"lives\":9}]\n\
         Other(\"archived\") archived\n"
    );
}

/// Swagger 2.0 polymorphism: a base schema with a `discriminator` that others extend through
/// `allOf` stands for any of them: tagged by `x-ms-discriminator-value` (or the definition name),
/// grandchildren included, a recursive property boxed, an unknown kind kept as `Other`.
#[test]
fn a_discriminated_base_decodes_as_its_subtypes() {
    let main = r##"
use relay_decode::models::{Indicator, Note};
fn main() {
    let text = r#"[
        {"text":"a","indicator":{"kind":"domain","name":"x.example","foundThrough":{"kind":"ip","address":"10.0.0.1"}}},
        {"text":"b","indicator":{"kind":"sha256","hash":"ab","verified":true}},
        {"text":"c","indicator":{"kind":"FileHash","hash":"cd"}},
        {"text":"d","indicator":{"kind":"url","url":"https://x.example"}}
    ]"#;
    let notes: Vec<Note> = connector_sdk::serde_json::from_str(text).unwrap();
    for n in &notes {
        println!("{:?}", n.indicator);
    }
    println!("{}", connector_sdk::serde_json::to_string(&notes[0].indicator).unwrap());
    let ip = Indicator::Ip { first_seen: None, address: "192.0.2.1".into() };
    println!("{}", connector_sdk::serde_json::to_string(&ip).unwrap());
    assert!(connector_sdk::serde_json::from_str::<Indicator>(r#"{"kind":"ip"}"#).is_err());
}
"##;
    let out = run_with_models("fixtures/connectors/relay-lookup", "relay_decode", main);
    assert_eq!(
        out,
        "Some(Domain { first_seen: None, name: Some(\"x.example\"), found_through: Some(Ip { first_seen: None, address: \"10.0.0.1\" }) })\n\
         Some(Sha256 { first_seen: None, hash: Some(\"ab\"), verified: Some(true) })\n\
         Some(FileHash { first_seen: None, hash: Some(\"cd\") })\n\
         Some(Other)\n\
         {\"kind\":\"domain\",\"name\":\"x.example\",\"foundThrough\":{\"kind\":\"ip\",\"address\":\"10.0.0.1\"}}\n\
         {\"kind\":\"ip\",\"address\":\"192.0.2.1\"}\n"
    );
}
