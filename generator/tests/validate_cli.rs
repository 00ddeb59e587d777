//! `connector-gen validate`: exit codes, the four report formats, configuration and baselines.

mod common;
use common::run;

#[test]
fn a_clean_connector_passes_with_exit_0() {
    let r = run(&[
        "validate",
        "fixtures/connectors/contoso-tasks",
        "--profile",
        "certification",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        r.stdout,
        "ok: 0 errors, 0 warnings in 4 files (1 connector checked)\n"
    );
}

#[test]
fn errors_give_exit_1_and_compiler_style_messages() {
    let r = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
    ]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("human_redirect", r.stdout);
}

#[test]
fn warnings_alone_exit_0() {
    let r = run(&["validate", "fixtures/rules/PP0011-api-key-in-query"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("warning[PP0011]"), "{}", r.stdout);
    assert!(
        r.stdout
            .ends_with("ok: 0 errors, 1 warning in 2 files (1 connector checked)\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn several_paths_and_directories_make_one_report() {
    let r = run(&[
        "validate",
        "fixtures/rules/PP0011-api-key-in-query",
        "fixtures/connectors",
        "fixtures/openapi31/webhooks.json",
    ]);
    assert!(r.stdout.contains("(5 connectors checked)"), "{}", r.stdout);
}

#[test]
fn json_report_has_the_documented_shape() {
    let r = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "PP0012");
    assert_eq!(d["name"], "oauth-redirect-not-per-connector");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        d["file"],
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector/apiProperties.json"
    );
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(12), Some(27))
    );
    assert_eq!(
        d["pointer"],
        "/properties/connectionParameters/token/oAuthSettings/redirectMode"
    );
    assert!(d["message"].as_str().unwrap().contains("\"Global\""));
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["warnings"], 0);
}

#[test]
fn github_annotations_escape_and_locate() {
    let r = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "--format",
        "github",
    ]);
    assert_eq!(r.code, 1);
    let line = r.stdout.lines().next().unwrap();
    assert!(
        line.starts_with("::error file=fixtures/rules/PP0012-oauth-redirect-not-per-connector/apiProperties.json,line=12,col=27,endLine=12,endColumn=35,title=PP0012 oauth-redirect-not-per-connector::"),
        "{line}"
    );
    assert!(
        line.contains("%0Ahelp: connections using the shared redirect URI"),
        "{line}"
    );
    assert!(r.stderr.contains("failed: 1 error"), "{}", r.stderr);
}

#[test]
fn sarif_report_names_rules_and_regions() {
    let r = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "--format",
        "sarif",
    ]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    let result = &run0["results"][0];
    assert_eq!(result["ruleId"], "PP0012");
    assert_eq!(result["level"], "error");
    let rule = &run0["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "PP0012");
    assert!(rule["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## Fix"));
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector/apiProperties.json"
    );
    assert_eq!(loc["region"]["startLine"], 12);
    assert_eq!(loc["region"]["startColumn"], 27);
}

#[test]
fn the_certification_profile_adds_rules_and_raises_severities() {
    let default = run(&[
        "validate",
        "fixtures/rules/PP0301-operation-id-not-alphanumeric",
    ]);
    assert_eq!(default.code, 0);
    assert!(default.stdout.contains("warning[PP0301]"));
    let cert = run(&[
        "validate",
        "fixtures/rules/PP0301-operation-id-not-alphanumeric",
        "--profile",
        "certification",
    ]);
    assert_eq!(cert.code, 1);
    assert!(cert.stdout.contains("error[PP0301]"));
    let title_default = run(&["validate", "fixtures/rules/PP0205-title-invalid"]);
    assert!(
        !title_default.stdout.contains("PP0205"),
        "certification-only rule ran by default"
    );
}

#[test]
fn config_overrides_severities_and_ignores_findings() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(
        &cfg,
        "[rules]\noauth-redirect-not-per-connector = \"warning\"\n",
    )
    .unwrap();
    let r = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("warning[PP0012]"));
    std::fs::write(
        &cfg,
        "[[ignore]]\nrules = [\"PP0012\"]\npaths = [\"fixtures/rules/**\"]\n",
    )
    .unwrap();
    let r = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(!r.stdout.contains("PP0012"));
    std::fs::write(
        &cfg,
        "[[ignore]]\npointers = [\"/properties/connectionParameters/*/oAuthSettings/**\"]\n",
    )
    .unwrap();
    let r = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn a_baseline_fails_only_on_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let b = baseline.to_str().unwrap();
    let w = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "--write-baseline",
        b,
    ]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    assert!(
        w.stderr.contains("wrote 1 findings to the baseline"),
        "{}",
        w.stderr
    );
    let known = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "--baseline",
        b,
    ]);
    assert_eq!(known.code, 0, "{}", known.stdout);
    assert!(
        known.stdout.contains("1 known from the baseline"),
        "{}",
        known.stdout
    );
    // A new finding in another connector still fails.
    let new = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "fixtures/rules/PP0013-oauth-redirect-url-mismatch",
        "--baseline",
        b,
    ]);
    assert_eq!(new.code, 1);
    assert!(
        new.stdout.contains("PP0013")
            && !new
                .stdout
                .contains("PP0012-oauth-redirect-not-per-connector/apiProperties.json:12"),
        "{}",
        new.stdout
    );
}

#[test]
fn bad_input_is_one_clear_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["fixtures/nope".into()],
            "fixtures/nope: no such file or directory",
        ),
        (
            vec!["templates".into()],
            "templates: no connector definition found",
        ),
        (
            vec![
                "fixtures/rules/clean".into(),
                "--config".into(),
                "missing.toml".into(),
            ],
            "missing.toml: No such file or directory",
        ),
        (
            vec![
                "fixtures/rules/clean".into(),
                "--baseline".into(),
                "fixtures/broken/bom.json".into(),
            ],
            "not a baseline file",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["validate"];
        all.extend(args.iter().map(String::as_str));
        let r = run(&all);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("error: ") && r.stderr.contains(expected),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[rules]\nPP9999 = \"off\"\n").unwrap();
    let r = run(&[
        "validate",
        "fixtures/rules/clean",
        "--config",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown rule `PP9999`"), "{}", r.stderr);
}

#[test]
fn no_color_in_pipes() {
    let r = run(&[
        "validate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
    ]);
    assert!(!r.stdout.contains('\u{1b}'));
}

#[test]
fn the_rules_command_lists_every_rule() {
    let r = run(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        connector_gen::validate::all_rules().len()
    );
    let r = run(&["rules"]);
    assert!(
        r.stdout
            .contains("PP0012  oauth-redirect-not-per-connector"),
        "{}",
        r.stdout
    );
}
