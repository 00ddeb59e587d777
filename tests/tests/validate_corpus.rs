//! `validate` over the whole certified corpus: no crash, errors found, and several rules
//! cross-checked against counts this test takes itself from the JSON. The SARIF report of the
//! whole corpus is checked against the SARIF 2.1.0 schema.

mod common;

use connector_gen::load::{self, LoadOptions};
use connector_gen::pipeline;
use connector_gen::validate::report::{self, Finding};
use connector_gen::validate::{validate, Profile};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn certified() -> Option<PathBuf> {
    common::corpus("powerplatform/certified")
}

fn definition(folder: &Path) -> PathBuf {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .eq_ignore_ascii_case("apiDefinition.swagger.json")
        })
        .unwrap()
}

/// OAuth connection parameters (plain and in parameter sets) of an apiProperties document.
fn oauth_settings(props: &Value) -> Vec<&Value> {
    let p = &props["properties"];
    let mut params: Vec<&Value> = p["connectionParameters"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .collect();
    for set in p["connectionParameterSets"]["values"]
        .as_array()
        .into_iter()
        .flatten()
    {
        params.extend(
            set["parameters"]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values()),
        );
    }
    params
        .into_iter()
        .filter_map(|c| c.get("oAuthSettings").filter(|o| o.is_object()))
        .collect()
}

#[test]
fn the_certified_corpus_validates_and_rules_match_independent_counts() {
    let Some(dir) = certified() else { return };
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let opts = LoadOptions::default();
    let mut findings: Vec<(String, Finding)> = Vec::new();
    for folder in &folders {
        let input = load::connector_folder(folder).unwrap();
        let loaded = std::panic::catch_unwind(|| pipeline::load(&input, &opts))
            .unwrap_or_else(|_| panic!("{} panicked", folder.display()));
        let fallback = input.definition.display().to_string();
        for d in validate(&loaded, Profile::Default) {
            let name = folder.file_name().unwrap().to_string_lossy().into_owned();
            findings.push((
                name,
                Finding::from_diagnostic(d, &loaded.sources, &fallback, None),
            ));
        }
    }
    let with = |code: &str| -> BTreeSet<String> {
        findings
            .iter()
            .filter(|(_, f)| f.code == code)
            .map(|(n, _)| n.clone())
            .collect()
    };
    let count = |code: &str| findings.iter().filter(|(_, f)| f.code == code).count();
    let errors = findings
        .iter()
        .filter(|(_, f)| f.severity == "error")
        .count();
    assert!(
        errors > 0,
        "the corpus has known errors, so validate exits 1"
    );

    // Independent readings of the same files.
    let (mut redirect, mut query_keys, mut aad_no_resource, mut big, mut many_ops) = (
        BTreeSet::new(),
        0,
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
    for folder in &folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(props) = common::read_json_independently(&folder.join("apiProperties.json")) {
            for o in oauth_settings(&props) {
                if o["redirectMode"] != "GlobalPerConnector" {
                    redirect.insert(name.clone());
                }
                let idp = o["identityProvider"]
                    .as_str()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let resource = o["customParameters"]["resourceUri"]["value"]
                    .as_str()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                if (idp == "aad" || idp == "aadcertificate") && resource.is_empty() {
                    aad_no_resource.insert(name.clone());
                }
            }
        }
        let def = definition(folder);
        let Some(doc) = common::read_json_independently(&def) else {
            continue;
        };
        for scheme in doc["securityDefinitions"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            if scheme["type"] == "apiKey" && scheme["in"] == "query" {
                query_keys += 1;
            }
        }
        let size = std::fs::metadata(&def).unwrap().len() as usize;
        let bom = std::fs::read(&def).unwrap().starts_with(b"\xEF\xBB\xBF") as usize * 3;
        if size - bom > 1024 * 1024 {
            big.insert(name.clone());
        }
        let ops: usize = doc["paths"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
            .map(|item| {
                ["get", "put", "post", "delete", "options", "head", "patch"]
                    .iter()
                    .filter(|m| item.get(**m).is_some())
                    .count()
            })
            .sum();
        if ops > 256 {
            many_ops.insert(name.clone());
        }
    }
    println!(
        "validate corpus: {} findings, {errors} errors; PP0012 on {} connectors (independent: {}), PP0011 {} (independent: {query_keys}), PP0014 on {} (independent: {}), PP0210 on {:?}, PP0209 on {:?}",
        findings.len(),
        with("PP0012").len(),
        redirect.len(),
        count("PP0011"),
        with("PP0014").len(),
        aad_no_resource.len(),
        with("PP0210"),
        with("PP0209"),
    );
    assert_eq!(redirect.len(), 174);
    assert_eq!(
        with("PP0012"),
        redirect,
        "the redirect rule fires on exactly the OAuth connectors without GlobalPerConnector"
    );
    assert_eq!(count("PP0011"), query_keys);
    assert_eq!(with("PP0014"), aad_no_resource);
    assert_eq!(with("PP0210"), big);
    assert_eq!(with("PP0209"), many_ops);

    // The SARIF report of the whole corpus is valid SARIF 2.1.0.
    let all: Vec<Finding> = findings.into_iter().map(|(_, f)| f).collect();
    let sarif = report::sarif(&all, Profile::Default);
    let errors = common::sarif_errors(&sarif);
    assert!(
        errors.is_empty(),
        "SARIF does not match the schema: {errors:#?}"
    );
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        all.len()
    );
}

#[test]
fn sarif_of_a_known_bad_report_is_refused_by_the_schema() {
    // The schema check can fail: a result without a message is not SARIF.
    let validator = common::sarif_validator();
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "PP0001"}]}]});
    assert!(!validator.is_valid(&bad));
}
