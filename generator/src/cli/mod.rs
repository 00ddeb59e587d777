//! Command-line parsing and the commands.

/// `eprintln!` for messages that carry text from definitions, servers or file names: control
/// characters and bidirectional overrides in it are escaped (`connector_gen::text::printable`),
/// so that what reaches the terminal is text, never a command to it.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", connector_gen::text::printable(&format!($($arg)*)))
    };
}

#[cfg(feature = "run")]
mod call;
#[cfg(feature = "run")]
mod connect;
mod convert;
mod diff;
mod docs;
mod generate;
mod init;
mod inspect;
mod package;
mod rules;
#[cfg(feature = "run")]
mod serve;
mod validate;
#[cfg(feature = "run")]
mod watch;

use clap::{Parser, Subcommand, ValueEnum};
use connector_gen::load::{self, LoadOptions};
use connector_gen::pipeline;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Generate, validate, inspect, convert and run custom connectors (Swagger 2.0, OpenAPI 3.0/3.1,
/// Postman collections).
#[derive(Parser)]
#[command(name = "connector-gen", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Also let definitions read files under DIR (repeatable). A definition reads only regular
    /// files in its own folder (the connector folder, or the folder of the file given): this
    /// widens it for a definition whose `$ref`s span folders.
    #[arg(long = "root", value_name = "DIR", global = true)]
    roots: Vec<PathBuf>,
}

/// The folders given with `--root`.
static ROOTS: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();

