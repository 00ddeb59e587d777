//! Which files a definition may read: regular files under its root.
//!
//! A definition comes from a stranger (a pull request, a download). Its `$ref`s, and the files of
//! its connector folder, are read only when they are regular files under the definition's root —
//! its connector folder, or the folder of the file given — or under a folder the user added
//! (`--root`). Absolute references, `..` beyond the root, symbolic links whose real path lies
//! outside, and special files (FIFOs, devices, sockets) are refused with
//! [`codes::FILE_NOT_ALLOWED`](crate::diagnostics::codes::FILE_NOT_ALLOWED), where they are
//! written. Every file is read through [`connector_sdk::files::read_bounded`], which stops at
//! the size limit while reading.

use std::path::{Component, Path, PathBuf};

/// Files that could not be read while following `$ref`s, with the reason.
pub type Unreadable = std::collections::HashMap<PathBuf, FileError>;

/// Why a file of a definition was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The definition may not read it (outside its root, or not a regular file).
    #[error("{0}")]
    NotAllowed(String),
    /// Reading it failed (missing, unreadable, larger than the limit).
    #[error("{0}")]
    Unreadable(String),
}

/// The folders a definition's files must lie in.
#[derive(Debug, Clone)]
pub struct Roots {
    /// Each root as written, made absolute and normalised (`..` resolved without the file
    /// system), and its real path when it exists.
    roots: Vec<(PathBuf, Option<PathBuf>)>,
}

impl Roots {
    /// The definition's own root and the folders the user added.
    pub fn new(own: &Path, extra: &[PathBuf]) -> Roots {
        let roots = std::iter::once(own)
            .chain(extra.iter().map(PathBuf::as_path))
            .map(|r| {
                let lexical = absolute(r);
                let real = std::fs::canonicalize(&lexical).ok();
                (lexical, real)
            })
            .collect();
        Roots { roots }
    }

    /// Whether the file at `path` (as a reference or an input names it) may be read: `Ok` when
    /// it lies under a root both as written and as it really is (symbolic links followed). A
    /// file that does not exist is left to the reader, which says so.
    pub fn check(&self, path: &Path) -> Result<(), FileError> {
        let lexical = absolute(path);
        if !self.roots.iter().any(|(root, _)| lexical.starts_with(root)) {
            return Err(FileError::NotAllowed(format!(
                "{} is outside {}; a definition reads only files in its own folder (--root DIR allows another)",
                lexical.display(),
                self.describe()
            )));
        }
        match std::fs::canonicalize(&lexical) {
            Err(_) => Ok(()),
            Ok(real) => {
                if self
                    .roots
                    .iter()
                    .any(|(_, r)| r.as_ref().is_some_and(|r| real.starts_with(r)))
                {
                    Ok(())
                } else {
                    Err(FileError::NotAllowed(format!(
                        "{} leads to {}, outside {} (a symbolic link); a definition reads only files in its own folder (--root DIR allows another)",
                        path.display(),
                        real.display(),
                        self.describe()
                    )))
                }
            }
        }
    }

    fn describe(&self) -> String {
        let names: Vec<String> = self
            .roots
            .iter()
            .map(|(r, _)| format!("`{}`", r.display()))
            .collect();
        match names.len() {
            1 => format!("the definition's folder {}", names[0]),
            _ => format!("the allowed folders {}", names.join(", ")),
        }
    }
}

/// `path` made absolute against the current directory, without looking at the file system, and
/// normalised.
fn absolute(path: &Path) -> PathBuf {
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Lexically normalises a path (`a/./b/../c` → `a/c`) so that references to one file match.
/// A `..` that cannot cancel a name is kept (`../../a` stays so); at the root of an absolute
/// path it is dropped, as the file system does.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                Some(Component::ParentDir) | Some(Component::CurDir) | None => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

/// Reads the file at `path` for a definition: a regular file of at most `limit` bytes, under
/// `roots`.
pub fn read(path: &Path, roots: &Roots, limit: u64) -> Result<Vec<u8>, FileError> {
    use connector_sdk::files::{read_bounded, ReadError};
    roots.check(path)?;
    read_bounded(path, limit).map_err(|e| match e {
        ReadError::NotRegular { kind, .. } => FileError::NotAllowed(format!(
            "{} is {kind}; a definition reads only regular files",
            path.display()
        )),
        ReadError::TooLarge { limit, .. } => FileError::Unreadable(format!(
            "the file holds more than the limit of {limit} bytes (CONNECTOR_GEN_MAX_FILE_BYTES raises it)"
        )),
        ReadError::Io { source, .. } => FileError::Unreadable(source.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_steps_cancel_names_only() {
        let n = |p: &str| normalize(Path::new(p)).display().to_string();
        assert_eq!(n("a/./b/../c"), "a/c");
        assert_eq!(n("../../x/../../common.json"), "../../../common.json");
        assert_eq!(n("../defs/../common.json"), "../common.json");
        assert_eq!(n("a/../../b"), "../b");
        assert_eq!(n("/../etc/passwd"), "/etc/passwd");
        assert_eq!(n("./a"), "a");
    }

    #[cfg(unix)]
    #[test]
    fn files_outside_the_root_are_refused_as_written_and_as_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("connector");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/common.json"), "{}").unwrap();
        std::fs::write(dir.path().join("secret.json"), "{}").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.json"), root.join("link.json")).unwrap();
        let roots = Roots::new(&root, &[]);
        assert!(roots.check(&root.join("sub/../sub/common.json")).is_ok());
        assert!(roots.check(&root.join("missing.json")).is_ok());
        for outside in [
            root.join("../secret.json"),
            root.join("link.json"),
            PathBuf::from("/etc/passwd"),
        ] {
            let e = roots.check(&outside).unwrap_err();
            assert!(matches!(e, FileError::NotAllowed(_)), "{outside:?}: {e}");
        }
        // An added root allows what lies under it.
        let wider = Roots::new(&root, &[dir.path().to_path_buf()]);
        assert!(wider.check(&root.join("../secret.json")).is_ok());
        assert!(wider.check(&root.join("link.json")).is_ok());
    }
}
