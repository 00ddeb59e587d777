//! `connector-gen call`: runs one action of a definition through the connector-sdk runtime.
//!
//! The request is built from the model the way generated code builds it (same `Call`, same
//! encodings), so a definition behaves the same called here or from its generated crate.

use connector_gen::codegen::auth::{accesses, Login};
use connector_gen::codegen::client::{array_format_name, sends_form, sends_multipart};
use connector_gen::load;
use connector_gen::model::*;
use connector_sdk::{ArrayFormat, Call, Connection, OperationSpec, PathEncoding, StreamExt};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Definition file or connector folder.
    path: PathBuf,
    /// The operationId of the action to run.
    operation_id: String,
    /// A parameter value, `name=value` (repeatable); JSON for non-string parameters
    /// (`top=5`, `tags=["a","b"]`).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// The request body: JSON text, or @FILE.
    #[arg(long)]
    body: Option<String>,
    /// The connection: the name of a stored connection (`connector-gen connect`), or a JSON file
    /// mapping connection parameter names to values
    /// (`{"api_key": "..."}`, `{"username": "...", "password": "..."}`, `{"access_token": "..."}`),
    /// plus an optional `base_url` that replaces the definition's. Every value is also a
    /// connection parameter that the connector's policy templates can read.
    #[arg(long, value_name = "NAME|FILE")]
    connection: Option<PathBuf>,
    /// For a pageable action: read at most this many pages.
    #[arg(long, value_name = "N")]
    max_pages: Option<usize>,
    /// The retry policy: `none`, `default`, or the workflow form as JSON
    /// (`{"type":"fixed","count":3,"interval":"PT5S"}`; exponential also takes
    /// `minimumInterval` and `maximumInterval`). Default: `default` (exponential, 4 retries).
    #[arg(long, value_name = "POLICY")]
    retry: Option<String>,
    #[command(flatten)]
    limits: ServerLimits,
}

/// What a service may make a command do: each has a default, and a service that goes past it
/// gets an error naming the option (docs/limits.md).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ServerLimits {
    /// The largest response body read, in bytes (default 104857600, 100 MiB); a larger one is
    /// an error, never held in memory.
    #[arg(long, value_name = "BYTES")]
    max_body_bytes: Option<u64>,
    /// The longest Retry-After honoured before a retry, in seconds (default 300); a service
    /// that asks for a longer wait fails the call instead.
    #[arg(long, value_name = "SECONDS")]
    max_retry_after: Option<u64>,
    /// Redirects followed for one request (default 10; 0: a redirect is the answer).
    #[arg(long, value_name = "N")]
    max_redirects: Option<usize>,
    /// How long a long-running action (202 Accepted) is polled before giving up, in seconds
    /// (default 3600).
    #[arg(long, value_name = "SECONDS")]
    long_running_timeout: Option<u64>,
}

impl ServerLimits {
    /// `client` with these limits, and every wait the service causes said on stderr.
    pub(super) fn apply(&self, mut client: connector_sdk::Client) -> connector_sdk::Client {
        if let Some(n) = self.max_body_bytes {
            client = client.with_max_body_bytes(n);
        }
        if let Some(s) = self.max_retry_after {
            client = client.with_max_retry_after(std::time::Duration::from_secs(s));
        }
        if let Some(n) = self.max_redirects {
            client = client.with_max_redirects(n);
        }
        if let Some(s) = self.long_running_timeout {
            client = client.with_long_running_timeout(std::time::Duration::from_secs(s));
        }
        client.with_wait_observer(|wait| {
            if wait.duration >= std::time::Duration::from_secs(1) {
                say!("note: {wait}");
            }
        })
    }
}

/// A retry policy from `--retry`: `none`, `default`, or the workflow form as JSON.
fn retry_policy(text: &str) -> Result<connector_sdk::RetryPolicy, String> {
    let t = text.trim();
    let v: Value = if t.starts_with('{') {
        serde_json::from_str(t).map_err(|e| format!("--retry is not JSON: {e}"))?
    } else {
        serde_json::json!({ "type": t })
    };
    let get = |k: &str| v.get(k).and_then(Value::as_str);
    let count = v
        .get("count")
        .map(|c| match c.as_u64() {
            Some(n) => u32::try_from(n).map_err(|_| {
                format!(
                    "--retry: retry count {n} is outside 1–{}",
                    connector_sdk::retry::MAX_RETRIES
                )
            }),
            None => Err(format!("--retry `count` must be a whole number, not {c}")),
        })
        .transpose()?;
    connector_sdk::RetryPolicy::from_config(
        get("type").unwrap_or("default"),
        count,
        get("interval"),
        get("minimumInterval"),
        get("maximumInterval"),
    )
    .map_err(|e| format!("--retry: {e}"))
}

