//! Loading: finding definitions on disk ([`input`]) and reading them tolerantly into
//! [`node::Node`] trees with a source map. It knows nothing of the model: [`crate::pipeline`]
//! loads and then lowers.

pub mod confine;
pub mod csharp;
pub mod input;
pub mod json;
pub mod node;
pub mod refs;
pub mod source;
pub mod yaml;

use crate::diagnostics::fix::{Edit, Fix, Safety};
use crate::diagnostics::{codes, Diagnostic};
pub use confine::{normalize, FileError, Roots, Unreadable};
pub use input::{connector_folder, discover, DiscoverError, Input};
use node::Span;
use source::{decode, Encoding, FileId, SourceFile, Sources, Syntax};
use std::path::{Path, PathBuf};

/// Limits that protect the loader from hostile input.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Nesting depth of arrays/objects.
    pub max_depth: usize,
    /// Values a YAML document may expand to, aliases included.
    pub max_yaml_nodes: usize,
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Folders whose files a definition may read besides its own folder (see [`confine`]).
    pub roots: Vec<PathBuf>,
    /// Contents to read instead of the files at these paths (as the loader names them): the
    /// edited text `validate --fix` checks again before anything is written.
    pub overlay: Option<std::sync::Arc<std::collections::HashMap<PathBuf, Vec<u8>>>>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_depth: 256,
            max_yaml_nodes: 5_000_000,
            max_file_bytes: 256 * 1024 * 1024,
            roots: Vec::new(),
            overlay: None,
        }
    }
}

impl LoadOptions {
    /// The bytes of a file: from the overlay when it holds them (after the same confinement
    /// check), else from disk, confined and bounded.
    fn read_bytes(&self, path: &Path, roots: &Roots) -> Result<Vec<u8>, FileError> {
        if let Some(bytes) = self.overlay.as_ref().and_then(|o| o.get(path)) {
            roots.check(path)?;
            return Ok(bytes.clone());
        }
        confine::read(path, roots, self.max_file_bytes)
    }
}

/// A limit variable whose value is not a number in range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}={value}: expected a whole number from 1 to {max}")]
pub struct LimitError {
    /// The variable.
    pub name: &'static str,
    /// Its value.
    pub value: String,
    /// The largest value allowed.
    pub max: u64,
}

/// The environment variables that raise (or lower) the limits of [`LoadOptions`].
pub const LIMIT_VARIABLES: [&str; 3] = [
    "CONNECTOR_GEN_MAX_DEPTH",
    "CONNECTOR_GEN_MAX_YAML_NODES",
    "CONNECTOR_GEN_MAX_FILE_BYTES",
];

impl LoadOptions {
    /// The defaults, changed by `CONNECTOR_GEN_MAX_DEPTH` (1 to [`MAX_DEPTH_LIMIT`]),
    /// `CONNECTOR_GEN_MAX_YAML_NODES` and `CONNECTOR_GEN_MAX_FILE_BYTES` when they are set (see
    /// docs/limits.md). A value that is not a number in range is an error naming the variable.
    pub fn from_env() -> Result<LoadOptions, LimitError> {
        let mut o = LoadOptions::default();
        let read = |name: &'static str, max: u64| -> Result<Option<u64>, LimitError> {
            match std::env::var(name) {
                Err(_) => Ok(None),
                Ok(v) => match v.trim().parse::<u64>() {
                    Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                    _ => Err(LimitError {
                        name,
                        value: v,
                        max,
                    }),
                },
            }
        };
        if let Some(n) = read(LIMIT_VARIABLES[0], MAX_DEPTH_LIMIT as u64)? {
            o.max_depth = n as usize;
        }
        if let Some(n) = read(LIMIT_VARIABLES[1], u32::MAX as u64)? {
            o.max_yaml_nodes = n as usize;
        }
        if let Some(n) = read(LIMIT_VARIABLES[2], 4 * 1024 * 1024 * 1024)? {
            o.max_file_bytes = n;
        }
        Ok(o)
    }
}

/// Reads one file of a definition into `sources` (a regular file under `roots`, within the size
/// limit), reporting encoding and syntax findings.
pub fn read_file(
    sources: &mut Sources,
    path: &Path,
    opts: &LoadOptions,
    roots: &Roots,
    diags: &mut Vec<Diagnostic>,
) -> Result<FileId, FileError> {
    let bytes = opts.read_bytes(path, roots)?;
    add_file(sources, path, bytes, opts, diags)
}

