//! Loading: finding definitions on disk, reading them tolerantly into [`node::Node`] trees with a
//! source map, and lowering them into the model.

pub mod confine;
pub mod json;
pub mod node;
pub mod refs;
pub mod source;
pub mod yaml;

use crate::diagnostics::{codes, Diagnostic};
use crate::model::Connector;
pub use confine::{normalize, FileError, Roots};
use node::Span;
use source::{decode, Encoding, FileId, SourceFile, Sources, Syntax};
use std::collections::HashMap;
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
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_depth: 256,
            max_yaml_nodes: 5_000_000,
            max_file_bytes: 256 * 1024 * 1024,
            roots: Vec::new(),
        }
    }
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
    pub fn from_env() -> Result<LoadOptions, String> {
        let mut o = LoadOptions::default();
        let read = |name: &str, max: u64| -> Result<Option<u64>, String> {
            match std::env::var(name) {
                Err(_) => Ok(None),
                Ok(v) => match v.trim().parse::<u64>() {
                    Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                    _ => Err(format!(
                        "{name}={v}: expected a whole number from 1 to {max}"
                    )),
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

/// One thing to load: a definition file, or a connector folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The definition file (Swagger/OpenAPI).
    pub definition: PathBuf,
    /// `apiProperties.json`, when the input is a connector folder that has one.
    pub properties: Option<PathBuf>,
    /// `settings.json`, when present.
    pub settings: Option<PathBuf>,
    /// The connector folder, when the input is one.
    pub folder: Option<PathBuf>,
}

impl Input {
    /// The folder whose files the definition may read: the connector folder, else the folder
    /// of the definition file.
    pub fn root(&self) -> PathBuf {
        match &self.folder {
            Some(f) => f.clone(),
            None => match self.definition.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            },
        }
    }
}

/// Why a path cannot be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// The path does not exist.
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    /// The path could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A directory without any definition in it.
    #[error("{0}: no connector definition found (looked for apiDefinition.swagger.json folders, *.json/*.yaml/*.yml files with a `swagger` or `openapi` field, and Postman collections)")]
    Empty(PathBuf),
}

const DEFINITION_FILE: &str = "apidefinition.swagger.json";

fn child_ci(dir: &Path, lower_name: &str) -> Option<PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().to_lowercase() == lower_name)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.into_iter().next()
}

/// The connector folder input for `dir`, when it holds `apiDefinition.swagger.json` (any case).
pub fn connector_folder(dir: &Path) -> Option<Input> {
    let definition = child_ci(dir, DEFINITION_FILE)?;
    Some(Input {
        definition,
        properties: child_ci(dir, "apiproperties.json"),
        settings: child_ci(dir, "settings.json"),
        folder: Some(dir.to_path_buf()),
    })
}

/// Looks at the start of a file for a top-level `swagger` or `openapi` key.
fn looks_like_definition(path: &Path) -> bool {
    use std::io::Read;
    const KEYS: [&str; 6] = [
        "\"swagger\"",
        "\"openapi\"",
        "swagger:",
        "openapi:",
        // Postman collections: v2 name their schema, v1 has `requests` beside `order`.
        "schema.getpostman.com",
        "\"requests\"",
    ];
    let mut buf = vec![0u8; 64 * 1024];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let n = f.read(&mut buf).unwrap_or(0);
    let head = String::from_utf8_lossy(&buf[..n]);
    if KEYS.iter().any(|k| head.contains(k)) {
        return true;
    }
    // Documents with sorted keys name their version after `components`/`info`: look further.
    if n < buf.len() {
        return false;
    }
    // At most what the loader would read of it.
    let limit = LoadOptions::from_env().unwrap_or_default().max_file_bytes;
    let mut rest = Vec::new();
    if f.take(limit).read_to_end(&mut rest).is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&rest);
    KEYS.iter().any(|k| text.contains(k))
}

fn is_definition_ext(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("json" | "yaml" | "yml")
    )
}

