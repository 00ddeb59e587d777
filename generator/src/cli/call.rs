//! `connector-gen call`: runs one action of a definition through the connector-sdk runtime.
//!
//! The request is built from the model the way generated code builds it (same `Call`, same
//! encodings), so a definition behaves the same called here or from its generated crate.

use connector_gen::model::Connector;
use connector_gen::run::{self, call::Outcome};
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

/// A usage error: exit 2, the message on stderr.
fn usage(message: impl std::fmt::Display) -> ExitCode {
    say!("error: {message}");
    ExitCode::from(2)
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
    run::call::load_one(path, &super::load_options()).map_err(usage)
}

/// The SDK client for `c` (see [`run::call::client_for`]), each policy template not applied
/// reported once on stderr, with the `limits` of the command line.
pub(super) fn client_for(
    c: &Connector,
    connection: Option<&PathBuf>,
    retry: Option<&str>,
    limits: &ServerLimits,
) -> Result<connector_sdk::Client, run::Error> {
    let (client, not_applied) = run::call::client_for(c, connection.map(PathBuf::as_path), retry)?;
    for what in not_applied {
        say!("warning: policy template {what}; it is not applied to this call");
    }
    Ok(limits.apply(client))
}

pub fn run(args: Args) -> ExitCode {
    let c = match load_one(&args.path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let c = &c;
    let (op, long_running) = match run::call::find_action(c, &args.operation_id) {
        Ok(found) => found,
        Err(e) => return usage(e),
    };
    let call = match run::call::build(c, op, &args.params, args.body.as_deref()) {
        Ok(call) => call,
        Err(e) => return usage(e),
    };
    let runtime = match run::call::runtime() {
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
    let outcome = runtime.block_on(run::call::run_action(&client, call, op, long_running));
    match outcome {
        Ok(Outcome::Items(items)) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&items).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::Body(body)) => {
            print_body(&body);
            ExitCode::SUCCESS
        }
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(1)
        }
    }
}
