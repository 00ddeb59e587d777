//! The rule catalogue: every rule fires on its own fixture and not on clean connectors, its
//! findings are located (snapshot), its documentation is complete, and docs/rules.md is current.

mod common;

use connector_gen::diagnostics::{codes, render};
use connector_gen::load::LoadOptions;
use connector_gen::pipeline::{self, Loaded};
use connector_gen::validate::{all_rules, find_rule, report, validate, Category, Profile};
use std::path::PathBuf;

fn load_one(path: &std::path::Path, opts: &LoadOptions) -> Loaded {
    let mut all = pipeline::load_path(path, opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.len(), 1, "{}", path.display());
    all.remove(0)
}

/// The fixture that shows a rule: loader rules use the broken fixtures, the others
/// `fixtures/rules/<code>-<name>` (a connector folder, or a `.yaml` file).
fn fixture(code: &str, name: &str) -> Option<PathBuf> {
    let rel = match code {
        "PP0001" => "fixtures/broken/missing-comma.json",
        "PP0002" => "fixtures/broken/bom.json",
        "PP0003" => "fixtures/broken/trailing-comma.json",
        "PP0004" => "fixtures/broken/duplicate-key.json",
        "PP0005" => "fixtures/broken/cp1252.json",
        "PP0006" => "fixtures/broken/comment.json",
        "PP0007" | "PP0008" | "PP0009" => "fixtures/swagger2/refs/main.json",
        "PP0101" => "fixtures/broken/not-a-definition.json",
        "PP0102" => "fixtures/broken/unsupported-version.json",
        "PP0103" => "fixtures/broken/wrong-types.json",
        "PP0019" => "fixtures/broken/not-finite.yaml",
        "PP0120" | "PP0121" | "PP0123" => "fixtures/postman/v21-urls.postman_collection.json",
        "PP0122" => "fixtures/postman/v21-auth.postman_collection.json",
        "PP0124" | "PP0125" => "fixtures/postman/v21-bodies.postman_collection.json",
        "PP0126" => "fixtures/hostile/urls.postman_collection.json",
        // Generated at test time: see the tests below.
        "PP0106" | "PP0210" | "PP0801" => return None,
        _ => "",
    };
    let root = common::root();
    if !rel.is_empty() {
        return Some(root.join(rel));
    }
    let stem = format!("fixtures/rules/{code}-{name}");
    [stem.clone(), format!("{stem}.yaml"), format!("{stem}.json")]
        .into_iter()
        .map(|p| root.join(p))
        .find(|p| p.exists())
        .or_else(|| panic!("rule {code} {name} has no fixture at {stem}"))
}

fn rendered(l: &Loaded, code: &str) -> String {
    let root = format!("{}/", common::root().display());
    validate(l, Profile::Certification)
        .iter()
        .filter(|d| d.code == code)
        .map(|d| render::human(d, &l.sources, false))
        .collect::<String>()
        .replace(&root, "")
}

#[test]
fn every_rule_fires_on_its_fixture() {
    for rule in all_rules() {
        let m = rule.meta();
        let Some(path) = fixture(m.code, m.name) else {
            continue;
        };
        let l = load_one(&path, &LoadOptions::default());
        let text = rendered(&l, m.code);
        assert!(
            !text.is_empty(),
            "rule {} {} did not fire on {}",
            m.code,
            m.name,
            path.display()
        );
        // One snapshot per rule: a change to one rule's findings shows in its own file.
        insta::assert_snapshot!(format!("rule_{}_{}", m.code, m.name), text);
    }
}

#[test]
fn clean_connectors_trigger_no_rule_even_for_certification() {
    for rel in [
        "fixtures/rules/clean",
        "fixtures/connectors/contoso-tasks",
        "fixtures/scripts/allowed",
    ] {
        let l = load_one(&common::root().join(rel), &LoadOptions::default());
        let found = validate(&l, Profile::Certification);
        assert!(found.is_empty(), "{rel}: {found:#?}");
    }
}

#[test]
fn fixtures_trigger_their_rule_and_few_others() {
    // A fixture shows one flaw: apart from rules that follow from it, nothing else fires.
    for rule in all_rules()
        .iter()
        .filter(|r| r.meta().category != Category::Loading)
    {
        let m = rule.meta();
        let Some(path) = fixture(m.code, m.name) else {
            continue;
        };
        let l = load_one(&path, &LoadOptions::default());
        let others: Vec<&str> = validate(&l, Profile::Certification)
            .iter()
            .map(|d| d.code)
            .filter(|c| *c != m.code)
            .collect();
        let allowed: &[&str] = match m.code {
            "PP0201" => &["PP0207"], // the OpenAPI fixture has no x-ms-connector-metadata
            _ => &[],
        };
        // A rule's fixture is a folder or a file, not a certification package: the package's
        // own rules (a readme and an icon in the folder) are not what it shows.
        let package = |c: &str| c.starts_with("PP09") && m.category != Category::Package;
        let unexpected: Vec<&&str> = others
            .iter()
            .filter(|c| !allowed.contains(c) && !package(c))
            .collect();
        assert!(
            unexpected.is_empty(),
            "{} fixture also triggers {unexpected:?}",
            m.code
        );
    }
}

#[test]
fn a_file_over_one_megabyte_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let padding = "x".repeat(1024 * 1024);
    let text = format!(
        r#"{{"swagger": "2.0", "info": {{"title": "Big", "version": "1", "x-padding": "{padding}"}}, "host": "a.example", "paths": {{}}}}"#
    );
    let path = dir.path().join("big.json");
    std::fs::write(&path, text).unwrap();
    let l = load_one(&path, &LoadOptions::default());
    let codes: Vec<&str> = validate(&l, Profile::Default)
        .iter()
        .map(|d| d.code)
        .collect();
    assert!(codes.contains(&"PP0210"), "{codes:?}");
}