/// A usage error: exit 2, the message on stderr.
fn usage(message: impl std::fmt::Display) -> ExitCode {
    say!("error: {message}");
    ExitCode::from(2)
}

/// The connection a JSON file describes, for the connector's first way to connect (the same
/// reading of the security schemes as the generated `auth` module).
/// Says whether the file gave `base_url` (which then wins over a `dynamichosturl` policy).
fn connection(c: &Connector, file: Option<&PathBuf>) -> Result<(Connection, bool), String> {
    let values: serde_json::Map<String, Value> = match file {
        None => serde_json::Map::new(),
        Some(f) => {
            let text = connector_gen::fs::read_text(f).map_err(|e| e.to_string())?;
            match serde_json::from_str(&text) {
                Ok(Value::Object(m)) => m,
                Ok(_) => {
                    return Err(format!(
                        "{}: a connection file is a JSON object",
                        f.display()
                    ))
                }
                Err(e) => return Err(format!("{}: {e}", f.display())),
            }
        }
    };
    let get = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            values
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(k))
                .and_then(|(_, v)| v.as_str().map(str::to_string))
        })
    };
    let explicit = get(&["base_url"]);
    let fixed = explicit.is_some();
    let base_url = match explicit {
        Some(url) => url,
        None => {
            let url = connector_gen::codegen::client::base_url(c);
            let dynamic = c
                .policies
                .iter()
                .any(|p| p.kind == PolicyKind::DynamicHostUrl);
            if url.is_empty() && !dynamic {
                return Err(format!(
                    "{} declares no host: give `base_url` in the connection file",
                    c.name
                ));
            }
            url
        }
    };
    // Every value of the file is also a connection parameter, for the policy templates that
    // read them (`@connectionParameters('hostName')`).
    let conn = values
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("base_url"))
        .fold(Connection::new(base_url), |conn, (k, v)| match v {
            Value::String(s) => conn.with_parameter(k, s),
            Value::Null => conn,
            other => conn.with_parameter(k, other.to_string()),
        });
    let all = accesses(c);
    if all.is_empty() {
        return Ok((conn, fixed));
    }
    // The way to connect is the first, in the definition's order, whose parameters the file
    // fills: a user name and password never go out as an API key.
    let secure: Vec<&str> = c
        .connection
        .iter()
        .flat_map(|p| p.all_parameters())
        .filter(|p| p.kind == ConnectionParameterType::SecureString)
        .map(|p| p.name.as_str())
        .filter(|n| !BASIC_NAMES.iter().any(|b| n.eq_ignore_ascii_case(b)))
        .collect();
    let mut expected = Vec::new();
    for access in &all {
        let scheme = access.scheme.map_or("apiProperties", |s| s.name.as_str());
        let filled = match access.login {
            Login::ApiKey { name, query } => {
                let mut keys: Vec<&str> = vec![scheme, "api_key", "apiKey"];
                keys.extend(secure.iter().copied());
                keys.retain(|k| !BASIC_NAMES.iter().any(|b| k.eq_ignore_ascii_case(b)));
                expected.push(format!("`{scheme}` (API key) needs `{}`", keys[0]));
                get(&keys).map(|key| {
                    if query {
                        conn.clone().with_api_key_query(name, key)
                    } else {
                        conn.clone().with_api_key_header(name, key)
                    }
                })
            }
            Login::Basic => {
                expected.push(format!(
                    "`{scheme}` (basic) needs `username` and `password`"
                ));
                match (get(&["username", "user"]), get(&["password"])) {
                    (Some(user), Some(password)) => Some(conn.clone().with_basic(user, password)),
                    _ => None,
                }
            }
            Login::OAuth2 { .. } | Login::Bearer => {
                expected.push(format!("`{scheme}` (bearer token) needs `access_token`"));
                get(&["access_token", "token", scheme]).map(|t| conn.clone().with_bearer(t))
            }
        };
        if let Some(conn) = filled {
            return Ok((conn, fixed));
        }
    }
    Err(format!(
        "the connection file fits none of the ways {} connects: {}",
        c.name,
        expected.join("; ")
    ))
}

/// Connection values that belong to basic authentication, never to an API key.
const BASIC_NAMES: [&str; 3] = ["username", "user", "password"];

