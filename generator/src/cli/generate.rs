//! `connector-gen generate`.

use connector_gen::codegen::crate_files::{crate_files, write_crate, CrateOptions, SdkDependency};
use connector_gen::diagnostics::{render, Severity};
use connector_gen::load::{self, LoadOptions};
use connector_gen::validate::{validate, Profile};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Definition file, connector folder, or a directory of them (one crate each plus a workspace).
    path: PathBuf,
    /// Where to write the crate (or the workspace of crates).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,
    /// Crate name (default: the connector's name in kebab case).
    #[arg(long)]
    name: Option<String>,
    /// Depend on connector-sdk at this path (default: this checkout's connector-sdk when there is one).
    #[arg(long, value_name = "DIR", conflicts_with = "sdk_version")]
    sdk_path: Option<PathBuf>,
    /// Depend on this published version of connector-sdk (for `cargo package`).
    #[arg(long, value_name = "VERSION")]
    sdk_version: Option<String>,
    /// `license` of the crate.
    #[arg(long)]
    license: Option<String>,
    /// `repository` of the crate.
    #[arg(long)]
    repository: Option<String>,
    /// An author of the crate (repeatable; default: the publisher in apiProperties.json).
    #[arg(long = "author")]
    authors: Vec<String>,
    /// Overwrite generated files even when they were edited by hand.
    #[arg(long)]
    force: bool,
}

fn default_sdk() -> SdkDependency {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../connector-sdk");
    match checkout.canonicalize() {
        Ok(p) if p.join("Cargo.toml").is_file() => SdkDependency::Path(p),
        _ => SdkDependency::Version(env!("CARGO_PKG_VERSION").to_string()),
    }
}

pub fn run(args: Args) -> ExitCode {
    let inputs = match load::discover(&args.path) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let sdk = match (&args.sdk_path, &args.sdk_version) {
        (Some(p), _) => SdkDependency::Path(p.canonicalize().unwrap_or_else(|_| p.clone())),
        (None, Some(v)) => SdkDependency::Version(v.clone()),
        (None, None) => default_sdk(),
    };
    let opts = CrateOptions {
        name: args.name.clone().filter(|_| inputs.len() == 1),
        sdk,
        license: args.license.clone(),
        repository: args.repository.clone(),
        authors: args.authors.clone(),
    };
    let color = super::color_stderr();
    let several = inputs.len() > 1;
    let (mut failed, mut members) = (0usize, Vec::new());
    for input in &inputs {
        let start = Instant::now();
        let loaded = load::load(input, &LoadOptions::default());
        let findings = validate(&loaded, Profile::Default);
        let errors: Vec<_> = findings
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let Some(c) = loaded.connector.as_ref().filter(|_| errors.is_empty()) else {
            for d in &errors {
                eprint!("{}", render::human(d, &loaded.sources, color));
            }
            eprintln!(
                "error: {}: {} error(s); nothing was generated for it",
                input.definition.display(),
                errors.len()
            );
            failed += 1;
            continue;
        };
        let (actions, polling, webhooks) = c.counts();
        eprintln!(
            "   Loaded  {} ({}, {actions} actions, {} triggers)",
            if c.title.is_empty() {
                &c.name
            } else {
                &c.title
            },
            c.format.label(),
            polling + webhooks
        );
        for d in findings.iter().filter(|d| d.severity == Severity::Warning) {
            let at = render::location(d, &loaded.sources)
                .map(|(f, l, col)| format!("  --> {f}:{l}:{col}"))
                .unwrap_or_default();
            eprintln!("  Warning  [{}] {}{at}", d.code, d.message);
        }
        let (name, files) = match crate_files(&loaded, c, &opts) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("error: {}: {e}", input.definition.display());
                failed += 1;
                continue;
            }
        };
        let dir = if several {
            args.output.join(&name)
        } else {
            args.output.clone()
        };
        if let Err(e) = write_crate(&dir, &files, args.force) {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
        let lines = files
            .iter()
            .find(|f| f.path == "src/lib.rs")
            .map_or(0, |f| f.contents.iter().filter(|b| **b == b'\n').count());
        eprintln!(
            "Generated  {name} (crate `{name}` 0.1.0, {lines} lines) in {} ms",
            start.elapsed().as_millis()
        );
        members.push(name);
    }
    if several && !members.is_empty() {
        let list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
        let workspace = format!(
            "[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
            list.join("\n")
        );
        if let Err(e) =
            connector_gen::fs::write_atomic(&args.output.join("Cargo.toml"), workspace.as_bytes())
        {
            eprintln!("error: {}: {e}", args.output.display());
            return ExitCode::from(2);
        }
    }
    if !members.is_empty() {
        eprintln!("     Hint  cd {} && cargo build", args.output.display());
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
