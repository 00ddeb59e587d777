//! `connector-gen connect` and `connector-gen connections`: create, list and remove stored
//! connections (the SDK's encrypted store).
//!
//! Values come from `--param NAME=VALUE`, then `CONNECTOR_GEN_PARAM_<NAME>` environment variables
//! (upper case, other characters as `_`), then a prompt on a terminal (secure strings without
//! echo). OAuth connectors run the authorization-code flow with PKCE through a loopback listener
//! at `http://127.0.0.1:PORT/redirect/<connector>`.

use connector_gen::codegen::auth::{accesses, oauth2_description, Login};
use connector_gen::codegen::client::base_url;
use connector_gen::model::*;
use connector_sdk::oauth::{loopback_redirect_url, slug};
use connector_sdk::{OAuthConfig, Store, StoredAuth, StoredConnection};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Definition file or connector folder.
    path: PathBuf,
    /// The name to store the connection under.
    #[arg(long)]
    name: String,
    /// A connection parameter value, `name=value` (repeatable). Besides the definition's
    /// parameters: `base_url`, and for OAuth `client_id`, `client_secret`, `scope`.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Which of the definition's connectionParameterSets to use (default: the first).
    #[arg(long, value_name = "SET")]
    set: Option<String>,
    /// Print the sign-in URL without opening a browser.
    #[arg(long)]
    no_browser: bool,
    /// Loopback port for the OAuth redirect (register http://127.0.0.1:PORT/redirect/<connector>
    /// with the provider).
    #[arg(long, default_value_t = 53682)]
    port: u16,
    /// How long to wait for the sign-in, in seconds.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
    /// Store the connection without running the definition's testConnection operation.
    #[arg(long)]
    no_test: bool,
}

#[derive(clap::Subcommand)]
pub enum Connections {
    /// List the stored connections (never their secrets).
    List,
    /// Remove a stored connection.
    Remove {
        /// Its name.
        name: String,
    },
}

fn usage(message: impl std::fmt::Display) -> ExitCode {
    say!("error: {message}");
    ExitCode::from(2)
}

fn failed(message: impl std::fmt::Display) -> ExitCode {
    say!("error: {message}");
    ExitCode::from(1)
}

/// `CONNECTOR_GEN_PARAM_<NAME>`.
pub fn env_name(param: &str) -> String {
    let mut out = String::from("CONNECTOR_GEN_PARAM_");
    for c in param.chars() {
        out.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_uppercase()
        } else {
            '_'
        });
    }
    out
}

/// One value the connection needs.
struct Wanted {
    name: String,
    label: String,
    secure: bool,
    required: bool,
}

/// Where values come from, in order: --param, the environment, a prompt on a terminal.
struct Values {
    given: BTreeMap<String, String>,
    interactive: bool,
}

impl Values {
    fn get(&mut self, w: &Wanted) -> Result<Option<String>, String> {
        if let Some(v) = self.given.get(&w.name) {
            return Ok(Some(v.clone()));
        }
        if let Ok(v) = std::env::var(env_name(&w.name)) {
            return Ok(Some(v));
        }
        if !self.interactive {
            return Ok(None);
        }
        let prompt = format!(
            "{}{}: ",
            w.label,
            if w.required { "" } else { " (optional)" }
        );
        let value = if w.secure {
            rpassword::prompt_password(&prompt)
                .map_err(|e| format!("cannot read {}: {e}", w.name))?
        } else {
            eprint!("{}", connector_gen::text::printable(&prompt));
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read {}: {e}", w.name))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        };
        Ok((!value.is_empty()).then_some(value))
    }
}

/// The connection parameters to ask for: the chosen set's, or the plain list.
fn declared<'a>(
    c: &'a Connector,
    set: Option<&str>,
) -> Result<Vec<&'a ConnectionParameter>, String> {
    let Some(props) = c.connection.as_ref() else {
        return Ok(Vec::new());
    };
    if props.parameter_sets.is_empty() {
        return Ok(props.parameters.iter().collect());
    }
    let names: Vec<&str> = props
        .parameter_sets
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let chosen = match set {
        None => &props.parameter_sets[0],
        Some(name) => props
            .parameter_sets
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| {
                format!(
                    "no connection parameter set `{name}` (sets: {})",
                    names.join(", ")
                )
            })?,
    };
    if set.is_none() && names.len() > 1 {
        say!(
            "   Using  connection parameter set `{}` (others: {}; choose with --set)",
            chosen.name,
            names[1..].join(", ")
        );
    }
    Ok(chosen.parameters.iter().collect())
}

