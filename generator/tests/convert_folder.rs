//! `convert --to swagger2 -o DIR`: a connector folder (definition and `apiProperties.json`)
//! that `validate --profile certification` accepts without an auth error — on the fixtures,
//! on every Postman collection and OpenAPI document of the corpus — with the connection its
//! security schemes need and a policy template for operations on another host.

mod common;

use common::{root, run};
use std::path::{Path, PathBuf};

/// The auth and properties rules a converted folder must pass.
const AUTH_RULES: &[&str] = &[
    "PP0010", "PP0012", "PP0013", "PP0014", "PP0015", "PP0016", "PP0017", "PP0108",
];

fn convert_to(input: &Path, dir: &Path) -> common::Run {
    convert_with(input, dir, &[])
}

fn convert_with(input: &Path, dir: &Path, more: &[&str]) -> common::Run {
    let args = [
        "convert",
        input.to_str().unwrap(),
        "--to",
        "swagger2",
        "-o",
        dir.to_str().unwrap(),
    ];
    run(&[&args[..], more].concat())
}

/// The auth findings of `validate --profile certification` on the folders under `dir`.
fn auth_errors(dir: &Path) -> (usize, Vec<String>) {
    let r = run(&[
        "validate",
        dir.to_str().unwrap(),
        "--profile",
        "certification",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let found = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| AUTH_RULES.contains(&d["code"].as_str().unwrap()))
        .map(|d| format!("{} {}: {}", d["code"], d["file"], d["message"]))
        .collect();
    (
        report["summary"]["connectors"].as_u64().unwrap() as usize,
        found,
    )
}

fn properties(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("apiProperties.json")).unwrap()).unwrap()
}

#[test]
fn entra_id_and_a_second_host_become_a_connection_and_a_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("files");
    let r = convert_to(
        &root().join("fixtures/openapi30/entra-two-hosts.yaml"),
        &dir,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("(apiDefinition.swagger.json, apiProperties.json)"),
        "{}",
        r.stderr
    );
    let p = properties(&dir);
    insta::assert_json_snapshot!("entra_two_hosts_properties", p);
    let token = &p["properties"]["connectionParameters"]["token"]["oAuthSettings"];
    assert_eq!(token["identityProvider"], "aad");
    assert_eq!(token["redirectMode"], "GlobalPerConnector");
    assert!(token.get("redirectUrl").is_none());
    let policy = &p["properties"]["policyTemplateInstances"][0];
    assert_eq!(policy["templateId"], "dynamichosturl");
    assert_eq!(
        policy["parameters"]["x-ms-apimTemplate-operationName"],
        serde_json::json!(["UploadFile"])
    );
    // The Swagger 2.0 definition holds the authorization code flow of the two.
    let def: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("apiDefinition.swagger.json")).unwrap())
            .unwrap();
    assert_eq!(def["securityDefinitions"]["entra"]["flow"], "accessCode");
    let (n, found) = auth_errors(&dir);
    assert_eq!(n, 1);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn an_existing_folder_is_kept_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let input = root().join("fixtures/postman/v21-auth.postman_collection.json");
    assert_eq!(convert_to(&input, &dir).code, 0);
    std::fs::write(dir.join("apiProperties.json"), "{\"properties\": {}}\n").unwrap();
    let before = std::fs::read(dir.join("apiDefinition.swagger.json")).unwrap();
    let r = convert_to(&input, &dir);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("exists; nothing was written"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read(dir.join("apiProperties.json")).unwrap(),
        b"{\"properties\": {}}\n"
    );
    assert_eq!(
        std::fs::read(dir.join("apiDefinition.swagger.json")).unwrap(),
        before
    );
    let r = convert_with(&input, &dir, &["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(properties(&dir)["properties"]["connectionParameterSets"].is_object());

    // A connector folder holds JSON.
    let r = convert_with(&input, &tmp.path().join("yaml"), &["--format", "yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!tmp.path().join("yaml").exists());

    // -o FILE still writes one file.
    let file = tmp.path().join("one.json");
    assert_eq!(convert_to(&input, &file).code, 0);
    assert!(file.is_file());
}

#[test]
fn a_connector_folder_keeps_its_own_properties() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("copy");
    let input = root().join("fixtures/connectors/contoso-tasks");
    let r = convert_to(&input, &dir);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read(dir.join("apiProperties.json")).unwrap(),
        std::fs::read(input.join("apiProperties.json")).unwrap()
    );
}

#[test]
fn fixtures_and_corpus_become_folders_without_auth_errors() {
    let mut inputs: Vec<PathBuf> = [
        "fixtures/postman",
        "fixtures/openapi30",
        "fixtures/openapi31",
    ]
    .iter()
    .flat_map(|d| common::inputs_in(&root().join(d)))
    .collect();
    let corpus = root().join("../shared/corpus");
    if corpus.is_dir() {
        inputs.extend(common::inputs_in(&corpus.join("postman")));
        inputs.extend(common::inputs_in(&corpus.join("openapi")));
    } else {
        println!(
            "SKIPPED (corpus part): corpus not found at {}",
            corpus.display()
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut converted = 0;
    for (i, input) in inputs.iter().enumerate() {
        let r = convert_to(input, &tmp.path().join(format!("c{i}")));
        assert_eq!(r.code, 0, "{}: {}", input.display(), r.stderr);
        converted += 1;
    }
    let (n, found) = auth_errors(tmp.path());
    println!(
        "convert folders: {converted} inputs → {n} connector folders, {} auth findings",
        found.len()
    );
    assert_eq!(n, converted);
    assert!(found.is_empty(), "{found:#?}");
}
