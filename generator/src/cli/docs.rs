//! `connector-gen docs`.

use super::validate::ProfileArg;
use connector_gen::docs::{self, Entry, Renderer, SiteOptions};
use connector_gen::load;
use connector_gen::pipeline;
use connector_gen::validate::{validate, Profile};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Definition file, connector folder, or a directory of them (then an index and one page each).
    path: PathBuf,
    /// Where to write the site (a new directory, or a site this command wrote before).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,
    /// Show the validator's findings for each connector in a panel on its page.
    #[arg(long)]
    findings: bool,
    /// The rules the findings come from.
    #[arg(long, value_enum, default_value_t = ProfileArg::Default, requires = "findings")]
    profile: ProfileArg,
    /// The site's title.
    #[arg(long, default_value = "Connector reference")]
    title: String,
}

/// Moves the progress bar on when a connector is done, whichever way its work ends.
struct Tick<'a>(&'a indicatif::ProgressBar);

impl Drop for Tick<'_> {
    fn drop(&mut self) {
        self.0.inc(1);
    }
}

pub fn run(args: Args) -> ExitCode {
    use rayon::prelude::*;
    let started = Instant::now();
    let opts = super::load_options();
    let profile = match args.profile {
        ProfileArg::Default => Profile::Default,
        ProfileArg::Certification => Profile::Certification,
    };
    let inputs = match load::discover(&args.path) {
        Ok(i) => i,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = connector_gen::fs::check_output(&args.output.join(docs::MARKER)) {
        say!("error: {e}");
        return ExitCode::from(2);
    }
    let renderer = match Renderer::new(SiteOptions {
        title: connector_gen::text::printable_line(&args.title).into_owned(),
    }) {
        Ok(r) => r,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let single = inputs.len() == 1;
    let slugs = docs::input_slugs(&inputs);
    let bar = super::progress_bar(inputs.len(), !single, "documenting");
    let color = super::color_stderr() && bar.is_hidden();
    // Each connector is loaded, checked and rendered in one go, so memory stays that of a few
    // connectors however many there are.
    struct Done {
        files: Vec<docs::SiteFile>,
        row: Option<docs::IndexRow>,
        errors: Vec<String>,
    }
    let done: Vec<Result<Done, docs::DocsError>> = inputs
        .par_iter()
        .zip(slugs.par_iter())
        .map(|(input, slug)| {
            let _tick = Tick(&bar);
            let l = pipeline::load(input, &opts);
            let Some(c) = &l.connector else {
                let errors = super::loading_errors(&l, color);
                return Ok(Done {
                    files: Vec::new(),
                    row: None,
                    errors,
                });
            };
            let findings = args
                .findings
                .then(|| docs::findings(&validate(&l, profile), &l.sources, &input.root()));
            let entry = Entry {
                connector: c,
                icon: docs::read_icon(&l, &opts),
                findings,
            };
            if single {
                return Ok(Done {
                    files: renderer.single(entry)?,
                    row: None,
                    errors: Vec::new(),
                });
            }
            let r = renderer.page(entry, slug)?;
            Ok(Done {
                files: r.files,
                row: Some(r.row),
                errors: Vec::new(),
            })
        })
        .collect();
    bar.finish_and_clear();
    let mut files = if single { Vec::new() } else { docs::assets() };
    let mut rows = Vec::new();
    let mut skipped = 0;
    for d in done {
        let d = match d {
            Ok(d) => d,
            Err(e) => {
                say!("error: {e}");
                return ExitCode::from(2);
            }
        };
        if !d.errors.is_empty() {
            skipped += 1;
            for e in &d.errors {
                eprint!("{e}");
            }
        }
        files.extend(d.files);
        rows.extend(d.row);
    }
    let pages = if single {
        usize::from(skipped == 0)
    } else {
        rows.len()
    };
    if pages == 0 {
        say!(
            "error: nothing to document: no definition under {} could be read",
            args.path.display()
        );
        return ExitCode::from(2);
    }
    if !single {
        match renderer.index(rows) {
            Ok(f) => files.push(f),
            Err(e) => {
                say!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Err(e) = docs::write_site(&args.output, &files) {
        say!("error: {e}");
        return ExitCode::from(2);
    }
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    say!(
        "Wrote {} page{} ({} files, {:.1} MB) to {} in {} ms{}",
        pages,
        if pages == 1 { "" } else { "s" },
        files.len(),
        bytes as f64 / 1e6,
        args.output.display(),
        started.elapsed().as_millis(),
        if skipped > 0 {
            format!(
                "; {skipped} connector{} could not be read (above) and have no page",
                if skipped == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    );
    if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
