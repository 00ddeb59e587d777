//! `connector-gen generate`.

use connector_gen::codegen::crate_files::{
    crate_files, workspace_manifest, write_crate, CrateFile, CrateOptions, SdkDependency,
    DEFINITION_DIR,
};
use connector_gen::diagnostics::{render, Severity};
use connector_gen::diff;
use connector_gen::load;
use connector_gen::pipeline;
use connector_gen::release;
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
    #[arg(long, value_parser = crate_name_arg)]
    name: Option<String>,
    /// Depend on connector-sdk at this path (default: this checkout's connector-sdk when there is one).
    #[arg(long, value_name = "DIR", conflicts_with = "sdk_version")]
    sdk_path: Option<PathBuf>,
    /// Depend on this published version of connector-sdk (for `cargo package`).
    #[arg(long, value_name = "VERSION", value_parser = version_arg)]
    sdk_version: Option<String>,
    /// The registry connector-sdk is published in, for a crate published to that registry
    /// (a name from cargo's `[registries]`; default: crates.io).
    #[arg(long, value_name = "NAME", value_parser = registry_arg)]
    sdk_registry: Option<String>,
    /// `license` of the crate.
    #[arg(long)]
    license: Option<String>,
    /// `repository` of the crate.
    #[arg(long)]
    repository: Option<String>,
    /// An author of the crate (repeatable; default: the publisher in apiProperties.json).
    #[arg(long = "author")]
    authors: Vec<String>,
    /// The crate's version. By default a new crate is 0.1.0 and a crate generated again gets
    /// the version its definition's changes call for (the diff between its `definition/` copy
    /// and the new definition: breaking → major, or minor below 1.0; additions → minor, or
    /// patch below 1.0; otherwise patch; the same definition keeps its version).
    #[arg(long = "version", value_name = "VERSION", value_parser = semver_arg)]
    version: Option<semver::Version>,
    /// Link the crate's README, documentation and `homepage` to the connector's reference page
    /// in a site `connector-gen docs` made from the same PATH and published at URL (for a
    /// directory of connectors, each crate links `URL/<connector>/`).
    #[arg(long, value_name = "URL", value_parser = docs_url_arg)]
    docs_url: Option<String>,
    /// Overwrite generated files even when they were edited by hand.
    #[arg(long)]
    force: bool,
    /// Refuse definitions with more operations than this (the largest real ones have a few
    /// hundred; a crate of tens of thousands of methods takes gigabytes to generate and build).
    #[arg(long, value_name = "N", default_value_t = 5000)]
    max_operations: usize,
}

/// Whether `s` is made of the characters cargo allows in crate and registry names: ASCII
/// letters, digits, `-` and `_`.
fn cargo_name_chars(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A crate name cargo and crates.io accept: ASCII letters, digits, `-` and `_`, starting with a
/// letter, at most 64 characters.
fn crate_name_arg(s: &str) -> Result<String, String> {
    let valid =
        s.len() <= 64 && s.starts_with(|c: char| c.is_ascii_alphabetic()) && cargo_name_chars(s);
    if valid {
        Ok(s.to_string())
    } else {
        Err("a crate name is ASCII letters, digits, `-` and `_`, starts with a letter and has at most 64 characters".into())
    }
}

/// A version requirement cargo accepts (`0.1`, `=0.1.0`, `^0.1.2`).
fn version_arg(s: &str) -> Result<String, String> {
    semver::VersionReq::parse(s)
        .map(|_| s.to_string())
        .map_err(|e| format!("not a version cargo accepts ({e}); e.g. 0.1 or =0.1.0"))
}

/// A registry name cargo accepts: ASCII letters, digits, `-` and `_`.
fn registry_arg(s: &str) -> Result<String, String> {
    if !s.is_empty() && cargo_name_chars(s) {
        Ok(s.to_string())
    } else {
        Err(
            "a registry name is ASCII letters, digits, `-` and `_`, as in cargo's [registries]"
                .into(),
        )
    }
}

/// An `http` or `https` address.
fn docs_url_arg(s: &str) -> Result<String, String> {
    connector_gen::docs::html::web_href(s)
        .ok_or_else(|| "give the http(s) address the docs site is published at".into())
}

/// A version cargo accepts for a package (`1.2.3`).
fn semver_arg(s: &str) -> Result<semver::Version, String> {
    semver::Version::parse(s).map_err(|e| format!("not a version cargo accepts ({e}); e.g. 0.2.0"))
}

fn default_sdk() -> SdkDependency {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../connector-sdk");
    match checkout.canonicalize() {
        Ok(p) if p.join("Cargo.toml").is_file() => SdkDependency::Path(p),
        _ => SdkDependency::Version(env!("CARGO_PKG_VERSION").to_string()),
    }
}

/// `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn auth_label(s: &connector_gen::model::AuthScheme) -> String {
    use connector_gen::model::AuthKind;
    match &s.kind {
        AuthKind::OAuth2 { .. } => "OAuth 2.0".into(),
        AuthKind::Basic => "basic auth".into(),
        AuthKind::ApiKey { .. } => "API key".into(),
        _ => s.label(),
    }
}

