//! `connector-gen connect`, `connections` and `call --connection NAME`, with a store in a
//! temporary directory: the OAuth sign-in against oauth2-mock-server (the test plays the
//! browser), API key and basic connections from parameters and environment variables, missing
//! values, a wrong store key — and no secret in any output or in the store file.

mod common;

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use common::{command, run_with};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};

type Log = Arc<Mutex<Vec<String>>>;

struct Provider {
    child: Child,
    base: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn provider() -> Option<Provider> {
    let dir = common::test_tool(
        "OAUTH2_MOCK_SERVER",
        ".tools/oauth2-mock-server",
        |d| d.join("node_modules/oauth2-mock-server").is_dir(),
        "npm install --prefix .tools/oauth2-mock-server oauth2-mock-server@8",
    )?;
    let mut child = std::process::Command::new("node")
        .arg(common::root().join("connector-sdk/tests/support/oauth-server.mjs"))
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start node");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = loop {
        let line = lines.next().expect("a port").unwrap();
        if let Some(p) = line.strip_prefix("listening ") {
            break p.to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Some(Provider {
        child,
        base: format!("http://127.0.0.1:{port}"),
    })
}

/// The API: records `METHOD PATH auth=... key=...`; `/me` needs a bearer token.
fn api() -> (tokio::runtime::Runtime, String, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(move |u: Uri, h: HeaderMap| {
        let l = l.clone();
        async move {
            let get = |n: &str| {
                h.get(n)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-")
                    .to_string()
            };
            l.lock().unwrap().push(format!(
                "{} auth={} key={}",
                u,
                get("authorization"),
                get("x-api-key")
            ));
            if u.path() == "/me" && !get("authorization").starts_with("Bearer ") {
                return (StatusCode::UNAUTHORIZED, "{}").into_response();
            }
            (StatusCode::OK, "{\"value\":[]}").into_response()
        }
    });
    let (rt, addr) = common::serve(app);
    (rt, format!("http://{addr}"), log)
}

/// A connector whose OAuth provider is the mock, with `GetMe` as its testConnection.
fn oauth_connector(dir: &Path, provider: &str) -> PathBuf {
    let def = serde_json::json!({
        "swagger": "2.0",
        "info": {"title": "Mock Tasks", "version": "1.0", "description": "Tasks behind a mock provider."},
        "host": "tasks.example", "basePath": "/", "schemes": ["https"],
        "securityDefinitions": {"oauth": {
            "type": "oauth2", "flow": "accessCode",
            "authorizationUrl": format!("{provider}/authorize"),
            "tokenUrl": format!("{provider}/token"),
            "scopes": {"tasks": "Tasks"}
        }},
        "security": [{"oauth": ["tasks"]}],
        "x-ms-capabilities": {"testConnection": {"operationId": "GetMe"}},
        "paths": {"/me": {"get": {"operationId": "GetMe", "summary": "Who am I",
            "description": "The signed-in user.",
            "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}}}
    });
    let path = dir.join("mock-tasks");
    std::fs::create_dir_all(&path).unwrap();
    std::fs::write(
        path.join("apiDefinition.swagger.json"),
        serde_json::to_string_pretty(&def).unwrap(),
    )
    .unwrap();
    path
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Plays the browser for a running `connect`: reads the sign-in URL it prints, lets the mock
/// sign in, and delivers the redirect (when `forge`, first a copy with another state, as an
/// attacker's page would, then the real one).
fn browse(child: &mut Child, forge: bool) -> Vec<String> {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let url = loop {
        let line = lines.next().expect("the sign-in URL").unwrap();
        printed.push(line.clone());
        if line.starts_with("http") {
            break line;
        }
    };
    let http = http::blocking_get_no_redirect(&url);
    let redirect = url::Url::parse(&http).unwrap();
    if forge {
        let mut forged = redirect.clone();
        let pairs: Vec<(String, String)> = redirect
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "state" {
                    "forged".into()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        forged.query_pairs_mut().clear().extend_pairs(pairs);
        printed.push(http::blocking_get_text(forged.as_str()));
    }
    // The CLI's listener answers the browser.
    let page = http::blocking_get_text(redirect.as_str());
    printed.push(page);
    printed.extend(lines.map_while(Result::ok));
    printed
}

/// Tiny blocking HTTP helpers on a runtime of their own.
mod http {
    pub fn blocking_get_no_redirect(url: &str) -> String {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let c = ::reqwest::Client::builder()
                .redirect(::reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let r = c.get(url).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 302);
            r.headers()["location"].to_str().unwrap().to_string()
        })
    }
    pub fn blocking_get_text(url: &str) -> String {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async { ::reqwest::get(url).await.unwrap().text().await.unwrap() })
    }
}

fn cg(home: &Path) -> std::process::Command {
    let mut c = command();
    c.env("CONNECTOR_GEN_HOME", home)
        .env_remove("CONNECTOR_GEN_KEY");
    c
}

#[test]
fn oauth_sign_in_is_stored_encrypted_and_used_by_call() {
    let Some(p) = provider() else { return };
    let (_rt, api, log) = api();
    let home = tempfile::tempdir().unwrap();
    let defs = tempfile::tempdir().unwrap();
    let def = oauth_connector(defs.path(), &p.base);
    let def_s = def.to_str().unwrap();
    let secret = "client-secret-xyz-123";
    let port = free_port().to_string();
    let mut outputs: Vec<String> = Vec::new();

    let mut child = cg(home.path())
        .args([
            "connect",
            def_s,
            "--name",
            "tasks",
            "--no-browser",
            "--port",
            &port,
        ])
        .args(["--param", "client_id=mock-client", "--param"])
        .arg(format!("client_secret={secret}"))
        .args(["--param", &format!("base_url={api}")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let printed = browse(&mut child, false);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{printed:?}\n{stderr}");
    assert_eq!(printed[0], "Open this URL to sign in:");
    let url = url::Url::parse(&printed[1]).unwrap();
    let q = |k: &str| query(&url, k);
    assert_eq!(q("code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(
        q("redirect_uri"),
        Some(format!("http://127.0.0.1:{port}/redirect/mock-tasks"))
    );
    assert!(printed
        .iter()
        .any(|l| l.contains("Signed in. You can close this tab.")));
    assert!(
        printed
            .iter()
            .any(|l| l == "Stored connection `tasks` (mock-tasks, oauth2)."),
        "{printed:?}"
    );
    assert!(stderr.contains("Tested  GetMe answered"), "{stderr}");
    outputs.extend(printed);
    outputs.push(stderr);

    // The test connection and now a call go out with the token the sign-in got.
    let r = run_with(cg(home.path()).args(["call", def_s, "GetMe", "--connection", "tasks"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sent = log.lock().unwrap().clone();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(
        sent.iter().all(|l| l.starts_with("/me auth=Bearer ey")),
        "{sent:?}"
    );
    let token = sent[0]
        .split("auth=Bearer ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    outputs.extend([r.stdout, r.stderr]);

    let r = run_with(cg(home.path()).args(["connections", "list"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("tasks") && r.stdout.contains("oauth2"),
        "{}",
        r.stdout
    );
    outputs.extend([r.stdout, r.stderr]);

    // The store holds neither the token nor the client secret in clear.
    let file = std::fs::read(home.path().join("connections.enc")).unwrap();
    let text = String::from_utf8_lossy(&file);
    for s in [secret, token.as_str(), "mock-client"] {
        assert!(!text.contains(s), "{s} in the store file");
    }
    // Nor did any output show them.
    let all = outputs.join("\n");
    assert!(!all.contains(secret) && !all.contains(&token), "{all}");

    // A forged state: refused (the browser is told so), counted, and the sign-in still waits
    // for the real redirect, which then signs in.
    let port = free_port().to_string();
    let mut child = cg(home.path())
        .args([
            "connect",
            def_s,
            "--name",
            "after-forgery",
            "--no-browser",
            "--port",
            &port,
        ])
        .args(["--param", "client_id=mock-client", "--param"])
        .arg(format!("client_secret={secret}"))
        .args(["--param", &format!("base_url={api}")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let printed = browse(&mut child, true);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{printed:?}\n{stderr}");
    let forged_page = printed.iter().find(|l| l.contains("state does not match"));
    assert!(
        forged_page.is_some_and(|p| p.contains("Sign-in failed") && !p.contains("Signed in")),
        "{printed:?}"
    );
    assert!(
        printed
            .iter()
            .any(|l| l.contains("Signed in. You can close this tab.")),
        "{printed:?}"
    );
    assert!(
        stderr.contains("refused a sign-in redirect whose state does not match")
            && stderr.contains("1 sign-in redirect(s) with a wrong state were refused"),
        "{stderr}"
    );
    let r = run_with(cg(home.path()).args(["connections", "list"]));
    assert!(r.stdout.contains("after-forgery"), "{}", r.stdout);

    // Removing it.
    let r = run_with(cg(home.path()).args(["connections", "remove", "tasks"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run_with(cg(home.path()).args(["call", def_s, "GetMe", "--connection", "tasks"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("no stored connection `tasks`"),
        "{}",
        r.stderr
    );
}

/// An OAuth connector whose definition gives no token URL: the sign-in is not started, and the
/// message names the `--param` that gives it.
#[test]
fn a_missing_oauth_endpoint_is_named() {
    let home = tempfile::tempdir().unwrap();
    let dir = oauth_connector(home.path(), "https://id.example");
    let file = dir.join("apiDefinition.swagger.json");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut def: serde_json::Value = serde_json::from_str(&text).unwrap();
    def["securityDefinitions"]["oauth"]
        .as_object_mut()
        .unwrap()
        .remove("tokenUrl");
    std::fs::write(&file, def.to_string()).unwrap();
    let r = run_with(cg(home.path()).args([
        "connect",
        dir.to_str().unwrap(),
        "--name",
        "t",
        "--param",
        "client_id=app",
        "--no-browser",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the connector's OAuth settings give no token URL: give it as `token_url`"),
        "{}",
        r.stderr
    );
}

#[test]
fn api_key_connections_come_from_parameters_or_the_environment() {
    let (_rt, api, log) = api();
    let home = tempfile::tempdir().unwrap();
    let relay = "fixtures/connectors/relay-lookup";
    let host = api.trim_start_matches("http://");

    // Nothing given, no terminal: exit 2 naming what is missing and how to give it.
    let r = run_with(cg(home.path()).args(["connect", relay, "--name", "relay"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("`api_key`, `hostName`")
            && r.stderr
                .contains("CONNECTOR_GEN_PARAM_API_KEY, CONNECTOR_GEN_PARAM_HOSTNAME"),
        "{}",
        r.stderr
    );

    // The key from the environment, the host from --param.
    let r = run_with(
        cg(home.path())
            .env("CONNECTOR_GEN_PARAM_API_KEY", "relay-key-456")
            .args(["connect", relay, "--name", "relay", "--param"])
            .arg(format!("hostName={host}")),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Stored connection `relay` (relay-lookup, api key).\n"
    );
    assert!(!format!("{}{}", r.stdout, r.stderr).contains("relay-key-456"));

    // The stored parameters reach the policies (host) and the key its header.
    let r = run_with(cg(home.path()).args(["call", relay, "ListNotes", "--connection", "relay"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        *log.lock().unwrap(),
        ["/api/notes?api-version=2024-01-01 auth=- key=relay-key-456"]
    );

    // Another key cannot read the store: a clear error, not garbage.
    let r = run_with(
        cg(home.path())
            .env("CONNECTOR_GEN_KEY", "11".repeat(32))
            .args(["connections", "list"]),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("cannot be decrypted with the key from CONNECTOR_GEN_KEY"),
        "{}",
        r.stderr
    );
    // A path that does not exist is a missing file, not a stored name.
    let r =
        run_with(cg(home.path()).args(["call", relay, "ListNotes", "--connection", "nope.json"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("nope.json"), "{}", r.stderr);
}

#[test]
fn a_parameter_set_chooses_the_credential() {
    let home = tempfile::tempdir().unwrap();
    let acme = "fixtures/connectors/acme-keys";
    let r = run_with(cg(home.path()).args([
        "connect",
        acme,
        "--name",
        "acme",
        "--set",
        "basic",
        "--param",
        "username=ann",
        "--param",
        "password=pw-789",
        "--no-test",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "Stored connection `acme` (acme-keys, basic).\n");
    let r = run_with(cg(home.path()).args(["connect", acme, "--name", "acme2", "--set", "nope"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("no connection parameter set `nope` (sets: key, basic)"),
        "{}",
        r.stderr
    );
    // The first set by default, saying which.
    let r = run_with(
        cg(home.path())
            .env("CONNECTOR_GEN_PARAM_API_KEY", "k")
            .args(["connect", acme, "--name", "acme3"]),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Using  connection parameter set `key` (others: basic; choose with --set)"),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stdout,
        "Stored connection `acme3` (acme-keys, api key).\n"
    );
}

#[test]
fn an_entra_id_connector_signs_in_at_its_tenant_with_the_resource_scope() {
    // contoso-tasks declares identityProvider `aad` (login URL, tenant `common`, resource URI):
    // the sign-in URL is the v2 endpoint of that tenant asking for `<resource>/.default`.
    let home = tempfile::tempdir().unwrap();
    let url = entra_sign_in(
        home.path(),
        "fixtures/connectors/contoso-tasks",
        &["--param", "region=eu"],
    );
    assert_eq!(
        query(&url, "client_id").as_deref(),
        Some("00000000-0000-0000-0000-000000000001")
    );
    assert_eq!(
        query(&url, "scope").as_deref(),
        Some("https://api.contoso.example/.default offline_access")
    );
}

/// Starts `connect` of an Entra ID connector with nobody to sign in: it gives up after 1 s
/// (exit 1, said on stderr); the sign-in URL it printed, which must be the v2 endpoint of the
/// `common` tenant.
fn entra_sign_in(home: &Path, connector: &str, extra: &[&str]) -> url::Url {
    let port = free_port().to_string();
    let r = run_with(
        cg(home)
            .args([
                "connect",
                connector,
                "--name",
                "entra",
                "--no-browser",
                "--port",
                &port,
            ])
            .args(["--timeout", "1"])
            .args(extra),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("no sign-in after 1 s"), "{}", r.stderr);
    let url = r.stdout.lines().nth(1).unwrap_or_default();
    assert!(
        url.starts_with("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?"),
        "{url}"
    );
    url::Url::parse(url).unwrap()
}

/// The value of `key` in the query of `url`.
fn query(url: &url::Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(n, _)| n == key)
        .map(|(_, v)| v.into_owned())
}

/// `init --auth oauth2generic`: its URL and body templates sign in (against the mock provider,
/// the templates pointed at it) and the stored connection calls the API with the token;
/// `init --auth aad`: the sign-in starts at Entra ID's v2 endpoint of the `common` tenant asking
/// for the API's `.default` scope.
#[test]
fn init_oauth_templates_sign_in() {
    let Some(p) = provider() else { return };
    let (_rt, api, log) = api();
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("generic");
    let r = run_with(command().args([
        "init",
        dir.to_str().unwrap(),
        "--auth",
        "oauth2generic",
        "--host",
        &api,
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let props_path = dir.join("apiProperties.json");
    let mut props: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&props_path).unwrap()).unwrap();
    let custom = &mut props["properties"]["connectionParameters"]["token"]["oAuthSettings"]
        ["customParameters"];
    custom["authorizationUrlTemplate"]["value"] = format!("{}/authorize", p.base).into();
    custom["tokenUrlTemplate"]["value"] = format!("{}/token", p.base).into();
    custom["refreshUrlTemplate"]["value"] = format!("{}/token", p.base).into();
    std::fs::write(&props_path, serde_json::to_string_pretty(&props).unwrap()).unwrap();
    let d = dir.to_str().unwrap();
    let port = free_port().to_string();
    let mut child = cg(home.path())
        .args([
            "connect",
            d,
            "--name",
            "generic",
            "--no-browser",
            "--port",
            &port,
        ])
        .args([
            "--param",
            "client_id=mock-client",
            "--param",
            "client_secret=mock-secret",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let printed = browse(&mut child, false);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{printed:?}\n{stderr}");
    let url = url::Url::parse(&printed[1]).unwrap();
    assert_eq!(url.path(), "/authorize", "{url}");
    let q = |k: &str| query(&url, k);
    assert_eq!(q("client_id").as_deref(), Some("mock-client"));
    assert_eq!(q("scope").as_deref(), Some("items.read"));
    assert!(
        printed
            .iter()
            .any(|l| l == "Stored connection `generic` (generic, oauth2)."),
        "{printed:?}"
    );
    let r = run_with(cg(home.path()).args(["call", d, "ListItems", "--connection", "generic"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sent = log.lock().unwrap().clone();
    assert!(
        sent.len() >= 2 && sent.iter().all(|l| l.starts_with("/items auth=Bearer ey")),
        "{sent:?}"
    );

    let aad = tmp.path().join("entra");
    let r = run_with(command().args([
        "init",
        aad.to_str().unwrap(),
        "--auth",
        "aad",
        "--host",
        "api.contoso.com",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let url = entra_sign_in(home.path(), aad.to_str().unwrap(), &[]);
    assert_eq!(
        query(&url, "scope").as_deref(),
        Some("https://api.contoso.com/.default offline_access")
    );
}
