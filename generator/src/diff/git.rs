//! The old side read from git: `diff --base REV [PATH...]` compares every connector under the
//! paths that changed since REV with its version at REV — the platform pipeline's job in one
//! command.
//!
//! Git runs as a subprocess (`git rev-parse`, `git diff --name-only`, `git ls-tree`, `git
//! show`): the machines that run this in CI have git, and its own reading of the repository
//! (worktrees, sparse checkouts, `safe.directory`, LFS filters) is the one users expect.

use super::{connector_change, diff, Change, DiffError};
use crate::load::{self, Input, LoadOptions};
use crate::pipeline::{self, Loaded};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why the old side could not be read from git.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// git could not be started.
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    /// The path is not in a git repository.
    #[error("{}: not in a git repository ({message})", path.display())]
    NotARepository {
        /// The path given.
        path: PathBuf,
        /// What git said.
        message: String,
    },
    /// The revision is not one the repository has.
    #[error("unknown revision `{rev}` ({message})")]
    UnknownRevision {
        /// As given.
        rev: String,
        /// What git said.
        message: String,
    },
    /// A path given is outside the repository.
    #[error("{}: not inside the repository {}", path.display(), repo.display())]
    OutsideRepository {
        /// The path given.
        path: PathBuf,
        /// The repository.
        repo: PathBuf,
    },
    /// Another git command failed.
    #[error("git {args} failed: {message}")]
    Failed {
        /// Its arguments.
        args: String,
        /// What git said.
        message: String,
    },
    /// The versions could not be compared.
    #[error(transparent)]
    Diff(#[from] DiffError),
}

/// A repository and the revision the old side is read from.
pub struct Revision {
    /// The repository's top folder.
    pub repo: PathBuf,
    /// The revision, as given.
    pub rev: String,
}

fn run(dir: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(GitError::Spawn)?;
    Ok(if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    })
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim_end().to_string()
}

use crate::load::input::{
    DEFINITION_FILE as DEFINITION, PROPERTIES_FILE as PROPERTIES, SETTINGS_FILE,
};

impl Revision {
    /// The repository that holds `path`, and `rev` in it.
    pub fn open(path: &Path, rev: &str) -> Result<Revision, GitError> {
        let dir = if path.is_dir() {
            path.to_path_buf()
        } else {
            path.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let top = run(&dir, &["rev-parse", "--show-toplevel"])?.map_err(|message| {
            GitError::NotARepository {
                path: path.to_path_buf(),
                message,
            }
        })?;
        let repo = PathBuf::from(text(top));
        run(
            &repo,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )?
        .map_err(|message| GitError::UnknownRevision {
            rev: rev.to_string(),
            message: if message.is_empty() {
                "no such commit".into()
            } else {
                message
            },
        })?;
        Ok(Revision {
            repo,
            rev: rev.to_string(),
        })
    }

    fn git(&self, args: &[&str]) -> Result<Vec<u8>, GitError> {
        run(&self.repo, args)?.map_err(|message| GitError::Failed {
            args: args.join(" "),
            message,
        })
    }

    /// `path` relative to the repository's top folder (`/`-separated; empty for the top).
    pub fn relative(&self, path: &Path) -> Result<String, GitError> {
        let outside = || GitError::OutsideRepository {
            path: path.to_path_buf(),
            repo: self.repo.clone(),
        };
        let abs = std::fs::canonicalize(path)
            .or_else(|_| {
                // A path deleted since REV: its parent exists.
                let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
                let base = std::fs::canonicalize(parent.unwrap_or(Path::new(".")))?;
                Ok::<_, std::io::Error>(base.join(path.file_name().unwrap_or_default()))
            })
            .map_err(|_| outside())?;
        let repo = std::fs::canonicalize(&self.repo).map_err(|_| outside())?;
        let rel = abs.strip_prefix(&repo).map_err(|_| outside())?;
        Ok(rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"))
    }

    /// The files under `paths` that differ between REV and the working tree.
    pub fn changed(&self, paths: &[String]) -> Result<Vec<String>, GitError> {
        let mut args = vec!["diff", "--name-only", "--no-renames", &self.rev, "--"];
        let specs: Vec<String> = paths
            .iter()
            .map(|p| if p.is_empty() { ".".into() } else { p.clone() })
            .collect();
        args.extend(specs.iter().map(String::as_str));
        Ok(text(self.git(&args)?)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// The names of the files of folder `dir` (repository-relative) at REV.
    pub fn files_at(&self, dir: &str) -> Result<Vec<String>, GitError> {
        let spec = if dir.is_empty() {
            self.rev.clone()
        } else {
            format!("{}:{dir}", self.rev)
        };
        match run(&self.repo, &["ls-tree", "--name-only", &spec])? {
            Ok(out) => Ok(text(out).lines().map(str::to_string).collect()),
            // Not a folder at REV (added since).
            Err(_) => Ok(Vec::new()),
        }
    }

    /// The contents of `file` (repository-relative) at REV.
    pub fn show(&self, file: &str) -> Result<Vec<u8>, GitError> {
        self.git(&["show", &format!("{}:{file}", self.rev)])
    }
}

fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(p, _)| p)
}

fn name_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, n)| n)
}