/// One connector, generated but not written yet.
struct Prepared {
    /// What to print before its `Generated` line (or instead of it).
    lines: Vec<String>,
    /// Crate name, version, files, and the milliseconds it took; `None` when nothing could be
    /// generated.
    generated: Option<(String, semver::Version, Vec<CrateFile>, u128)>,
    /// Said after the `Generated` line.
    note: String,
}

/// A line of plain text for the terminal (rendered diagnostics are printable already and keep
/// their colours).
fn plain(line: String) -> String {
    connector_gen::text::printable_line(&line).into_owned()
}

/// What `prepare` is given besides the definition.
#[derive(Clone, Copy)]
struct Job<'a> {
    opts: &'a CrateOptions,
    /// The connector's reference page.
    reference: Option<&'a str>,
    output: &'a Path,
    version: Option<&'a semver::Version>,
    max_operations: usize,
    several: bool,
    color: bool,
}

/// Where a crate goes: the output directory, or its own directory in it when there are several.
fn crate_dir(output: &Path, name: &str, several: bool) -> PathBuf {
    if several {
        output.join(name)
    } else {
        output.to_path_buf()
    }
}

/// How many changes of a regeneration are listed before pointing at `connector-gen diff`.
const SHOWN_CHANGES: usize = 10;

/// How many, with the noun in the plural when it is not one.
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Why a regenerated crate has its version, in words: what changed and what cargo makes of it.
fn version_reason(decision: &release::Decision, dir: &Path) -> String {
    use release::Reason;
    let prev = decision
        .previous
        .as_ref()
        .map(|p| format!("^{p}"))
        .unwrap_or_default();
    match &decision.reason {
        Reason::New => String::new(),
        Reason::Unchanged => "the definition is unchanged".to_string(),
        Reason::Changed(changes) => {
            let n = diff::report::Counts::of(changes);
            let what = match (n.breaking, n.warning + n.info) {
                (0, 0) => "no change a rule reports".to_string(),
                (0, k) => format!("{}, none breaking", count(k, "change")),
                (b, 0) => count(b, "breaking change"),
                (b, k) => format!("{} and {}", count(b, "breaking change"), count(k, "other change")),
            };
            if decision.reason.breaking() {
                format!("{what} (a new major version: `{prev}` does not take it)")
            } else {
                format!("{what} (compatible: `{prev}` takes it)")
            }
        }
        Reason::PreviousUnreadable => format!(
            "the definition it was generated from ({}) cannot be read, so what changed is not known: taken as breaking",
            dir.join(DEFINITION_DIR).display()
        ),
        Reason::VersionUnreadable => format!(
            "{} names no version cargo accepts: starting again",
            dir.join("Cargo.toml").display()
        ),
    }
}

/// What is wrong with a version asked for with `--version`, given what was generated before.
fn version_warning(decision: &release::Decision, asked: &semver::Version) -> Option<String> {
    let prev = decision.previous.as_ref()?;
    let unchanged = matches!(decision.reason, release::Reason::Unchanged);
    if asked < prev {
        Some(format!(
            "--version {asked} is below {prev}, the version generated before"
        ))
    } else if asked == prev && !unchanged {
        Some(format!("--version {asked} is the version generated before, from another definition: a registry will not publish it again"))
    } else if decision.reason.breaking() && compatible(prev, asked) {
        Some(format!("--version {asked} is compatible with {prev} for cargo, but the changes are breaking: users of `^{prev}` would get a crate that breaks them"))
    } else {
        None
    }
}

/// Whether cargo gives `v` to users of `^prev`.
fn compatible(prev: &semver::Version, v: &semver::Version) -> bool {
    semver::VersionReq::parse(&format!("^{prev}")).is_ok_and(|r| r.matches(v))
}