fn oauth_settings(params: &[&ConnectionParameter]) -> Option<OAuthSettings> {
    params.iter().find_map(|p| p.oauth.clone())
}

/// The OAuth configuration from the definition and apiProperties.json, as the generated
/// crates' `auth::oauth2_config().sign_in(..)` makes it (identity provider `aad`: the v2.0
/// endpoints of its login URL and tenant; `oauth2generic`: its templates, other placeholders
/// filled from the connection's values); `--param` may give or override the client id, scope,
/// and the authorization and token URLs.
fn oauth_config(
    flows: &[OAuthFlow],
    settings: Option<&OAuthSettings>,
    values: &mut Values,
    redirect: String,
    extra: &BTreeMap<String, String>,
) -> Result<OAuthConfig, String> {
    let mut description = oauth2_description(flows, settings);
    let want = |name: &str, label: &str, secure: bool, required: bool| Wanted {
        name: name.into(),
        label: label.into(),
        secure,
        required,
    };
    let client_id = values.get(&want("client_id", "OAuth client id", false, true))?;
    if client_id.is_none() && description.client_id.is_none() {
        return Err("the OAuth client id is missing: give --param client_id=...".into());
    }
    let client_secret = values.get(&want("client_secret", "OAuth client secret", true, false))?;
    if let Some(scope) = values.given.get("scope") {
        description.scopes = scope.split_whitespace().map(str::to_string).collect();
    }
    let given_auth = values.given.get("authorization_url").cloned();
    let given_token = values.given.get("token_url").cloned();
    description.authorization_url = given_auth.clone().or(description.authorization_url);
    description.token_url = given_token.clone().or(description.token_url);
    // Its errors name a missing setting by the `--param` name that gives it (`token_url`).
    let mut config = description
        .sign_in(client_id, client_secret, redirect)
        .map_err(|e| e.to_string())?;
    config.authorization_url = given_auth.unwrap_or(config.authorization_url);
    config.token_url = given_token.unwrap_or(config.token_url);
    if let Some(g) = &mut config.generic {
        g.values = extra
            .iter()
            .map(|(k, v)| (k.trim_start_matches("token:").to_string(), v.clone()))
            .collect();
    }
    Ok(config)
}

/// The browser's request the redirect arrived on, answered once the sign-in is finished.
struct Redirected {
    stream: std::net::TcpStream,
    code: String,
    state: String,
}

impl Redirected {
    /// Tells the browser how the sign-in ended.
    fn answer(mut self, outcome: Result<(), &str>) {
        match outcome {
            Ok(()) => respond(
                &mut self.stream,
                "200 OK",
                "Signed in. You can close this tab.",
            ),
            Err(why) => respond(
                &mut self.stream,
                "400 Bad Request",
                &format!("Sign-in failed: {why}"),
            ),
        }
    }
}

