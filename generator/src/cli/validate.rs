//! `connector-gen validate`.

use super::color_stdout;
use clap::ValueEnum;
use connector_gen::load::{self, Input, LoadOptions};
use connector_gen::pipeline;
use connector_gen::validate::baseline::Baseline;
use connector_gen::validate::config::Config;
use connector_gen::validate::report::{self, Finding, Summary};
use connector_gen::validate::{self as v, Profile};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output format of `validate`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Compiler-style messages and a summary line.
    Human,
    /// `{"diagnostics": [...], "summary": {...}}`.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions annotations (`::error file=...::message`).
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// Rules that catch broken connectors.
    Default,
    /// Also the certification rules (stricter severities).
    Certification,
}

#[derive(clap::Args)]
pub struct Args {
    /// Definition files, connector folders or directories.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
    /// Which rules run: `certification` adds the certification rules and raises severities.
    #[arg(long, value_enum, default_value_t = ProfileArg::Default)]
    profile: ProfileArg,
    /// TOML file with per-rule severity overrides and ignores (see docs/validate.md).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Report only findings that this baseline file does not already know.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every current finding to this baseline file (and exit 0).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Deepest nesting of arrays and objects read before giving up (at most 10000; default
    /// 256, or CONNECTOR_GEN_MAX_DEPTH).
    #[arg(long, value_parser = super::parse_depth)]
    max_depth: Option<usize>,
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    say!("error: {message}");
    ExitCode::from(2)
}

/// What is kept of one connector once it is checked.
struct Checked {
    findings: Vec<Finding>,
    files: usize,
}

pub fn run(args: Args) -> ExitCode {
    let profile = match args.profile {
        ProfileArg::Default => Profile::Default,
        ProfileArg::Certification => Profile::Certification,
    };
    let config = match &args.config {
        Some(path) => match Config::load(path) {
            Ok(c) => c,
            Err(e) => return fail(e),
        },
        None => Config::default(),
    };
    let baseline = match &args.baseline {
        Some(path) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(e) => return fail(e),
        },
        None => None,
    };
    let mut inputs: Vec<Input> = Vec::new();
    for path in &args.paths {
        if path.is_file() {
            if let Err(e) = std::fs::File::open(path) {
                return fail(format!("{}: {e}", path.display()));
            }
        }
        match load::discover(path) {
            Ok(found) => inputs.extend(found),
            Err(e) => return fail(e),
        }
    }
    let mut defaults = super::load_options();
    defaults.roots.extend(config.roots.iter().cloned());
    let opts = LoadOptions {
        max_depth: args.max_depth.unwrap_or(defaults.max_depth),
        ..defaults
    };
    let render = (args.format == ReportFormat::Human).then(color_stdout);
    let progress = super::progress_bar(inputs.len(), inputs.len() > 20, "checking");
    use rayon::prelude::*;
    let checked: Vec<Checked> = inputs
        .par_iter()
        .map(|input| {
            let loaded = pipeline::load(input, &opts);
            let fallback = input.definition.display().to_string();
            let findings = v::validate(&loaded, profile)
                .into_iter()
                .filter_map(|d| {
                    let file = d
                        .file
                        .map(|f| loaded.sources.get(f).path.display().to_string())
                        .unwrap_or_else(|| fallback.clone());
                    config.apply(d, &file)
                })
                .map(|d| Finding::from_diagnostic(&d, &loaded.sources, &fallback, render))
                .collect();
            progress.inc(1);
            Checked {
                findings,
                files: loaded.sources.len(),
            }
        })
        .collect();
    progress.finish_and_clear();
    let mut summary = Summary {
        connectors: inputs.len(),
        files: checked.iter().map(|c| c.files).sum(),
        ..Summary::default()
    };
    let mut findings: Vec<Finding> = checked.into_iter().flat_map(|c| c.findings).collect();
    if let Some(path) = &args.write_baseline {
        let b = Baseline::of(&findings);
        if let Err(e) = b.write(path) {
            return fail(e);
        }
        say!(
            "wrote {} findings to the baseline {}",
            b.findings.len(),
            path.display()
        );
        return ExitCode::SUCCESS;
    }
    if let Some(b) = &baseline {
        summary.baselined = b.filter(&mut findings);
    }
    summary.count(&findings);
    let text = match args.format {
        ReportFormat::Human => report::human(&findings, &summary),
        ReportFormat::Json => {
            serde_json::to_string_pretty(&report::json(&findings, &summary)).unwrap_or_default()
                + "\n"
        }
        ReportFormat::Sarif => {
            serde_json::to_string_pretty(&report::sarif(&findings, profile)).unwrap_or_default()
                + "\n"
        }
        ReportFormat::Github => report::github(&findings),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return fail(format!("cannot write the report: {e}"));
        }
    }
    if args.format == ReportFormat::Github {
        eprint!("{}", report::human(&[], &summary));
    }
    if summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
