//! `connector-gen call` against Prism (`@stoplight/prism-cli`, installed by `.ci/run`) mocking
//! real corpus definitions: every GET action of each is called with sample values for its
//! required parameters; each call must succeed and Prism must log no request violation
//! (`Violation: request...`: a parameter, header, body or credential the definition does not
//! allow).
//!
//! Prism is found at `$PRISM` or `.tools/prism/node_modules/.bin/prism`; without it the test
//! prints SKIPPED, except under CI (`CI` set), where it fails.

mod common;

use connector_gen::load::LoadOptions;
use connector_gen::model::*;
use connector_gen::pipeline;
use serde_json::{json, Value};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Connectors with many GET actions and different authentication: none, API key, basic, OAuth
/// (Almabase also has policy templates).
const CONNECTORS: &[&str] = &[
    "Meisterplan",
    "SIGNL4 - Mobile Alerting",
    "RiskIQPassiveTotal",
    "DeskDirector",
    "Almabase",
    "Revelation helpdesk",
];

fn prism() -> Option<PathBuf> {
    common::test_tool(
        "PRISM",
        ".tools/prism/node_modules/.bin/prism",
        Path::is_file,
        "npm install --prefix .tools/prism @stoplight/prism-cli@5",
    )
}

/// A running Prism, stopped when dropped; its log goes to a file.
struct Mock {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start(prism: &Path, definition: &Path, logs: &Path, i: usize) -> Mock {
    let port = free_port();
    let log = logs.join(format!("prism-{i}.log"));
    let out = std::fs::File::create(&log).unwrap();
    let child = Command::new(prism)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(definition)
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .stdin(Stdio::null())
        .spawn()
        .expect("start prism");
    Mock { child, port, log }
}

fn wait_listening(mock: &mut Mock) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", mock.port)).is_err() {
        if let Ok(Some(status)) = mock.child.try_wait() {
            panic!(
                "prism exited ({status}): {}",
                std::fs::read_to_string(&mock.log).unwrap_or_default()
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "prism did not listen within 120 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A value Prism accepts for a parameter of this schema: its default, example or first enum
/// value, else one of the right type and format.
fn sample(types: &TypeSpace, id: SchemaId) -> Value {
    let s = types.get(types.resolve(id));
    if let Some(v) = s
        .rare()
        .default
        .clone()
        .or_else(|| s.rare().enum_values.first().cloned())
    {
        return v;
    }
    if let Some(v) = s.rare().example.clone().filter(|v| !v.is_object()) {
        return v;
    }
    match s.types.first() {
        Some(SchemaType::Integer) | Some(SchemaType::Number) => json!(1),
        Some(SchemaType::Boolean) => json!(true),
        Some(SchemaType::Array) => match s.items {
            Some(items) => json!([sample(types, items)]),
            None => json!(["a"]),
        },
        _ => json!(match s.format.as_deref() {
            Some("date-time") => "2024-01-01T00:00:00Z",
            Some("date") => "2024-01-01",
            Some("uuid") => "00000000-0000-4000-8000-000000000001",
            Some("email") => "someone@example.com",
            Some("uri") => "https://example.com/",
            _ => "example",
        }),
    }
}

fn param_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn call_runs_the_get_actions_of_real_definitions_against_prism_without_violations() {
    let Some(prism) = prism() else { return };
    let corpus = common::root().join("../shared/corpus/powerplatform/certified");
    if !corpus.is_dir() {
        println!("SKIPPED: corpus not found at {}", corpus.display());
        return;
    }
    let work = tempfile::tempdir().unwrap();
    // Every mock starts at once: Prism takes seconds to start.
    let mut mocks: Vec<(PathBuf, Mock)> = CONNECTORS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let dir = corpus.join(name);
            let def = dir.join("apiDefinition.swagger.json");
            (dir, start(&prism, &def, work.path(), i))
        })
        .collect();
    let mut calls = 0;
    let mut failures = Vec::new();
    for (dir, mock) in &mut mocks {
        wait_listening(mock);
        let loaded = pipeline::load_path(dir, &LoadOptions::default())
            .unwrap()
            .remove(0);
        let c = loaded.connector.expect("a model");
        let conn = work.path().join(format!("{}.json", c.name));
        // Every connection parameter the connector declares (policy templates read them),
        // and the credentials.
        let mut values = serde_json::Map::new();
        for p in c.connection.iter().flat_map(|a| a.all_parameters()) {
            values.insert(p.name.clone(), json!("example"));
        }
        for (k, v) in [
            ("api_key", "k-123"),
            ("username", "user"),
            ("password", "pass"),
            ("access_token", "t0ken"),
        ] {
            values.insert(k.into(), json!(v));
        }
        // Prism serves a Swagger 2.0 definition's paths without its basePath.
        values.insert(
            "base_url".into(),
            json!(format!("http://127.0.0.1:{}", mock.port)),
        );
        std::fs::write(&conn, Value::Object(values).to_string()).unwrap();
        for op in &c.operations {
            if op.method != Method::Get || !matches!(op.kind, OperationKind::Action { .. }) {
                continue;
            }
            let mut args: Vec<String> = vec![
                "call".into(),
                dir.to_string_lossy().into_owned(),
                op.id.clone(),
                "--connection".into(),
                conn.to_string_lossy().into_owned(),
                "--max-pages".into(),
                "1".into(),
            ];
            for p in op.parameters.iter().filter(|p| p.required) {
                let internal_default = p.visibility == Some(Visibility::Internal)
                    && c.types
                        .get(c.types.resolve(p.schema))
                        .rare()
                        .default
                        .is_some();
                if !internal_default {
                    let v = param_text(&sample(&c.types, p.schema));
                    args.push("--param".into());
                    args.push(format!("{}={v}", p.name));
                }
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = common::run(&args);
            calls += 1;
            if r.code != 0 {
                failures.push(format!("{} {}: {}", c.name, op.id, r.stderr.trim()));
            }
        }
        let log = std::fs::read_to_string(&mock.log).unwrap_or_default();
        for line in log.lines().filter(|l| l.contains("Violation: request")) {
            failures.push(format!("{}: prism: {line}", c.name));
        }
    }
    println!(
        "prism: {} connectors, {calls} GET actions called, {} failures",
        CONNECTORS.len(),
        failures.len()
    );
    assert!(calls > 100, "only {calls} actions called");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
