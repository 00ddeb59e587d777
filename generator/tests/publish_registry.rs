//! Publishing generated crates to a real registry, end to end: `cargo-http-registry` (from
//! crates.io, installed by `.ci/run`) serves a registry on 127.0.0.1; connector-sdk and a
//! generated crate are published to it with `cargo publish` (which packages and builds the
//! crate as its users will get it); a consumer crate depends on the connector by version from
//! that registry. Then the definition changes twice — an addition (0.1.1) and a breaking change
//! (0.2.0, chosen by `generate` from the diff) — each published; the consumer's `^0.1`
//! requirement takes the first and not the second, and the API the second removed is indeed
//! gone from it.
//!
//! The registry server is found at `$CARGO_HTTP_REGISTRY` or
//! `.tools/cargo-http-registry/bin/cargo-http-registry`; without it the test prints SKIPPED,
//! except under CI (`CI` set), where it fails.

mod common;
use common::run;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn registry_server() -> Option<PathBuf> {
    common::test_tool(
        "CARGO_HTTP_REGISTRY",
        ".tools/cargo-http-registry/bin/cargo-http-registry",
        Path::is_file,
        "cargo install --locked --root .tools/cargo-http-registry cargo-http-registry",
    )
}

/// The registry server, stopped when dropped.
struct Registry {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    api: String,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Registry {
    /// Starts the server on an ephemeral loopback port; its address is in the `config.json` it
    /// writes into its root.
    fn start(server: &Path, root: &Path) -> Registry {
        let child = Command::new(server)
            .arg("--addr")
            .arg("127.0.0.1:0")
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start cargo-http-registry");
        let mut registry = Registry {
            child,
            api: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let api = std::fs::read_to_string(root.join("config.json"))
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| v["api"].as_str().map(str::to_owned));
            if let Some(api) = api {
                assert!(api.starts_with("http://127.0.0.1:"), "{api}");
                registry.api = api;
                return registry;
            }
            assert!(
                Instant::now() < deadline,
                "cargo-http-registry wrote no config.json"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Runs cargo in `dir`, online, with the registry known as `local` (its git index over HTTP,
/// fetched by the git command line as cargo-http-registry asks) and the build directory the
/// other generated-crate tests use.
fn cargo(registry: &Registry, dir: &Path, args: &[&str]) -> common::Run {
    let index = format!("{}/git", registry.api);
    common::cargo_in(
        dir,
        args,
        &[
            ("CARGO_REGISTRIES_LOCAL_INDEX", &index),
            // The registry checks no token, and cargo wants one to publish.
            ("CARGO_REGISTRIES_LOCAL_TOKEN", "unused"),
            ("CARGO_NET_GIT_FETCH_WITH_CLI", "true"),
            ("CARGO_TERM_COLOR", "never"),
        ],
        false,
    )
}

/// Generates `fixtures/changes/NAME` into `out` for publishing to `local`, depending on the SDK
/// published there; returns what `generate` said.
fn generate(out: &Path, fixture: &str) -> String {
    let r = run(&[
        "generate",
        &format!("fixtures/changes/{fixture}"),
        "-o",
        out.to_str().unwrap(),
        "--sdk-version",
        env!("CARGO_PKG_VERSION"),
        "--sdk-registry",
        "local",
        "--repository",
        "https://example.com/change-tasks",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The workspace's lock file pins the versions of the dependencies (the ones already built
    // for the other tests); cargo resolves what it lacks.
    std::fs::copy(common::root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    r.stderr
}

/// The version of `name` that a consumer's lock file holds.
fn locked_version(consumer: &Path, name: &str) -> String {
    let lock: toml::Table = std::fs::read_to_string(consumer.join("Cargo.lock"))
        .unwrap()
        .parse()
        .unwrap();
    lock["package"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str() == Some(name))
        .and_then(|p| p["version"].as_str())
        .unwrap_or_else(|| panic!("{name} not in the lock file"))
        .to_string()
}

/// A consumer crate that depends on `change-tasks` by `requirement` from `local` and uses an
/// operation the breaking change removes.
fn consumer(dir: &Path, requirement: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"flows\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nchange-tasks = {{ version = \"{requirement}\", registry = \"local\" }}\n\n[workspace]\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        "fn main() {\n    let client = change_tasks::Client::new(change_tasks::auth::api_key(\"key\")).expect(\"a client\");\n    let _delete = change_tasks::Client::delete_task;\n    let _ = client;\n}\n",
    )
    .unwrap();
    let _ = std::fs::copy(common::root().join("Cargo.lock"), dir.join("Cargo.lock"));
}

#[test]
fn generated_crates_publish_to_a_registry_and_semver_protects_their_users() {
    let Some(server) = registry_server() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let registry = Registry::start(&server, &work.path().join("registry"));

    // The SDK first: generated crates depend on it by version from the same registry (it is
    // built and tested everywhere else, so it is not verified again here).
    let sdk = cargo(
        &registry,
        &common::root(),
        &[
            "publish",
            "-p",
            "connector-sdk",
            "--registry",
            "local",
            "--allow-dirty",
            "--no-verify",
        ],
    );
    assert_eq!(sdk.code, 0, "{}", sdk.stderr);

    // 0.1.0, published: `cargo publish` packages it and builds the package against the SDK
    // from the registry.
    let tasks = work.path().join("change-tasks");
    let said = generate(&tasks, "base.json");
    assert!(said.contains("(crate `change-tasks` 0.1.0,"), "{said}");
    let published = cargo(&registry, &tasks, &["publish", "--registry", "local"]);
    assert_eq!(published.code, 0, "{}", published.stderr);
    assert!(
        published.stderr.contains("Verifying change-tasks v0.1.0")
            && published
                .stderr
                .contains("Published change-tasks v0.1.0 at registry `local`"),
        "{}",
        published.stderr
    );

    // A consumer that asks for ^0.1 builds against it.
    let flows = work.path().join("flows");
    consumer(&flows, "0.1");
    let built = cargo(&registry, &flows, &["build"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert_eq!(locked_version(&flows, "change-tasks"), "0.1.0");

    // An operation added: compatible, 0.1.1.
    let said = generate(&tasks, "PC0102-operation-added.json");
    assert!(said.contains("  Version  0.1.1, was 0.1.0"), "{said}");
    let published = cargo(&registry, &tasks, &["publish", "--registry", "local"]);
    assert_eq!(published.code, 0, "{}", published.stderr);

    // Operations removed: breaking, 0.2.0.
    let said = generate(&tasks, "PC0101-operation-removed.json");
    assert!(said.contains("  Version  0.2.0, was 0.1.1"), "{said}");
    assert!(
        said.contains("breaking[PC0101 operation-removed]: operation `DeleteTask`"),
        "{said}"
    );
    let published = cargo(&registry, &tasks, &["publish", "--registry", "local"]);
    assert_eq!(published.code, 0, "{}", published.stderr);
    assert!(
        published
            .stderr
            .contains("Published change-tasks v0.2.0 at registry `local`"),
        "{}",
        published.stderr
    );

    // `cargo update` takes the compatible 0.1.1 and leaves 0.2.0 alone; the consumer builds.
    let updated = cargo(&registry, &flows, &["update", "-p", "change-tasks"]);
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    assert_eq!(locked_version(&flows, "change-tasks"), "0.1.1");
    let built = cargo(&registry, &flows, &["build"]);
    assert_eq!(built.code, 0, "{}", built.stderr);

    // The bump was needed: asking for 0.2 gets a crate without `delete_task`.
    let next = work.path().join("flows-next");
    consumer(&next, "0.2");
    let broken = cargo(&registry, &next, &["build"]);
    assert_ne!(broken.code, 0, "{}", broken.stderr);
    assert!(broken.stderr.contains("delete_task"), "{}", broken.stderr);
    assert_eq!(locked_version(&next, "change-tasks"), "0.2.0");
}
