//! Hostile definitions and servers against the commands (docs/security.md): what a definition
//! may read, what reaches the terminal, where outputs may be written, which scheme a
//! connection's values go to, and the validator's hostile-looking definitions. Inputs are made
//! at test time; servers run on 127.0.0.1.

mod common;

use axum::http::StatusCode;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A secret in files outside the definition's folder and in the environment: no output may
/// show it.
const SECRET: &str = "TOPSECRET-7f3a";

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs `cmd`, failing the test if it has not ended within `limit` (a FIFO or `/dev/zero` read
/// as a file would hang it or grow without end).
fn within(cmd: &mut Command, limit: Duration) -> Ran {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start connector-gen");
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = so.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = se.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("{cmd:?} did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ran {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn cg(args: &[&str]) -> Command {
    let mut c = common::command();
    c.args(args).env("CONNECTOR_GEN_TEST_SECRET", SECRET);
    c
}

fn run(args: &[&str]) -> Ran {
    within(&mut cg(args), Duration::from_secs(60))
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// A Swagger 2.0 definition whose one response schema is `{"$ref": reference}`.
fn definition_with_ref(reference: &str) -> String {
    serde_json::json!({
        "swagger": "2.0",
        "info": {"title": "Refs", "version": "1.0", "description": "Refers to a file."},
        "host": "api.example.com", "basePath": "/", "schemes": ["https"],
        "paths": {"/a": {"get": {"operationId": "GetA", "summary": "Get A",
            "responses": {"200": {"description": "OK", "schema": {"$ref": reference}}}}}}
    })
    .to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn definitions_read_only_regular_files_inside_their_folder() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    let conn = dir.path().join("conn");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(&conn).unwrap();
    let secret_schema = format!(r#"{{"x": {{"type": "string", "description": "{SECRET}"}}}}"#);
    std::fs::write(outside.join("secret.json"), &secret_schema).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.json"), conn.join("link.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", conn.join("zero.json")).unwrap();
    mkfifo(&conn.join("fifo.json"));
    for (i, reference) in [
        "/proc/self/environ#/x",
        "/etc/passwd#/x",
        "../outside/secret.json#/x",
        "sub/../../outside/secret.json#/x",
        "link.json#/x",
        "fifo.json#/x",
        "zero.json#/x",
        "/dev/zero#/x",
        "%2e%2e/outside/secret.json#/x",
    ]
    .iter()
    .enumerate()
    {
        let def = conn.join(format!("def{i}.json"));
        std::fs::write(&def, definition_with_ref(reference)).unwrap();
        let r = within(&mut cg(&["validate", s(&def)]), Duration::from_secs(30));
        assert_eq!(r.code, 1, "{reference}: {}", r.all());
        assert!(
            r.stdout.contains("error[PP0018]"),
            "{reference}: {}",
            r.all()
        );
        assert!(!r.all().contains(SECRET), "{reference} leaked: {}", r.all());
        // convert and generate do not carry it either.
        let r = within(
            &mut cg(&["convert", s(&def), "--to", "openapi3"]),
            Duration::from_secs(30),
        );
        assert!(!r.all().contains(SECRET), "{reference}: convert leaked");
    }
    let out = dir.path().join("crate");
    let r = run(&["generate", s(&conn.join("def2.json")), "-o", s(&out)]);
    assert_eq!(r.code, 0, "{}", r.all());
    let copied: Vec<String> = std::fs::read_dir(out.join("definition"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(copied, ["def2.json"]);
    for f in common::files_under(&out) {
        assert!(!std::fs::read_to_string(&f)
            .unwrap_or_default()
            .contains(SECRET));
    }
    // A connector folder whose definition is a symbolic link to a file outside it.
    let linked = dir.path().join("linked");
    std::fs::create_dir_all(&linked).unwrap();
    std::fs::write(
        outside.join("def.json"),
        definition_with_ref("#/definitions/X").replace("Refs", SECRET),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.join("def.json"),
        linked.join("apiDefinition.swagger.json"),
    )
    .unwrap();
    let r = run(&["validate", s(&linked)]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("error[PP0018]") && !r.all().contains(SECRET),
        "{}",
        r.all()
    );
    // --root, or `roots` in the configuration, lets a definition read that folder too.
    let r = run(&[
        "validate",
        s(&conn.join("def2.json")),
        "--root",
        s(&outside),
    ]);
    assert!(!r.stdout.contains("PP0018"), "{}", r.all());
    let config = dir.path().join("validate.toml");
    std::fs::write(&config, "roots = [\"outside\"]\n").unwrap();
    let r = run(&[
        "validate",
        s(&conn.join("def2.json")),
        "--config",
        s(&config),
    ]);
    assert!(!r.stdout.contains("PP0018"), "{}", r.all());
    let r = run(&[
        "validate",
        s(&conn.join("def2.json")),
        "--root",
        "/no/such/dir",
    ]);
    assert_eq!(r.code, 2, "{}", r.all());
}

#[test]
fn parent_references_resolve_from_where_the_definition_is() {
    // Named from a working directory two levels down, `../q/common.json` of p/q/main.json is
    // p/q/common.json; a decoy waits where a wrong `..` would land.
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path();
    let real = t.join("p/q");
    let cwd = t.join("w1/w2");
    let decoy = cwd.join("p/q");
    std::fs::create_dir_all(&real).unwrap();
    std::fs::create_dir_all(&decoy).unwrap();
    std::fs::write(
        real.join("main.json"),
        definition_with_ref("../q/common.json#/definitions/Thing"),
    )
    .unwrap();
    let schema = |d: &str| {
        format!(
            r#"{{"definitions": {{"Thing": {{"type": "object", "description": "{d}", "properties": {{"id": {{"type": "string"}}}}}}}}}}"#
        )
    };
    std::fs::write(real.join("common.json"), schema("the REAL thing")).unwrap();
    std::fs::write(decoy.join("common.json"), schema("the DECOY")).unwrap();
    let r = within(
        cg(&["convert", "../../p/q/main.json", "--to", "openapi3"]).current_dir(&cwd),
        Duration::from_secs(30),
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("the REAL thing"), "{}", r.stdout);
    assert!(!r.stdout.contains("DECOY"), "{}", r.stdout);
}

#[test]
fn files_given_on_the_command_line_are_read_bounded_and_regular_only() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let def = "fixtures/connectors/contoso-tasks";
    let deadline = Duration::from_secs(20);
    let fifo_s = s(&fifo);
    for (args, says) in [
        (
            vec!["validate", def, "--config", fifo_s],
            "a FIFO, not a regular file",
        ),
        (
            vec!["validate", def, "--baseline", "/dev/zero"],
            "a character device",
        ),
        (
            vec![
                "call",
                def,
                "CreateTask",
                "--param",
                "projectId=p",
                "--body",
                "@/dev/zero",
            ],
            "a character device",
        ),
        (
            vec!["call", def, "ListProjects", "--connection", fifo_s],
            "a FIFO",
        ),
    ] {
        let r = within(&mut cg(&args), deadline);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    }
    // The size limit holds for them as for definitions.
    let config = dir.path().join("big.toml");
    std::fs::write(&config, format!("# {}\n", "x".repeat(100))).unwrap();
    let r = within(
        cg(&["validate", def, "--config", s(&config)]).env("CONNECTOR_GEN_MAX_FILE_BYTES", "10"),
        deadline,
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("more than the limit of 10 bytes"),
        "{}",
        r.stderr
    );
}

/// Text that would drive a terminal: clear screen, window title, bell, CSI, an override.
const ESCAPES: &str = "\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}";

fn no_escapes(what: &str, text: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!text.contains(c), "{what} printed {c:?} raw:\n{text:?}");
    }
}

#[test]
fn terminals_see_text_not_commands() {
    let dir = tempfile::tempdir().unwrap();
    let def = serde_json::json!({
        "swagger": "2.0",
        "info": {"title": format!("Tasks{ESCAPES}"), "version": "1.0",
                 "description": format!("Manages tasks.{ESCAPES}")},
        "host": "api.example.com", "basePath": "/", "schemes": ["https"],
        "paths": {
            "/tasks": {"get": {
                "operationId": format!("List{ESCAPES}"),
                "summary": format!("Lists tasks.{ESCAPES}"),
                "parameters": [{"name": format!("q{ESCAPES}"), "in": "query", "type": "string"}],
                "responses": {"200": {"description": "OK"}}}}
        }
    });
    // The file's own name holds escapes too.
    let file = dir.path().join(format!("defs{ESCAPES}.json"));
    std::fs::write(&file, def.to_string()).unwrap();
    for args in [
        vec!["validate", "--profile", "certification"],
        vec!["inspect"],
        vec!["convert", "--to", "swagger2"],
    ] {
        let mut all = args.clone();
        all.insert(1, s(&file));
        let r = run(&all);
        assert!(r.code <= 1, "{args:?}: {}", r.all());
        // Human formats (convert prints its document on stdout as JSON: not checked).
        if args[0] == "convert" {
            no_escapes("convert (stderr)", &r.stderr);
        } else {
            no_escapes(args[0], &r.all());
        }
    }
    let r = run(&["generate", s(&file), "-o", s(&dir.path().join("crate"))]);
    no_escapes("generate", &r.all());
    // convert's notes: an OpenAPI 3.1 webhook (no path) named with escapes.
    let hooks = dir.path().join("hooks.json");
    std::fs::write(
        &hooks,
        serde_json::json!({"openapi": "3.1.0", "info": {"title": "Hooks", "version": "1"},
            "paths": {}, "webhooks": {format!("new{ESCAPES}"): {"post": {"responses": {"200": {"description": "ok"}}}}}})
        .to_string(),
    )
    .unwrap();
    let r = run(&["convert", s(&hooks), "--to", "swagger2"]);
    assert!(r.stderr.contains("note:"), "{}", r.stderr);
    no_escapes("convert notes", &r.stderr);
    // A server's error body, through call.
    let app = axum::Router::new()
        .fallback(|| async { (StatusCode::INTERNAL_SERVER_ERROR, format!("boom{ESCAPES}")) });
    let (_rt, addr) = common::serve(app);
    let conn = dir.path().join("conn.json");
    std::fs::write(&conn, format!(r#"{{"base_url": "http://{addr}"}}"#)).unwrap();
    let r = run(&[
        "call",
        s(&file),
        &format!("List{ESCAPES}"),
        "--connection",
        s(&conn),
        "--retry",
        "none",
    ]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("HTTP 500"), "{}", r.stderr);
    no_escapes("call", &r.all());
}

#[test]
fn outputs_go_only_to_regular_files_with_the_usual_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let def = "fixtures/openapi30/events.yaml";
    // -o onto a device, a FIFO or a symbolic link: refused, the thing left as it was.
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let target = dir.path().join("target.json");
    std::fs::write(&target, "kept").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for (out, says) in [
        ("/dev/null", "a character device"),
        (s(&fifo), "a FIFO"),
        (s(&link), "a symbolic link"),
    ] {
        let r = within(
            &mut cg(&["convert", def, "--to", "swagger2", "-o", out]),
            Duration::from_secs(20),
        );
        assert_eq!(r.code, 2, "{out}: {}", r.all());
        assert!(r.stderr.contains(says), "{out}: {}", r.stderr);
    }
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    // Files are 0644 and directories 0755 under a 022 umask, fresh or rewritten.
    let with_umask = |args: &[&str]| {
        let mut c = cg(args);
        unsafe {
            c.pre_exec(|| {
                libc::umask(0o022);
                Ok(())
            });
        }
        within(&mut c, Duration::from_secs(60))
    };
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let converted = dir.path().join("out.json");
    for _ in 0..2 {
        let r = with_umask(&["convert", def, "--to", "swagger2", "-o", s(&converted)]);
        assert_eq!(r.code, 0, "{}", r.all());
        assert_eq!(mode(&converted), 0o644);
    }
    let krate = dir.path().join("crate");
    let sdk = common::root().join("connector-sdk");
    for force in [false, true] {
        let mut args = vec!["generate", def, "-o", s(&krate), "--sdk-path", s(&sdk)];
        if force {
            args.push("--force");
        }
        let r = with_umask(&args);
        assert_eq!(r.code, 0, "{}", r.all());
        assert_eq!(mode(&krate), 0o755, "the crate directory");
        for f in common::files_under(&krate) {
            assert_eq!(mode(&f), 0o644, "{}", f.display());
        }
        assert_eq!(mode(&krate.join("src")), 0o755);
    }
    let baseline = dir.path().join("baseline.json");
    let r = with_umask(&["validate", def, "--write-baseline", s(&baseline)]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(mode(&baseline), 0o644);
}

#[test]
fn connection_names_are_names() {
    let home = tempfile::tempdir().unwrap();
    for name in ["", "../x", "a/b", "a\nb", ".."] {
        let r = within(
            cg(&[
                "connect",
                "fixtures/connectors/acme-keys",
                "--name",
                name,
                "--no-test",
                "--param",
                "api_key=k",
            ])
            .env("CONNECTOR_GEN_HOME", home.path()),
            Duration::from_secs(30),
        );
        assert_eq!(r.code, 2, "{name:?}: {}", r.all());
        assert!(
            r.stderr.contains("cannot name a connection"),
            "{name:?}: {}",
            r.stderr
        );
    }
}

fn two_schemes(dir: &Path, schemes: serde_json::Value) -> PathBuf {
    let def = serde_json::json!({
        "swagger": "2.0",
        "info": {"title": "Keys", "version": "1.0", "description": "Two ways in."},
        "host": "api.example.com", "basePath": "/", "schemes": ["https"],
        "securityDefinitions": schemes,
        "paths": {"/me": {"get": {"operationId": "GetMe", "summary": "Me",
            "responses": {"200": {"description": "OK", "schema": {"type": "object"}}}}}}
    });
    let p = dir.join("keys.json");
    std::fs::write(&p, def.to_string()).unwrap();
    p
}

#[test]
fn a_connections_values_go_to_the_scheme_they_fill() {
    let (_rt, base, log) = common::recording_api(serde_json::json!({}));
    let dir = tempfile::tempdir().unwrap();
    let def = two_schemes(
        dir.path(),
        serde_json::json!({
            "api_key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "basic_auth": {"type": "basic"}
        }),
    );
    let conn = dir.path().join("conn.json");
    let call = |values: serde_json::Value| {
        let mut v = values;
        v["base_url"] = base.clone().into();
        std::fs::write(&conn, v.to_string()).unwrap();
        run(&[
            "call",
            s(&def),
            "GetMe",
            "--connection",
            s(&conn),
            "--retry",
            "none",
        ])
    };
    // A user name and password: basic, never the password as the API key.
    let r = call(serde_json::json!({"username": "ann", "password": "pw-secret"}));
    assert_eq!(r.code, 0, "{}", r.all());
    let last = log.lock().unwrap().last().cloned().unwrap();
    assert!(
        last.contains("authorization=Basic YW5uOnB3LXNlY3JldA=="),
        "{last}"
    );
    assert!(last.contains("x-api-key=-"), "{last}");
    let r = call(serde_json::json!({"api_key": "key-1"}));
    assert_eq!(r.code, 0, "{}", r.all());
    let last = log.lock().unwrap().last().cloned().unwrap();
    assert!(
        last.contains("x-api-key=key-1") && last.contains("authorization=-"),
        "{last}"
    );
    // Values that fit no scheme: exit 2, naming what each one needs; nothing sent.
    let before = log.lock().unwrap().len();
    let r = call(serde_json::json!({"token_of_sorts": "x"}));
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("`api_key` (API key) needs `api_key`")
            && r.stderr
                .contains("`basic_auth` (basic) needs `username` and `password`"),
        "{}",
        r.stderr
    );
    // An API key connector given a user name and password: refused, not sent as the key.
    let only_key = two_schemes(
        dir.path(),
        serde_json::json!({"api_key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}),
    );
    std::fs::write(
        &conn,
        serde_json::json!({"username": "ann", "password": "pw-secret", "base_url": base})
            .to_string(),
    )
    .unwrap();
    let r = run(&["call", s(&only_key), "GetMe", "--connection", s(&conn)]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert_eq!(log.lock().unwrap().len(), before);
}

#[test]
fn hostile_looking_definitions_are_refused_by_call_and_converted_safely() {
    let (_rt, base, log) = common::recording_api(serde_json::json!({}));
    let dir = tempfile::tempdir().unwrap();
    let def = dir.path().join("braces.json");
    std::fs::write(
        &def,
        serde_json::json!({"swagger": "2.0", "info": {"title": "B", "version": "1"},
            "host": "api.example.com", "basePath": "/", "schemes": ["https"],
            "paths": {"/a/{id": {"get": {"operationId": "GetA",
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "responses": {"200": {"description": "OK"}}}}}})
        .to_string(),
    )
    .unwrap();
    let r = run(&["validate", s(&def)]);
    assert!(r.stdout.contains("error[PP0322]"), "{}", r.all());
    let conn = dir.path().join("conn.json");
    std::fs::write(&conn, format!(r#"{{"base_url": "{base}"}}"#)).unwrap();
    let r = run(&[
        "call",
        s(&def),
        "GetA",
        "--param",
        "id=1",
        "--connection",
        s(&conn),
    ]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("never closed"), "{}", r.stderr);
    assert!(log.lock().unwrap().is_empty(), "a request was sent");
    // A Postman file:// request is no path on the main host; a variable's credentials are no
    // part of it.
    let r = run(&[
        "convert",
        "fixtures/hostile/urls.postman_collection.json",
        "--to",
        "openapi3",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        !r.stdout.contains("/etc/passwd") && !r.stdout.contains("dump.sql"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("s3cret") && !r.stdout.contains("admin"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("\"url\": \"https://api.hostile.test/v1\""),
        "{}",
        r.stdout
    );
}

#[test]
fn arguments_and_messages_read_right() {
    let dir = tempfile::tempdir().unwrap();
    let hooks = "fixtures/openapi31/webhooks.json";
    let db = dir.path().join("state.db");
    let db = s(&db);
    let trigger = {
        let r = run(&["inspect", hooks, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["operations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["kind"] == "webhook-trigger")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let trigger = trigger.as_str();
    let watch = |listen: &'static str, public: Option<&'static str>| {
        let mut v = vec!["watch", hooks, trigger, "--state", db, "--listen", listen];
        v.extend(public.map(|p| ["--public-url", p]).into_iter().flatten());
        v
    };
    for (args, says) in [
        (watch("nonsense", None), "--listen `nonsense`"),
        (
            watch("127.0.0.1:0", Some("not a url")),
            "--public-url `not a url`: not a URL",
        ),
        (
            watch("127.0.0.1:0", Some("https://u:p@hooks.example")),
            "it holds credentials",
        ),
        (
            vec!["validate", hooks, "--max-depth", "99999999999"],
            "must be between 1 and 10000",
        ),
        (
            vec![
                "call",
                "fixtures/connectors/contoso-tasks",
                "ListProjects",
                "--retry",
                r#"{"type":"fixed","count":99999999999}"#,
            ],
            "retry count 99999999999 is outside 1–90",
        ),
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    }
    // A required value missing is named once, however many places ask for it.
    let home = tempfile::tempdir().unwrap();
    let r = within(
        cg(&["connect", "fixtures/connectors/acme-keys", "--name", "k"])
            .env("CONNECTOR_GEN_HOME", home.path())
            .env_remove("CONNECTOR_GEN_PARAM_API_KEY"),
        Duration::from_secs(30),
    );
    assert_eq!(r.code, 2, "{}", r.all());
    let named = r.stderr.matches("`api_key`").count();
    assert_eq!(named, 1, "{}", r.stderr);
}
