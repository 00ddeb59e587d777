//! What to load: a definition file or a connector folder, found on disk.

use super::LoadOptions;
use std::path::{Path, PathBuf};

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

/// The file names of a connector folder, in lower case (matched in any case).
pub const DEFINITION_FILE: &str = "apidefinition.swagger.json";
/// `apiProperties.json`, in lower case.
pub const PROPERTIES_FILE: &str = "apiproperties.json";
/// `settings.json`, in lower case.
pub const SETTINGS_FILE: &str = "settings.json";

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

/// The custom code file of a connector folder (`script.csx`, any letter case), when it has one.
pub fn script_file(folder: &Path) -> Option<PathBuf> {
    child_ci(folder, SCRIPT_FILE)
}

/// A file of a connector folder besides the definition, by its lower-case name
/// ([`SCRIPT_FILE`], [`README_FILE`], [`ICON_FILE`]), when the folder has it in any letter case.
pub fn folder_file(folder: &Path, lower_name: &str) -> Option<PathBuf> {
    child_ci(folder, lower_name)
}

/// The custom code file's name (compared without regard to case).
pub const SCRIPT_FILE: &str = "script.csx";
/// The readme of a certification package.
pub const README_FILE: &str = "readme.md";
/// The connector's icon.
pub const ICON_FILE: &str = "icon.png";

/// The connector folder input for `dir`, when it holds `apiDefinition.swagger.json` (any case).
pub fn connector_folder(dir: &Path) -> Option<Input> {
    let definition = child_ci(dir, DEFINITION_FILE)?;
    Some(Input {
        definition,
        properties: child_ci(dir, PROPERTIES_FILE),
        settings: child_ci(dir, SETTINGS_FILE),
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
