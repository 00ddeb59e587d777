//! `connector-gen validate`.

use super::color_stdout;
use clap::ValueEnum;
use connector_gen::diagnostics::Diagnostic;
use connector_gen::load::{self, Input, LoadOptions};
use connector_gen::location::FileId;
use connector_gen::pipeline::{self, Loaded};
use connector_gen::validate::baseline::Baseline;
use connector_gen::validate::config::Config;
use connector_gen::validate::fix::{self, Applicability, Change, FixError, Fixed};
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
    /// Apply the safe fixes findings offer (edits of the files, written atomically), check
    /// again until nothing changes, and report what remains.
    #[arg(long, conflicts_with = "write_baseline")]
    fix: bool,
    /// With --fix or --diff: apply the unsafe fixes too (renamed operations, made-up labels).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing (exit 1 when a file would change).
    #[arg(long, conflicts_with = "write_baseline")]
    diff: bool,
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
    if args.unsafe_fixes && !(args.fix || args.diff) {
        return fail("--unsafe-fixes goes with --fix or --diff");
    }
    if args.diff && args.format != ReportFormat::Human {
        return fail("--diff prints a unified diff: it takes no --format");
    }
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
    if args.fix || args.diff {
        return fix(&args, &inputs, &opts, profile, &config, baseline.as_ref());
    }
    let render = (args.format == ReportFormat::Human).then(color_stdout);
    let progress = super::progress_bar(inputs.len(), inputs.len() > 20, "checking");
    use rayon::prelude::*;
    let checked: Vec<Checked> = inputs
        .par_iter()
        .map(|input| {
            let loaded = pipeline::load(input, &opts);
            let diagnostics = v::validate(&loaded, profile);
            let checked = report_of(input, &loaded, diagnostics, &config, render);
            progress.inc(1);
            checked
        })
        .collect();
    progress.finish_and_clear();
    let mut summary = Summary {
        connectors: inputs.len(),
        files: checked.iter().map(|c| c.files).sum(),
        ..Summary::default()
    };
    let mut findings = all_findings(checked);
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
    report(&args, profile, findings, summary)
}

/// The findings of every connector in one list: one connector's list is taken as it is, and
/// several are copied once into a list of their total length.
fn all_findings(checked: Vec<Checked>) -> Vec<Finding> {
    if checked.len() == 1 {
        return checked
            .into_iter()
            .next()
            .map(|c| c.findings)
            .unwrap_or_default();
    }
    let mut all = Vec::with_capacity(checked.iter().map(|c| c.findings.len()).sum());
    for c in checked {
        all.extend(c.findings);
    }
    all
}

/// The file a finding is in, as the configuration's globs see it.
fn file_of(file: Option<FileId>, loaded: &Loaded, fallback: &str) -> std::sync::Arc<str> {
    file.map(|f| loaded.sources.get(f).shown_path())
        .unwrap_or_else(|| fallback.into())
}

/// The findings of one connector as reported: the configuration's severities and ignores
/// applied, each resolved against the sources.
fn report_of(
    input: &Input,
    loaded: &Loaded,
    diagnostics: Vec<Diagnostic>,
    config: &Config,
    render: Option<bool>,
) -> Checked {
    let fallback = input.definition.display().to_string();
    // Collected in place: a finding takes the room of the diagnostic it is made of (the two
    // types have one size, which `report` asserts), so the findings of a definition of 100,000
    // operations do not need a second list of 150 MB beside the diagnostics.
    let findings: Vec<Finding> = diagnostics
        .into_iter()
        .filter_map(|d| {
            let file = file_of(d.file, loaded, &fallback);
            config.apply(d, &file)
        })
        .map(|d| Finding::from_diagnostic(d, &loaded.sources, &fallback, render))
        .collect();
    Checked {
        findings,
        files: loaded.sources.len(),
    }
}

