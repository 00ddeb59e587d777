//! Fixes a finding may offer: edits of a file's text at the places concerned.
//!
//! An edit replaces a byte range of the file as it is on disk (a UTF-8 byte-order mark counts:
//! removing one is an edit of bytes 0..3). Files that are not UTF-8 get no edits: their text is
//! a decoding, and writing it back would change every other byte.

use crate::location::FileId;

/// Whether applying a fix can change what the connector means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Safety {
    /// The connector does what it did (or what the platform already took it to mean); applied
    /// by `validate --fix`.
    Safe,
    /// Changes something users or callers see (an operation's name, a label): applied only with
    /// `--unsafe-fixes`.
    Unsafe,
}

impl Safety {
    /// `safe` or `unsafe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// One replacement in one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edit {
    /// The file.
    pub file: FileId,
    /// Byte offset in the file as on disk where the replaced text starts.
    pub start: usize,
    /// Where it ends (exclusive); `start` for an insertion.
    pub end: usize,
    /// What goes there.
    pub text: String,
}

impl Edit {
    /// Whether two edits touch the same bytes or meet (two insertions at one place, an
    /// insertion where a removal ends): applied together, their result would be a guess.
    pub fn overlaps(&self, other: &Edit) -> bool {
        self.file == other.file && self.start <= other.end && other.start <= self.end
    }
}

/// A fix: edits applied together or not at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// How safe it is.
    pub safety: Safety,
    /// What it does, in a few words (`set "redirectMode": "GlobalPerConnector"`).
    pub title: String,
    /// The edits, in any order; none overlaps another.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix of `safety` doing `title` through `edits`.
    pub fn new(safety: Safety, title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            safety,
            title: title.into(),
            edits,
        }
    }
}
