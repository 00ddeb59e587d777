//! Creating a connection: the parameters a connector declares, the way to connect they fit,
//! the OAuth 2.0 configuration and the loopback redirect of its sign-in, and the action that
//! tests a new connection.

use super::Error;
use crate::model::*;
use crate::plan::{accesses, oauth2_description, Access};
use connector_sdk::OAuthConfig;
use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::time::{Duration, Instant};

/// `CONNECTOR_GEN_PARAM_<NAME>`: the environment variable that gives connection value `param`.
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
#[derive(Debug, Clone)]
pub struct Wanted {
    /// Its name (`--param NAME=…`).
    pub name: String,
    /// What to call it when asking.
    pub label: String,
    /// A secret: asked for without echo.
    pub secure: bool,
    /// The connection cannot be made without it.
    pub required: bool,
}

impl Wanted {
    /// A wanted value.
    pub fn new(name: &str, label: &str, secure: bool, required: bool) -> Wanted {
        Wanted {
            name: name.into(),
            label: label.into(),
            secure,
            required,
        }
    }
}

/// The connection parameters to ask for: the chosen set's, or the plain list.
#[derive(Debug)]
pub struct Declared<'a> {
    /// The parameters.
    pub parameters: Vec<&'a ConnectionParameter>,
    /// The set they belong to, when the connector has sets and none was chosen, with the
    /// names of the other sets.
    pub defaulted_set: Option<(&'a str, Vec<&'a str>)>,
}

/// The connection parameters of `c` to ask for: those of the parameter set `set` (none: the
/// first), or the plain list when it has no sets.
pub fn declared<'a>(c: &'a Connector, set: Option<&str>) -> Result<Declared<'a>, Error> {
    let Some(props) = c.connection.as_ref() else {
        return Ok(Declared {
            parameters: Vec::new(),
            defaulted_set: None,
        });
    };
    if props.parameter_sets.is_empty() {
        return Ok(Declared {
            parameters: props.parameters.iter().collect(),
            defaulted_set: None,
        });
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
            .ok_or_else(|| Error::NoParameterSet {
                name: name.to_string(),
                sets: names.iter().map(|s| s.to_string()).collect(),
            })?,
    };
    let defaulted_set =
        (set.is_none() && names.len() > 1).then(|| (chosen.name.as_str(), names[1..].to_vec()));
    Ok(Declared {
        parameters: chosen.parameters.iter().collect(),
        defaulted_set,
    })
}

/// The OAuth settings among the parameters, if any.
pub fn oauth_settings(params: &[&ConnectionParameter]) -> Option<OAuthSettings> {
    params.iter().find_map(|p| p.oauth.clone())
}

/// The way to connect that the chosen parameters fit (a user name and password → basic; a
/// secure string → an API key), else the definition's first.
pub fn choose_access<'c>(c: &'c Connector, params: &[&ConnectionParameter]) -> Option<Access<'c>> {
    let all = accesses(c);
    let has = |n: &str| params.iter().any(|p| p.name == n);
    let fits = |a: &&Access<'_>| match a.login {
        crate::plan::Login::Basic => has("username") && has("password"),
        crate::plan::Login::ApiKey { .. } => {
            !(has("username") && has("password"))
                && params
                    .iter()
                    .any(|p| p.kind == ConnectionParameterType::SecureString)
        }
        _ => false,
    };
    all.iter().find(fits).or(all.first()).copied()
}

/// The OAuth configuration from the definition and apiProperties.json, as the generated
/// crates' `auth::oauth2_config().sign_in(..)` makes it (identity provider `aad`: the v2.0
/// endpoints of its login URL and tenant; `oauth2generic`: its templates, other placeholders
/// filled from `extra`); `given` may give or override the client id, scope, and the
/// authorization and token URLs; `ask` gets the client id and secret.
pub fn oauth_config(
    flows: &[OAuthFlow],
    settings: Option<&OAuthSettings>,
    given: &BTreeMap<String, String>,
    ask: &mut dyn FnMut(&Wanted) -> Result<Option<String>, Error>,
    redirect: String,
    extra: &BTreeMap<String, String>,
) -> Result<OAuthConfig, Error> {
    let mut description = oauth2_description(flows, settings);
    let client_id = ask(&Wanted::new("client_id", "OAuth client id", false, true))?;
    if client_id.is_none() && description.client_id.is_none() {
        return Err(Error::NoClientId);
    }
    let client_secret = ask(&Wanted::new(
        "client_secret",
        "OAuth client secret",
        true,
        false,
    ))?;
    if let Some(scope) = given.get("scope") {
        description.scopes = scope.split_whitespace().map(str::to_string).collect();
    }
    let given_auth = given.get("authorization_url").cloned();
    let given_token = given.get("token_url").cloned();
    description.authorization_url = given_auth.clone().or(description.authorization_url);
    description.token_url = given_token.clone().or(description.token_url);
    // Its errors name a missing setting by the `--param` name that gives it (`token_url`).
    let mut config = description
        .sign_in(client_id, client_secret, redirect)
        .map_err(Error::Sdk)?;
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

/// The values `c` still needs, once each, as an error that says how to give them.
pub fn missing(c: &Connector, missing: &[String]) -> Error {
    let mut unique: Vec<String> = Vec::new();
    for m in missing {
        if !unique.contains(m) {
            unique.push(m.clone());
        }
    }
    Error::MissingValues {
        connector: c.name.clone(),
        names: unique,
    }
}

/// The action `x-ms-capabilities.testConnection` names.
pub fn test_operation(c: &Connector) -> Option<&Operation> {
    let id = c
        .metadata
        .capabilities
        .as_ref()?
        .get("testConnection")?
        .get("operationId")?
        .as_str()?;
    c.operations.iter().find(|o| o.id == id)
}

/// The browser's request the redirect arrived on, answered once the sign-in is finished.
pub struct Redirected {
    stream: std::net::TcpStream,
    /// The authorization code.
    pub code: String,
    /// The state it came with.
    pub state: String,
}

impl Redirected {
    /// Tells the browser how the sign-in ended.
    pub fn answer(mut self, outcome: Result<(), &str>) {
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
/// in `refused` (and `on_refused` called), and the wait goes on; a provider's error is believed
/// only with the right state. The browser's request is answered by the caller once the code is
/// exchanged.
pub fn wait_for_redirect(
    listener: &std::net::TcpListener,
    path: &str,
    expected: &str,
    timeout: Duration,
    refused: &mut usize,
    on_refused: &mut dyn FnMut(),
) -> Result<Redirected, Error> {
    listener
        .set_nonblocking(true)
        .map_err(Error::RedirectListen)?;
    let started = Instant::now();
    loop {
        let (mut stream, _) = match listener.accept() {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if started.elapsed() > timeout {
                    return Err(Error::NoSignIn {
                        seconds: timeout.as_secs(),
                        refused: *refused,
                    });
                }
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            Err(e) => return Err(Error::Accept(e)),
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
            on_refused();
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
            return Err(Error::Refused(why));
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
                return Err(Error::NoCode);
            }
        }
    }
}