#[derive(Subcommand)]
enum Command {
    /// Show what a connector is: auth, actions, triggers, counts.
    ///
    /// PATH is a definition file (JSON or YAML), a connector folder (apiDefinition.swagger.json +
    /// apiProperties.json [+ settings.json]) or a directory searched recursively for either.
    /// Exit status: 0 when every connector loaded without errors, 1 when errors were found,
    /// 2 when nothing could be loaded.
    Inspect {
        /// Definition file, connector folder or directory.
        path: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Deepest nesting of arrays and objects read before giving up (at most 10000; default
        /// 256, or CONNECTOR_GEN_MAX_DEPTH).
        #[arg(long, value_parser = parse_depth)]
        max_depth: Option<usize>,
    },
    /// Check connector definitions offline: syntax, references, auth, certification rules.
    ///
    /// Each PATH is a definition file, a connector folder or a directory searched recursively;
    /// everything found is checked and reported together. Exit status: 0 no errors (warnings
    /// allowed), 1 errors found, 2 could not run (missing path, unreadable file, no definition
    /// found, bad configuration or baseline).
    ///
    /// Examples:
    ///   connector-gen validate connectors/
    ///   connector-gen validate connectors/ --format sarif > connectors.sarif
    ///   connector-gen validate connectors/ --write-baseline .connector-baseline.json
    ///   connector-gen validate connectors/ --baseline .connector-baseline.json
    #[command(verbatim_doc_comment)]
    Validate(validate::Args),
    /// Write a Rust crate for a connector: typed models and an async client.
    ///
    /// Refuses (exit 1, nothing written) when the definition cannot be read; never overwrites a
    /// generated file that was edited by hand unless --force (exit 2).
    Generate(generate::Args),
    /// Write a definition as OpenAPI 3.0 or Swagger 2.0: from a Postman collection (v1, v2.0,
    /// v2.1) or any supported definition.
    ///
    /// Swagger 2.0 output carries the platform's x-ms-* extensions so that it imports as a
    /// custom connector. What the input holds that the output cannot (merged or skipped Postman
    /// requests, a second host in Swagger 2.0...) is said on stderr. Exit status: 0 written,
    /// 1 the input cannot be read (nothing written), 2 bad arguments or cannot write.
    ///
    /// Examples:
    ///   connector-gen convert api.postman_collection.json --to swagger2 -o apiDefinition.swagger.json
    ///   connector-gen convert apiDefinition.swagger.json --to openapi3 > openapi.json
    #[command(verbatim_doc_comment)]
    Convert(convert::Args),
    /// Compare two versions of a connector: what changed, and whether it breaks flows.
    ///
    /// OLD and NEW are each a definition file, a connector folder, or a directory of them
    /// (connectors paired by folder name). Exit status: 0 nothing breaking (or below
    /// --fail-on), 1 changes at the --fail-on level found, 2 could not run (a side unreadable).
    ///
    /// Examples:
    ///   connector-gen diff old/apiDefinition.swagger.json new/apiDefinition.swagger.json
    ///   connector-gen diff released/ connectors/ --format json --fail-on warning
    #[command(verbatim_doc_comment)]
    Diff(diff::Args),
    /// Start a new connector from a connection template: apiDefinition.swagger.json,
    /// apiProperties.json and readme.md (and settings.json, script.csx when asked).
    ///
    /// Never overwrites: when any of the files exists, nothing is written (exit 2).
    ///
    /// Examples:
    ///   connector-gen init contoso --auth apikey --host api.contoso.com
    ///   connector-gen init contoso --auth aad --title "Contoso Tasks" --script --settings
    #[command(verbatim_doc_comment)]
    Init(init::Args),
    /// Write a connector folder as a certification package: a zip of intro.md (the readme) and a
    /// Package Deployer package holding the connector's solution (and the flows' solution).
    ///
    /// The folder must pass `validate --profile certification` without an error. Exit status:
    /// 0 written, 1 the connector has errors (nothing written), 2 bad arguments or cannot write.
    ///
    /// Examples:
    ///   connector-gen package contoso -o contoso.zip
    ///   connector-gen package contoso -o contoso.zip --flows ContosoFlows_1_0_0_0.zip
    #[command(verbatim_doc_comment)]
    Package(package::Args),
    /// Write a static reference site for connectors: one page each (connection, throttling,
    /// actions, triggers, definitions), and an index with a search for a directory.
    ///
    /// HTML and CSS with one small local script; nothing loaded from elsewhere. The site is
    /// written whole or not at all. Exit status: 0 written, 1 written without the connectors
    /// that could not be read (their errors on stderr), 2 nothing to document or cannot write.
    ///
    /// Examples:
    ///   connector-gen docs connectors/ -o site
    ///   connector-gen docs connectors/contoso --findings --profile certification -o site
    #[command(verbatim_doc_comment)]
    Docs(docs::Args),
    /// Run one action against the live API and print the response body as JSON.
    ///
    /// A pageable action follows every page (--max-pages N) and prints all items. Exit status:
    /// 0 success, 1 the call failed (the error on stderr), 2 bad arguments.
    #[cfg(feature = "run")]
    Call(call::Args),
    /// Create a connection and store it encrypted (asks for what the definition declares; runs
    /// the OAuth sign-in when needed; tests it with the definition's testConnection action).
    ///
    /// Values come from --param NAME=VALUE, then CONNECTOR_GEN_PARAM_<NAME> environment
    /// variables, then a prompt on a terminal (secure values without echo). Exit status: 0
    /// stored, 1 sign-in or test failed, 2 bad arguments or missing values.
    #[cfg(feature = "run")]
    Connect(connect::Args),
    /// Run a polling trigger, printing each event as one JSON line; durable state in SQLite.
    ///
    /// The state advances only after an event's line is written, so a restart after a crash
    /// repeats at most the batch in flight and loses nothing. Exit status: 0 stopped (Ctrl-C or
    /// --polls done), 1 a poll failed, 2 bad arguments.
    #[cfg(feature = "run")]
    Watch(watch::Args),
    /// Run the triggers of a host configuration: many triggers in one process, and many
    /// processes on one PostgreSQL store (each trigger on the instance holding its lease).
    ///
    /// Events go to each trigger's sink (stdout, http, command) at least once; an event its
    /// sink refuses `attempts` times is kept as a dead letter. `serve CONFIG --check` validates
    /// the configuration and its connectors (exit 0 fine, 1 mistakes, 2 unreadable);
    /// `serve status CONFIG` shows each trigger's owner, last poll, lag and dead letters.
    /// Exit status of serving: 0 stopped (SIGTERM or Ctrl-C: every lease given back), 2 the
    /// configuration, the store or the listener cannot be used.
    ///
    /// Examples:
    ///   connector-gen serve host.toml --check
    ///   connector-gen serve host.toml
    ///   connector-gen serve status host.toml
    #[cfg(feature = "run")]
    #[command(verbatim_doc_comment)]
    Serve(serve::Args),
    /// List or remove stored connections.
    #[cfg(feature = "run")]
    #[command(subcommand)]
    Connections(connect::Connections),
    /// List the validation rules (`--format markdown` writes docs/rules.md).
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = rules::RulesFormat::Human)]
        format: rules::RulesFormat,
        /// The change rules of `diff` instead (`--format markdown` writes docs/change-rules.md).
        #[arg(long)]
        changes: bool,
    },
}