/// Finds what to load under `path`: the file itself, the connector folder, or every connector
/// folder and definition file below a directory (in a stable, sorted order).
pub fn discover(path: &Path) -> Result<Vec<Input>, DiscoverError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DiscoverError::Missing(path.to_path_buf()),
        _ => DiscoverError::Io {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    if meta.is_file() {
        // A definition file inside a connector folder brings its folder's properties along.
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().to_lowercase() == DEFINITION_FILE)
        {
            if let Some(parent) = path.parent() {
                let dir = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
                if let Some(mut input) = connector_folder(dir) {
                    input.definition = path.to_path_buf();
                    return Ok(vec![input]);
                }
            }
        }
        return Ok(vec![Input {
            definition: path.to_path_buf(),
            properties: None,
            settings: None,
            folder: None,
        }]);
    }
    if let Some(input) = connector_folder(path) {
        return Ok(vec![input]);
    }
    let mut inputs = Vec::new();
    let mut walker = walkdir::WalkDir::new(path).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| DiscoverError::Io {
            path: e.path().unwrap_or(path).to_path_buf(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("file system loop")),
        })?;
        if entry.file_type().is_dir() {
            if entry.depth() > 0 {
                if let Some(input) = connector_folder(entry.path()) {
                    inputs.push(input);
                    walker.skip_current_dir();
                }
            }
        } else if entry.file_type().is_file()
            && is_definition_ext(entry.path())
            && looks_like_definition(entry.path())
        {
            inputs.push(Input {
                definition: entry.path().to_path_buf(),
                properties: None,
                settings: None,
                folder: None,
            });
        }
    }
    if inputs.is_empty() {
        return Err(DiscoverError::Empty(path.to_path_buf()));
    }
    Ok(inputs)
}

