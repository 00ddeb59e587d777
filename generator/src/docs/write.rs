//! Writing a site: whole or not at all.
//!
//! The site is written into a temporary sibling of the output directory, then put in its place
//! with one rename (a new site) or one atomic exchange (a site made before: `renameat2`
//! `RENAME_EXCHANGE` on Linux), so a reader sees the old site or the new one, never a mix; the
//! old one is removed after. A directory that holds anything but a site this command made (its
//! [`MARKER`] file) is refused.

use super::SiteFile;
use std::path::{Path, PathBuf};

/// The file that marks a directory as a site made by `connector-gen docs`.
pub const MARKER: &str = ".connector-docs.json";

/// Why a site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SiteWriteError {
    /// The output directory holds something else.
    #[error("{0}: the directory exists and is not a site made by connector-gen docs; nothing was written (choose another -o, or empty it)")]
    Foreign(String),
    /// The output is not a directory.
    #[error("{0}: {1}; choose another -o")]
    NotADirectory(String, &'static str),
    /// A file system error.
    #[error("{0}")]
    Io(String),
}

/// Writes `files` as the site in `dir` (see the module's description).
pub fn write_site(dir: &Path, files: &[SiteFile]) -> Result<(), SiteWriteError> {
    let shown = dir.display().to_string();
    let io = |e: std::io::Error| SiteWriteError::Io(format!("{shown}: {e}"));
    let existing = match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(SiteWriteError::NotADirectory(
                shown,
                "a symbolic link is there",
            ))
        }
        Ok(m) if !m.is_dir() => {
            return Err(SiteWriteError::NotADirectory(
                shown,
                "a file is there, not a directory",
            ))
        }
        Ok(_) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(io(e)),
    };
    if existing {
        let ours = std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file());
        let empty = std::fs::read_dir(dir).map_err(io)?.next().is_none();
        if !ours && !empty {
            return Err(SiteWriteError::Foreign(shown));
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Some(file) = parent.ancestors().find(|a| a.is_file()) {
        let why = format!("{} is a file, not a directory", file.display());
        return Err(SiteWriteError::Io(format!(
            "{shown}: {why}; choose another -o"
        )));
    }
    std::fs::create_dir_all(&parent).map_err(io)?;
    let tmp = crate::fs::staging_dir(&parent, ".connector-docs-").map_err(io)?;
    for f in files {
        if !f
            .path
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
        {
            return Err(SiteWriteError::Io(format!(
                "{shown}: refusing the file name {:?}",
                f.path
            )));
        }
        let p = tmp.path().join(&f.path);
        if let Some(folder) = p.parent() {
            std::fs::create_dir_all(folder).map_err(io)?;
        }
        std::fs::write(&p, &f.contents).map_err(io)?;
    }
    let marker = serde_json::json!({
        "generator": concat!("connector-gen ", env!("CARGO_PKG_VERSION")),
        "files": files.len(),
    });
    std::fs::write(tmp.path().join(MARKER), format!("{marker}\n")).map_err(io)?;
    if !existing {
        let tmp_path = tmp.keep();
        return std::fs::rename(&tmp_path, dir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp_path);
            io(e)
        });
    }
    // `tmp` now holds the old site, and is removed when dropped.
    exchange(tmp.path(), dir).map_err(io)
}

#[cfg(target_os = "linux")]
fn exchange(new: &Path, dir: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, new, CWD, dir, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Without an atomic exchange: the old site moves aside, the new one takes its name, and the
/// old one takes the temporary's (removed with it).
#[cfg(not(target_os = "linux"))]
fn exchange(new: &Path, dir: &Path) -> std::io::Result<()> {
    let aside = new.with_extension("old");
    std::fs::rename(dir, &aside)?;
    if let Err(e) = std::fs::rename(new, dir) {
        let _ = std::fs::rename(&aside, dir);
        return Err(e);
    }
    std::fs::rename(&aside, new)
}
