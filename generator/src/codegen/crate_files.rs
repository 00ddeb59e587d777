//! The files of a generated crate, and writing them without ever leaving half a crate or
//! silently overwriting a hand edit.

use super::lib_rs::crate_source;
use super::names::field_name;
use crate::model::{Connector, OperationKind};
use crate::pipeline::Loaded;
use crate::text::{printable, printable_line};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where generated crates find `connector-sdk`.
#[derive(Debug, Clone)]
pub enum SdkDependency {
    /// A path (e.g. this repository's `connector-sdk`).
    Path(PathBuf),
    /// A published version.
    Version(String),
}

/// Choices for the crate's metadata.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// Crate name (default: the connector's name in kebab case).
    pub name: Option<String>,
    /// The SDK dependency.
    pub sdk: SdkDependency,
    /// `license` (default `MIT`).
    pub license: Option<String>,
    /// `repository`.
    pub repository: Option<String>,
    /// `authors` (default: the publisher from apiProperties.json).
    pub authors: Vec<String>,
    /// The registry `connector-sdk` comes from when the crate is published (`None`:
    /// crates.io).
    pub sdk_registry: Option<String>,
    /// The crate's version (a new crate: 0.1.0; a regenerated one: see [`crate::release`]).
    pub version: semver::Version,
    /// The connector's reference page (`connector-gen docs`), linked from the README, the
    /// crate's documentation and `homepage`.
    pub reference: Option<String>,
}

impl CrateOptions {
    /// The crate's name: the one asked for, else the connector's name in kebab case.
    pub fn crate_name(&self, c: &Connector) -> String {
        self.name.clone().unwrap_or_else(|| crate_name(&c.name))
    }
}

/// The version of a crate generated for the first time.
pub fn first_version() -> semver::Version {
    semver::Version::new(0, 1, 0)
}

/// Where the copy of a definition's files lies in its crate.
pub const DEFINITION_DIR: &str = "definition";

/// One file of the crate: path relative to the crate root, and contents.
#[derive(Debug, Clone, PartialEq)]
pub struct CrateFile {
    /// Relative path, `/`-separated.
    pub path: String,
    /// Contents.
    pub contents: Vec<u8>,
}

/// The name of the manifest that records what was generated.
pub const MANIFEST: &str = ".connector-gen.json";

/// A crate name from a connector name: lower-case kebab case, starting with a letter.
pub fn crate_name(name: &str) -> String {
    let n = field_name(name)
        .trim_start_matches("r#")
        .trim_end_matches('_')
        .replace('_', "-");
    if n.starts_with(|c: char| c.is_ascii_alphabetic()) {
        n
    } else {
        format!("connector-{n}")
    }
}

