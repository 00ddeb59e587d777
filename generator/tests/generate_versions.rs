//! `connector-gen generate` on a crate generated before: the version follows what changed in
//! the definition (its `definition/` copy is the old side of a diff), `--version` overrides it,
//! and a copy that cannot be read never passes for "nothing changed".

mod common;
use common::run;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    common::root().join("fixtures/changes").join(name)
}

/// The `version` line of a generated crate's Cargo.toml.
fn version(dir: &Path) -> String {
    let cargo = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let table: toml::Table = cargo.parse().unwrap();
    table["package"]["version"].as_str().unwrap().to_string()
}

/// Asserts that `generate` said `text` on stderr.
fn said(r: &common::Run, text: impl AsRef<str>) {
    assert!(r.stderr.contains(text.as_ref()), "{}", r.stderr);
}

/// Generates `def` (copied to `work/def.json` first, as a user edits one file) into `out`.
fn generate(work: &Path, def: &Path, out: &Path, extra: &[&str]) -> common::Run {
    std::fs::copy(def, work.join("def.json")).unwrap();
    let mut args = vec![
        "generate".to_string(),
        work.join("def.json").to_str().unwrap().to_owned(),
        "-o".into(),
        out.to_str().unwrap().to_owned(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args)
}

#[test]
fn the_version_follows_what_changed_in_the_definition() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("crate");
    let r = generate(work.path(), &fixture("base.json"), &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(version(&out), "0.1.0");
    assert!(!r.stderr.contains("Version"), "{}", r.stderr);

    // The same definition: the same version.
    let r = generate(work.path(), &fixture("base.json"), &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    said(&r, "  Version  0.1.0: the definition is unchanged");
    assert_eq!(version(&out), "0.1.0");

    // An addition: compatible, so below 1.0 the last part.
    let r = generate(
        work.path(),
        &fixture("PC0102-operation-added.json"),
        &out,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    said(
        &r,
        "  Version  0.1.1, was 0.1.0: 1 change, none breaking (compatible: `^0.1.0` takes it)",
    );
    said(
        &r,
        "info[PC0102 operation-added]: operation `ListProjects` (GET /projects) was added",
    );
    said(&r, "(crate `change-tasks` 0.1.1,");
    assert_eq!(version(&out), "0.1.1");

    // Operations removed: breaking, so below 1.0 the middle part; the reasons are listed.
    let r = generate(
        work.path(),
        &fixture("PC0101-operation-removed.json"),
        &out,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    said(&r, "  Version  0.2.0, was 0.1.1: 2 breaking changes and 1 other change (a new major version: `^0.1.1` does not take it)");
    for removed in ["DeleteTask", "ListProjects"] {
        said(
            &r,
            format!("breaking[PC0101 operation-removed]: operation `{removed}`"),
        );
    }
    assert_eq!(version(&out), "0.2.0");

    // --version overrides; from 1.0 a break is a new major version.
    let r = generate(
        work.path(),
        &fixture("base.json"),
        &out,
        &["--version", "1.0.0"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    said(
        &r,
        "  Version  1.0.0 from --version; the changes since 0.2.0 call for 0.2.1",
    );
    assert_eq!(version(&out), "1.0.0");
    let r = generate(
        work.path(),
        &fixture("PC0206-parameter-became-required.json"),
        &out,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    said(&r, "  Version  2.0.0, was 1.0.0: ");
    said(&r, "PC0206");
    assert_eq!(version(&out), "2.0.0");
    // A parameter made optional again is a change no rule reports: a patch.
    let r = generate(work.path(), &fixture("base.json"), &out, &[]);
    said(
        &r,
        "  Version  2.0.1, was 2.0.0: no change a rule reports (compatible: `^2.0.0` takes it)",
    );
    assert_eq!(version(&out), "2.0.1");
}

#[test]
fn a_version_asked_for_that_misleads_cargo_is_warned_about() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("crate");
    assert_eq!(
        generate(
            work.path(),
            &fixture("base.json"),
            &out,
            &["--version", "1.4.0"]
        )
        .code,
        0
    );
    let removed = fixture("PC0101-operation-removed.json");
    for (asked, warning) in [
        ("1.3.9", "--version 1.3.9 is below 1.4.0, the version generated before"),
        ("1.4.0", "--version 1.4.0 is the version generated before, from another definition: a registry will not publish it again"),
        ("1.5.0", "--version 1.5.0 is compatible with 1.4.0 for cargo, but the changes are breaking: users of `^1.4.0` would get a crate that breaks them"),
    ] {
        // Each from the same crate at 1.4.0.
        let at = work.path().join(format!("at-{asked}"));
        assert_eq!(
            generate(work.path(), &fixture("base.json"), &at, &["--version", "1.4.0"]).code,
            0
        );
        let r = generate(work.path(), &removed, &at, &["--version", asked]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("  Warning  {warning}")),
            "{asked}: {}",
            r.stderr
        );
        assert_eq!(version(&at), asked);
    }
    let r = generate(work.path(), &removed, &out, &["--version", "2.0.0"]);
    assert!(!r.stderr.contains("Warning"), "{}", r.stderr);
}

#[test]
fn a_definition_in_folders_is_copied_with_its_folders_and_compared_whole() {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("api");
    std::fs::create_dir_all(src.join("schemas")).unwrap();
    let main = r#"{"swagger": "2.0", "info": {"title": "Pets", "version": "1.0"}, "host": "pets.example", "basePath": "/",
  "paths": {"/pets": {"post": {"operationId": "AddPet",
    "parameters": [{"name": "body", "in": "body", "required": true, "schema": {"$ref": "schemas/pet.json"}}],
    "responses": {"200": {"description": "ok", "schema": {"$ref": "schemas/pet.json"}}}}}}}"#;
    let pet = |required: &str| {
        format!(
            r#"{{"type": "object", "required": {required}, "properties": {{"name": {{"type": "string"}}, "tag": {{"type": "string"}}}}}}"#
        )
    };
    std::fs::write(src.join("main.json"), main).unwrap();
    std::fs::write(src.join("schemas/pet.json"), pet("[\"name\"]")).unwrap();
    let out = work.path().join("crate");
    let gen = || {
        run(&[
            "generate",
            src.join("main.json").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
    };
    let r = gen();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The referenced file keeps its folder, byte for byte.
    assert_eq!(
        std::fs::read(out.join("definition/schemas/pet.json")).unwrap(),
        std::fs::read(src.join("schemas/pet.json")).unwrap()
    );
    let r = gen();
    said(&r, "  Version  0.1.0: the definition is unchanged");
    // A change in the referenced file alone is seen: `tag` required in the request body.
    std::fs::write(src.join("schemas/pet.json"), pet("[\"name\", \"tag\"]")).unwrap();
    let r = gen();
    assert_eq!(r.code, 0, "{}", r.stderr);
    said(&r, "  Version  0.2.0, was 0.1.0: ");
    said(&r, "breaking[PC0301");
}

#[test]
fn an_unreadable_copy_or_version_is_never_taken_for_no_change() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("crate");
    assert_eq!(
        generate(work.path(), &fixture("base.json"), &out, &[]).code,
        0
    );
    // The copy is gone: what changed is not known, so it is breaking.
    std::fs::remove_file(out.join("definition/def.json")).unwrap();
    let r = generate(work.path(), &fixture("base.json"), &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("  Version  0.2.0, was 0.1.0: the definition it was generated from (")
            && r.stderr
                .contains("cannot be read, so what changed is not known: taken as breaking"),
        "{}",
        r.stderr
    );
    assert_eq!(version(&out), "0.2.0");

    // A copy that is a link to a file outside the crate is not read.
    #[cfg(unix)]
    {
        let outside = work.path().join("outside.json");
        std::fs::copy(fixture("base.json"), &outside).unwrap();
        std::fs::remove_file(out.join("definition/def.json")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("definition/def.json")).unwrap();
        let r = generate(work.path(), &fixture("base.json"), &out, &["--force"]);
        said(&r, "taken as breaking");
        // Nor replaced: the crate is left as it was.
        assert_eq!(r.code, 2, "{}", r.stderr);
        said(&r, "def.json: a symbolic link; refusing to replace it");
        assert_eq!(version(&out), "0.2.0");
        std::fs::remove_file(out.join("definition/def.json")).unwrap();
        // A folder of the crate that is a link elsewhere: nothing is written through it.
        let elsewhere = work.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::rename(out.join("definition"), work.path().join("moved")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("definition")).unwrap();
        std::fs::copy(fixture("base.json"), elsewhere.join("def.json")).unwrap();
        let r = generate(work.path(), &fixture("base.json"), &out, &["--force"]);
        said(&r, "taken as breaking");
        assert_eq!(r.code, 2, "{}", r.stderr);
        said(&r, "definition: not a folder (a link or a file is there)");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 1);
        assert_eq!(version(&out), "0.2.0");
        std::fs::remove_file(out.join("definition")).unwrap();
        std::fs::rename(work.path().join("moved"), out.join("definition")).unwrap();
    }

    // A Cargo.toml whose version cargo would not accept: the crate starts again.
    let cargo = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    std::fs::write(
        out.join("Cargo.toml"),
        cargo.replacen("version = \"0.2.0\"", "version = \"two\"", 1),
    )
    .unwrap();
    let r = generate(work.path(), &fixture("base.json"), &out, &["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    said(
        &r,
        "Cargo.toml names no version cargo accepts: starting again",
    );
    assert_eq!(version(&out), "0.1.0");
}

#[test]
fn bad_versions_and_a_version_for_many_crates_are_refused() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("crate");
    let r = generate(
        work.path(),
        &fixture("base.json"),
        &out,
        &["--version", "1.0"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    said(&r, "not a version cargo accepts");
    assert!(!out.exists());
    let r = run(&[
        "generate",
        "fixtures/connectors",
        "-o",
        out.to_str().unwrap(),
        "--version",
        "1.0.0",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    said(
        &r,
        "error: --version sets the version of one crate, and fixtures/connectors holds",
    );
    assert!(!out.exists());
}

#[test]
fn a_workspace_regenerated_says_each_crates_version() {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("connectors");
    for (name, def) in [("one", "base.json"), ("two", "base.json")] {
        std::fs::create_dir_all(src.join(name)).unwrap();
        std::fs::copy(
            fixture(def),
            src.join(name).join("apiDefinition.swagger.json"),
        )
        .unwrap();
    }
    let out = work.path().join("out");
    let gen = || {
        run(&[
            "generate",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
    };
    let r = gen();
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::copy(
        fixture("PC0101-operation-removed.json"),
        src.join("two/apiDefinition.swagger.json"),
    )
    .unwrap();
    let r = gen();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = |crate_name: &str| {
        r.stderr
            .lines()
            .find(|l| l.starts_with(&format!("Generated  {crate_name} ")))
            .unwrap_or_else(|| panic!("{crate_name}: {}", r.stderr))
            .to_string()
    };
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let versions: Vec<String> = names.iter().map(|n| version(&out.join(n))).collect();
    assert!(
        versions.contains(&"0.1.0".to_string()) && versions.contains(&"0.2.0".to_string()),
        "{versions:?}"
    );
    for n in &names {
        let l = line(n);
        if version(&out.join(n)) == "0.2.0" {
            assert!(
                l.contains("; version 0.2.0, was 0.1.0: 1 breaking change (a new major version"),
                "{l}"
            );
        } else {
            assert!(
                l.contains("; version 0.1.0: the definition is unchanged"),
                "{l}"
            );
        }
    }
}
