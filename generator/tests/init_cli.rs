//! `connector-gen init`: every connection template validates with the certification profile,
//! generates a crate that builds, and connects and calls against a local server; nothing is
//! ever overwritten.

mod common;

use common::{command, generate_member, run, run_with, write_workspace};
use std::path::Path;

const TEMPLATES: [&str; 5] = ["none", "basic", "apikey", "oauth2generic", "aad"];

fn init(dir: &Path, auth: &str, extra: &[&str]) -> common::Run {
    let mut args = vec!["init", dir.to_str().unwrap(), "--auth", auth];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_template_validates_with_the_certification_profile() {
    let tmp = tempfile::tempdir().unwrap();
    for auth in TEMPLATES {
        let dir = tmp.path().join(format!("contoso-{auth}"));
        let r = init(
            &dir,
            auth,
            &["--script", "--settings", "--title", "Contoso Items"],
        );
        assert_eq!(r.code, 0, "{auth}: {}", r.stderr);
        assert_eq!(
            common::file_names(&dir),
            [
                "apiDefinition.swagger.json",
                "apiProperties.json",
                "icon.png",
                "readme.md",
                "script.csx",
                "settings.json"
            ],
            "{auth}"
        );
        let r = run(&[
            "validate",
            "--profile",
            "certification",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{auth}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout.contains("ok: 0 errors, 0 warnings"),
            "{auth}: {}",
            r.stdout
        );
        let props = json(&dir.join("apiProperties.json"));
        let p = &props["properties"];
        assert_eq!(p["scriptOperations"], serde_json::json!(["ListItems"]));
        assert_eq!(p["iconBrandColor"], "#da3b01");
        let params = p["connectionParameters"].as_object().unwrap();
        let keys: Vec<&str> = params.keys().map(String::as_str).collect();
        match auth {
            "none" => assert!(keys.is_empty()),
            "basic" => assert_eq!(keys, ["username", "password"]),
            "apikey" => assert_eq!(keys, ["api_key"]),
            _ => {
                let o = &params["token"]["oAuthSettings"];
                assert_eq!(o["redirectMode"], "GlobalPerConnector", "{auth}");
                assert!(
                    o.get("redirectUrl").is_none(),
                    "the platform makes the per-connector URL"
                );
                let provider = if auth == "aad" {
                    "aad"
                } else {
                    "oauth2generic"
                };
                assert_eq!(o["identityProvider"], provider);
            }
        }
        let readme = std::fs::read_to_string(dir.join("readme.md")).unwrap();
        let mut at = 0;
        for section in [
            "# Contoso Items",
            "## Publisher: Contoso",
            "## Prerequisites",
            "## Supported Operations",
            "### List items",
            "## Obtaining Credentials",
            "## Getting Started",
            "## Known Issues and Limitations",
            "## Frequently Asked Questions",
            "## Deployment Instructions",
        ] {
            at += readme[at..]
                .find(section)
                .unwrap_or_else(|| panic!("{auth}: `{section}` missing or out of order"));
        }
        let script = std::fs::read_to_string(dir.join("script.csx")).unwrap();
        assert!(
            script.contains("public class Script : ScriptBase") && script.contains("ExecuteAsync")
        );
    }
    // Without --script and --settings: the three files.
    let plain = tmp.path().join("plain");
    assert_eq!(init(&plain, "apikey", &[]).code, 0);
    assert_eq!(std::fs::read_dir(&plain).unwrap().count(), 4);
    assert!(json(&plain.join("apiProperties.json"))["properties"]
        .get("scriptOperations")
        .is_none());
}

#[test]
fn init_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("readme.md"), "my notes").unwrap();
    let r = init(&dir, "basic", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("readme.md exists; nothing was written"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing else was written"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("readme.md")).unwrap(),
        "my notes"
    );
    // A title from the folder's name; a bad host is refused before anything is written.
    let r = init(&tmp.path().join("northwind-orders"), "none", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = json(
        &tmp.path()
            .join("northwind-orders/apiDefinition.swagger.json"),
    );
    assert_eq!(d["info"]["title"], "Northwind Orders");
    let r = init(&tmp.path().join("bad"), "none", &["--host", "ftp://x"]);
    assert_eq!(r.code, 2);
    assert!(!tmp.path().join("bad").exists());
}

#[test]
fn every_template_generates_a_crate_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    let mut members = Vec::new();
    for auth in TEMPLATES {
        let dir = tmp.path().join(format!("init-{auth}"));
        assert_eq!(init(&dir, auth, &[]).code, 0);
        let name = format!("init-{auth}");
        let r = generate_member(&ws, &name, dir.to_str().unwrap());
        assert_eq!(r.code, 0, "{auth}: {}", r.stderr);
        members.push(name);
    }
    write_workspace(&ws, &members);
    let r = common::cargo(&ws, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn key_templates_connect_and_call_a_local_server() {
    let (_rt, base, log) =
        common::recording_api(serde_json::json!({"value": [{"id": "1", "name": "first"}]}));
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let cg = || {
        let mut c = command();
        c.env("CONNECTOR_GEN_HOME", &home)
            .env_remove("CONNECTOR_GEN_KEY");
        c
    };
    for (auth, params, expected) in [
        ("none", vec![], "/items authorization=- x-api-key=-"),
        (
            "basic",
            vec!["username=ada", "password=s3cret"],
            "/items authorization=Basic YWRhOnMzY3JldA== x-api-key=-",
        ),
        (
            "apikey",
            vec!["api_key=key-123"],
            "/items authorization=- x-api-key=key-123",
        ),
    ] {
        let dir = tmp.path().join(auth);
        assert_eq!(init(&dir, auth, &["--host", &base]).code, 0);
        let d = dir.to_str().unwrap();
        log.lock().unwrap().clear();
        let mut call = vec!["call", d, "ListItems"];
        if auth != "none" {
            // connect stores the connection after its test connection (ListItems) answered.
            let mut c = cg();
            c.args(["connect", d, "--name", auth]);
            for p in &params {
                c.args(["--param", p]);
            }
            let r = run_with(&mut c);
            assert_eq!(r.code, 0, "{auth}: {}", r.stderr);
            assert!(
                r.stdout.contains(&format!("Stored connection `{auth}`")),
                "{}",
                r.stdout
            );
            call.extend(["--connection", auth]);
        }
        let r = run_with(cg().args(&call));
        assert_eq!(r.code, 0, "{auth}: {}", r.stderr);
        let body: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(body["value"][0]["name"], "first", "{}", r.stdout);
        let sent = log.lock().unwrap().clone();
        assert!(
            !sent.is_empty() && sent.iter().all(|l| l == expected),
            "{auth}: {sent:?}"
        );
    }
}