/// Reads a text file of a connector that is not a tree (its `script.csx`): confined and bounded
/// as definitions are, decoded, kept with its line index for located findings.
pub fn read_text_file(
    sources: &mut Sources,
    path: &Path,
    opts: &LoadOptions,
    roots: &Roots,
) -> Result<FileId, FileError> {
    let bytes = opts.read_bytes(path, roots)?;
    let original = std::str::from_utf8(&bytes).is_err().then(|| bytes.clone());
    let (text, encoding) = decode(bytes);
    let mut source = SourceFile::new(path.to_path_buf(), text, encoding, Syntax::Text);
    source.original = original;
    Ok(sources.add(source))
}

/// Adds the contents of a file (read already, or never on disk) to `sources`: decodes, parses
/// and reports encoding and syntax findings as [`read_file`] does.
pub fn add_file(
    sources: &mut Sources,
    path: &Path,
    bytes: Vec<u8>,
    opts: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Result<FileId, FileError> {
    if bytes.len() as u64 > opts.max_file_bytes {
        return Err(FileError::Unreadable(format!(
            "the file holds more than the limit of {} bytes (CONNECTOR_GEN_MAX_FILE_BYTES raises it)",
            opts.max_file_bytes
        )));
    }
    // Text in another encoding is decoded; its bytes are kept for copies of the file.
    let original = std::str::from_utf8(&bytes).is_err().then(|| bytes.clone());
    let (text, encoding) = decode(bytes);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let syntax = match ext.as_deref() {
        Some("yaml" | "yml") => Syntax::Yaml,
        Some("json") => Syntax::Json,
        _ if text.trim_start().starts_with(['{', '[']) => Syntax::Json,
        _ => Syntax::Yaml,
    };
    let mut source = SourceFile::new(path.to_path_buf(), text, encoding, syntax);
    source.original = original;
    let file = sources.add(source);
    match encoding {
        Encoding::Utf8 => {}
        Encoding::Utf8Bom if syntax == Syntax::Json => diags.push(
            Diagnostic::new(
                &codes::UTF8_BOM,
                "the file starts with a UTF-8 byte-order mark",
            )
            .at(file, Span::new(0, 0))
            .help("save the file as UTF-8 without a BOM; strict JSON readers refuse it")
            .fix(Some(Fix::new(
                Safety::Safe,
                "remove the byte-order mark",
                vec![Edit {
                    file,
                    start: 0,
                    end: 3,
                    text: String::new(),
                }],
            ))),
        ),
        Encoding::Utf8Bom => {}
        Encoding::Utf16 => diags.push(
            Diagnostic::new(
                &codes::NOT_UTF8,
                "the file is UTF-16; it was decoded as such",
            )
            .at(file, Span::new(0, 0))
            .help("save the file as UTF-8"),
        ),
        Encoding::Windows1252 { first_invalid, byte, text_offset } => diags.push(
            Diagnostic::new(
                &codes::NOT_UTF8,
                format!("the file is not UTF-8 (byte 0x{byte:02X} at byte offset {first_invalid}); it was decoded as Windows-1252"),
            )
            .at(file, Span::new(text_offset, text_offset + 1))
            .help("save the file as UTF-8"),
        ),
    }
    let f = sources.get(file);
    let parsed = match syntax {
        Syntax::Text => return Ok(file),
        Syntax::Json => json::parse(&f.text, opts.max_depth).map(|p| {
            // Where the text starts among the file's bytes, for edits (UTF-8 files only).
            let base = match encoding {
                Encoding::Utf8 => Some(0),
                Encoding::Utf8Bom => Some(3),
                _ => None,
            };
            for t in &p.tolerances {
                diags.push(tolerance_diagnostic(file, t, base));
            }
            (p.root, p.refs)
        }),
        Syntax::Yaml => yaml::parse(
            f,
            yaml::YamlLimits {
                max_depth: opts.max_depth,
                max_nodes: opts.max_yaml_nodes,
            },
        )
        .map(|p| {
            for (key, first, second) in &p.duplicates {
                diags.push(duplicate_diagnostic(file, key, *first, *second));
            }
            for span in &p.not_finite {
                diags.push(not_finite_diagnostic(file, *span));
            }
            (p.root, p.refs)
        }),
    };
    match parsed {
        Ok((root, refs)) => {
            let f = sources.get_mut(file);
            f.root = Some(root);
            f.refs = refs;
        }
        Err(e) => {
            let mut d = Diagnostic::new(&codes::INVALID_SYNTAX, e.message)
                .at(file, Span::new(e.offset, e.offset + 1));
            if let Some(h) = e.help {
                d = d.help(h);
            }
            diags.push(d);
        }
    }
    Ok(file)
}

fn not_finite_diagnostic(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::NUMBER_NOT_FINITE,
        "a number that is infinite, not a number, or too large for a double: it is read as no value",
    )
    .at(file, span)
    .help("write a finite number (JSON has no infinity or NaN), or leave the keyword out")
}

