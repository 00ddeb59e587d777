//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod triggers;

/// The fixtures code generation is tested on: (module name, path from the workspace root).
pub const FIXTURES: &[(&str, &str)] = &[
    ("contoso_tasks", "fixtures/connectors/contoso-tasks"),
    ("acme_keys", "fixtures/connectors/acme-keys"),
    ("relay_lookup", "fixtures/connectors/relay-lookup"),
    ("refs", "fixtures/swagger2/refs/main.json"),
    ("events", "fixtures/openapi30/events.yaml"),
    ("webhooks", "fixtures/openapi31/webhooks.json"),
    ("shapes", "fixtures/openapi31/shapes.yaml"),
    ("odd_names", "fixtures/openapi31/odd-names.yaml"),
    ("postman_v1", "fixtures/postman/v1.postman_collection.json"),
    (
        "postman_v20",
        "fixtures/postman/v20.postman_collection.json",
    ),
    (
        "postman_auth",
        "fixtures/postman/v21-auth.postman_collection.json",
    ),
    (
        "postman_bodies",
        "fixtures/postman/v21-bodies.postman_collection.json",
    ),
    (
        "postman_urls",
        "fixtures/postman/v21-urls.postman_collection.json",
    ),
];

/// The workspace root (the parent of the `generator` package).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Output of one run of the CLI.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `connector-gen` with `args` from the workspace root (so paths in messages are relative).
pub fn run(args: &[&str]) -> Run {
    run_with(command().args(args))
}

/// `connector-gen` in the repository root, ready for arguments and environment.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_connector-gen"));
    c.current_dir(root()).env("NO_COLOR", "1");
    c
}

/// Runs a prepared `connector-gen` command to its end.
pub fn run_with(command: &mut Command) -> Run {
    let out = command
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run connector-gen");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Type-checks a scratch crate holding `files` (path → source) that depends on this
/// repository's `connector-sdk`. Compiled dependencies are shared between runs
/// (`target/codegen-check`). Returns cargo's messages on failure.
pub fn check_crate(name: &str, files: &[(&str, String)]) -> Result<(), String> {
    cargo_in_scratch_crate(name, files, "", &["check"]).map(|_| ())
}

/// Builds and runs a scratch crate (as [`check_crate`], with `extra_deps` lines added to its
/// `[dependencies]`); returns what it printed on stdout.
pub fn run_crate(
    name: &str,
    files: &[(&str, String)],
    extra_deps: &str,
    args: &[&str],
) -> Result<String, String> {
    let mut all = vec!["run"];
    all.push("--");
    all.extend_from_slice(args);
    cargo_in_scratch_crate(name, files, extra_deps, &all)
}

/// [`run_crate`] with the SDK's trigger runtime (feature `runtime`) enabled.
pub fn run_crate_with_runtime(
    name: &str,
    files: &[(&str, String)],
    extra_deps: &str,
    args: &[&str],
) -> Result<String, String> {
    let mut all = vec!["run", "--features", "connector-sdk/runtime", "--"];
    all.extend_from_slice(args);
    cargo_in_scratch_crate(name, files, extra_deps, &all)
}

fn cargo_in_scratch_crate(
    name: &str,
    files: &[(&str, String)],
    extra_deps: &str,
    args: &[&str],
) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let sdk = root().join("connector-sdk");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nconnector-sdk = {{ path = {:?} }}\n{extra_deps}\n[workspace]\n",
            sdk.display().to_string()
        ),
    )
    .map_err(|e| e.to_string())?;
    // The workspace's lock file pins the same dependency versions, so nothing is fetched.
    let _ = std::fs::copy(root().join("Cargo.lock"), dir.path().join("Cargo.lock"));
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::write(p, text).map_err(|e| e.to_string())?;
    }
    let (command, rest) = args.split_first().ok_or("no cargo command")?;
    let mut all = vec![*command, "--message-format", "short"];
    all.extend_from_slice(rest);
    let r = cargo(dir.path(), &all);
    if r.code == 0 {
        Ok(r.stdout)
    } else {
        Err(r.stderr)
    }
}

/// Runs `cargo COMMAND --quiet --offline REST` in `dir`, with the compiled dependencies shared
/// by every generated-code test (`target/codegen-check`).
pub fn cargo(dir: &Path, args: &[&str]) -> Run {
    cargo_with(dir, args, &[])
}