/// Writes a small HTML page; `text` is escaped (it may hold what a provider said).
fn respond(stream: &mut std::net::TcpStream, status: &str, text: &str) {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let body = format!("<!doctype html><title>connector-gen</title><p>{escaped}</p>");
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// Waits on the loopback listener for the provider's redirect carrying `expected` as its
/// `state`. A redirect with another state (forged, or from another sign-in) is refused, counted
/// in `refused`, and the wait goes on; a provider's error is believed only with the right state.
/// The browser's request is answered by the caller once the code is exchanged.
fn wait_for_redirect(
    listener: &std::net::TcpListener,
    path: &str,
    expected: &str,
    timeout: Duration,
    refused: &mut usize,
) -> Result<Redirected, String> {
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot listen: {e}"))?;
    let started = Instant::now();
    loop {
        let (mut stream, _) = match listener.accept() {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if started.elapsed() > timeout {
                    let forged = match *refused {
                        0 => String::new(),
                        n => format!(" ({n} redirect(s) with a wrong state were refused)"),
                    };
                    return Err(format!(
                        "no sign-in after {} s{forged}; run connect again (or raise --timeout)",
                        timeout.as_secs()
                    ));
                }
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            Err(e) => return Err(format!("cannot accept the redirect: {e}")),
        };
        let _ = stream.set_nonblocking(false);
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let mut line = String::new();
        let _ = std::io::BufReader::new(&stream)
            .take(8192)
            .read_line(&mut line);
        let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let url = url::Url::parse(&format!("http://127.0.0.1{target}")).ok();
        let Some(url) = url.filter(|u| u.path() == path) else {
            respond(&mut stream, "404 Not Found", "Not the sign-in redirect.");
            continue;
        };
        let q = |k: &str| {
            url.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        let state_ok = q("state").is_some_and(|s| {
            connector_sdk::oauth::constant_time_eq(s.as_bytes(), expected.as_bytes())
        });
        if !state_ok {
            *refused += 1;
            respond(
                &mut stream,
                "400 Bad Request",
                "Sign-in failed: this redirect does not belong to the sign-in in progress (its state does not match), so it was refused. The sign-in is still waiting: finish it from the URL the terminal shows.",
            );
            say!("warning: refused a sign-in redirect whose state does not match (it was not started here); still waiting");
            continue;
        }
        if let Some(error) = q("error") {
            let detail = q("error_description")
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            let why = format!("the provider refused the sign-in: {error}{detail}");
            respond(
                &mut stream,
                "400 Bad Request",
                &format!("Sign-in failed: {why}"),
            );
            return Err(why);
        }
        match (q("code"), q("state")) {
            (Some(code), Some(state)) => {
                return Ok(Redirected {
                    stream,
                    code,
                    state,
                })
            }
            _ => {
                respond(
                    &mut stream,
                    "400 Bad Request",
                    "Sign-in failed: the redirect carries no code.",
                );
                return Err("the redirect carried no `code`".into());
            }
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    if let Err(e) = connector_sdk::store::check_name(&args.name) {
        return usage(e);
    }
    let c = match super::call::load_one(&args.path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut given = BTreeMap::new();
    for p in &args.params {
        match p.split_once('=') {
            Some((k, v)) => {
                given.insert(k.to_string(), v.to_string());
            }
            None => return usage(format!("`--param {p}`: expected NAME=VALUE")),
        }
    }
    let mut values = Values {
        given,
        interactive: std::io::stdin().is_terminal(),
    };
    let params = match declared(&c, args.set.as_deref()) {
        Ok(p) => p,
        Err(e) => return usage(e),
    };
    // The declared parameters (OAuth settings are handled by the flow).
    let mut stored_params = BTreeMap::new();
    let mut missing = Vec::new();
    for p in params
        .iter()
        .filter(|p| p.kind != ConnectionParameterType::OAuthSetting)
    {
        let w = Wanted {
            name: p.name.clone(),
            label: p.display_name.clone().unwrap_or_else(|| p.name.clone()),
            secure: p.kind == ConnectionParameterType::SecureString,
            required: p.required,
        };
        match values.get(&w) {
            Ok(Some(v)) => {
                stored_params.insert(p.name.clone(), v);
            }
            Ok(None) if p.required => missing.push(p.name.clone()),
            Ok(None) => {}
            Err(e) => return usage(e),
        }
    }
    let runtime = match super::call::runtime() {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    let secure_value = |stored: &BTreeMap<String, String>| {
        params
            .iter()
            .find(|p| p.kind == ConnectionParameterType::SecureString)
            .and_then(|p| stored.get(&p.name).cloned())
    };
    // The way to connect: the one the chosen parameters fit (a user name and password →
    // basic; a secure string → an API key), else the definition's first.
    let all = accesses(&c);
    let has = |n: &str| params.iter().any(|p| p.name == n);
    let fits = |a: &&connector_gen::codegen::auth::Access<'_>| match a.login {
        Login::Basic => has("username") && has("password"),
        Login::ApiKey { .. } => {
            !(has("username") && has("password"))
                && params
                    .iter()
                    .any(|p| p.kind == ConnectionParameterType::SecureString)
        }
        _ => false,
    };
    let access = all.iter().find(fits).or(all.first()).copied();
    let mut need = |name: &str, label: &str, secure: bool| -> Option<String> {
        let w = Wanted {
            name: name.into(),
            label: label.into(),
            secure,
            required: true,
        };
        match values.get(&w) {
            Ok(Some(v)) => Some(v),
            _ => {
                missing.push(name.to_string());
                None
            }
        }
    };
    let auth = match access.map(|a| a.login) {
        None => StoredAuth::None,
        Some(Login::ApiKey { name, query }) => {
            let key = secure_value(&stored_params).or_else(|| need("api_key", "API key", true));
            StoredAuth::ApiKey {
                name: name.to_string(),
                in_query: query,
                value: key.unwrap_or_default(),
            }
        }
        Some(Login::Basic) => {
            let username = stored_params
                .get("username")
                .cloned()
                .or_else(|| need("username", "User name", false));
            let password = stored_params
                .get("password")
                .cloned()
                .or_else(|| need("password", "Password", true));
            StoredAuth::Basic {
                username: username.unwrap_or_default(),
                password: password.unwrap_or_default(),
            }
        }
        Some(Login::Bearer) => StoredAuth::Bearer {
            token: need("access_token", "Access token", true).unwrap_or_default(),
        },
        Some(Login::OAuth2 { .. }) if values.given.contains_key("access_token") => {
            StoredAuth::Bearer {
                token: values.given["access_token"].clone(),
            }
        }
        Some(Login::OAuth2 { flows }) => {
            if !missing.is_empty() {
                return usage(missing_message(&c, &missing));
            }
            let redirect = loopback_redirect_url(args.port, &c.name);
            let mut extra = stored_params.clone();
            extra.extend(values.given.clone());
            let config = match oauth_config(
                flows,
                oauth_settings(&params).as_ref(),
                &mut values,
                redirect,
                &extra,
            ) {
                Ok(cfg) => cfg,
                Err(e) => return usage(e),
            };
            match sign_in(&runtime, &config, &c.name, &args) {
                Ok(tokens) => StoredAuth::OAuth2 {
                    config: Box::new(config),
                    tokens,
                },
                Err(e) => return failed(e),
            }
        }
    };
    if !missing.is_empty() {
        return usage(missing_message(&c, &missing));
    }
    let base = values
        .given
        .get("base_url")
        .cloned()
        .unwrap_or_else(|| base_url(&c));
    let stored = StoredConnection {
        connector: c.name.clone(),
        base_url: base,
        parameters: stored_params,
        auth,
        created: jiff::Timestamp::now().to_string(),
    };
    if !args.no_test {
        if let Some(op) = test_operation(&c) {
            let outcome = stored
                .connection(&args.name)
                .map_err(|e| e.to_string())
                .and_then(|conn| runtime.block_on(super::call::send_once(&c, op, conn)));
            match outcome {
                Ok(()) => say!("   Tested  {} answered", op.id),
                Err(e) => {
                    return failed(format!(
                        "the connection test ({}) failed, nothing stored: {e}\n  check the values, or store anyway with --no-test",
                        op.id
                    ))
                }
            }
        }
    }
    let kind = stored.auth.kind();
    match Store::open().and_then(|s| s.put(&args.name, stored)) {
        Ok(()) => {
            println!("Stored connection `{}` ({}, {kind}).", args.name, c.name);
            ExitCode::SUCCESS
        }
        Err(e) => failed(e),
    }
}

fn missing_message(c: &Connector, missing: &[String]) -> String {
    let mut unique: Vec<&String> = Vec::new();
    for m in missing {
        if !unique.contains(&m) {
            unique.push(m);
        }
    }
    let missing = unique;
    format!(
        "{} needs {}: give --param NAME=VALUE or set {}",
        c.name,
        missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", "),
        missing
            .iter()
            .map(|m| env_name(m))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The action `x-ms-capabilities.testConnection` names.
fn test_operation(c: &Connector) -> Option<&Operation> {
    let id = c
        .metadata
        .capabilities
        .as_ref()?
        .get("testConnection")?
        .get("operationId")?
        .as_str()?;
    c.operations.iter().find(|o| o.id == id)
}

/// The authorization-code flow: the URL printed (and opened), the redirect awaited on the
/// loopback listener, the code exchanged.
fn sign_in(
    runtime: &tokio::runtime::Runtime,
    config: &OAuthConfig,
    connector: &str,
    args: &Args,
) -> Result<connector_sdk::Tokens, String> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", args.port)).map_err(|e| {
        format!(
            "cannot listen on 127.0.0.1:{} for the sign-in redirect: {e}; choose another --port (and register its redirect URI)",
            args.port
        )
    })?;
    let authorization = config.authorize().map_err(|e| e.to_string())?;
    println!("Open this URL to sign in:");
    println!("{}", authorization.url);
    let _ = std::io::stdout().flush();
    if !args.no_browser && webbrowser::open(&authorization.url).is_err() {
        say!("(no browser could be opened: open the URL yourself)");
    }
    let path = format!("/redirect/{}", slug(connector));
    say!("Waiting for the redirect on {} ...", config.redirect_url);
    let mut refused = 0;
    let redirected = wait_for_redirect(
        &listener,
        &path,
        &authorization.state,
        Duration::from_secs(args.timeout),
        &mut refused,
    )?;
    let (code, state) = (redirected.code.clone(), redirected.state.clone());
    // The browser is told the truth only once the code is exchanged.
    match runtime.block_on(config.finish(authorization, &state, &code)) {
        Ok(tokens) => {
            redirected.answer(Ok(()));
            if refused > 0 {
                say!("note: {refused} sign-in redirect(s) with a wrong state were refused");
            }
            say!("Signed in.");
            Ok(tokens)
        }
        Err(e) => {
            let why = e.to_string();
            redirected.answer(Err(&why));
            Err(why)
        }
    }
}

pub fn connections(command: Connections) -> ExitCode {
    let store = match Store::open() {
        Ok(s) => s,
        Err(e) => return failed(e),
    };
    match command {
        Connections::List => match store.load() {
            Ok(all) if all.is_empty() => {
                println!("no stored connections (create one with `connector-gen connect PATH --name NAME`)");
                ExitCode::SUCCESS
            }
            Ok(all) => {
                let w = all.keys().map(String::len).max().unwrap_or(4).max(4);
                println!(
                    "{:<w$}  {:<24}  {:<7}  CREATED",
                    "NAME", "CONNECTOR", "AUTH"
                );
                for (name, c) in &all {
                    println!(
                        "{name:<w$}  {:<24}  {:<7}  {}",
                        c.connector,
                        c.auth.kind(),
                        c.created
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => failed(e),
        },
        Connections::Remove { name } => match store.remove(&name) {
            Ok(true) => {
                println!("Removed connection `{name}`.");
                ExitCode::SUCCESS
            }
            Ok(false) => usage(format!("no stored connection `{name}`")),
            Err(e) => failed(e),
        },
    }
}