/// A parameter value from the command line: text for string parameters, else JSON when it
/// parses (numbers, booleans, arrays), else text.
fn value_of(types: &TypeSpace, p: &Parameter, text: &str) -> Value {
    let s = types.get(types.resolve(p.schema));
    if s.types == [SchemaType::String] {
        return Value::String(text.to_string());
    }
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

fn array_format(p: &Parameter) -> ArrayFormat {
    match array_format_name(p) {
        "Multi" => ArrayFormat::Multi,
        "Ssv" => ArrayFormat::Ssv,
        "Tsv" => ArrayFormat::Tsv,
        "Pipes" => ArrayFormat::Pipes,
        _ => ArrayFormat::Csv,
    }
}

pub(super) fn build(
    c: &Connector,
    op: &Operation,
    params: &[String],
    body: Option<&str>,
) -> Result<Call, String> {
    let mut given: Vec<(String, String)> = Vec::new();
    for p in params {
        let (k, v) = p
            .split_once('=')
            .ok_or_else(|| format!("`--param {p}`: expected NAME=VALUE"))?;
        given.push((k.to_string(), v.to_string()));
    }
    for (k, _) in &given {
        if !op.parameters.iter().any(|p| &p.name == k) {
            let known: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
            return Err(format!(
                "`{}` has no parameter `{k}` (it has: {})",
                op.id,
                known.join(", ")
            ));
        }
    }
    let body = match body {
        None => None,
        Some(b) => {
            let text = match b.strip_prefix('@') {
                Some(file) => connector_gen::fs::read_text(std::path::Path::new(file))
                    .map_err(|e| format!("--body @{file}: {e}"))?,
                None => b.to_string(),
            };
            Some(
                serde_json::from_str::<Value>(&text)
                    .map_err(|e| format!("--body is not JSON: {e}"))?,
            )
        }
    };
    let mut call = Call::new(OperationSpec::owned(
        op.id.clone(),
        op.method.as_str(),
        op.path.clone(),
    ));
    if let Some(url) = connector_gen::codegen::client::operation_server(op) {
        call.server(&url);
    }
    if sends_multipart(op) {
        call.multipart();
    }
    let mut missing = Vec::new();
    let form = sends_form(op);
    // The body goes as form fields or JSON, as generated code sends it.
    let set_body = |call: &mut Call, b: &Value| {
        if form {
            call.form_fields(b);
        } else {
            call.json(b);
        }
    };
    for p in &op.parameters {
        let value = match given.iter().find(|(k, _)| k == &p.name) {
            Some((_, v)) => Some(value_of(&c.types, p, v)),
            None => c.types.get(c.types.resolve(p.schema)).default.clone(),
        };
        if p.location == ParameterLocation::Body {
            match &body {
                Some(b) => set_body(&mut call, b),
                None if p.required => missing.push(format!("{} (--body)", p.name)),
                None => {}
            }
            continue;
        }
        let Some(value) = value else {
            if p.required {
                missing.push(p.name.clone());
            }
            continue;
        };
        match p.location {
            ParameterLocation::Path => {
                let enc = if p.url_encoding == Some(UrlEncoding::Single) {
                    PathEncoding::Single
                } else {
                    PathEncoding::Double
                };
                call.path(&p.name, &value, enc);
            }
            ParameterLocation::Query => {
                call.query(&p.name, &value, array_format(p));
            }
            ParameterLocation::Header => {
                call.header(&p.name, &value);
            }
            ParameterLocation::FormData
                if c.types.get(c.types.resolve(p.schema)).types == [SchemaType::File] =>
            {
                let file = value.as_str().unwrap_or_default();
                let path = file.strip_prefix('@').unwrap_or(file);
                let data = connector_gen::fs::read_input(std::path::Path::new(path))
                    .map_err(|e| format!("--param {}: {e}", p.name))?;
                call.file(&p.name, path, data);
            }
            ParameterLocation::FormData => {
                call.form(&p.name, &value);
            }
            _ => {}
        }
    }
    if op.request_body.is_some()
        && !op
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Body)
    {
        match &body {
            Some(b) => set_body(&mut call, b),
            None if op.request_body.as_ref().is_some_and(|r| r.required) => {
                missing.push("the request body (--body)".into())
            }
            None => {}
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "`{}` needs {}",
            op.id,
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(call)
}

/// Prints a response body: JSON pretty-printed, text as it is; bytes that are not UTF-8 (a
/// file) are written to stdout unchanged, for a redirect into a file.
fn print_body(body: &[u8]) {
    if body.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default()),
        Err(_) => match std::str::from_utf8(body) {
            Ok(text) => println!("{text}"),
            Err(_) => {
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(body).and_then(|()| out.flush());
            }
        },
    }
}

/// The one connector at `path` (`call`, `connect` and `watch` run one), or the usage error.
pub(super) fn load_one(path: &std::path::Path) -> Result<Connector, ExitCode> {
    let loaded = match load::load_path(path, &super::load_options()) {
        Ok(mut l) if l.len() == 1 => l.remove(0),
        Ok(l) => {
            return Err(usage(format!(
                "{} holds {} connectors; give one",
                path.display(),
                l.len()
            )))
        }
        Err(e) => return Err(usage(e)),
    };
    loaded.connector.ok_or_else(|| {
        usage(format!(
            "{}: the definition cannot be read (see `connector-gen validate`)",
            path.display()
        ))
    })
}

