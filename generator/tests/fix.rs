//! `validate --fix`, `--unsafe-fixes` and `--diff`: every rule's fix on its fixture (the diff
//! as a before/after snapshot), safe and unsafe fixes apart, a second run that changes
//! nothing, every byte outside the edits kept, refusals; and the certified corpus fixed on a
//! temporary copy.

mod common;

use common::{command, root, run_with, Run};
use connector_gen::validate::all_rules;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes.
fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    common::files_under(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// `connector-gen validate` run in `dir` (so that paths in the output are relative to it).
fn validate_in(dir: &Path, args: &[&str]) -> Run {
    run_with(command().current_dir(dir).arg("validate").args(args))
}

/// Findings per code of a JSON report, and how many of them offer a fix.
fn counts(dir: &Path, target: &str) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let r = validate_in(
        dir,
        &[target, "--profile", "certification", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr));
    let (mut all, mut fixable) = (BTreeMap::new(), BTreeMap::new());
    for d in report["diagnostics"].as_array().unwrap() {
        let code = d["code"].as_str().unwrap().to_string();
        if d.get("fix").is_some() {
            *fixable.entry(code.clone()).or_insert(0) += 1;
        }
        *all.entry(code).or_insert(0) += 1;
    }
    (all, fixable)
}

/// The files (relative to `dir`) with findings of `code`.
fn files_with(dir: &Path, code: &str) -> std::collections::BTreeSet<String> {
    let r = validate_in(
        dir,
        &[".", "--profile", "certification", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            d["file"]
                .as_str()
                .unwrap()
                .trim_start_matches("./")
                .to_string()
        })
        .collect()
}

/// The fixture a rule's fix is shown on (the one its rule test uses).
fn fixture(code: &str, name: &str) -> PathBuf {
    root().join(match code {
        "PP0002" => "fixtures/broken/bom.json".to_string(),
        "PP0003" => "fixtures/broken/trailing-comma.json".to_string(),
        _ => format!("fixtures/rules/{code}-{name}"),
    })
}

#[test]
fn every_fix_on_its_fixture() {
    let mut shown = 0;
    for rule in all_rules() {
        let meta = rule.meta();
        let Some(safety) = meta.fix else { continue };
        let source = fixture(meta.code, meta.name);
        let tmp = tempfile::tempdir().unwrap();
        let target = source.file_name().unwrap().to_str().unwrap().to_string();
        if source.is_dir() {
            copy_dir(&source, &tmp.path().join(&target));
        } else {
            std::fs::copy(&source, tmp.path().join(&target)).unwrap();
        }
        let original = contents(tmp.path());
        let (before, fixable) = counts(tmp.path(), &target);
        assert!(
            fixable.get(meta.code).copied().unwrap_or(0) > 0,
            "{}: no fixable finding on {}",
            meta.code,
            source.display()
        );

        // --diff shows every fix and writes nothing; exit 1 says there is something to fix.
        let args = [
            target.as_str(),
            "--profile",
            "certification",
            "--unsafe-fixes",
        ];
        let diff = validate_in(tmp.path(), &[&args[..], &["--diff"]].concat());
        assert_eq!(diff.code, 1, "{}: {}", meta.code, diff.stderr);
        assert!(diff.stderr.starts_with("would fix "), "{}", diff.stderr);
        assert_eq!(
            contents(tmp.path()),
            original,
            "{}: --diff wrote",
            meta.code
        );
        insta::assert_snapshot!(format!("fix_{}_{}", meta.code, meta.name), diff.stdout);

        // --fix alone applies the safe fixes only.
        validate_in(
            tmp.path(),
            &[target.as_str(), "--profile", "certification", "--fix"],
        );
        let (after_safe, _) = counts(tmp.path(), &target);
        let left = after_safe.get(meta.code).copied().unwrap_or(0);
        // A finding may come without a fix (a misspelt key whose object holds the right one).
        let unfixable = before[meta.code] - fixable[meta.code];
        match safety.as_str() {
            "safe" => assert_eq!(left, unfixable, "{}: left after --fix", meta.code),
            _ => assert_eq!(left, before[meta.code], "{}: an unsafe fix ran", meta.code),
        }

        // --fix --unsafe-fixes leaves nothing of the rule, and a second run changes nothing.
        let fixed = validate_in(tmp.path(), &[&args[..], &["--fix"]].concat());
        assert!(fixed.code == 0 || fixed.code == 1, "{}", fixed.stderr);
        let (after, _) = counts(tmp.path(), &target);
        let left = after.get(meta.code).copied().unwrap_or(0);
        assert_eq!(left, unfixable, "{}: still reported", meta.code);
        let fixed_files = contents(tmp.path());
        let again = validate_in(tmp.path(), &[&args[..], &["--diff"]].concat());
        assert_eq!(again.code, 0, "{}: {}", meta.code, again.stdout);
        assert_eq!(again.stdout, "");
        assert!(
            again.stderr.starts_with("nothing to fix"),
            "{}",
            again.stderr
        );
        validate_in(tmp.path(), &[&args[..], &["--fix"]].concat());
        assert_eq!(
            contents(tmp.path()),
            fixed_files,
            "{}: not idempotent",
            meta.code
        );
        shown += 1;
    }
    assert!(shown >= 12, "only {shown} rules offer a fix");
}

