//! `connector-gen inspect`.

use super::{color_stderr, Format};
use connector_gen::diagnostics::Severity;
use connector_gen::load::{self, LoadOptions};
use connector_gen::pipeline;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `inspect` keeps of one loaded connector: its rendered output and error messages.
struct Inspected {
    json: Option<serde_json::Value>,
    human: Option<String>,
    errors: Vec<String>,
    warnings: usize,
}

pub fn run(path: PathBuf, format: Format, max_depth: Option<usize>) -> ExitCode {
    use rayon::prelude::*;
    let defaults = super::load_options();
    let opts = LoadOptions {
        max_depth: max_depth.unwrap_or(defaults.max_depth),
        ..defaults
    };
    let inputs = match load::discover(&path) {
        Ok(i) => i,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let color = color_stderr();
    // Each connector is reduced to its output as soon as it is loaded, so memory stays that of
    // a few connectors however many are inspected.
    let results: Vec<Inspected> = inputs
        .par_iter()
        .map(|input| {
            let l = pipeline::load(input, &opts);
            let errors = super::loading_errors(&l, color);
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
            super::write_json(&mut stdout, &value)
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