/// [`cargo`] with more environment variables.
pub fn cargo_with(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Run {
    cargo_in(dir, args, envs, true)
}

/// Runs cargo in `dir` as [`cargo_with`] does (the shared build directory, no debug info), and
/// `--quiet --offline` when `offline`; online, cargo may reach registries (a local one, or
/// crates.io for what the lock file lacks).
pub fn cargo_in(dir: &Path, args: &[&str], envs: &[(&str, &str)], offline: bool) -> Run {
    let (command, rest) = args.split_first().expect("a cargo command");
    let flags: &[&str] = if offline {
        &["--quiet", "--offline"]
    } else {
        &[]
    };
    let out = Command::new(env!("CARGO"))
        .arg(command)
        .args(flags)
        .args(rest)
        .envs(envs.iter().copied())
        .env("CARGO_TARGET_DIR", root().join("target/codegen-check"))
        // Generated crates are only checked, built and run here: no debug info saves disk and time.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .current_dir(dir)
        .output()
        .expect("run cargo");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A tool `.ci/run` installs for the tests: at `$env`, else at `default` below the workspace,
/// when `present` finds it there. Without it the caller's test prints SKIPPED (with `install`,
/// how to get it), except under CI (`CI` set), where it fails.
pub fn test_tool(
    env: &str,
    default: &str,
    present: impl Fn(&Path) -> bool,
    install: &str,
) -> Option<PathBuf> {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(default));
    if present(&path) {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} not found although CI is set: .ci/run installs it",
        path.display()
    );
    println!("SKIPPED: {} not found ({install})", path.display());
    None
}

/// `connector-gen generate PATH` into `ws/NAME` as crate NAME, depending on this checkout's
/// connector-sdk.
pub fn generate_member(ws: &Path, name: &str, path: &str) -> Run {
    let sdk = root().join("connector-sdk");
    let out = ws.join(name);
    run(&[
        "generate",
        path,
        "-o",
        out.to_str().unwrap(),
        "--name",
        name,
        "--sdk-path",
        sdk.to_str().unwrap(),
    ])
}

/// Makes `ws` a workspace of `members` (as `generate DIR` writes it), pinned by this
/// repository's lock file so that nothing is fetched.
pub fn write_workspace(ws: &Path, members: &[String]) {
    std::fs::write(
        ws.join("Cargo.toml"),
        connector_gen::codegen::crate_files::workspace_manifest(members),
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), ws.join("Cargo.lock")).unwrap();
}

/// Starts `app` on 127.0.0.1 on a runtime of its own; keep the runtime alive while it serves.
pub fn serve(app: axum::Router) -> (tokio::runtime::Runtime, std::net::SocketAddr) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
    (rt, addr)
}

/// Ids a test server answers with, and the request lines (path and query) it was sent.
pub type Ids = std::sync::Arc<std::sync::Mutex<Vec<u64>>>;
pub type RequestLog = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// A server on 127.0.0.1 answering every GET with `[{"id": n}]` for the ids in `items`, only
/// those above `since` when the query has `since=N` (a feed polled by a trigger).
pub fn serve_ids(items: Ids) -> (tokio::runtime::Runtime, std::net::SocketAddr, RequestLog) {
    let requests: RequestLog = Default::default();
    let log = requests.clone();
    let app = axum::Router::new().fallback(move |u: axum::http::Uri| {
        let (items, log) = (items.clone(), log.clone());
        async move {
            log.lock().unwrap().push(u.to_string());
            let since: u64 = u
                .query()
                .and_then(|q| q.strip_prefix("since="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let newer: Vec<serde_json::Value> = items
                .lock()
                .unwrap()
                .iter()
                .filter(|n| **n > since)
                .map(|n| serde_json::json!({"id": n}))
                .collect();
            axum::Json(newer)
        }
    });
    let (rt, addr) = serve(app);
    (rt, addr, requests)
}

/// ` name=value` for a request header that is there (for request logs), else nothing.
pub fn header_field(h: &axum::http::HeaderMap, name: &str) -> String {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| format!(" {name}={v}"))
        .unwrap_or_default()
}

/// Fails unless the generated page `rel` (from the workspace root) holds `expected`;
/// `UPDATE_RULES_DOC=1` writes it first. `command` is how to regenerate it.
pub fn assert_generated_page(rel: &str, expected: &str, command: &str) {
    let path = root().join(rel);
    if std::env::var_os("UPDATE_RULES_DOC").is_some() {
        std::fs::write(&path, expected).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == expected,
        "{rel} is stale: run `{command} > {rel}`"
    );
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The names of the entries of `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An API on 127.0.0.1 that answers every request with `body` (JSON) and records
/// `PATH?QUERY authorization=… x-api-key=…` of each (`-` for a header not sent).
pub fn recording_api(body: serde_json::Value) -> (tokio::runtime::Runtime, String, RequestLog) {
    use axum::http::{HeaderMap, Uri};
    let log: RequestLog = RequestLog::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(move |u: Uri, h: HeaderMap| {
        let (l, body) = (l.clone(), body.clone());
        async move {
            let get = |k: &str| {
                h.get(k)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-")
                    .to_string()
            };
            l.lock().unwrap().push(format!(
                "{u} authorization={} x-api-key={}",
                get("authorization"),
                get("x-api-key")
            ));
            axum::Json(body)
        }
    });
    let (rt, addr) = serve(app);
    (rt, format!("http://{addr}"), log)
}

/// The folders and `.json`/`.yaml` files directly in `dir`, sorted: the inputs of a corpus
/// directory.
pub fn inputs_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_dir()
                || matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("json" | "yaml")
                )
        })
        .collect();
    v.sort();
    v
}