/// The crate's version, the lines that say why (when there is one connector), and the note's
/// words (when there are several).
fn version_lines(
    decision: &release::Decision,
    asked: Option<&semver::Version>,
    dir: &Path,
    input: &load::Input,
    several: bool,
) -> (semver::Version, Vec<String>, String) {
    use release::Reason;
    let mut lines = Vec::new();
    let version = asked.unwrap_or(&decision.version).clone();
    if let Some(w) = asked.and_then(|v| version_warning(decision, v)) {
        lines.push(plain(format!("  Warning  {w}")));
    }
    let reason = version_reason(decision, dir);
    let said = match (asked, &decision.previous, &decision.reason) {
        (None, _, Reason::New) => return (version, lines, String::new()),
        (Some(_), Some(prev), _) => format!(
            "{version} from --version; the changes since {prev} call for {}: {reason}",
            decision.version
        ),
        (Some(_), None, _) => format!("{version} from --version"),
        (None, Some(prev), _) if *prev != version => format!("{version}, was {prev}: {reason}"),
        (None, _, _) => format!("{version}: {reason}"),
    };
    if several {
        return (version, lines, format!("; version {said}"));
    }
    lines.push(plain(format!("  Version  {said}")));
    if let Reason::Changed(changes) = &decision.reason {
        for c in changes.iter().take(SHOWN_CHANGES) {
            lines.push(plain(format!("           {}", c.headline())));
        }
        if changes.len() > SHOWN_CHANGES {
            lines.push(plain(format!(
                "           and {} more: connector-gen diff {} {}",
                changes.len() - SHOWN_CHANGES,
                dir.join(DEFINITION_DIR).display(),
                input
                    .folder
                    .as_deref()
                    .unwrap_or(&input.definition)
                    .display()
            )));
        }
    }
    (version, lines, String::new())
}

fn prepare(input: &load::Input, job: &Job<'_>) -> Prepared {
    let Job {
        opts,
        max_operations,
        several,
        color,
        ..
    } = *job;
    let start = Instant::now();
    let mut lines = Vec::new();
    let load_options = super::load_options();
    let loaded = pipeline::load(input, &load_options);
    let findings = validate(&loaded, Profile::Default);
    // Only a definition that cannot be read into the model stops generation; the validator's
    // other errors are listed and the crate is generated anyway.
    let Some(c) = loaded.connector.as_ref() else {
        let errors: Vec<_> = findings
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        for d in &errors {
            lines.push(
                render::human(d, &loaded.sources, color)
                    .trim_end()
                    .to_string(),
            );
        }
        lines.push(plain(format!(
            "error: {}: {} error(s); nothing was generated for it",
            input.definition.display(),
            errors.len()
        )));
        return Prepared {
            lines,
            generated: None,
            note: String::new(),
        };
    };
    if c.operations.len() > max_operations {
        lines.push(plain(format!(
            "error: {}: {} operations, more than the limit of {max_operations}; nothing was generated for it (--max-operations raises the limit)",
            input.definition.display(),
            c.operations.len()
        )));
        return Prepared {
            lines,
            generated: None,
            note: String::new(),
        };
    }
    if !several {
        let (actions, polling, webhooks) = c.counts();
        let title = if c.title.is_empty() {
            &c.name
        } else {
            &c.title
        };
        let mut about = vec![c.format.label().to_string(), count(actions, "action")];
        if polling > 0 {
            about.push(count(polling, "polling trigger"));
        }
        if webhooks > 0 {
            about.push(count(webhooks, "webhook trigger"));
        }
        about.extend(c.auth.iter().map(auth_label));
        lines.push(plain(format!("   Loaded  {title} ({})", about.join(", "))));
        for d in &findings {
            let at = render::location(d, &loaded.sources)
                .map(|(f, l, col)| format!("  --> {f}:{l}:{col}"))
                .unwrap_or_default();
            let label = match d.severity {
                Severity::Error => "    Error",
                _ => "  Warning",
            };
            lines.push(plain(format!("{label}  [{}] {}{at}", d.code, d.message)));
        }
    }
    let name = opts.crate_name(c);
    let dir = crate_dir(job.output, &name, several);
    let decision = release::decide(
        release::previous(&dir, input).as_ref(),
        &loaded,
        &load_options,
    );
    let (version, version_said, version_note) =
        version_lines(&decision, job.version, &dir, input, several);
    lines.extend(version_said);
    let opts = CrateOptions {
        name: Some(name),
        version: version.clone(),
        reference: job.reference.map(str::to_string),
        ..opts.clone()
    };
    let (name, files) = match crate_files(&loaded, c, &opts) {
        Ok(x) => x,
        Err(e) => {
            lines.push(plain(format!("error: {}: {e}", input.definition.display())));
            return Prepared {
                lines,
                generated: None,
                note: String::new(),
            };
        }
    };
    let reported = findings
        .iter()
        .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
        .count();
    let mut note = version_note;
    if several && reported > 0 {
        note.push_str(&format!(
            "; {reported} validator findings, see `connector-gen validate`"
        ));
    }
    Prepared {
        lines,
        generated: Some((name, version, files, start.elapsed().as_millis())),
        note,
    }
}

