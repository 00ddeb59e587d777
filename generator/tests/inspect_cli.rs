//! `connector-gen inspect` on every fixture: the JSON shape (snapshots), the human table, exit
//! codes and the error messages of unreadable input.

mod common;
use common::run;

macro_rules! inspect_json {
    ($($name:ident => $path:literal,)*) => {$(
        #[test]
        fn $name() {
            let r = run(&["inspect", $path, "--format", "json"]);
            assert_eq!(r.code, 0, "stderr: {}", r.stderr);
            let value: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
            for key in ["title", "host", "auth", "operations"] {
                assert!(value.get(key).is_some(), "missing `{key}`");
            }
            insta::assert_snapshot!(stringify!($name), r.stdout);
        }
    )*};
}

inspect_json! {
    json_contoso_tasks => "fixtures/connectors/contoso-tasks",
    json_acme_keys => "fixtures/connectors/acme-keys",
    json_openapi30_events => "fixtures/openapi30/events.yaml",
    json_openapi31_webhooks => "fixtures/openapi31/webhooks.json",
    json_bom => "fixtures/broken/bom.json",
    json_trailing_comma => "fixtures/broken/trailing-comma.json",
    json_duplicate_key => "fixtures/broken/duplicate-key.json",
    json_cp1252 => "fixtures/broken/cp1252.json",
}

#[test]
fn a_definition_file_inside_a_connector_folder_brings_the_folder_along() {
    let r = run(&[
        "inspect",
        "fixtures/connectors/contoso-tasks/apiDefinition.swagger.json",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["connection"]["publisher"], "Contoso Ltd");
}

#[test]
fn human_output_lists_every_operation_with_its_kind() {
    let r = run(&["inspect", "fixtures/connectors/contoso-tasks"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("human_contoso_tasks", r.stdout);
}

#[test]
fn a_directory_is_searched_for_connectors_and_definitions() {
    let r = run(&["inspect", "fixtures/connectors", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme-keys", "contoso-tasks", "relay-lookup"]);
    assert!(
        r.stderr.contains("inspected 3 connectors: 3 loaded"),
        "{}",
        r.stderr
    );
}

macro_rules! inspect_fails {
    ($($name:ident => $path:literal, $code:literal;)*) => {$(
        #[test]
        fn $name() {
            let r = run(&["inspect", $path, "--format", "json"]);
            assert_eq!(r.code, $code, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
            insta::assert_snapshot!(stringify!($name), r.stderr);
        }
    )*};
}

inspect_fails! {
    fails_missing_comma => "fixtures/broken/missing-comma.json", 1;
    fails_stray_brace => "fixtures/broken/stray-brace.json", 1;
    fails_raw_tab => "fixtures/broken/raw-tab.json", 1;
    fails_unterminated_string => "fixtures/broken/unterminated-string.json", 1;
    fails_empty => "fixtures/broken/empty.json", 1;
    fails_not_a_definition => "fixtures/broken/not-a-definition.json", 1;
    fails_unsupported_version => "fixtures/broken/unsupported-version.json", 1;
    fails_openapi_4 => "fixtures/broken/openapi-4.yaml", 1;
    fails_invalid_yaml => "fixtures/broken/invalid.yaml", 1;
    fails_refs => "fixtures/swagger2/refs/main.json", 1;
    fails_missing_path => "fixtures/no-such-file.json", 2;
    fails_empty_directory => "templates", 2;
}

#[test]
fn a_model_with_errors_is_still_described_but_the_exit_code_says_so() {
    let r = run(&[
        "inspect",
        "fixtures/swagger2/refs/main.json",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["operations"].as_array().unwrap().len(), 2);
}

#[test]
fn a_file_that_cannot_be_parsed_prints_no_model() {
    let r = run(&[
        "inspect",
        "fixtures/broken/missing-comma.json",
        "--format",
        "json",
    ]);
    assert_eq!(r.stdout.trim(), "null");
}

#[test]
fn the_depth_limit_is_configurable_and_named_when_hit() {
    let r = run(&[
        "inspect",
        "fixtures/connectors/contoso-tasks",
        "--max-depth",
        "4",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("nesting deeper than 4 arrays and objects"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--max-depth"), "{}", r.stderr);
}

/// Nesting is bounded by a limit (a clear error), and raising the limit to its maximum is safe:
/// neither the reader nor the lowering overflows its stack. Inputs are generated here.
#[test]
fn deep_nesting_stops_at_the_limit_or_loads_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let brackets = dir.path().join("brackets.json");
    std::fs::write(
        &brackets,
        format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)),
    )
    .unwrap();
    let path = brackets.to_str().unwrap();
    let r = run(&["inspect", path]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("nesting deeper than 256 arrays and objects"),
        "{}",
        r.stderr
    );
    let r = run(&["inspect", path, "--max-depth", "10000"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("nesting deeper than 10000"),
        "{}",
        r.stderr
    );
    let r = run(&["inspect", path, "--max-depth", "10001"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("must be between 1 and 10000"),
        "{}",
        r.stderr
    );

    let mut schema = String::from(r#"{"type":"string"}"#);
    for _ in 0..4990 {
        schema = format!(r#"{{"type":"object","properties":{{"a":{schema}}}}}"#);
    }
    let deep = dir.path().join("deep.json");
    std::fs::write(
        &deep,
        format!(r#"{{"swagger":"2.0","info":{{"title":"Deep","version":"1"}},"paths":{{}},"definitions":{{"D":{schema}}}}}"#),
    )
    .unwrap();
    let r = run(&[
        "inspect",
        deep.to_str().unwrap(),
        "--max-depth",
        "10000",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["counts"]["schemas"], 4991);
}