/// A definition written by hand: CRLF line ends, tabs, comments, members on one line, odd
/// spacing inside strings.
const HAND_WRITTEN: &str = "{\r\n\t// a connector written by hand\r\n\t\"swagger\": \"2.0\",\r\n\
\t\"info\": {\"title\": \"Kept\", \"version\": \"1.0\", \"description\": \"  odd   spacing  \"},\r\n\
\t\"host\": \"api.fixture.example\", \"basePath\": \"/\",\r\n\t\"schemes\": [\"https\"],\r\n\
\t\"paths\": {\r\n\t\t\"/items/{id}\": {\r\n\t\t\t\"get\": {\r\n\t\t\t\t/* the only read */\r\n\
\t\t\t\t\"operationId\": \"GetItem\",\r\n\t\t\t\t\"parameters\": [\r\n\
\t\t\t\t\t{\"name\": \"id\", \"in\": \"path\", \"type\": \"string\", \"x-ms-visibilty\": \"Advanced\"}\r\n\
\t\t\t\t],\r\n\
\t\t\t\t\"responses\": {\"200\": {\"description\": \"OK\", \"schema\": {\"type\": \"object\"},}}\r\n\
\t\t\t},\r\n\t\t\t\"post\": {\r\n\t\t\t\t\"operationId\": \"Update item!\",\r\n\
\t\t\t\t\"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"type\": \"string\", \"required\": true}, \
{\"name\": \"body\", \"in\": \"body\", \"schema\": {\"type\": \"object\"}}],\r\n\
\t\t\t\t\"responses\": {\"200\": {\"description\": \"OK\"}}\r\n\t\t\t}\r\n\t\t}\r\n\t}\r\n}\r\n";

