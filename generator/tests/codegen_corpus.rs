//! Crates generated from real connectors compile: each definition goes through `connector-gen
//! generate` into one workspace, which `cargo check` type-checks (without a warning) and rustdoc
//! documents (without a warning). CI checks a fixed sample that
//! covers the hard cases, and the smaller OpenAPI documents; `CODEGEN_CORPUS=all` checks every
//! loadable connector of the certified corpus and every OpenAPI document
//! (`bench/corpus-compile.sh` does the same from the shell, with timings).

mod common;

use connector_gen::codegen::names::{field_name, Namer};
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

/// OpenAPI documents of the corpus checked in CI (the largest ones run in the benchmark).
const OPENAPI_SAMPLE: &[&str] = &[
    "adyen__BalancePlatformConfigurationNotification-v2.json",
    "adyen__LegalEntityService-v4.json",
    "oai__callback-example.yaml",
    "oai__link-example.yaml",
    "oai__petstore-expanded.yaml",
    "oai__uspto.yaml",
    "oai__webhook-example.yaml",
    "oxide__buildomat.json",
    "oxide__keeper.json",
    "oxide__nexus.json",
    "oxide__propolis-server.json",
    "twilio__verify_v2.json",
];

#[test]
fn crates_of_real_connectors_compile() {
    let Some(corpus) = corpus() else { return };
    let all = std::env::var("CODEGEN_CORPUS").is_ok_and(|v| v == "all");
    let certified = corpus.join("powerplatform/certified");
    let paths: Vec<PathBuf> = if all {
        let mut v = common::inputs_in(&certified);
        v.extend(common::inputs_in(&corpus.join("openapi")));
        v
    } else {
        SAMPLE
            .iter()
            .map(|n| certified.join(n))
            .chain(
                OPENAPI_SAMPLE
                    .iter()
                    .map(|n| corpus.join("openapi").join(n)),
            )
            .collect()
    };
    // Each definition through the real command, into one workspace checked at once.
    let ws = tempfile::tempdir().unwrap();
    let mut namer = Namer::default();
    let mut members = Vec::new();
    for path in &paths {
        let name = namer.unique(format!(
            "c-{}",
            field_name(path.file_stem().unwrap().to_string_lossy().as_ref())
                .trim_start_matches("r#")
                .replace('_', "-")
        ));
        let r = common::generate_member(ws.path(), &name, path.to_str().unwrap());
        match r.code {
            0 => members.push(name),
            // Unreadable definitions are refused with their diagnostics (the 4 of the corpus).
            1 if all && r.stderr.contains("nothing was generated") => continue,
            _ => panic!("{}: generate failed:\n{}", path.display(), r.stderr),
        }
    }
    common::write_workspace(ws.path(), &members);
    let out = common::cargo(
        ws.path(),
        &["check", "--workspace", "--message-format", "short"],
    );
    println!(
        "codegen corpus: {} crates generated, cargo check: {}",
        members.len(),
        if out.code == 0 { "ok" } else { "FAILED" }
    );
    assert_eq!(
        out.code,
        0,
        "generated code does not compile:\n{}",
        out.stderr.lines().take(60).collect::<Vec<_>>().join("\n")
    );
    // Generated code compiles without warnings (an undocumented item is one: the crates say
    // `#![warn(missing_docs)]`).
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    // And rustdoc documents it without one: real descriptions carry HTML, brackets, bare URLs
    // and Markdown links, and real schemas nest deeply.
    let doc = common::cargo_with(
        ws.path(),
        &["doc", "--no-deps", "--workspace", "--keep-going"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    println!(
        "codegen corpus: rustdoc: {}",
        if doc.code == 0 { "ok" } else { "FAILED" }
    );
    assert_eq!(
        doc.code,
        0,
        "{}",
        doc.stderr.lines().take(60).collect::<Vec<_>>().join("\n")
    );
    if !all {
        assert_eq!(members.len(), SAMPLE.len() + OPENAPI_SAMPLE.len());
    }
}
