//! `connector-gen generate`: a crate that builds, written whole or not at all, regenerated
//! without ever losing a hand edit silently.

mod common;
use common::run;
use std::path::Path;

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn a_connector_folder_becomes_a_crate_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("contoso");
    let r = run(&[
        "generate",
        "fixtures/connectors/contoso-tasks",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Generated  contoso-tasks (crate `contoso-tasks` 0.1.0"),
        "{}",
        r.stderr
    );
    for f in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        ".connector-gen.json",
        "definition/apiDefinition.swagger.json",
        "definition/apiProperties.json",
        "definition/settings.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    // The definition is copied byte for byte.
    assert_eq!(
        read(&out.join("definition/apiDefinition.swagger.json")),
        read(&common::root().join("fixtures/connectors/contoso-tasks/apiDefinition.swagger.json"))
    );
    let cargo = String::from_utf8(read(&out.join("Cargo.toml"))).unwrap();
    assert!(
        cargo.contains("name = \"contoso-tasks\"") && cargo.contains("authors = [\"Contoso Ltd\"]"),
        "{cargo}"
    );
    let readme = String::from_utf8(read(&out.join("README.md"))).unwrap();
    assert!(
        readme.contains("| `GET` | `ListProjects` | List projects |"),
        "{readme}"
    );
    // It builds on its own (dependencies shared with the other generated-code tests).
    let build = common::cargo(&out, &["check"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // It is ready to package: the manifest has what crates.io asks for (no warning), and the
    // package holds the source, the definition and the README.
    let package = common::cargo(&out, &["package", "--list", "--allow-dirty"]);
    assert_eq!(package.code, 0, "{}", package.stderr);
    assert!(!package.stderr.contains("warning"), "{}", package.stderr);
    for f in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "definition/apiDefinition.swagger.json",
        "definition/apiProperties.json",
    ] {
        assert!(
            package.stdout.lines().any(|l| l == f),
            "{f} not packaged:\n{}",
            package.stdout
        );
    }
    for f in ["Cargo.toml", "README.md"] {
        assert!(
            read(&out.join(f)).ends_with(b"\n"),
            "{f} does not end with a newline"
        );
    }
}

#[test]
fn generation_is_deterministic_and_regeneration_protects_hand_edits() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let r = run(&[
            "generate",
            "fixtures/openapi30/events.yaml",
            "-o",
            out.to_str().unwrap(),
            "--sdk-version",
            "0.1.0",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    for f in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        ".connector-gen.json",
    ] {
        assert_eq!(
            read(&a.join(f)),
            read(&b.join(f)),
            "{f} differs between two runs"
        );
    }
    // Regenerating over an untouched crate is fine.
    let r = run(&[
        "generate",
        "fixtures/openapi30/events.yaml",
        "-o",
        a.to_str().unwrap(),
        "--sdk-version",
        "0.1.0",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A hand edit stops regeneration, and nothing is written.
    let lib = a.join("src/lib.rs");
    let mut edited = read(&lib);
    edited.extend_from_slice(b"\n// my change\n");
    std::fs::write(&lib, &edited).unwrap();
    let r = run(&[
        "generate",
        "fixtures/openapi30/events.yaml",
        "-o",
        a.to_str().unwrap(),
        "--sdk-version",
        "0.1.0",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("edited by hand: src/lib.rs") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(read(&lib), edited, "the edited file was left alone");
    // --force overwrites it.
    let r = run(&[
        "generate",
        "fixtures/openapi30/events.yaml",
        "-o",
        a.to_str().unwrap(),
        "--sdk-version",
        "0.1.0",
        "--force",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(read(&lib), read(&b.join("src/lib.rs")));
}

/// Arguments that would make a crate cargo cannot read, and outputs that cannot be written,
/// are refused before anything is written (exit 2, saying what to do).
#[test]
fn bad_arguments_and_outputs_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let under_file = file.join("crate");
    for (extra, expected) in [
        (
            vec!["-o", out, "--name", "bad name!"],
            "a crate name is ASCII letters",
        ),
        (vec!["-o", out, "--name", "1st"], "starts with a letter"),
        (
            vec!["-o", out, "--sdk-version", "latest"],
            "not a version cargo accepts",
        ),
        (
            vec!["-o", out, "--sdk-path", "/nonexistent"],
            "no Cargo.toml there",
        ),
        (
            vec!["-o", file.to_str().unwrap()],
            "a file is there, not a directory",
        ),
        (
            vec!["-o", under_file.to_str().unwrap()],
            "is a file, not a directory",
        ),
    ] {
        let mut args = vec!["generate", "fixtures/connectors/contoso-tasks"];
        args.extend(extra.iter().copied());
        let r = run(&args);
        assert_eq!(r.code, 2, "{extra:?}: {}", r.stderr);
        assert!(r.stderr.contains(expected), "{extra:?}: {}", r.stderr);
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the file made by the test is there");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a directory");
}

#[test]
fn a_definition_with_errors_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("broken");
    let r = run(&[
        "generate",
        "fixtures/broken/missing-comma.json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error[PP0001]") && r.stderr.contains("nothing was generated"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary directory is left behind"
    );
}

#[test]
fn validator_errors_are_listed_and_the_crate_is_generated_anyway() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    let r = run(&[
        "generate",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Error  [PP0012]"), "{}", r.stderr);
    assert!(out.join("src/lib.rs").is_file());
}

#[test]
fn a_directory_that_was_not_generated_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let r = run(&[
        "generate",
        "fixtures/connectors/contoso-tasks",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("was not generated by connector-gen"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_directory_of_connectors_becomes_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("connectors");
    for (from, to) in [
        ("fixtures/connectors/contoso-tasks", "contoso-tasks"),
        ("fixtures/rules/clean", "fixture-clean"),
    ] {
        let target = input.join(to);
        std::fs::create_dir_all(&target).unwrap();
        for entry in std::fs::read_dir(common::root().join(from)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
        }
    }
    let out = dir.path().join("ws");
    let r = run(&[
        "generate",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ws = String::from_utf8(read(&out.join("Cargo.toml"))).unwrap();
    assert!(
        ws.contains("\"contoso-tasks\"") && ws.contains("\"fixture-clean\""),
        "{ws}"
    );
    assert!(
        out.join("contoso-tasks/src/lib.rs").is_file()
            && out.join("fixture-clean/src/lib.rs").is_file()
    );
}

/// Every fixture's crate passes clippy with warnings denied (the crates say
/// `#![warn(missing_docs)]`, so an undocumented item fails too), and rustdoc documents it
/// without a warning (no broken intra-doc link, no stray HTML from a description).
#[test]
fn generated_crates_are_clippy_clean_and_document_without_warnings() {
    let ws = tempfile::tempdir().unwrap();
    let mut members = Vec::new();
    for (name, path) in common::FIXTURES {
        let crate_name = name.replace('_', "-");
        let r = common::generate_member(ws.path(), &crate_name, path);
        assert_eq!(r.code, 0, "{path}: {}", r.stderr);
        members.push(crate_name);
    }
    common::write_workspace(ws.path(), &members);
    let out = common::cargo(
        ws.path(),
        &["clippy", "--workspace", "--", "-D", "warnings"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = common::cargo_with(
        ws.path(),
        &["doc", "--no-deps", "--workspace", "--keep-going"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    assert_eq!(doc.code, 0, "{}", doc.stderr);
}
