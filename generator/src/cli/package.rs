//! `connector-gen package`.

use connector_gen::diagnostics::{render, Severity};
use connector_gen::load;
use connector_gen::pipeline;
use connector_gen::validate::{validate, Profile};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The connector folder (apiDefinition.swagger.json, apiProperties.json, readme.md, icon.png,
    /// and script.csx when it has custom code).
    dir: PathBuf,
    /// The package to write (atomically).
    #[arg(short, long)]
    output: PathBuf,
    /// The exported solution (a .zip) holding the connector's sample flows, put beside the
    /// connector's solution in the package.
    #[arg(long)]
    flows: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let color = super::color_stderr();
    let Some(input) = load::input::connector_folder(&args.dir) else {
        say!(
            "error: {}: not a connector folder (no apiDefinition.swagger.json)",
            args.dir.display()
        );
        return ExitCode::from(2);
    };
    if let Err(e) = connector_gen::fs::check_output(&args.output) {
        say!("error: {e}");
        return ExitCode::from(2);
    }
    let opts = super::load_options();
    let loaded = pipeline::load(&input, &opts);
    // A package is for certification: the connector passes its checks first.
    let mut findings = loaded.diagnostics.clone();
    findings.extend(validate(&loaded, Profile::Certification));
    let errors: Vec<_> = findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        for d in &errors {
            eprint!("{}", render::human(d, &loaded.sources, color));
        }
        say!(
            "error: {}: {} error{} of `validate --profile certification`; no package was written",
            args.dir.display(),
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
        return ExitCode::from(1);
    }
    let package = match connector_gen::package::package(&loaded, &opts, args.flows.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = connector_gen::fs::write_atomic(&args.output, &package.bytes) {
        say!("error: {e}");
        return ExitCode::from(2);
    }
    say!(
        "Packaged {} → {}: intro.md, {} ({})",
        args.dir.display(),
        args.output.display(),
        package.pdpkg,
        package.solutions.join(", ")
    );
    if args.flows.is_none() {
        say!("warning: no --flows: certification asks for a solution of sample flows that use the connector");
    }
    ExitCode::SUCCESS
}