pub fn run(args: Args) -> ExitCode {
    let inputs = match load::discover(&args.path) {
        Ok(i) => i,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(p) = &args.sdk_path {
        if !p.join("Cargo.toml").is_file() {
            say!(
                "error: --sdk-path {}: no Cargo.toml there; give the connector-sdk directory of a checkout, or --sdk-version",
                p.display()
            );
            return ExitCode::from(2);
        }
    }
    let sdk = match (&args.sdk_path, &args.sdk_version) {
        (Some(p), _) => SdkDependency::Path(p.canonicalize().unwrap_or_else(|_| p.clone())),
        (None, Some(v)) => SdkDependency::Version(v.clone()),
        (None, None) => default_sdk(),
    };
    if args.version.is_some() && inputs.len() > 1 {
        say!(
            "error: --version sets the version of one crate, and {} holds {} definitions; generate them one at a time to set theirs",
            args.path.display(),
            inputs.len()
        );
        return ExitCode::from(2);
    }
    let opts = CrateOptions {
        name: args.name.clone().filter(|_| inputs.len() == 1),
        sdk,
        license: args.license.clone(),
        repository: args.repository.clone(),
        authors: args.authors.clone(),
        sdk_registry: args.sdk_registry.clone(),
        version: connector_gen::codegen::crate_files::first_version(),
        reference: None,
    };
    let references: Vec<Option<String>> = match &args.docs_url {
        Some(base) => connector_gen::docs::page_urls(base, &inputs)
            .into_iter()
            .map(Some)
            .collect(),
        None => vec![None; inputs.len()],
    };
    let color = super::color_stderr();
    let several = inputs.len() > 1;
    let (mut failed, mut members) = (0usize, Vec::new());
    let all_start = Instant::now();
    let bar = super::progress_bar(inputs.len(), several, "generating");
    // Lines go above the progress bar when there is one.
    let say = |line: String| {
        if bar.is_hidden() {
            say!("{line}");
        } else {
            bar.println(line);
        }
    };
    let job = Job {
        opts: &opts,
        reference: None,
        output: &args.output,
        version: args.version.as_ref(),
        max_operations: args.max_operations,
        several,
        color: color && bar.is_hidden(),
    };
    // Connectors are loaded, checked and generated in parallel; crates are written in order.
    let prepared: Vec<Prepared> = pipeline::with_loader_pool(|| {
        use rayon::prelude::*;
        inputs
            .par_iter()
            .zip(references.par_iter())
            .map(|(input, reference)| {
                let job = Job {
                    reference: reference.as_deref(),
                    ..job
                };
                let p = prepare(input, &job);
                bar.inc(1);
                p
            })
            .collect()
    });
    // Two connectors with one name (two collections titled alike) get distinct crates.
    let mut used = std::collections::HashSet::new();
    for ((input, mut p), reference) in inputs.iter().zip(prepared).zip(&references) {
        if let Some((name, _, _, _)) = &p.generated {
            if !used.insert(name.clone()) {
                let unique = (2..)
                    .map(|k| format!("{name}-{k}"))
                    .find(|n| !used.contains(n))
                    .unwrap_or_default();
                used.insert(unique.clone());
                let renamed = CrateOptions {
                    name: Some(unique),
                    ..opts.clone()
                };
                p = prepare(
                    input,
                    &Job {
                        opts: &renamed,
                        reference: reference.as_deref(),
                        ..job
                    },
                );
            }
        }
        for line in p.lines {
            say(line);
        }
        let Some((name, version, files, millis)) = p.generated else {
            failed += 1;
            continue;
        };
        let dir = crate_dir(&args.output, &name, several);
        if let Err(e) = write_crate(&dir, &files, args.force) {
            bar.finish_and_clear();
            say!("error: {e}");
            return ExitCode::from(2);
        }
        let lines = files
            .iter()
            .find(|f| f.path == "src/lib.rs")
            .map_or(0, |f| f.contents.iter().filter(|b| **b == b'\n').count());
        say(format!(
            "Generated  {name} (crate `{name}` {version}, {} lines) in {millis} ms{}",
            thousands(lines),
            p.note
        ));
        members.push(name);
    }
    bar.finish_and_clear();
    if several {
        say!(
            " Finished  {} crates generated, {failed} definitions could not be read, in {:.2} s",
            members.len(),
            all_start.elapsed().as_secs_f64()
        );
    }
    if several && !members.is_empty() {
        let workspace = workspace_manifest(&members);
        if let Err(e) =
            connector_gen::fs::write_atomic(&args.output.join("Cargo.toml"), workspace.as_bytes())
        {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    }
    if !members.is_empty() {
        say!("     Hint  cd {} && cargo build", args.output.display());
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