fn duplicate_diagnostic(file: FileId, key: &str, first: Span, second: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::DUPLICATE_KEY,
        format!("duplicate key `{key}`: the later value is used"),
    )
    .at(file, second)
    .related(file, first, format!("`{key}` first written here (ignored)"))
    .help("remove one of the two; strict readers keep either the first or the last")
}

fn tolerance_diagnostic(file: FileId, t: &json::Tolerance, base: Option<usize>) -> Diagnostic {
    match t {
        json::Tolerance::TrailingComma(span) => {
            let fix = base.map(|b| {
                Fix::new(
                    Safety::Safe,
                    "remove the comma",
                    vec![Edit {
                        file,
                        start: b + span.start as usize,
                        end: b + span.end as usize,
                        text: String::new(),
                    }],
                )
            });
            Diagnostic::new(&codes::TRAILING_COMMA, "trailing comma")
                .at(file, *span)
                .help("remove the comma; strict JSON does not allow a comma before `]` or `}`")
                .fix(fix)
        }
        json::Tolerance::DuplicateKey { key, first, second } => {
            duplicate_diagnostic(file, key, *first, *second)
        }
        json::Tolerance::Comment(span) => Diagnostic::new(&codes::JSON_COMMENT, "comment in JSON")
            .at(file, *span)
            .help("remove the comment; JSON has no comments"),
        json::Tolerance::NotFinite(span) => not_finite_diagnostic(file, *span),
    }
}

/// Reads every file the `$ref`s of `start` (transitively) point into, when `roots` allow it.
pub fn read_referenced_files(
    sources: &mut Sources,
    start: FileId,
    opts: &LoadOptions,
    roots: &Roots,
    diags: &mut Vec<Diagnostic>,
) -> Unreadable {
    let mut unreadable = Unreadable::new();
    let mut queue = vec![start];
    while let Some(file) = queue.pop() {
        let f = sources.get(file);
        // (path, whether the reference names it by an absolute path)
        let mut targets: Vec<(PathBuf, bool)> = Vec::new();
        for r in &f.refs {
            let part = r.target.split('#').next().unwrap_or("");
            if part.is_empty() || refs::is_url(part) {
                continue;
            }
            let path = refs::file_path(&f.path, part);
            if !targets.iter().any(|(p, _)| *p == path) {
                targets.push((path, refs::is_absolute(part)));
            }
        }
        for (path, absolute) in targets {
            if sources.find(&path).is_some() || unreadable.contains_key(&path) {
                continue;
            }
            if absolute {
                let why = FileError::NotAllowed(format!(
                    "{} is an absolute path; a definition refers to its own files by relative paths",
                    path.display()
                ));
                unreadable.insert(path, why);
                continue;
            }
            match read_file(sources, &path, opts, roots, diags) {
                Ok(id) => queue.push(id),
                Err(e) => {
                    unreadable.insert(path, e);
                }
            }
        }
    }
    unreadable
}

/// The diagnostic for a file of the input that was not read.
pub fn unreadable_diagnostic(path: &Path, e: &FileError) -> Diagnostic {
    match e {
        FileError::NotAllowed(why) => {
            Diagnostic::new(&codes::FILE_NOT_ALLOWED, format!("not read: {why}")).help(
                "keep the definition's files as regular files in its folder, or allow another folder with --root DIR",
            )
        }
        FileError::Unreadable(why) => Diagnostic::new(
            &codes::READ_ERROR,
            format!("cannot read {}: {why}", path.display()),
        ),
    }
}

/// The largest nesting depth [`LoadOptions::max_depth`] may be set to when loading runs on a
/// thread with [`LOADER_STACK_BYTES`] of stack (the reader and the lowering recurse once or twice
/// per level; this bound is tested with nested schemas and arrays).
pub const MAX_DEPTH_LIMIT: usize = 10_000;

/// Stack size for threads that load definitions (see [`MAX_DEPTH_LIMIT`]).
pub const LOADER_STACK_BYTES: usize = 256 * 1024 * 1024;