#[test]
fn fixes_keep_every_other_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("api.json");
    std::fs::write(&file, HAND_WRITTEN).unwrap();

    // The safe fixes: misspelt key renamed (and then its value's case mended in a second
    // round), `required` added, trailing comma removed, `consumes` added on its own line with
    // the neighbours' indentation and line end. Nothing else changes.
    let r = validate_in(tmp.path(), &["api.json", "--fix"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout
            .ends_with("; 5 fixed, 5 remaining (1 more with --unsafe-fixes)\n"),
        "{}",
        r.stdout
    );
    let safe = HAND_WRITTEN
        .replace(
            "{\"name\": \"id\", \"in\": \"path\", \"type\": \"string\", \"x-ms-visibilty\": \"Advanced\"}",
            "{\"name\": \"id\", \"in\": \"path\", \"required\": true, \"type\": \"string\", \"x-ms-visibility\": \"advanced\"}",
        )
        .replace("{\"type\": \"object\"},}}", "{\"type\": \"object\"}}}")
        .replace(
            "\t\t\t\t\"operationId\": \"Update item!\",\r\n",
            "\t\t\t\t\"operationId\": \"Update item!\",\r\n\t\t\t\t\"consumes\": [\"application/json\"],\r\n",
        );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), safe);

    // The unsafe one, only when asked: the operation renamed.
    let r = validate_in(tmp.path(), &["api.json", "--fix", "--unsafe-fixes"]);
    assert!(
        r.stdout.ends_with("; 1 fixed, 4 remaining\n"),
        "{}",
        r.stdout
    );
    let all = safe.replace("\"Update item!\"", "\"UpdateItem\"");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), all);

    // The diff says the same, tabs and CRLF line ends kept: `git apply` makes the same file.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("api.json"), HAND_WRITTEN).unwrap();
    let diff = validate_in(other.path(), &["api.json", "--diff", "--unsafe-fixes"]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    std::fs::write(other.path().join("fix.patch"), &diff.stdout).unwrap();
    let applied = std::process::Command::new("git")
        .args(["apply", "-p0", "fix.patch"])
        .current_dir(other.path())
        .output()
        .unwrap();
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(other.path().join("api.json")).unwrap(),
        all
    );

    // The comments are still there, still reported (no fix removes them).
    let r = validate_in(tmp.path(), &["api.json", "--fix", "--unsafe-fixes"]);
    assert!(
        r.stdout.contains("warning[PP0006]: comment in JSON"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with("; 0 fixed, 4 remaining\n"),
        "{}",
        r.stdout
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), all);
}

#[test]
fn reports_count_what_is_fixable_and_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("api.json"), HAND_WRITTEN).unwrap();
    let r = validate_in(tmp.path(), &["api.json"]);
    assert!(
        r.stdout
            .ends_with("; 4 fixable with --fix (1 more with --unsafe-fixes)\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("  = fix: rename `Update item!` to `UpdateItem` where it is named (1 place) (--fix --unsafe-fixes)\n"),
        "{}",
        r.stdout
    );
    let json = |args: &[&str]| -> serde_json::Value {
        let r = validate_in(
            tmp.path(),
            &[&["api.json", "--format", "json"], args].concat(),
        );
        serde_json::from_str(&r.stdout).unwrap()
    };
    let report = json(&[]);
    assert_eq!(report["summary"]["fixable"], 4);
    assert_eq!(report["summary"]["unsafeFixable"], 1);
    assert_eq!(report["summary"].get("fixed"), None);
    let fixes: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d.get("fix"))
        .collect();
    assert_eq!(fixes.len(), 5);
    assert!(fixes
        .iter()
        .any(|f| f["safety"] == "unsafe" && f["title"].as_str().unwrap().starts_with("rename")));
    let report = json(&["--fix", "--unsafe-fixes"]);
    assert_eq!(report["summary"]["fixed"], 6);
    assert_eq!(report["summary"]["fixable"], 0);
    assert_eq!(report["summary"]["unsafeFixable"], 0);
}

