//! Crates generated from real connectors (models and client) compile. CI checks a fixed sample that covers the hard
//! cases; `CODEGEN_CORPUS=all` checks every loadable connector of the certified corpus and every
//! OpenAPI document (the benchmark does that).

mod common;

use connector_gen::codegen::client::crate_source;
use connector_gen::codegen::names::{field_name, Namer};
use connector_gen::load::{self, LoadOptions};
use std::path::PathBuf;

/// The largest connectors, formData/file, webhooks, pageable, oneOf/anyOf/allOf, discriminators,
/// additionalProperties, dynamic schemas, deep `$ref` chains.
const SAMPLE: &[&str] = &[
    "Encodian",
    "Entersoft",
    "Impexium",
    "Cognito Forms",
    "CardsForPowerApps",
    "Azure Machine Learning",
    "Blueink",
    "Enate",
    "AIForged",
    "Alkymi",
    "Apptigent CloudTools",
    "Almabase",
    "AzureAD",
    "AzureDigitalTwins",
    "365Training",
    "3E Events",
    "AXtension Content Gate",
    "Actsoft",
    "Alemba ITSM",
    "AssemblyAI",
    "App Power Forms",
    "AzureIoTCentral",
    "Sociabble",
    "jbhunt",
    "Adobe Creative Cloud Libraries",
    "Asite",
    "Egnyte",
    "DocuSign",
];

fn corpus() -> Option<PathBuf> {
    let dir = common::root().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("SKIPPED: corpus not found at {}", dir.display());
        None
    }
}

#[test]
fn crates_of_real_connectors_compile() {
    let Some(corpus) = corpus() else { return };
    let all = std::env::var("CODEGEN_CORPUS").is_ok_and(|v| v == "all");
    let certified = corpus.join("powerplatform/certified");
    let mut paths: Vec<PathBuf> = if all {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&certified)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        v.sort();
        v.extend(
            std::fs::read_dir(corpus.join("openapi"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("json" | "yaml")
                    )
                }),
        );
        v
    } else {
        SAMPLE.iter().map(|n| certified.join(n)).collect()
    };
    paths.sort();
    let mut namer = Namer::default();
    let mut lib = String::from("#![allow(dead_code)]\n");
    let mut files: Vec<(String, String)> = Vec::new();
    let mut generated = 0;
    for path in &paths {
        let loaded = load::load_path(path, &LoadOptions::default())
            .unwrap()
            .remove(0);
        let Some(c) = loaded.connector else { continue };
        let module = namer.unique(
            field_name(path.file_stem().unwrap().to_string_lossy().as_ref())
                .trim_start_matches("r#")
                .to_string(),
        );
        let source = crate_source(&c, &format!("crate::{module}"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        lib.push_str(&format!("pub mod {module};\n"));
        files.push((format!("src/{module}.rs"), source));
        generated += 1;
    }
    let mut all_files: Vec<(&str, String)> = vec![("src/lib.rs", lib)];
    all_files.extend(files.iter().map(|(p, t)| (p.as_str(), t.clone())));
    let result = common::check_crate("corpus_models", &all_files);
    println!(
        "codegen corpus: {generated} connectors generated, compile: {}",
        if result.is_ok() { "ok" } else { "FAILED" }
    );
    if let Err(e) = result {
        let first: Vec<&str> = e.lines().take(40).collect();
        panic!("generated code does not compile:\n{}", first.join("\n"));
    }
    if !all {
        assert_eq!(generated, SAMPLE.len(), "every sample connector loads");
    }
}
