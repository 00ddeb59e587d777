//! `connector-gen connect` and `connector-gen connections`: create, list and remove stored
//! connections (the SDK's encrypted store).
//!
//! Values come from `--param NAME=VALUE`, then `CONNECTOR_GEN_PARAM_<NAME>` environment variables
//! (upper case, other characters as `_`), then a prompt on a terminal (secure strings without
//! echo). OAuth connectors run the authorization-code flow with PKCE through a loopback listener
//! at `http://127.0.0.1:PORT/redirect/<connector>`.

use connector_gen::model::*;
use connector_gen::plan::{base_url, Login};
use connector_gen::run::connect::{
    choose_access, declared, env_name, missing, oauth_config, oauth_settings, test_operation,
    wait_for_redirect, Wanted,
};
use connector_gen::run::{self, Error};
use connector_sdk::oauth::{loopback_redirect_url, slug};
use connector_sdk::{OAuthConfig, Store, StoredAuth, StoredConnection};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

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

/// Where values come from, in order: --param, the environment, a prompt on a terminal.
struct Values {
    given: BTreeMap<String, String>,
    interactive: bool,
}

impl Values {
    fn get(&mut self, w: &Wanted) -> Result<Option<String>, Error> {
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
            rpassword::prompt_password(&prompt).map_err(|source| Error::Prompt {
                name: w.name.clone(),
                source,
            })?
        } else {
            eprint!("{}", connector_gen::text::printable(&prompt));
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|source| Error::Prompt {
                    name: w.name.clone(),
                    source,
                })?;
            line.trim_end_matches(['\r', '\n']).to_string()
        };
        Ok((!value.is_empty()).then_some(value))
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
        Ok(d) => {
            if let Some((chosen, others)) = d.defaulted_set {
                say!(
                    "   Using  connection parameter set `{}` (others: {}; choose with --set)",
                    chosen,
                    others.join(", ")
                );
            }
            d.parameters
        }
        Err(e) => return usage(e),
    };
    // The declared parameters (OAuth settings are handled by the flow).
    let mut stored_params = BTreeMap::new();
    let mut missing_values = Vec::new();
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
            Ok(None) if p.required => missing_values.push(p.name.clone()),
            Ok(None) => {}
            Err(e) => return usage(e),
        }
    }
    let runtime = match run::call::runtime() {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    let secure_value = |stored: &BTreeMap<String, String>| {
        params
            .iter()
            .find(|p| p.kind == ConnectionParameterType::SecureString)
            .and_then(|p| stored.get(&p.name).cloned())
    };
    // The way to connect: the one the chosen parameters fit, else the definition's first.
    let access = choose_access(&c, &params);
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
                missing_values.push(name.to_string());
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
            if !missing_values.is_empty() {
                return usage(missing(&c, &missing_values));
            }
            let redirect = loopback_redirect_url(args.port, &c.name);
            let mut extra = stored_params.clone();
            extra.extend(values.given.clone());
            let given = values.given.clone();
            let config = match oauth_config(
                flows,
                oauth_settings(&params).as_ref(),
                &given,
                &mut |w| values.get(w),
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
    if !missing_values.is_empty() {
        return usage(missing(&c, &missing_values));
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
                .map_err(Error::Sdk)
                .and_then(|conn| runtime.block_on(run::call::send_once(&c, op, conn)));
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
        &mut || say!("warning: refused a sign-in redirect whose state does not match (it was not started here); still waiting"),
    )
    .map_err(|e| e.to_string())?;
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
