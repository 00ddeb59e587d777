//! `connector-gen diff OLD NEW`: the changes from one version of a connector (or a directory of
//! them) to another, and whether they break the flows built on it.

use clap::ValueEnum;
use connector_gen::diff::{self, report, Level};
use connector_gen::pipeline::{self, Loaded};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output format of `diff`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Compiler-style messages with both places, and a summary line.
    Human,
    /// `{"changes": [...], "summary": {...}}`.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions annotations (`::error file=...::message`).
    Github,
    /// A pull-request comment: the verdict and a table of the changes.
    Markdown,
}

/// From which level of change the exit status is 1.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Breaking changes.
    Breaking,
    /// Breaking changes and warnings.
    Warning,
    /// Never (exit 0 whatever changed).
    Never,
}

#[derive(clap::Args)]
pub struct Args {
    /// OLD and NEW: each a definition file, a connector folder, or a directory of them. With
    /// --base: the paths (default: the current folder) whose changed connectors are compared.
    paths: Vec<PathBuf>,
    /// Read the old side from git at this revision (a commit, branch or tag) and compare every
    /// connector under the paths that changed since, as in the working tree.
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
    /// Exit 1 when a change of this level (or a higher one) is found.
    #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
    fail_on: FailOn,
    /// TOML file that sets change rules' levels (or turns them off) and accepts changes by rule
    /// and operation (see docs/diff.md).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Report only the changes this baseline file does not already know.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every current change to this baseline file (and exit 0).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    say!("error: {message}");
    ExitCode::from(2)
}

fn load_side(path: &Path, side: &str) -> Result<Vec<Loaded>, ExitCode> {
    match pipeline::load_path(path, &super::load_options()) {
        Ok(l) if l.is_empty() => Err(fail(format!(
            "the {side} version {}: no definition found",
            path.display()
        ))),
        Ok(l) => Ok(l),
        Err(e) => Err(fail(format!("the {side} version: {e}"))),
    }
}

pub fn run(args: Args) -> ExitCode {
    if let Some(rev) = &args.base {
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let changes = diff::git::Revision::open(&paths[0], rev)
            .and_then(|r| diff::git::diff_since(&r, &paths, &super::load_options()));
        return match changes {
            Ok(c) => report_changes(&args, &c, report::Texts::default()),
            Err(e) => fail(e),
        };
    }
    let [old_path, new_path] = args.paths.as_slice() else {
        return fail("give OLD and NEW, or --base REV [PATH...]");
    };
    let old = match load_side(old_path, "old") {
        Ok(l) => l,
        Err(code) => return code,
    };
    let new = match load_side(new_path, "new") {
        Ok(l) => l,
        Err(code) => return code,
    };
    let changes = match diff::diff_sets(&old, &new) {
        Ok(c) => c,
        Err(e) => return fail(format!("{e} (see `connector-gen validate`)")),
    };
    let texts = report::Texts {
        old: (old.len() == 1).then(|| &old[0].sources),
        new: (new.len() == 1).then(|| &new[0].sources),
    };
    report_changes(&args, &changes, texts)
}

/// Prints the changes and gives the exit status `--fail-on` asks for.
fn report_changes(args: &Args, changes: &[diff::Change], texts: report::Texts<'_>) -> ExitCode {
    use connector_gen::diff::accept::{DiffBaseline, DiffConfig};
    let mut changes = changes.to_vec();
    if let Some(file) = &args.config {
        match DiffConfig::load(file) {
            Ok(c) => changes = c.apply(changes),
            Err(e) => return fail(e),
        }
    }
    if let Some(file) = &args.write_baseline {
        return match DiffBaseline::of(&changes).write(file) {
            Ok(()) => {
                say!("wrote {} change(s) to {}", changes.len(), file.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        };
    }
    if let Some(file) = &args.baseline {
        match DiffBaseline::load(file) {
            Ok(b) => {
                let known = b.filter(&mut changes);
                if known > 0 {
                    say!("{known} change(s) known to the baseline are not shown");
                }
            }
            Err(e) => return fail(e),
        }
    }
    match args.format {
        DiffFormat::Human => {
            print!("{}", report::human(&changes, texts));
            say!("{}", report::summary_line(&changes));
        }
        DiffFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report::json(&changes)).unwrap_or_default()
        ),
        DiffFormat::Sarif => println!(
            "{}",
            serde_json::to_string_pretty(&report::sarif(&changes)).unwrap_or_default()
        ),
        DiffFormat::Github => print!("{}", report::github(&changes)),
        DiffFormat::Markdown => print!("{}", report::markdown(&changes)),
    }
    let worst = diff::verdict(&changes);
    let fails = match args.fail_on {
        FailOn::Breaking => worst == Some(Level::Breaking),
        FailOn::Warning => worst >= Some(Level::Warning),
        FailOn::Never => false,
    };
    if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