/// Prints the report in the chosen format; the exit code says whether errors remain.
fn report(args: &Args, profile: Profile, findings: Vec<Finding>, summary: Summary) -> ExitCode {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = match args.format {
        ReportFormat::Human => out.write_all(report::human(&findings, &summary).as_bytes()),
        ReportFormat::Json => super::write_json(&mut out, &report::json(&findings, &summary)),
        ReportFormat::Sarif => super::write_json(&mut out, &report::sarif(&findings, profile)),
        ReportFormat::Github => out.write_all(report::github(&findings).as_bytes()),
    };
    let written = written.and_then(|_| out.flush());
    if let Err(e) = written {
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

/// What fixing one connector left to write and count.
struct Done {
    definition: String,
    changes: Vec<Change>,
    fixed: usize,
    unsettled: bool,
}

/// `--fix` and `--diff`: every connector fixed in memory first; then the changed files
/// written (each atomically, and only when it still holds what was read) or shown as a diff.
fn fix(
    args: &Args,
    inputs: &[Input],
    opts: &LoadOptions,
    profile: Profile,
    config: &Config,
    baseline: Option<&Baseline>,
) -> ExitCode {
    use rayon::prelude::*;
    let which = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let render = (args.format == ReportFormat::Human && !args.diff).then(color_stdout);
    let progress = super::progress_bar(inputs.len(), inputs.len() > 20, "fixing");
    // Each connector's loaded form is dropped once its report is made: only the findings and
    // the changed files are kept for all.
    let results: Vec<Result<(Checked, Done), FixError>> = inputs
        .par_iter()
        .map(|input| {
            let fallback = input.definition.display().to_string();
            let keep = |d: &Diagnostic, loaded: &Loaded| {
                config
                    .apply(d.clone(), &file_of(d.file, loaded, &fallback))
                    .is_some()
            };
            let fixed = fix::fix(input, opts, profile, which, &keep);
            progress.inc(1);
            let Fixed {
                loaded,
                diagnostics,
                changes,
                applied,
                unsettled,
                ..
            } = fixed?;
            let checked = report_of(input, &loaded, diagnostics, config, render);
            let done = Done {
                definition: fallback.clone(),
                changes,
                fixed: applied.values().sum(),
                unsettled,
            };
            Ok((checked, done))
        })
        .collect();
    progress.finish_and_clear();
    let mut failed = false;
    let mut changes: Vec<Change> = Vec::new();
    let mut summary = Summary {
        connectors: inputs.len(),
        fixed: Some(0),
        ..Summary::default()
    };
    let mut findings = Vec::new();
    for r in results {
        let (checked, fixed) = match r {
            Ok(r) => r,
            Err(e) => {
                say!("error: {e}");
                failed = true;
                continue;
            }
        };
        // A file two connectors share is changed by one of them only.
        if let Some(c) = fixed.changes.iter().find(|c| {
            changes
                .iter()
                .any(|o| o.path == c.path && o.after != c.after)
        }) {
            say!(
                "error: {}: the fixes of two connectors change it differently; fix them one at a time",
                c.path.display()
            );
            failed = true;
            continue;
        }
        if fixed.unsettled {
            say!(
                "warning: {}: fixes were still offered after {} rounds; run --fix again",
                fixed.definition,
                fix::MAX_ROUNDS
            );
        }
        summary.files += checked.files;
        summary.fixed = Some(summary.fixed.unwrap_or(0) + fixed.fixed);
        findings.extend(checked.findings);
        for c in fixed.changes {
            if !changes.iter().any(|o| o.path == c.path) {
                changes.push(c);
            }
        }
    }
    if let Some(b) = baseline {
        summary.baselined = b.filter(&mut findings);
    }
    summary.count(&findings);
    if args.diff {
        let text: String = changes.iter().map(unified_diff).collect();
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                return fail(format!("cannot write the diff: {e}"));
            }
        }
        let remaining = summary.errors + summary.warnings + summary.infos;
        if changes.is_empty() {
            say!("nothing to fix; {remaining} remaining");
        } else {
            say!(
                "would fix {} in {}; {remaining} would remain",
                plural(summary.fixed.unwrap_or(0), "finding"),
                plural(changes.len(), "file"),
            );
        }
        return if failed {
            ExitCode::from(2)
        } else if changes.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    // All or nothing: a connector that could not be fixed, or a file that cannot be rewritten,
    // and no file is written.
    for c in &changes {
        if let Err(e) = writable(c) {
            say!("error: {}: {e}", c.path.display());
            failed = true;
        }
    }
    if failed {
        say!("error: nothing was written");
        return ExitCode::from(2);
    }
    for c in &changes {
        if let Err(e) = write_change(c) {
            say!("error: {}: {e}", c.path.display());
            failed = true;
        }
    }
    let code = report(args, profile, findings, summary);
    if failed {
        ExitCode::from(2)
    } else {
        code
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A unified diff of a change, its lines made safe for a terminal: control, bidi and
/// byte-order-mark characters escaped; tabs and line ends (LF or CRLF) kept, so that the diff
/// of a file without such characters applies with `patch -p0`.
fn unified_diff(c: &Change) -> String {
    let before = String::from_utf8_lossy(&c.before);
    let after = String::from_utf8_lossy(&c.after);
    let path = c.path.display().to_string();
    let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref());
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&path, &path)
        .to_string();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let end = if line.ends_with("\r\n") {
            "\r\n"
        } else if line.ends_with('\n') {
            "\n"
        } else {
            ""
        };
        let body = &line[..line.len() - end.len()];
        out.push_str(&connector_gen::text::printable_diff_line(body));
        out.push_str(if end.is_empty() { "\n" } else { end });
    }
    out
}

/// Whether a fixed file may be written over the one read: not when it is a symbolic link or
/// changed on disk since it was read.
fn writable(c: &Change) -> Result<std::fs::Metadata, String> {
    let meta = std::fs::symlink_metadata(&c.path).map_err(|e| e.to_string())?;
    if meta.file_type().is_symlink() {
        return Err("a symbolic link: not rewritten (fix the file it points to)".into());
    }
    let now = std::fs::read(&c.path).map_err(|e| e.to_string())?;
    if now != c.before {
        return Err("changed on disk while it was being fixed: left as it is".into());
    }
    Ok(meta)
}

/// Writes a fixed file over the one read (checked again just before), atomically, keeping its
/// permissions.
fn write_change(c: &Change) -> Result<(), String> {
    let meta = writable(c)?;
    connector_gen::fs::write_atomic(&c.path, &c.after).map_err(|e| e.to_string())?;
    std::fs::set_permissions(&c.path, meta.permissions()).map_err(|e| e.to_string())
}