#[test]
fn unsafe_fixes_and_diff_need_fix_or_human_output() {
    let r = common::run(&[
        "validate",
        "fixtures/rules/PP0301-operation-id-not-alphanumeric",
        "--unsafe-fixes",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--fix"), "{}", r.stderr);
    let r = common::run(&[
        "validate",
        "fixtures/rules/PP0301-operation-id-not-alphanumeric",
        "--diff",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_rewritten_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    // Two connectors: one fixable through a symbolic link, one plain; neither is written.
    let linked = tmp.path().join("linked");
    copy_dir(
        &root().join("fixtures/rules/PP0308-invalid-visibility"),
        &linked,
    );
    std::fs::rename(
        linked.join("apiDefinition.swagger.json"),
        linked.join("real.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink("real.json", linked.join("apiDefinition.swagger.json")).unwrap();
    copy_dir(
        &root().join("fixtures/rules/PP0310-path-parameter-not-required"),
        &tmp.path().join("plain"),
    );
    let before = contents(tmp.path());
    let r = validate_in(tmp.path(), &[".", "--fix"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("apiDefinition.swagger.json: a symbolic link: not rewritten"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    assert_eq!(contents(tmp.path()), before);
}

fn corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus/powerplatform/certified");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("SKIPPED: corpus not found at {}", dir.display());
        None
    }
}

/// Operations per connector, as `inspect` counts them.
fn operations(dir: &Path) -> BTreeMap<String, usize> {
    let r = run_with(
        command()
            .current_dir(dir)
            .args(["inspect", ".", "--format", "json"]),
    );
    let all: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    let mut out = BTreeMap::new();
    for c in all {
        let key = format!("{} {}", c["title"], c["name"]);
        *out.entry(key).or_insert(0) += c["operations"].as_array().unwrap().len();
    }
    out
}

#[test]
fn the_certified_corpus_fixed_on_a_copy() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("certified");
    copy_dir(&corpus, &copy);
    let original = contents(&copy);
    let ops_before = operations(&copy);
    let (before, fixable) = counts(&copy, ".");
    let renamed = files_with(&copy, "PP0301");

    let r = validate_in(
        &copy,
        &[".", "--profile", "certification", "--fix", "--unsafe-fixes"],
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let (after, fixable_after) = counts(&copy, ".");
    let total: usize = fixable.values().sum();
    println!("fix corpus: {total} fixable findings before; per rule (before → after):");
    for (code, n) in &fixable {
        println!(
            "  {code}: {} ({n} fixable) → {}",
            before[code],
            after.get(code).unwrap_or(&0)
        );
        assert_eq!(
            after.get(code).copied().unwrap_or(0),
            before[code] - n,
            "{code}: not every fixable finding was fixed"
        );
    }
    assert!(total > 3000, "{total}");
    assert!(fixable_after.is_empty(), "{fixable_after:?}");
    println!(
        "fix corpus: findings {} → {}",
        before.values().sum::<usize>(),
        after.values().sum::<usize>()
    );

    // Every definition still loads, with the operations it had.
    assert_eq!(operations(&copy), ops_before);

    // A second run changes nothing.
    let fixed = contents(&copy);
    let again = validate_in(
        &copy,
        &[
            ".",
            "--profile",
            "certification",
            "--unsafe-fixes",
            "--diff",
        ],
    );
    assert_eq!(
        again.code,
        0,
        "{}",
        again.stdout.lines().take(40).collect::<Vec<_>>().join("\n")
    );

    // 40 of the changed connectors, those with renamed operations first, generate crates
    // that compile.
    let mut changed: Vec<(bool, PathBuf)> = fixed
        .iter()
        .filter(|(p, bytes)| original.get(*p) != Some(bytes))
        .filter(|(p, _)| {
            p.file_name()
                .is_some_and(|n| n == "apiDefinition.swagger.json")
        })
        .map(|(p, _)| {
            let rel = p
                .strip_prefix(&copy)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (!renamed.contains(&rel), p.parent().unwrap().to_path_buf())
        })
        .collect();
    println!("fix corpus: {} definitions changed", changed.len());
    changed.sort();
    let step = (changed.len() / 40).max(1);
    let sample: Vec<PathBuf> = changed
        .into_iter()
        .step_by(step)
        .take(40)
        .map(|(_, p)| p)
        .collect();
    assert_eq!(sample.len(), 40);
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    let mut members = Vec::new();
    for (i, dir) in sample.iter().enumerate() {
        let name = format!("fixed-{i}");
        let r = common::generate_member(&ws, &name, dir.to_str().unwrap());
        assert_eq!(r.code, 0, "{}: {}", dir.display(), r.stderr);
        members.push(name);
    }
    common::write_workspace(&ws, &members);
    let out = common::cargo(&ws, &["check", "--workspace", "--message-format", "short"]);
    println!(
        "fix corpus: {} regenerated crates, cargo check: {}",
        members.len(),
        if out.code == 0 { "ok" } else { "FAILED" }
    );
    assert_eq!(
        out.code,
        0,
        "{}",
        out.stderr.lines().take(60).collect::<Vec<_>>().join("\n")
    );
}