#[test]
fn a_script_over_one_megabyte_is_refused_and_its_rules_still_run() {
    let dir = tempfile::tempdir().unwrap();
    let src = common::root().join("fixtures/scripts/allowed");
    for f in ["apiDefinition.swagger.json", "apiProperties.json"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let script = std::fs::read_to_string(src.join("script.csx")).unwrap();
    let padding = format!("// {}\n", "x".repeat(1024 * 1024));
    std::fs::write(dir.path().join("Script.csx"), format!("{script}{padding}")).unwrap();
    let l = load_one(dir.path(), &LoadOptions::default());
    let found = validate(&l, Profile::Default);
    let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["PP0801"], "{found:#?}");
    let text = render::human(&found[0], &l.sources, false);
    assert!(
        text.contains("Script.csx:") && text.contains("more than the platform's limit of 1048576"),
        "{text}"
    );
}

#[test]
fn custom_code_rules_run_when_the_definition_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let src = common::root().join("fixtures/rules/PP0804-script-forbidden-api");
    std::fs::copy(
        src.join("apiProperties.json"),
        dir.path().join("apiProperties.json"),
    )
    .unwrap();
    std::fs::copy(src.join("script.csx"), dir.path().join("script.csx")).unwrap();
    std::fs::write(
        dir.path().join("apiDefinition.swagger.json"),
        "{\"swagger\": ",
    )
    .unwrap();
    let l = load_one(dir.path(), &LoadOptions::default());
    let codes: Vec<&str> = validate(&l, Profile::Default)
        .iter()
        .map(|d| d.code)
        .collect();
    assert!(
        codes.contains(&"PP0001") && codes.contains(&"PP0804"),
        "{codes:?}"
    );
}

#[test]
fn an_unreadable_file_is_an_error_not_a_crash() {
    let path = common::root().join("fixtures/rules/clean");
    let tiny = LoadOptions {
        max_file_bytes: 100,
        ..LoadOptions::default()
    };
    let l = load_one(&path, &tiny);
    let d = l
        .diagnostics
        .iter()
        .find(|d| d.code == codes::READ_ERROR.code)
        .expect("read error");
    assert!(
        d.message.contains("more than the limit of 100 bytes"),
        "{}",
        d.message
    );
    assert!(l.connector.is_none());
}

#[test]
fn every_rule_is_documented_and_named_consistently() {
    let mut seen = std::collections::HashSet::new();
    for rule in all_rules() {
        let m = rule.meta();
        assert!(seen.insert(m.code), "duplicate code {}", m.code);
        assert!(m.code.len() == 6 && m.code.starts_with("PP"), "{}", m.code);
        assert!(
            m.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            m.name
        );
        let doc = m.doc_text();
        for section in ["## What it does", "## Why", "## Example", "## Fix"] {
            assert!(
                doc.contains(section),
                "{} {} lacks `{section}`",
                m.code,
                m.name
            );
        }
    }
    for code in codes::ALL {
        let m = find_rule(code.code)
            .unwrap_or_else(|| panic!("loader code {} has no rule file", code.code));
        assert_eq!(
            (m.name, m.default),
            (code.name, Some(code.severity)),
            "{}",
            code.code
        );
    }
}

#[test]
fn the_rules_page_is_generated_from_the_rule_docs() {
    common::assert_generated_page(
        "docs/rules.md",
        &report::rules_markdown(),
        "cargo run -p connector-gen -- rules --format markdown",
    );
}

/// The certified corpus: how many connectors carry custom code or `scriptOperations`, and the
/// custom code rules on them — PP0805 exactly where an entry names no operation (counted here
/// from the files themselves).
#[test]
fn custom_code_rules_on_the_corpus() {
    let dir = common::root().join("../shared/corpus/powerplatform/certified");
    if !dir.is_dir() {
        println!("SKIPPED: corpus not found at {}", dir.display());
        return;
    }
    let all = pipeline::load_path(&dir, &LoadOptions::default()).unwrap();
    let (mut scripts, mut listing, mut expected, mut found) = (0, 0, 0, 0);
    for l in &all {
        scripts += usize::from(l.script.is_some());
        let Some(c) = &l.connector else { continue };
        let Some(p) = &c.connection else { continue };
        if p.script_operations.is_empty() {
            continue;
        }
        listing += 1;
        // Every operationId written in the definition, read from the file itself.
        let text = std::fs::read_to_string(&l.input.definition).unwrap();
        let ids: Vec<String> = text
            .split("\"operationId\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').nth(1).map(str::to_string))
            .collect();
        expected += p
            .script_operations
            .iter()
            .filter(|o| !ids.contains(o))
            .count();
        found += validate(l, Profile::Default)
            .iter()
            .filter(|d| d.code == "PP0805")
            .count();
        let other: Vec<&str> = validate(l, Profile::Default)
            .iter()
            .map(|d| d.code)
            .filter(|c| c.starts_with("PP08") && *c != "PP0805")
            .collect();
        assert!(
            other.is_empty(),
            "{}: {other:?}",
            l.input.definition.display()
        );
    }
    println!("certified corpus: {} connectors, {scripts} with script.csx, {listing} with scriptOperations; PP0805: {found} (expected {expected})", all.len());
    assert_eq!(found, expected);
    assert!(listing >= 30, "{listing}");
}