/// The async runtime of a command (one thread: a command runs one action or trigger).
pub(super) fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

/// The connector's policy templates for the SDK.
pub(super) fn policies_of(c: &Connector) -> Result<connector_sdk::Policies, String> {
    Ok(connector_gen::codegen::client::policy_templates(c)
        .map(|json| connector_sdk::Policies::from_json(&json))
        .transpose()
        .map_err(|e| e.to_string())?
        .unwrap_or_default())
}

pub fn run(args: Args) -> ExitCode {
    let c = match load_one(&args.path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let c = &c;
    let Some(op) = c.operations.iter().find(|o| o.id == args.operation_id) else {
        let near = c
            .operations
            .iter()
            .map(|o| (strsim::jaro_winkler(&o.id, &args.operation_id), &o.id))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| format!("; did you mean `{id}`?"))
            .unwrap_or_default();
        return usage(format!(
            "no operation `{}` in {}{near}",
            args.operation_id, c.name
        ));
    };
    let OperationKind::Action { long_running } = op.kind else {
        return usage(format!(
            "`{}` is a trigger; run it with `connector-gen watch`",
            op.id
        ));
    };
    let call = match build(c, op, &args.params, args.body.as_deref()) {
        Ok(call) => call,
        Err(e) => return usage(e),
    };
    let runtime = match super::call::runtime() {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    let client = match client_for(
        c,
        args.connection.as_ref(),
        args.retry.as_deref(),
        &args.limits,
    ) {
        Ok(client) => client.with_max_pages(args.max_pages),
        Err(e) => return usage(e),
    };
    let paging = op.pageable.as_ref().and_then(|p| {
        p.next_link_name
            .as_deref()
            .map(|next| connector_sdk::Paging {
                item_name: p.item_name.clone().unwrap_or_else(|| "value".into()),
                next_link_name: next.to_string(),
            })
    });
    let outcome = runtime.block_on(async {
        match paging {
            Some(paging) => {
                let items: Vec<Result<Value, connector_sdk::Error>> =
                    client.items(call, paging).collect().await;
                let items: Result<Vec<Value>, _> = items.into_iter().collect();
                items.map(|v| {
                    println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                })
            }
            None => {
                let response = if long_running {
                    client.send_long_running(call).await
                } else {
                    client.send(call).await
                };
                response.map(|r| print_body(&r.body))
            }
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Sends `op` once with no parameters but its defaults, through `conn` and the connector's
/// policies: how `connect` tests a connection.
pub async fn send_once(c: &Connector, op: &Operation, conn: Connection) -> Result<(), String> {
    let call = build(c, op, &[], None)?;
    let policies = policies_of(c)?;
    let client = connector_sdk::Client::new(conn, &c.name)
        .map_err(|e| e.to_string())?
        .with_policies(policies);
    client
        .send(call)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The SDK client for `c` through `connection` (a stored connection's name, or a connection
/// file; none: the definition's host without credentials), with the connector's policies
/// (each one not applied reported once on stderr) and the `--retry` policy (none: the default).
pub(super) fn client_for(
    c: &Connector,
    connection_arg: Option<&PathBuf>,
    retry: Option<&str>,
    limits: &ServerLimits,
) -> Result<connector_sdk::Client, String> {
    let retry = retry.map(retry_policy).transpose()?.unwrap_or_default();
    // A NAME is a word; something that looks like a path is a file, even a missing one.
    let stored = connection_arg.filter(|p| {
        let text = p.to_string_lossy();
        !p.exists() && !text.contains(['/', '\\']) && !text.ends_with(".json")
    });
    let (conn, fixed_base) = match stored {
        Some(name) => {
            let name = name.to_string_lossy();
            connector_sdk::Store::open()
                .and_then(|s| s.get(&name))
                .and_then(|s| {
                    let fixed = s.base_url != connector_gen::codegen::client::base_url(c);
                    s.connection(&name).map(|conn| (conn, fixed))
                })
                .map_err(|e| e.to_string())?
        }
        None => connection(c, connection_arg)?,
    };
    let policies = policies_of(c)?;
    for what in policies.not_applied() {
        say!("warning: policy template {what}; it is not applied to this call");
    }
    let base = fixed_base.then(|| conn.base_url.clone());
    let client = limits.apply(
        connector_sdk::Client::new(conn, &c.name)
            .map_err(|e| e.to_string())?
            .with_policies(policies)
            .with_retry(retry),
    );
    Ok(match base {
        Some(url) => client.with_base_url(url),
        None => client,
    })
}