/// A loaded connector: its files, its model (when one could be built) and what was found.
#[derive(Debug)]
pub struct Loaded {
    /// What was loaded.
    pub input: Input,
    /// Every file read, with its text and tree (the source map).
    pub sources: Sources,
    /// The model, unless the definition could not be read at all.
    pub connector: Option<Connector>,
    /// When there is no model: what `apiProperties.json` and `settings.json` say on their own.
    pub connection_only: Option<crate::lower::ConnectionFiles>,
    /// Everything found while loading and lowering, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Files that could not be read while following `$ref`s, with the reason.
pub type Unreadable = HashMap<PathBuf, FileError>;

/// Reads one file of a definition into `sources` (a regular file under `roots`, within the size
/// limit), reporting encoding and syntax findings.
pub fn read_file(
    sources: &mut Sources,
    path: &Path,
    opts: &LoadOptions,
    roots: &Roots,
    diags: &mut Vec<Diagnostic>,
) -> Result<FileId, FileError> {
    let bytes = confine::read(path, roots, opts.max_file_bytes)?;
    add_file(sources, path, bytes, opts, diags)
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
            .help("save the file as UTF-8 without a BOM; strict JSON readers refuse it"),
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
        Syntax::Json => json::parse(&f.text, opts.max_depth).map(|p| {
            for t in &p.tolerances {
                diags.push(tolerance_diagnostic(file, t));
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

fn tolerance_diagnostic(file: FileId, t: &json::Tolerance) -> Diagnostic {
    match t {
        json::Tolerance::TrailingComma(span) => {
            Diagnostic::new(&codes::TRAILING_COMMA, "trailing comma")
                .at(file, *span)
                .help("remove the comma; strict JSON does not allow a comma before `]` or `}`")
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

/// Loads one input: reads its files, follows references into other files, and lowers the model.
pub fn load(input: &Input, opts: &LoadOptions) -> Loaded {
    load_with(input, opts, None, None)
}

/// Loads one input whose definition (and `apiProperties.json`, when given) are bytes in memory
/// rather than files; `input` names them (for messages and relative references). Used by the
/// fuzz targets and by tools that receive definitions over the network.
pub fn load_bytes(
    input: &Input,
    definition: Vec<u8>,
    properties: Option<Vec<u8>>,
    opts: &LoadOptions,
) -> Loaded {
    load_with(input, opts, Some(definition), properties)
}

fn load_with(
    input: &Input,
    opts: &LoadOptions,
    definition: Option<Vec<u8>>,
    properties: Option<Vec<u8>>,
) -> Loaded {
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    let mut connection_only = None;
    let roots = Roots::new(&input.root(), &opts.roots);
    let def = match definition {
        Some(bytes) => add_file(&mut sources, &input.definition, bytes, opts, &mut diags),
        None => read_file(&mut sources, &input.definition, opts, &roots, &mut diags),
    };
    let connector = match def {
        Err(e) => {
            diags.push(unreadable_diagnostic(&input.definition, &e));
            None
        }
        Ok(def) => {
            let unreadable = read_referenced_files(&mut sources, def, opts, &roots, &mut diags);
            // An unreadable apiProperties.json or settings.json is said, not fatal.
            let mut add = |path: &Path, bytes: Option<Vec<u8>>, diags: &mut Vec<Diagnostic>| {
                let added = match bytes {
                    Some(b) => add_file(&mut sources, path, b, opts, diags),
                    None => read_file(&mut sources, path, opts, &roots, diags),
                };
                added
                    .map_err(|e| diags.push(unreadable_diagnostic(path, &e)))
                    .ok()
            };
            let props = input
                .properties
                .as_deref()
                .and_then(|p| add(p, properties, &mut diags));
            let settings = input
                .settings
                .as_deref()
                .and_then(|p| add(p, None, &mut diags));
            let files = crate::lower::Files {
                definition: def,
                properties: props,
                settings,
            };
            let connector = crate::lower::lower(&sources, &unreadable, input, files, &mut diags);
            if connector.is_none() && (props.is_some() || settings.is_some()) {
                connection_only = Some(crate::lower::lower_connection_files(
                    &sources,
                    &unreadable,
                    files,
                    &mut diags,
                ));
            }
            connector
        }
    };
    sort_diagnostics(&mut diags);
    Loaded {
        input: input.clone(),
        sources,
        connector,
        connection_only,
        diagnostics: diags,
    }
}

/// The diagnostic for a file of the input that was not read.
fn unreadable_diagnostic(path: &Path, e: &FileError) -> Diagnostic {
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

/// Orders diagnostics by file, then position, then code: stable output for people and snapshots.
pub fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.file, a.span.map(|s| s.start), a.code).cmp(&(b.file, b.span.map(|s| s.start), b.code))
    });
}

/// The largest nesting depth [`LoadOptions::max_depth`] may be set to when loading runs on a
/// thread with [`LOADER_STACK_BYTES`] of stack (the reader and the lowering recurse once or twice
/// per level; this bound is tested with nested schemas and arrays).
pub const MAX_DEPTH_LIMIT: usize = 10_000;

/// Stack size for threads that load definitions (see [`MAX_DEPTH_LIMIT`]).
pub const LOADER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs `f` on a thread pool whose threads have [`LOADER_STACK_BYTES`] of stack, so that
/// documents nested up to [`MAX_DEPTH_LIMIT`] levels load without overflowing the stack.
pub fn with_loader_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match rayon::ThreadPoolBuilder::new()
        .stack_size(LOADER_STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(f),
        // No pool (threads refused): run here; the default depth limit fits any normal stack.
        Err(_) => f(),
    }
}

/// Runs `f` on one thread with [`LOADER_STACK_BYTES`] of stack: for commands that load one
/// definition, where a pool of threads would only cost start-up time.
pub fn with_loader_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    match std::thread::Builder::new()
        .stack_size(LOADER_STACK_BYTES)
        .spawn(f)
    {
        Ok(handle) => match handle.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        },
        // No thread (refused): the closure is gone with the error; nothing to run it on.
        Err(e) => panic!("cannot start the loader thread: {e}"),
    }
}

/// Discovers and loads everything under `path`, in parallel, in a stable order.
pub fn load_path(path: &Path, opts: &LoadOptions) -> Result<Vec<Loaded>, DiscoverError> {
    use rayon::prelude::*;
    let inputs = discover(path)?;
    if inputs.len() == 1 {
        // One definition: no thread pool to start.
        return Ok(inputs.iter().map(|i| load(i, opts)).collect());
    }
    Ok(inputs.par_iter().map(|i| load(i, opts)).collect())
}