/// Output format of `inspect`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable summary.
    Human,
    /// The stable JSON shape (one object; an array for several connectors).
    Json,
}

fn parse_depth(s: &str) -> Result<usize, String> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match s.parse::<usize>() {
        Ok(n) if (1..=load::MAX_DEPTH_LIMIT).contains(&n) => Ok(n),
        // A whole number, too large (even for a usize) or too small.
        _ if digits => Err(format!("must be between 1 and {}", load::MAX_DEPTH_LIMIT)),
        _ => Err(format!("`{s}` is not a whole number")),
    }
}

/// Writes `value` as pretty JSON and a line break, straight into `out` (no text of it is built
/// first: reports can be hundreds of megabytes).
pub fn write_json(
    out: &mut impl std::io::Write,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// The loading limits: defaults changed by the `CONNECTOR_GEN_MAX_*` environment variables. A
/// variable that does not hold a number in range stops the command (exit 2).
pub fn load_options() -> LoadOptions {
    match LoadOptions::from_env() {
        Ok(o) => LoadOptions {
            roots: ROOTS.get().cloned().unwrap_or_default(),
            ..o
        },
        Err(e) => {
            say!("error: {e}");
            std::process::exit(2);
        }
    }
}

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Colour on stderr: only on a terminal, and never with NO_COLOR.
pub fn color_stderr() -> bool {
    !no_color() && std::io::stderr().is_terminal()
}

/// Colour on stdout: only on a terminal, and never with NO_COLOR.
pub fn color_stdout() -> bool {
    !no_color() && std::io::stdout().is_terminal()
}

/// A progress bar on stderr counting `len` connectors (`{verb} 3/615 connectors`), shown only
/// when `wanted` and stderr is a terminal: pipes get nothing extra.
pub fn progress_bar(len: usize, wanted: bool, verb: &str) -> indicatif::ProgressBar {
    if !(wanted && std::io::stderr().is_terminal()) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {verb} {{pos}}/{{len}} connectors {{wide_bar}} {{eta}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// The errors found loading a connector, rendered compiler-style for stderr.
pub fn loading_errors(l: &pipeline::Loaded, color: bool) -> Vec<String> {
    use connector_gen::diagnostics::{render, Severity};
    l.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| render::human(d, &l.sources, color))
        .collect()
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    for root in &cli.roots {
        if !root.is_dir() {
            say!(
                "error: --root {}: not a directory; give the folder whose files definitions may read",
                root.display()
            );
            return ExitCode::from(2);
        }
    }
    let _ = ROOTS.set(cli.roots);
    match cli.command {
        Command::Inspect {
            path,
            format,
            max_depth,
        } => pipeline::with_loader_pool(|| inspect::run(path, format, max_depth)),
        Command::Validate(args) => pipeline::with_loader_pool(|| validate::run(args)),
        Command::Generate(args) => pipeline::with_loader_pool(|| generate::run(args)),
        Command::Convert(args) => pipeline::with_loader_thread(|| convert::run(args)),
        Command::Diff(args) => pipeline::with_loader_pool(|| diff::run(args)),
        Command::Init(args) => init::run(args),
        Command::Package(args) => pipeline::with_loader_thread(|| package::run(args)),
        Command::Docs(args) => pipeline::with_loader_pool(|| docs::run(args)),
        #[cfg(feature = "run")]
        Command::Call(args) => pipeline::with_loader_pool(|| call::run(args)),
        #[cfg(feature = "run")]
        Command::Connect(args) => pipeline::with_loader_pool(|| connect::run(args)),
        #[cfg(feature = "run")]
        Command::Connections(command) => connect::connections(command),
        #[cfg(feature = "run")]
        Command::Watch(args) => pipeline::with_loader_pool(|| watch::run(args)),
        #[cfg(feature = "run")]
        Command::Serve(args) => pipeline::with_loader_pool(|| serve::run(args)),
        Command::Rules { format, changes } => rules::run(format, changes),
    }
}