/// Text inside a TOML basic string: on one line, control characters and bidirectional
/// overrides as visible escapes (raw, TOML refuses control characters and a reader would see
/// reordered text), backslashes and quotes escaped.
fn toml_string(s: &str) -> String {
    printable_line(&s.replace(['\n', '\r'], " "))
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

/// Definition text for the README: printable (it is read in terminals as well as rendered).
fn readme_text(s: &str) -> String {
    printable(s).into_owned()
}

fn one_line(s: &str) -> String {
    printable_line(&collapse(s)).replace('|', "\\|")
}

/// Text on one line, its runs of white space made single spaces.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why the files of a crate could not be made (each is a bug of the generator, not of the
/// definition).
#[derive(Debug, thiserror::Error)]
pub enum CrateError {
    /// The bundled templates do not parse.
    #[error("{0}")]
    Templates(minijinja::Error),
    /// A template did not render.
    #[error("{0} template: {1}")]
    Render(&'static str, minijinja::Error),
    /// The generated code could not be formatted.
    #[error(transparent)]
    Format(#[from] super::format::FormatError),
}

/// Every file of the crate generated from a loaded connector.
pub fn crate_files(
    loaded: &Loaded,
    c: &Connector,
    opts: &CrateOptions,
) -> Result<(String, Vec<CrateFile>), CrateError> {
    let name = opts.crate_name(c);
    let crate_ident = name.replace('-', "_");
    let description = c
        .description
        .as_deref()
        .map(|d| collapse(d).chars().take(300).collect::<String>())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| {
            format!(
                "Client for {}",
                if c.title.is_empty() {
                    &c.name
                } else {
                    &c.title
                }
            )
        });
    let registry = opts
        .sdk_registry
        .as_deref()
        .map(|r| format!(", registry = \"{}\"", toml_string(r)))
        .unwrap_or_default();
    let sdk_dependency = match &opts.sdk {
        // The version beside the path lets `cargo package` publish the crate against the
        // released SDK of the same version (the SDK and the generator are versioned together).
        SdkDependency::Path(p) => format!(
            "connector-sdk = {{ path = \"{}\", version = \"{}\"{registry} }}",
            toml_string(&p.display().to_string()),
            env!("CARGO_PKG_VERSION")
        ),
        SdkDependency::Version(v) if registry.is_empty() => {
            format!("connector-sdk = \"{}\"", toml_string(v))
        }
        SdkDependency::Version(v) => format!(
            "connector-sdk = {{ version = \"{}\"{registry} }}",
            toml_string(v)
        ),
    };
    let authors: Vec<String> = if opts.authors.is_empty() {
        c.connection
            .as_ref()
            .and_then(|p| p.publisher.clone())
            .into_iter()
            .collect()
    } else {
        opts.authors.clone()
    };
    let mut keywords: Vec<String> = vec!["connector".into(), "api".into()];
    keywords.extend(
        c.metadata
            .tags
            .iter()
            .take(3)
            .map(|(t, _)| crate_name(t))
            .filter(|k| k.len() <= 20),
    );
    keywords.dedup();
    keywords.truncate(5);
    let env = {
        let mut env = minijinja::Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.add_template(
            "Cargo.toml",
            include_str!("../../../templates/Cargo.toml.j2"),
        )
        .map_err(CrateError::Templates)?;
        env.add_template("README.md", include_str!("../../../templates/README.md.j2"))
            .map_err(CrateError::Templates)?;
        env
    };
    let op_rows = |trigger: bool| -> Vec<minijinja::Value> {
        c.operations
            .iter()
            .filter(|o| o.kind.is_trigger() == trigger)
            .map(|o| {
                minijinja::context! {
                    id => one_line(&o.id), method => one_line(o.method.as_str()), kind => o.kind.label(),
                    summary => one_line(o.summary.as_deref().unwrap_or("")),
                }
            })
            .collect()
    };
    let example = c
        .operations
        .iter()
        .find(|o| {
            matches!(o.kind, OperationKind::Action { .. })
                && o.parameters.iter().all(|p| !p.required)
                && o.request_body.is_none()
        })
        .map(|o| {
            let method = field_name(&o.id);
            if o.parameters.is_empty() {
                format!("{method}()")
            } else {
                format!("{method}(Default::default())")
            }
        });
    let cargo = env
        .get_template("Cargo.toml")
        .and_then(|t| {
            t.render(minijinja::context! {
                crate_name => name.clone(), version => opts.version.to_string(), description => toml_string(&description),
                license => toml_string(opts.license.as_deref().unwrap_or("MIT")),
                repository => opts.repository.as_deref().map(toml_string),
                authors => authors.iter().map(|a| toml_string(a)).collect::<Vec<_>>(),
                keywords => keywords, sdk_dependency => sdk_dependency,
                homepage => opts.reference.as_deref().map(toml_string),
            })
        })
        .map(end_with_newline)
        .map_err(|e| CrateError::Render("Cargo.toml", e))?;
    let readme = env
        .get_template("README.md")
        .and_then(|t| {
            t.render(minijinja::context! {
                title => one_line(if c.title.is_empty() { &c.name } else { &c.title }),
                description => readme_text(c.description.as_deref().unwrap_or_default()),
                format => one_line(&c.format.label()),
                auth => c.auth.iter().map(|a| format!("{} `{}`", a.label(), one_line(&a.name))).collect::<Vec<_>>(),
                actions => op_rows(false), triggers => op_rows(true),
                crate_ident => crate_ident, example => example,
                connection => super::auth::connection_example(c),
                oauth => super::auth::has_oauth2_config(c),
                reference => opts.reference.as_deref().map(one_line),
            })
        })
        .map(end_with_newline)
        .map_err(|e| CrateError::Render("README.md", e))?;
    let body = crate_source(c, "crate")?;
    let reference = opts
        .reference
        .as_deref()
        .map(|u| format!("//! The connector's reference: <{}>\n//!\n", one_line(u)))
        .unwrap_or_default();
    let header = format!(
        "//! {}\n//!\n{reference}//! Generated by connector-gen {} from {}; see README.md.\n#![allow(clippy::too_many_arguments, clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::type_complexity)]\n#![warn(missing_docs)]\n#![recursion_limit = \"256\"]\n\n",
        super::docs::doc_lines(&description).join(" "),
        env!("CARGO_PKG_VERSION"),
        // The version is the definition's text (`openapi: "3.0\n..."`): kept on the comment's line.
        one_line(&c.format.label())
    );
    let mut files = vec![
        CrateFile {
            path: "Cargo.toml".into(),
            contents: cargo.into_bytes(),
        },
        CrateFile {
            path: "README.md".into(),
            contents: readme.into_bytes(),
        },
        CrateFile {
            path: "src/lib.rs".into(),
            contents: (header + &body).into_bytes(),
        },
    ];
    let root = loaded.input.root();
    for (_, f) in loaded.sources.iter() {
        let Some(copy) = copy_path(&root, &f.path) else {
            continue;
        };
        // Plain UTF-8 was read as it is, and UTF-8 with a BOM is the BOM and the text; other
        // encodings were decoded, and the copy keeps the bytes that were read. Nothing is read
        // from disk again.
        use crate::load::source::Encoding;
        let bytes = match (&f.original, f.encoding) {
            (Some(original), _) => original.clone(),
            (None, Encoding::Utf8Bom) => [b"\xEF\xBB\xBF".as_slice(), f.text.as_bytes()].concat(),
            (None, _) => f.text.as_bytes().to_vec(),
        };
        files.push(CrateFile {
            path: copy,
            contents: bytes,
        });
    }
    Ok((name, files))
}

/// Where a source file of the definition goes in the crate: `definition/` and its path below
/// the definition's folder, so that references between files still resolve in the copy (and
/// two files of one name in different folders stay apart); a file outside the folder (allowed
/// by `--root`) goes by its name alone.
pub fn copy_path(root: &Path, file: &Path) -> Option<String> {
    use std::path::Component;
    let plain = |p: &Path| -> Option<Vec<String>> {
        p.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .map(|c| match c {
                Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    };
    let below = |root: &Path| file.strip_prefix(root).ok().and_then(plain);
    let parts = below(root)
        .or_else(|| (root == Path::new(".")).then(|| plain(file)).flatten())
        .filter(|p| !p.is_empty())
        .or_else(|| Some(vec![file.file_name()?.to_string_lossy().into_owned()]))?;
    Some(format!("{DEFINITION_DIR}/{}", parts.join("/")))
}

/// The `Cargo.toml` of a workspace of generated crates.
pub fn workspace_manifest(members: &[String]) -> String {
    let list: Vec<String> = members.iter().map(|m| format!("    {m:?},")).collect();
    format!(
        "[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    )
}

/// FNV-1a, 64 bits: a stable fingerprint of generated contents (not a security measure).
fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

/// Why a crate was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Generated files were changed by hand since they were generated.
    #[error("{dir}: these generated files were edited by hand: {files}; nothing was written (use --force to overwrite them, or move your changes out of generated files)")]
    Edited {
        /// The crate directory.
        dir: String,
        /// The edited files.
        files: String,
    },
    /// The directory holds something that was not generated.
    #[error("{0}: the directory exists and was not generated by connector-gen; nothing was written (choose another -o, or use --force)")]
    Foreign(String),
    /// A file system error.
    #[error("{0}")]
    Io(String),
}

/// Writes a crate into `dir`. A new crate is written into a temporary sibling directory and
/// renamed into place, so it appears whole or not at all. Regenerating replaces generated files
/// (each atomically) and removes generated files that are no longer produced; a generated file
/// changed by hand stops everything unless `force`.
pub fn write_crate(dir: &Path, files: &[CrateFile], force: bool) -> Result<(), WriteError> {
    let io = |e: std::io::Error| WriteError::Io(format!("{}: {e}", dir.display()));
    let manifest: BTreeMap<String, String> = files
        .iter()
        .map(|f| (f.path.clone(), fingerprint(&f.contents)))
        .collect();
    let manifest_json = serde_json::to_string_pretty(&serde_json::json!({ "generator": concat!("connector-gen ", env!("CARGO_PKG_VERSION")), "files": manifest })).unwrap_or_default() + "\n";
    if dir.exists() && !dir.is_dir() {
        return Err(WriteError::Io(format!(
            "{}: a file is there, not a directory; choose another --output",
            dir.display()
        )));
    }
    if !dir.exists() {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if let Some(file) = parent.ancestors().find(|a| a.is_file()) {
            return Err(WriteError::Io(format!(
                "{}: {} is a file, not a directory; choose another --output",
                dir.display(),
                file.display()
            )));
        }
        std::fs::create_dir_all(&parent).map_err(io)?;
        let tmp = crate::fs::staging_dir(&parent, ".connector-gen-").map_err(io)?;
        for f in files {
            let p = tmp.path().join(&f.path);
            std::fs::create_dir_all(p.parent().unwrap_or(tmp.path())).map_err(io)?;
            std::fs::write(&p, &f.contents).map_err(io)?;
        }
        std::fs::write(tmp.path().join(MANIFEST), manifest_json).map_err(io)?;
        let tmp_path = tmp.keep();
        return std::fs::rename(&tmp_path, dir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp_path);
            io(e)
        });
    }
    // The record of the last generation lies in the output directory, which may come from a
    // repository like the definition: only plain relative paths inside the crate count, so a
    // forged record can neither have a file outside it read nor removed.
    let previous: Option<BTreeMap<String, String>> = crate::fs::read_text(&dir.join(MANIFEST))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| serde_json::from_value(v.get("files")?.clone()).ok())
        .map(|files: BTreeMap<String, String>| {
            files
                .into_iter()
                .filter(|(path, _)| inside_crate(path))
                .collect()
        });
    match &previous {
        None if !force && std::fs::read_dir(dir).map_err(io)?.next().is_some() => {
            return Err(WriteError::Foreign(dir.display().to_string()));
        }
        Some(prev) if !force => {
            let edited: Vec<&str> = prev
                .iter()
                .filter(|(path, hash)| {
                    crate::fs::read_input(&dir.join(path)).is_ok_and(|b| &fingerprint(&b) != *hash)
                })
                .map(|(p, _)| p.as_str())
                .collect();
            if !edited.is_empty() {
                return Err(WriteError::Edited {
                    dir: dir.display().to_string(),
                    files: edited.join(", "),
                });
            }
        }
        _ => {}
    }
    // Every place is checked before anything is written, so a place that cannot be written
    // leaves the crate as it was rather than half regenerated.
    for path in files.iter().map(|f| f.path.as_str()).chain([MANIFEST]) {
        check_place(dir, path)?;
    }
    for f in files {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap_or(dir)).map_err(io)?;
        crate::fs::write_atomic(&p, &f.contents).map_err(|e| WriteError::Io(e.to_string()))?;
    }
    if let Some(prev) = &previous {
        for stale in prev.keys().filter(|p| !manifest.contains_key(*p)) {
            let _ = std::fs::remove_file(dir.join(stale));
        }
    }
    crate::fs::write_atomic(&dir.join(MANIFEST), manifest_json.as_bytes())
        .map_err(|e| WriteError::Io(e.to_string()))
}

/// Whether a generated file can be written at `path` (relative, `/`-separated) in the crate
/// `dir`: the file is absent or a regular file, and each folder on the way is absent or a real
/// folder (a symbolic link there would have the file written outside the crate).
fn check_place(dir: &Path, path: &str) -> Result<(), WriteError> {
    let mut at = dir.to_path_buf();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        if i + 1 == parts.len() {
            return crate::fs::check_output(&at).map_err(|e| WriteError::Io(e.to_string()));
        }
        match std::fs::symlink_metadata(&at) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(WriteError::Io(format!("{}: {e}", at.display()))),
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(WriteError::Io(format!(
                    "{}: not a folder (a link or a file is there); nothing was written (remove it first)",
                    at.display()
                )))
            }
        }
    }
    Ok(())
}

/// Whether `path` (from a crate's record of generated files) names a file inside the crate: a
/// relative path of plain names, without `..`, a root or a drive.
fn inside_crate(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// A text file ends with a newline (templates lose their last one when rendered).
fn end_with_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
