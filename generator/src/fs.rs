//! Files the tools read and write besides definitions: `--config`, `--baseline`,
//! `--body @FILE`, `--connection FILE`, and every output. Reads are bounded and take regular
//! files only; writes are atomic, with the permissions a user expects, and never replace what is
//! not a regular file (see [`connector_sdk::files`]).

pub use connector_sdk::files::{check_output, Access, ReadError, WriteError};
use std::path::{Path, PathBuf};

/// Why a text file given to a command could not be used.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// It could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// It is not UTF-8.
    #[error("{}: not UTF-8 text", path.display())]
    NotText {
        /// The file.
        path: PathBuf,
    },
}

/// The largest file read: `CONNECTOR_GEN_MAX_FILE_BYTES`, as for definitions (256 MiB).
pub fn max_input_bytes() -> u64 {
    crate::load::LoadOptions::from_env()
        .unwrap_or_default()
        .max_file_bytes
}

/// Reads a file given to a command: a regular file, at most [`max_input_bytes`].
pub fn read_input(path: &Path) -> Result<Vec<u8>, ReadError> {
    connector_sdk::files::read_bounded(path, max_input_bytes())
}

/// Reads a text file given to a command, as [`read_input`] does.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    String::from_utf8(read_input(path)?).map_err(|_| InputError::NotText {
        path: path.to_path_buf(),
    })
}

/// Writes `bytes` to `path` atomically (a temporary file in the same directory, flushed, then
/// renamed over `path`), readable as the umask allows (0644 with the usual 022). A `path` that
/// exists and is not a regular file is refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    connector_sdk::files::write_atomic(path, bytes, Access::Shared)
}

/// A temporary directory beside an output directory (in `parent`) to build it in before it is
/// renamed into place, named `PREFIX…`. Temporary directories are private (0700); the output is
/// not: 0777 less the umask, as `mkdir` makes it.
pub fn staging_dir(parent: &Path, prefix: &str) -> std::io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o777));
    }
    builder.tempdir_in(parent)
}
