//! Reading and writing files safely: a bounded reader for files whose contents others control,
//! and atomic writes with the permissions a user expects.
//!
//! A path given to a tool, or named by a definition, may be a FIFO (reading it waits forever), a
//! device (`/dev/zero` never ends, and reports a size of 0), a socket or a directory; and a
//! regular file may grow while it is read. [`read_bounded`] reads only regular files and stops
//! at its limit *while reading*, whatever the file's metadata says.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path is not a regular file.
    #[error("{}: {kind}, not a regular file; only regular files are read", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is (`a directory`, `a FIFO`, `a character device`, ...).
        kind: &'static str,
    },
    /// The file holds more than the limit.
    #[error("{}: the file holds more than the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The operating system refused.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// What it said.
        source: std::io::Error,
    },
}

impl ReadError {
    /// Whether the file does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// What kind of file `meta` describes, when it is not a regular file.
pub fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    Some("a special file")
}

/// Reads the regular file at `path` (symbolic links followed), at most `limit` bytes: a longer
/// file is [`ReadError::TooLarge`], found while reading. Anything but a regular file is
/// [`ReadError::NotRegular`] without being opened for long: a FIFO is opened without waiting for
/// a writer, then refused.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let not_regular = |kind| ReadError::NotRegular {
        path: path.to_path_buf(),
        kind,
    };
    let too_large = || ReadError::TooLarge {
        path: path.to_path_buf(),
        limit,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if let Some(kind) = special_kind(&meta) {
        return Err(not_regular(kind));
    }
    // A size the file system gives is believed when it is too large (no need to read 256 MiB
    // to refuse them); when it is small it is not (`/proc` files say 0), so reading is bounded.
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // The file may have been replaced by a FIFO since: opening one without O_NONBLOCK waits
        // for a writer.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io)?;
    // What was opened is what counts.
    let opened = file.metadata().map_err(io)?;
    if let Some(kind) = special_kind(&opened) {
        return Err(not_regular(kind));
    }
    // Room for the size the file says it has, and one byte more to see that it ends there: a
    // list grown while reading would keep up to twice the file's size.
    let size = usize::try_from(opened.len().min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(size.saturating_add(1));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Why an output path is refused.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The path exists and is not a regular file: writing would replace a device, a FIFO or a
    /// symbolic link (and what it points to) with a file.
    #[error("{}: {kind}; refusing to replace it with a file (give the path of a regular file, or remove it first)", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// The operating system refused.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// What it said.
        source: std::io::Error,
    },
}

/// Checks that `path` is a place a file may be written: it does not exist, or it is a regular
/// file (not a symbolic link, a device, a FIFO, a socket or a directory).
pub fn check_output(path: &Path) -> Result<(), WriteError> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(WriteError::Io {
            path: path.to_path_buf(),
            source,
        }),
        Ok(meta) => match special_kind(&meta) {
            None => Ok(()),
            Some(kind) => Err(WriteError::NotRegular {
                path: path.to_path_buf(),
                kind,
            }),
        },
    }
}

/// Who may read a file written by [`write_atomic`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Everyone the user's umask allows (0666 less the umask: 0644 with the usual 022), as any
    /// file a command writes.
    Shared,
    /// The user only (0600): keys and stored connections.
    Private,
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same directory, flushed to
/// disk, then renamed over `path`, so that readers see the old contents or the new, never a
/// part. Refuses a `path` that exists and is not a regular file ([`check_output`]).
pub fn write_atomic(path: &Path, bytes: &[u8], access: Access) -> Result<(), WriteError> {
    check_output(path)?;
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tmp-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode asked for at creation; the kernel takes the umask off it.
        builder.permissions(std::fs::Permissions::from_mode(match access {
            Access::Shared => 0o666,
            Access::Private => 0o600,
        }));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read_and_only_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.json");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_bounded(&file, 10).unwrap(), b"0123456789");
        let e = read_bounded(&file, 9).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { limit: 9, .. }), "{e}");
        let e = read_bounded(dir.path(), 10).unwrap_err();
        assert!(
            e.to_string().contains("a directory, not a regular file"),
            "{e}"
        );
        assert!(read_bounded(&dir.path().join("missing"), 10)
            .unwrap_err()
            .is_not_found());
        #[cfg(unix)]
        {
            // A device reports a size of 0 and never ends; a FIFO would wait for a writer.
            let e = read_bounded(Path::new("/dev/zero"), 10).unwrap_err();
            assert!(e.to_string().contains("a character device"), "{e}");
            let fifo = dir.path().join("fifo");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            let e = read_bounded(&fifo, 10).unwrap_err();
            assert!(e.to_string().contains("a FIFO"), "{e}");
            // Through a symbolic link: what it points to counts.
            let link = dir.path().join("link");
            std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
            assert!(matches!(
                read_bounded(&link, 10),
                Err(ReadError::NotRegular { .. })
            ));
        }
    }

    #[cfg(unix)]
    #[test]
    fn writes_are_atomic_with_the_usual_permissions_and_refuse_special_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        // The process's umask, read without changing it (other tests create files meanwhile).
        let umask = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Umask:"))
                    .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
            })
            .unwrap_or(0o022);
        let shared = dir.path().join("out.json");
        write_atomic(&shared, b"{}", Access::Shared).unwrap();
        let mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666 & !umask);
        // Rewriting keeps that mode.
        write_atomic(&shared, b"{\"a\":1}", Access::Shared).unwrap();
        let mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666 & !umask);
        let private = dir.path().join("key");
        write_atomic(&private, b"k", Access::Private).unwrap();
        let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&shared, &link).unwrap();
        for target in [Path::new("/dev/null"), link.as_path(), dir.path()] {
            let e = write_atomic(target, b"x", Access::Shared).unwrap_err();
            assert!(matches!(e, WriteError::NotRegular { .. }), "{e}");
        }
        assert_eq!(std::fs::read(&shared).unwrap(), b"{\"a\":1}");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }
}
