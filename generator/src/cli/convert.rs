//! `connector-gen convert`.

use clap::ValueEnum;
use connector_gen::convert::{convert, Target};
use connector_gen::diagnostics::{render, Severity};
use connector_gen::load::{self};
use connector_gen::pipeline::{self, Loaded};
use connector_gen::text::printable;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The format `convert` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum To {
    /// OpenAPI 3.0.3.
    Openapi3,
    /// Swagger 2.0 with the platform's x-ms-* extensions (importable as a custom connector).
    Swagger2,
}

/// How the document is written.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// JSON, indented.
    Json,
    /// YAML.
    Yaml,
}

#[derive(clap::Args)]
pub struct Args {
    /// A Postman collection, a Swagger 2.0 or OpenAPI 3.x definition, a connector folder, or a
    /// directory of them (then -o names the directory to write into).
    path: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    to: To,
    /// JSON or YAML text.
    #[arg(long, value_enum, default_value_t = DocFormat::Json)]
    format: DocFormat,
    /// Write here (atomically) instead of standard output; for a directory of inputs, the
    /// directory that receives one `<name>.openapi.json` or `<name>.swagger.json` per input.
    ///
    /// With `--to swagger2`, an -o that is a directory (one that exists, ends with `/`, or has no
    /// extension) receives a connector folder: `apiDefinition.swagger.json` and
    /// `apiProperties.json` (the connection the security schemes need, OAuth with the
    /// per-connector redirect, a `dynamichosturl` policy for operations on other hosts).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Overwrite the files of an existing connector folder at -o.
    #[arg(long)]
    force: bool,
}

/// What converting one input gave: lines for stderr, the bytes to write (and those of
/// `apiProperties.json` for a connector folder), and whether it failed.
struct Converted {
    lines: Vec<String>,
    bytes: Option<Vec<u8>>,
    properties: Option<Vec<u8>>,
    summary: String,
}

fn convert_one(
    loaded: &Loaded,
    target: Target,
    format: DocFormat,
    color: bool,
    folder: bool,
) -> Converted {
    let mut lines: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            render::human(d, &loaded.sources, color)
                .trim_end()
                .to_string()
        })
        .collect();
    let path = loaded.input.definition.display();
    let Some(c) = loaded.connector.as_ref() else {
        let errors = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        lines.push(
            printable(&format!(
                "error: {path}: {errors} error(s); nothing was written for it"
            ))
            .into_owned(),
        );
        return Converted {
            lines,
            bytes: None,
            properties: None,
            summary: String::new(),
        };
    };
    let out = convert(c, target);
    lines.extend(
        out.notes
            .iter()
            .map(|n| printable(&format!("note: {n}")).into_owned()),
    );
    let properties = folder.then(|| properties_of(loaded, c, &out, &mut lines));
    let bytes = match format {
        DocFormat::Json => serde_json::to_vec_pretty(&out.document)
            .map(|mut b| {
                b.push(b'\n');
                b
            })
            .map_err(|e| e.to_string()),
        DocFormat::Yaml => connector_gen::convert::yaml::to_yaml(&out.document)
            .map(String::into_bytes)
            .map_err(|e| e.to_string()),
    };
    let (actions, polling, webhooks) = c.counts();
    let summary = format!(
        "Converted {path} ({}) to {}: {} operations ({actions} actions, {} triggers)",
        c.format.label(),
        match target {
            Target::OpenApi3 => "OpenAPI 3.0.3",
            Target::Swagger2 => "Swagger 2.0",
        },
        c.operations.len(),
        polling + webhooks,
    );
    // Freeing the document piece by piece only costs time: the process ends soon.
    std::mem::forget(out);
    match bytes {
        Ok(b) => Converted {
            lines,
            bytes: Some(b),
            properties,
            summary,
        },
        Err(e) => {
            lines.push(format!("error: {path}: cannot write the document: {e}"));
            Converted {
                lines,
                bytes: None,
                properties: None,
                summary,
            }
        }
    }
}