/// The connector folder a changed file belongs to: the nearest folder that holds an
/// `apiDefinition.swagger.json`, in the working tree or at REV; `None` for a file in no
/// connector folder.
fn connector_of(rev: &Revision, file: &str) -> Result<Option<String>, GitError> {
    let mut dir = parent(file).to_string();
    loop {
        let here = rev.repo.join(&dir);
        let in_tree = load::connector_folder(&here).is_some();
        let at_rev = !in_tree
            && rev
                .files_at(&dir)?
                .iter()
                .any(|n| n.eq_ignore_ascii_case(DEFINITION));
        if in_tree || at_rev {
            return Ok(Some(dir));
        }
        if dir.is_empty() {
            return Ok(None);
        }
        dir = parent(&dir).to_string();
    }
}

/// A connector as it was at REV: its folder `dir` (or, for a lone definition, the file).
fn old_side(
    rev: &Revision,
    rel: &str,
    folder: bool,
    opts: &LoadOptions,
) -> Result<Option<Loaded>, GitError> {
    let (dir, def_name) = if folder {
        let files = rev.files_at(rel)?;
        match files.iter().find(|n| n.eq_ignore_ascii_case(DEFINITION)) {
            Some(d) => (rel.to_string(), d.clone()),
            None => return Ok(None),
        }
    } else {
        if !rev.files_at(parent(rel))?.iter().any(|n| n == name_of(rel)) {
            return Ok(None);
        }
        (parent(rel).to_string(), name_of(rel).to_string())
    };
    let at = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    let definition = rev.show(&at(&def_name))?;
    let props_name = if folder {
        rev.files_at(&dir)?
            .into_iter()
            .find(|n| n.eq_ignore_ascii_case(PROPERTIES))
    } else {
        None
    };
    let properties = props_name
        .as_deref()
        .map(|n| rev.show(&at(n)))
        .transpose()?;
    // Named `REV:path` in messages. Relative `$ref`s into other files are not followed into the
    // working tree: the folder named does not exist.
    let label = |p: &str| PathBuf::from(format!("{}:{p}", rev.rev));
    let input = Input {
        definition: label(&at(&def_name)),
        properties: props_name.as_deref().map(|n| label(&at(n))),
        settings: None,
        folder: folder.then(|| label(&dir)),
    };
    Ok(Some(pipeline::load_bytes(
        &input, definition, properties, opts,
    )))
}

/// The connector `rel` as it is in the working tree.
fn new_side(rev: &Revision, rel: &str, folder: bool, opts: &LoadOptions) -> Option<Loaded> {
    let path = rev.repo.join(rel);
    let input = if folder {
        load::connector_folder(&path)?
    } else {
        if !path.is_file() {
            return None;
        }
        Input {
            definition: path,
            properties: None,
            settings: None,
            folder: None,
        }
    };
    Some(pipeline::load(&input, opts))
}

fn is_definition_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".json") || lower.ends_with(".yaml") || lower.ends_with(".yml"))
        && lower != PROPERTIES
        && lower != SETTINGS_FILE
}

/// Every connector under `paths` that changed since REV, compared with its version at REV (a
/// connector only on one side is added or removed).
pub fn diff_since(
    rev: &Revision,
    paths: &[PathBuf],
    opts: &LoadOptions,
) -> Result<Vec<Change>, GitError> {
    let rels = paths
        .iter()
        .map(|p| rev.relative(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut connectors: BTreeSet<(String, bool)> = BTreeSet::new();
    for file in rev.changed(&rels)? {
        match connector_of(rev, &file)? {
            Some(dir) => {
                connectors.insert((dir, true));
            }
            None if is_definition_file(name_of(&file)) => {
                connectors.insert((file, false));
            }
            None => {}
        }
    }
    let mut out = Vec::new();
    for (rel, folder) in connectors {
        let old = old_side(rev, &rel, folder, opts)?;
        let new = new_side(rev, &rel, folder, opts);
        match (old, new) {
            (Some(o), Some(n)) => out.extend(diff(&o, &n)?),
            (Some(o), None) => out.push(connector_change(
                &o,
                &super::rules::connector_removed::ConnectorRemoved::META,
                "old",
                "was removed",
            )),
            (None, Some(n)) => out.push(connector_change(
                &n,
                &super::rules::connector_added::ConnectorAdded::META,
                "new",
                "was added",
            )),
            (None, None) => {}
        }
    }
    Ok(out)
}
