//! A definition written to attack the machines that build its generated crate: code blocks of
//! both fence kinds and indented blocks that would run as doctests, bidirectional overrides that
//! rustc refuses in comments and literals, and `*/`, `#![...]`, quotes and backslashes in every
//! name and description the generator copies. Its crate must build, and `cargo test` (doctests
//! included) must run none of its text.

mod common;

use serde_json::json;
use std::path::{Path, PathBuf};

/// Text that tries everything at once; `marker` is the file its code would create.
fn hostile_text(marker: &str) -> String {
    format!(
        "Lists things.\n~~~\nstd::fs::write({marker:?}, \"tilde\").unwrap();\n~~~\n\
         ```\nstd::fs::write({marker:?}, \"backtick\").unwrap();\n```\n\n\
         \x20   std::fs::write({marker:?}, \"indented\").unwrap();\n\n\
         ~~~~rust\n```\nstd::fs::write({marker:?}, \"nested\").unwrap();\n```\n~~~~\n\
         end */ #![deny(warnings)] \" \\ \u{202e}txt.exe\u{2066} \u{1b}[2J\u{7} done"
    )
}

/// Writes `doc` as `NAME.json` in `dir` and generates crate `NAME` from it into `dir/NAME`
/// (against this checkout's SDK); the run must succeed.
fn generate(dir: &Path, name: &str, doc: &serde_json::Value) -> (common::Run, PathBuf) {
    let def = dir.join(format!("{name}.json"));
    std::fs::write(&def, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
    let r = common::generate_member(dir, name, def.to_str().unwrap());
    assert_eq!(r.code, 0, "{}", r.stderr);
    (r, dir.join(name))
}

/// A name that is every kind of trouble for an identifier, a string literal and a comment.
fn hostile_name(base: &str) -> String {
    format!("{base}\"*/#![x]\\\u{202e}\u{2067}")
}

#[test]
fn a_hostile_definition_generates_a_crate_whose_tests_run_none_of_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    let m = marker.to_str().unwrap();
    let text = hostile_text(m);
    let item = hostile_name("Item");
    let doc = json!({
        "swagger": "2.0",
        "info": {"title": hostile_name("Hostile"), "description": text, "version": "1.0"},
        "host": "api.hostile.example",
        "basePath": "/",
        "schemes": ["https"],
        "securityDefinitions": {
            hostile_name("key"): {"type": "apiKey", "in": "header", "name": "X-Key", "description": text}
        },
        "security": [{hostile_name("key"): []}],
        "tags": [{"name": hostile_name("tag"), "description": text}],
        "paths": {
            "/items/{id}": {
                "get": {
                    "operationId": hostile_name("GetItem"),
                    "summary": text,
                    "description": text,
                    "tags": [hostile_name("tag")],
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "type": "string",
                         "description": text, "x-ms-summary": text},
                        {"name": hostile_name("q"), "in": "query", "type": "string",
                         "description": text, "default": hostile_name("default")},
                        {"name": "mode", "in": "query", "type": "string",
                         "enum": [hostile_name("a"), hostile_name("b")], "description": text}
                    ],
                    "responses": {
                        "200": {"description": text, "schema": {"$ref": format!(
                            "#/definitions/{}",
                            item.replace('~', "~0").replace('/', "~1")
                        )}},
                        "default": {"description": text}
                    }
                }
            },
            "/hooks": {
                "post": {
                    "operationId": hostile_name("OnItem"),
                    "summary": text,
                    "x-ms-trigger": "single",
                    "parameters": [{"name": "body", "in": "body", "required": true, "schema": {
                        "type": "object",
                        "properties": {"callback": {"type": "string", "x-ms-notification-url": true,
                                                    "description": text}}
                    }}],
                    "responses": {"201": {"description": text}}
                }
            }
        },
        "definitions": {
            item.clone(): {
                "type": "object",
                "title": text,
                "description": text,
                "required": [hostile_name("na")],
                "properties": {
                    hostile_name("na"): {"type": "string", "description": text, "title": text},
                    "kind": {"type": "string", "enum": [hostile_name("x"), "y"], "description": text},
                    "nested": {"type": "object", "description": text, "properties": {
                        hostile_name("deep"): {"type": "integer", "description": text}
                    }}
                }
            }
        }
    });
    let (r, out) = generate(dir.path(), "hostile", &doc);
    assert!(
        !r.stderr.contains("PP0007"),
        "the hostile names resolve: {}",
        r.stderr
    );
    // What generate printed is text: no escape sequence or override reached the terminal.
    assert!(
        !r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{202e}'),
        "{:?}",
        r.stderr
    );
    for file in ["src/lib.rs", "README.md", "Cargo.toml"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        for c in ['\u{202e}', '\u{2066}', '\u{2067}', '\u{1b}', '\u{7}'] {
            assert!(!text.contains(c), "{file} holds {c:?} raw");
        }
    }
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("/// ```text"), "code blocks are text blocks");
    assert!(!lib.contains("/// ~~~"), "no tilde fence is left");
    std::fs::copy(common::root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    // Builds, then runs every test rustdoc finds, doctests included.
    let t = common::cargo(&out, &["test"]);
    assert_eq!(t.code, 0, "{}\n{}", t.stdout, t.stderr);
    // The library's unit tests, then its doctests: two test runs, none of them failing.
    assert!(
        t.stdout.matches("test result: ok").count() >= 2,
        "the doctests did not run:\n{}\n{}",
        t.stdout,
        t.stderr
    );
    assert!(
        !marker.exists(),
        "a doctest from the definition ran and wrote {}",
        marker.display()
    );
}

/// The version a definition gives (`openapi: "3.0.3\n..."`) is its own text, and the generated
/// crate's first comment names it: a line break in it must not end the comment and let the rest
/// of the text stand as code.
#[test]
fn a_version_with_line_breaks_stays_in_the_crate_comment() {
    let dir = tempfile::tempdir().unwrap();
    let doc = json!({
        "openapi": "3.0.3\n}\npub fn injected() { std::process::abort() }\n//",
        "info": {"title": "Versioned", "version": "1.0"},
        "servers": [{"url": "https://api.versioned.example"}],
        "paths": {"/items": {"get": {"operationId": "ListItems",
            "responses": {"200": {"description": "OK"}}}}}
    });
    let (_, out) = generate(dir.path(), "versioned", &doc);
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    let head: Vec<&str> = lib.lines().take_while(|l| !l.starts_with("#![")).collect();
    assert!(
        head.iter().all(|l| l.starts_with("//!")),
        "every line before the crate's attributes is a doc comment:\n{}",
        head.join("\n")
    );
    assert!(head.iter().any(|l| l.contains("pub fn injected")), "{lib}");
    syn::parse_file(&lib).expect("the generated lib.rs parses");
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        !readme.lines().any(|l| l.starts_with("pub fn injected")),
        "{readme}"
    );
}