/// The `apiProperties.json` of a connector folder: the input's own when it is a connector
/// folder that has one (copied as it is), else written from the connector.
fn properties_of(
    loaded: &Loaded,
    c: &connector_gen::model::Connector,
    out: &connector_gen::convert::Converted,
    lines: &mut Vec<String>,
) -> Vec<u8> {
    let own = loaded
        .input
        .properties
        .as_deref()
        .and_then(|p| loaded.sources.find(p))
        .map(|id| loaded.sources.get(id));
    if let Some(src) = own {
        return src.bytes();
    }
    let props = connector_gen::convert::properties::api_properties(c, out);
    lines.extend(
        props
            .notes
            .iter()
            .map(|n| printable(&format!("note: {n}")).into_owned()),
    );
    let mut bytes = serde_json::to_vec_pretty(&props.document).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Whether -o names a directory to receive a connector folder: one that exists, or a path that
/// does not exist yet and ends with a separator or has no extension.
fn is_folder(path: &Path) -> bool {
    if std::fs::symlink_metadata(path).is_ok() {
        // Something is there: a folder only if it is one (a file, a device or a link stays the
        // single-file output, with its checks).
        return path.is_dir();
    }
    let text = path.as_os_str().to_string_lossy();
    text.ends_with(std::path::MAIN_SEPARATOR) || text.ends_with('/') || path.extension().is_none()
}

/// Writes a connector folder: `apiProperties.json`, then the definition, each atomically;
/// existing files only with --force.
fn write_folder(
    dir: &Path,
    definition: &[u8],
    properties: &[u8],
    force: bool,
) -> Result<(), String> {
    let files = [
        ("apiProperties.json", properties),
        ("apiDefinition.swagger.json", definition),
    ];
    for (name, _) in &files {
        let p = dir.join(name);
        connector_gen::fs::check_output(&p).map_err(|e| e.to_string())?;
        if !force && std::fs::symlink_metadata(&p).is_ok() {
            return Err(format!(
                "{} exists; nothing was written (give --force to overwrite the folder's files)",
                p.display()
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, bytes) in files {
        connector_gen::fs::write_atomic(&dir.join(name), bytes).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The file name a converted input gets in an output directory.
fn output_name(
    input: &load::Input,
    target: Target,
    format: DocFormat,
    taken: &mut std::collections::HashSet<String>,
) -> String {
    let stem = input
        .folder
        .as_deref()
        .and_then(Path::file_name)
        .or_else(|| input.definition.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "definition".into());
    let stem = stem
        .strip_suffix(".postman_collection")
        .unwrap_or(&stem)
        .to_string();
    let ext = match (target, format) {
        (Target::OpenApi3, DocFormat::Json) => "openapi.json",
        (Target::Swagger2, DocFormat::Json) => "swagger.json",
        (Target::OpenApi3, DocFormat::Yaml) => "openapi.yaml",
        (Target::Swagger2, DocFormat::Yaml) => "swagger.yaml",
    };
    let mut name = format!("{stem}.{ext}");
    let mut k = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}-{k}.{ext}");
        k += 1;
    }
    name
}

pub fn run(args: Args) -> ExitCode {
    let color = super::color_stderr();
    let target = match args.to {
        To::Openapi3 => Target::OpenApi3,
        To::Swagger2 => Target::Swagger2,
    };
    let inputs = match load::discover(&args.path) {
        Ok(i) => i,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if inputs.len() == 1 {
        let folder = target == Target::Swagger2 && args.output.as_deref().is_some_and(is_folder);
        if folder && args.format == DocFormat::Yaml {
            say!("error: a connector folder holds JSON files: leave out --format yaml, or give -o FILE.yaml");
            return ExitCode::from(2);
        }
        // A device, a FIFO or a symbolic link at -o is refused before any work.
        if let Some(path) = args.output.as_ref().filter(|_| !folder) {
            if let Err(e) = connector_gen::fs::check_output(path) {
                say!("error: {e}");
                return ExitCode::from(2);
            }
        }
        let loaded = pipeline::load(&inputs[0], &super::load_options());
        let done = convert_one(&loaded, target, args.format, color, folder);
        // The process ends soon: the model is not freed piece by piece.
        std::mem::forget(loaded);
        // Rendered diagnostics (in colour on a terminal) and notes made printable.
        for l in &done.lines {
            eprintln!("{l}");
        }
        let Some(bytes) = done.bytes else {
            return ExitCode::from(1);
        };
        let written = match (&args.output, &done.properties) {
            (Some(dir), Some(props)) if folder => write_folder(dir, &bytes, props, args.force),
            (Some(path), _) => {
                connector_gen::fs::write_atomic(path, &bytes).map_err(|e| e.to_string())
            }
            (None, _) => match std::io::stdout().lock().write_all(&bytes) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
                _ => Ok(()),
            },
        };
        if let Err(e) = written {
            say!("error: cannot write the output: {e}");
            return ExitCode::from(2);
        }
        match &args.output {
            Some(dir) if folder => say!(
                "{} → {} (apiDefinition.swagger.json, apiProperties.json)",
                done.summary,
                dir.display()
            ),
            Some(path) => say!("{} → {}", done.summary, path.display()),
            None => {}
        }
        return ExitCode::SUCCESS;
    }
    // Several inputs: converted in parallel into a directory, written in order.
    let Some(dir) = args.output.clone() else {
        say!(
            "error: {} holds {} definitions: give -o DIR to write one file per definition",
            args.path.display(),
            inputs.len()
        );
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        say!("error: {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let results: Vec<Converted> = pipeline::with_loader_pool(|| {
        use rayon::prelude::*;
        inputs
            .par_iter()
            .map(|input| {
                let loaded = pipeline::load(input, &super::load_options());
                let done = convert_one(&loaded, target, args.format, color, false);
                std::mem::forget(loaded);
                done
            })
            .collect()
    });
    let mut taken = std::collections::HashSet::new();
    let (mut failed, mut written) = (0usize, 0usize);
    for (input, done) in inputs.iter().zip(results) {
        // Rendered diagnostics (in colour on a terminal) and notes made printable.
        for l in &done.lines {
            eprintln!("{l}");
        }
        let Some(bytes) = done.bytes else {
            failed += 1;
            continue;
        };
        let path = dir.join(output_name(input, target, args.format, &mut taken));
        if let Err(e) = connector_gen::fs::write_atomic(&path, &bytes) {
            say!("error: {e}");
            return ExitCode::from(2);
        }
        say!("{} → {}", done.summary, path.display());
        written += 1;
    }
    say!(
        " Finished  {written} definitions converted, {failed} could not be read, into {}",
        dir.display()
    );
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
