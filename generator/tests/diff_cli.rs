//! `connector-gen diff` and the change rules: every rule fires on its fixture pair (one change
//! each, against `fixtures/changes/base.json`), its findings are located on both sides
//! (snapshot per rule), and exit statuses and bad input behave as documented.

mod common;

use common::run;
use connector_gen::diff::{self, all_change_rules, report};
use connector_gen::load::LoadOptions;
use connector_gen::pipeline::{self, Loaded};
use std::path::Path;

fn load(path: &Path) -> Vec<Loaded> {
    pipeline::load_path(path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The fixture of a rule, and the base it is compared with: a definition beside `base.json`,
/// or a connector folder beside `base-folder/` (for the rules about apiProperties.json); a rule
/// about something `base.json` lacks (a second server, a response header) has its own old
/// side, `CODE-NAME.old.json`.
fn fixture(code: &str, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = common::root().join("fixtures/changes");
    let folder = dir.join(format!("{code}-{name}"));
    let own_base = dir.join(format!("{code}-{name}.old.json"));
    if folder.is_dir() {
        (dir.join("base-folder"), folder)
    } else if own_base.is_file() {
        (own_base, dir.join(format!("{code}-{name}.json")))
    } else {
        (
            dir.join("base.json"),
            dir.join(format!("{code}-{name}.json")),
        )
    }
}

/// Rules that sets of connectors report, not pairs of definitions.
const SET_RULES: [&str; 2] = ["PC0001", "PC0002"];

#[test]
fn every_change_rule_fires_on_its_fixture_and_nothing_else_does() {
    let root = format!("{}/", common::root().display());
    for rule in all_change_rules() {
        let m = rule.meta();
        if SET_RULES.contains(&m.code) {
            continue;
        }
        let (base_path, path) = fixture(m.code, m.name);
        let base = load(&base_path);
        assert!(
            path.exists(),
            "rule {} {} has no fixture at {}",
            m.code,
            m.name,
            path.display()
        );
        let new = load(&path);
        let changes = diff::diff_sets(&base, &new).unwrap();
        let mut codes: Vec<&str> = changes.iter().map(|c| c.code).collect();
        codes.dedup();
        // Without a new info.version, a breaking change also brings PC0602.
        let expected: &[&str] = match m.code {
            "PC0602" => &["PC0101", "PC0602"],
            c => &[c],
        };
        assert_eq!(codes, expected, "{} {}", m.code, m.name);
        for c in &changes {
            assert!(c.old.is_some() || c.new.is_some(), "{c:?} has no place");
        }
        let texts = report::Texts {
            old: Some(&base[0].sources),
            new: Some(&new[0].sources),
        };
        let text = report::human(&changes, texts).replace(&root, "");
        insta::assert_snapshot!(format!("change_{}_{}", m.code, m.name), text);
        let json: serde_json::Value = serde_json::from_str(
            &serde_json::to_string(&report::json(&changes))
                .unwrap()
                .replace(&root, ""),
        )
        .unwrap();
        insta::assert_json_snapshot!(format!("change_{}_{}_json", m.code, m.name), json);
    }
}

#[test]
fn the_cli_prints_both_places_and_a_stable_json_shape() {
    let r = run(&[
        "diff",
        "fixtures/changes/base.json",
        "fixtures/changes/PC0602-version-not-bumped.json",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("breaking[PC0101 operation-removed]: operation `DeleteTask` (DELETE /tasks/{taskId}) was removed"), "{}", r.stdout);
    assert!(
        r.stdout.contains("--> old fixtures/changes/base.json:"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("--> new fixtures/changes/PC0602-version-not-bumped.json:"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("1 breaking, 1 warning(s), 0 other change(s): a major version"),
        "{}",
        r.stderr
    );
    let r = run(&[
        "diff",
        "fixtures/changes/base.json",
        "fixtures/changes/PC0602-version-not-bumped.json",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("diff_json", r.stdout);
}

#[test]
fn exit_statuses_follow_fail_on() {
    let base = "fixtures/changes/base.json";
    let same = run(&["diff", base, base]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert!(
        same.stderr
            .contains("0 breaking, 0 warning(s), 0 other change(s): a patch version"),
        "{}",
        same.stderr
    );
    let removed = "fixtures/changes/PC0101-operation-removed.json";
    assert_eq!(run(&["diff", base, removed]).code, 1);
    assert_eq!(run(&["diff", base, removed, "--fail-on", "never"]).code, 0);
    let added = "fixtures/changes/PC0102-operation-added.json";
    let r = run(&["diff", base, added, "--fail-on", "warning"]);
    assert_eq!(r.code, 0, "an addition is not a warning: {}", r.stdout);
    assert!(r.stderr.contains("a minor version"), "{}", r.stderr);
    let enum_added = "fixtures/changes/PC0403-response-enum-value-added.json";
    assert_eq!(run(&["diff", base, enum_added]).code, 0);
    assert_eq!(
        run(&["diff", base, enum_added, "--fail-on", "warning"]).code,
        1
    );
}

#[test]
fn bad_input_says_which_side_and_exits_2() {
    let base = "fixtures/changes/base.json";
    let broken = "fixtures/broken/missing-comma.json";
    let r = run(&["diff", base, broken]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("the new version cannot be read"),
        "{}",
        r.stderr
    );
    let r = run(&["diff", broken, broken]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("the old version cannot be read"),
        "{}",
        r.stderr
    );
    let r = run(&["diff", "fixtures/changes/nowhere.json", base]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("the old version"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn directories_pair_connectors_by_folder_and_report_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |to: &str, from: &str| {
        let d = dir.path().join(to);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::copy(
            common::root().join(from),
            d.join("apiDefinition.swagger.json"),
        )
        .unwrap();
    };
    copy("old/tasks", "fixtures/changes/base.json");
    copy("old/gone", "fixtures/changes/base.json");
    copy(
        "new/tasks",
        "fixtures/changes/PC0203-parameter-renamed.json",
    );
    copy("new/fresh", "fixtures/changes/base.json");
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    let r = common::run_with(
        common::command()
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(["--format", "json"]),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let codes: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["PC0001", "PC0203", "PC0002"], "{}", r.stdout);
    assert_eq!(v["summary"]["bump"], "major");
}

#[test]
fn the_change_rules_page_is_generated_from_the_rule_docs() {
    common::assert_generated_page(
        "docs/change-rules.md",
        &report::rules_markdown(),
        "cargo run -p connector-gen -- rules --changes --format markdown",
    );
    for rule in all_change_rules() {
        let m = rule.meta();
        for section in ["## What it does", "## Why", "## Example", "## Fix"] {
            assert!(
                m.doc.contains(section),
                "{} {} lacks `{section}`",
                m.code,
                m.name
            );
        }
    }
    let mut codes: Vec<&str> = all_change_rules().iter().map(|r| r.meta().code).collect();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n, "codes are unique and in order");
}

/// Runs git in `dir` (a repository made by the test), failing the test when git does.
fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn base_reads_the_old_side_from_git_for_every_changed_connector() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let put = |folder: &str, fixture: &str| {
        let d = repo.join(folder);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::copy(
            common::root().join(fixture),
            d.join("apiDefinition.swagger.json"),
        )
        .unwrap();
    };
    git(repo, &["init", "-q"]);
    put("connectors/tasks", "fixtures/changes/base.json");
    put("connectors/steady", "fixtures/changes/base.json");
    put("connectors/gone", "fixtures/changes/base.json");
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "first"]);
    // One connector changed, one removed, one added, one untouched.
    put(
        "connectors/tasks",
        "fixtures/changes/PC0203-parameter-renamed.json",
    );
    std::fs::remove_dir_all(repo.join("connectors/gone")).unwrap();
    put("connectors/fresh", "fixtures/changes/base.json");
    git(repo, &["add", "-A"]);
    let base = |args: &[&str]| {
        common::run_with(common::command().current_dir(repo).arg("diff").args(args))
    };
    let r = base(&["--base", "HEAD", "connectors", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let codes: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["PC0002", "PC0001", "PC0203"], "{}", r.stdout);
    let renamed = &v["changes"][2];
    assert_eq!(
        renamed["old"]["file"],
        "HEAD:connectors/tasks/apiDefinition.swagger.json"
    );
    assert!(renamed["new"]["file"]
        .as_str()
        .unwrap()
        .ends_with("connectors/tasks/apiDefinition.swagger.json"));
    // Nothing changed under a path: nothing to report.
    let r = base(&["--base", "HEAD", "connectors/steady"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Bad input: an unknown revision, a folder outside any repository.
    let r = base(&["--base", "no-such-rev", "connectors"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown revision `no-such-rev`"),
        "{}",
        r.stderr
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let r = common::run_with(
        common::command()
            .arg("diff")
            .args(["--base", "HEAD"])
            .arg(elsewhere.path())
            .env(
                "GIT_CEILING_DIRECTORIES",
                elsewhere.path().parent().unwrap(),
            ),
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("not in a git repository"), "{}", r.stderr);
    // Neither OLD NEW nor --base.
    assert_eq!(run(&["diff", "fixtures/changes/base.json"]).code, 2);
}

#[test]
fn github_annotations_and_a_markdown_comment() {
    let (base, new) = (
        "fixtures/changes/base.json",
        "fixtures/changes/PC0602-version-not-bumped.json",
    );
    let r = run(&["diff", base, new, "--format", "github"]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert!(
        lines[0].starts_with("::error file=fixtures/changes/base.json,line="),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains("title=PC0101 operation-removed::operation `DeleteTask`"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(
            "::warning file=fixtures/changes/PC0602-version-not-bumped.json,line=1,col=1,"
        ),
        "{}",
        lines[1]
    );
    let r = run(&["diff", base, new, "--format", "sarif"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "PC0101");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(
        results[1]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/changes/base.json"
    );
    let r = run(&["diff", base, new, "--format", "markdown"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("diff_markdown", r.stdout);
}

#[test]
fn a_config_and_a_baseline_accept_known_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (base, new) = (
        "fixtures/changes/base.json",
        "fixtures/changes/PC0602-version-not-bumped.json",
    );
    let cli = |extra: &[&std::ffi::OsStr]| {
        common::run_with(
            common::command()
                .args(["diff", base, new, "--format", "json"])
                .args(extra),
        )
    };
    let codes = |r: &common::Run| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_string())
            .collect()
    };
    // The removal accepted for its operation; the version rule made info.
    let config = dir.path().join("diff.toml");
    std::fs::write(
        &config,
        "[rules]\nversion-not-bumped = \"info\"\n\n[[accept]]\nrules = [\"PC0101\"]\noperations = [\"Delete*\"]\n",
    )
    .unwrap();
    let r = cli(&["--config".as_ref(), config.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(codes(&r), ["PC0602"]);
    assert!(r.stdout.contains("\"level\": \"info\""), "{}", r.stdout);
    // A baseline written now accepts both changes next time, each once.
    let baseline = dir.path().join("baseline.json");
    let w = cli(&["--write-baseline".as_ref(), baseline.as_os_str()]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    let r = cli(&["--baseline".as_ref(), baseline.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(codes(&r).is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.contains("2 change(s) known to the baseline"),
        "{}",
        r.stderr
    );
    // Bad files say which and exit 2.
    std::fs::write(&config, "[rules]\nPC9999 = \"off\"\n").unwrap();
    let r = cli(&["--config".as_ref(), config.as_os_str()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown change rule `PC9999`"),
        "{}",
        r.stderr
    );
    std::fs::write(&config, "[rules]\nPC0101 = \"loud\"\n").unwrap();
    let r = cli(&["--config".as_ref(), config.as_os_str()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("expected \"breaking\""), "{}", r.stderr);
    std::fs::write(&baseline, "{").unwrap();
    let r = cli(&["--baseline".as_ref(), baseline.as_os_str()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a diff baseline"), "{}", r.stderr);
}
