//! `connector-gen convert`.

use super::call::load_one_with;
use clap::ValueEnum;
use connector_gen::convert::{convert, Target};
use connector_gen::diagnostics::{render, Severity};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// The format `convert` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum To {
    /// OpenAPI 3.0.3.
    Openapi3,
    /// Swagger 2.0 with the platform's x-ms-* extensions (importable as a custom connector).
    Swagger2,
}

#[derive(clap::Args)]
pub struct Args {
    /// A Postman collection, Swagger 2.0 or OpenAPI 3.x definition, or a connector folder.
    path: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    to: To,
    /// Write here (atomically) instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let color = super::color_stderr();
    let loaded = match load_one_with(&args.path) {
        Ok(l) => l,
        Err(code) => return code,
    };
    // What loading found (merged or skipped Postman requests, tolerated syntax...) is said on
    // stderr; only a definition that cannot be read into the model stops the conversion.
    for d in &loaded.diagnostics {
        let text = render::human(d, &loaded.sources, color);
        eprint!("{text}");
    }
    let Some(c) = loaded.connector.as_ref() else {
        let errors = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        eprintln!(
            "error: {}: {errors} error(s); nothing was written",
            args.path.display()
        );
        return ExitCode::from(1);
    };
    let target = match args.to {
        To::Openapi3 => Target::OpenApi3,
        To::Swagger2 => Target::Swagger2,
    };
    let out = convert(c, target);
    for n in &out.notes {
        eprintln!("note: {n}");
    }
    let mut text = match serde_json::to_string_pretty(&out.document) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot write the document: {e}");
            return ExitCode::from(1);
        }
    };
    text.push('\n');
    let written = match &args.output {
        Some(path) => connector_gen::fs::write_atomic(path, text.as_bytes())
            .map_err(|e| format!("{}: {e}", path.display())),
        None => match std::io::stdout().lock().write_all(text.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
            _ => Ok(()),
        },
    };
    if let Err(e) = written {
        eprintln!("error: cannot write the output: {e}");
        return ExitCode::from(2);
    }
    let (actions, polling, webhooks) = c.counts();
    if let Some(path) = &args.output {
        eprintln!(
            "Converted {} ({}) to {}: {} operations ({actions} actions, {} triggers) → {}",
            args.path.display(),
            c.format.label(),
            match target {
                Target::OpenApi3 => "OpenAPI 3.0.3",
                Target::Swagger2 => "Swagger 2.0",
            },
            c.operations.len(),
            polling + webhooks,
            path.display()
        );
    }
    ExitCode::SUCCESS
}
