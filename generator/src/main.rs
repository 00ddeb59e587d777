//! The `connector-gen` command line.

use clap::{Parser, Subcommand, ValueEnum};
use connector_gen::diagnostics::{render, Severity};
use connector_gen::load::{self, LoadOptions};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// Loading allocates many small strings and nodes; mimalloc halves the time the system allocator
// takes for them (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generate, validate, inspect and run custom connectors (Swagger 2.0, OpenAPI 3.0/3.1).
#[derive(Parser)]
#[command(name = "connector-gen", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

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
        /// Deepest nesting of arrays and objects read before giving up (at most 10000).
        #[arg(long, default_value_t = LoadOptions::default().max_depth,
              value_parser = parse_depth)]
        max_depth: usize,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable summary.
    Human,
    /// The stable JSON shape (one object; an array for several connectors).
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Inspect {
            path,
            format,
            max_depth,
        } => load::with_loader_pool(|| inspect(path, format, max_depth)),
    }
}

fn parse_depth(s: &str) -> Result<usize, String> {
    let n: usize = s
        .parse()
        .map_err(|_| format!("`{s}` is not a whole number"))?;
    if (1..=load::MAX_DEPTH_LIMIT).contains(&n) {
        Ok(n)
    } else {
        Err(format!("must be between 1 and {}", load::MAX_DEPTH_LIMIT))
    }
}

fn color_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// What `inspect` keeps of one loaded connector: its rendered output and error messages.
struct Inspected {
    json: Option<serde_json::Value>,
    human: Option<String>,
    errors: Vec<String>,
    warnings: usize,
}

fn inspect(path: PathBuf, format: Format, max_depth: usize) -> ExitCode {
    use rayon::prelude::*;
    let opts = LoadOptions {
        max_depth,
        ..LoadOptions::default()
    };
    let inputs = match load::discover(&path) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let color = color_stderr();
    // Each connector is reduced to its output as soon as it is loaded, so memory stays that of
    // a few connectors however many are inspected.
    let results: Vec<Inspected> = inputs
        .par_iter()
        .map(|input| {
            let l = load::load(input, &opts);
            let errors = l
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| render::human(d, &l.sources, color))
                .collect();
            let warnings = l
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count();
            let c = l.connector.as_ref();
            Inspected {
                json: c
                    .filter(|_| format == Format::Json)
                    .map(connector_gen::inspect::to_json),
                human: c
                    .filter(|_| format == Format::Human)
                    .map(connector_gen::inspect::to_human),
                errors,
                warnings,
            }
        })
        .collect();
    let mut stderr = std::io::stderr().lock();
    let errors: usize = results.iter().map(|r| r.errors.len()).sum();
    let warnings: usize = results.iter().map(|r| r.warnings).sum();
    for e in results.iter().flat_map(|r| &r.errors) {
        let _ = write!(stderr, "{e}");
    }
    if warnings > 0 {
        let _ = writeln!(
            stderr,
            "note: {warnings} warning{} (run `connector-gen validate` to see them)",
            if warnings == 1 { "" } else { "s" }
        );
    }
    let loaded = results
        .iter()
        .filter(|r| r.json.is_some() || r.human.is_some())
        .count();
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match format {
        Format::Json => {
            let mut values = results.into_iter().filter_map(|r| r.json);
            let value = if inputs.len() == 1 {
                values.next().unwrap_or(serde_json::Value::Null)
            } else {
                serde_json::Value::Array(values.collect())
            };
            serde_json::to_writer_pretty(&mut stdout, &value)
                .map_err(std::io::Error::from)
                .and_then(|_| writeln!(stdout))
        }
        Format::Human => results
            .iter()
            .filter_map(|r| r.human.as_deref())
            .enumerate()
            .try_for_each(|(i, text)| {
                if i > 0 {
                    writeln!(stdout)?;
                }
                write!(stdout, "{text}")
            }),
    };
    let written = written.and_then(|_| stdout.flush());
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(stderr, "error: cannot write the output: {e}");
            return ExitCode::from(2);
        }
    }
    if inputs.len() > 1 {
        let _ = writeln!(
            stderr,
            "inspected {} connectors: {} loaded, {} could not be read, {} errors",
            inputs.len(),
            loaded,
            inputs.len() - loaded,
            errors
        );
    }
    if loaded == 0 {
        ExitCode::from(if errors > 0 { 1 } else { 2 })
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
