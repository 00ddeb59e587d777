//! The ground floor: where things are in the files of a definition. Every layer may use it;
//! it uses none of them.
//!
//! A [`FileId`] names a file of a loaded connector, a [`Span`] a byte range of its text, a
//! [`PointerBuf`] a JSON pointer into its tree, a [`LineCol`] a place people read; a
//! [`SourceMap`] turns spans into places and gives the text around them (the loader's sources
//! are one).

use std::path::Path;

/// A byte range in a source file's decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
}

/// Index of a file within the sources of a loaded connector (`load::source::Sources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
pub struct FileId(pub u32);

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
}

/// What a diagnostic needs of the files it points into: their paths, and their text by line.
pub trait SourceMap {
    /// The path of `file`, as given.
    fn path(&self, file: FileId) -> &Path;
    /// The decoded text of `file`.
    fn text(&self, file: FileId) -> &str;
    /// Line and column of a byte offset of `file`.
    fn line_col(&self, file: FileId, offset: u32) -> LineCol;
    /// The text of the 1-based line `line` of `file`, without its line break.
    fn line_text(&self, file: FileId, line: u32) -> &str;
}

/// Unescapes one JSON-pointer segment (`~1` → `/`, `~0` → `~`).
pub fn unescape_segment(seg: &str) -> String {
    if seg.contains('~') {
        seg.replace("~1", "/").replace("~0", "~")
    } else {
        seg.to_string()
    }
}

/// Escapes one JSON-pointer segment.
pub fn escape_segment(seg: &str) -> std::borrow::Cow<'_, str> {
    if seg.contains(['~', '/']) {
        std::borrow::Cow::Owned(seg.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(seg)
    }
}

/// A JSON pointer built while walking a document.
///
/// Extending a pointer shares its parent (one small allocation per segment), so pointers kept by
/// every element of a deeply nested document cost memory linear in its size, not quadratic. The
/// text is made only when asked for ([`PointerBuf::as_string`], `Display`).
#[derive(Clone, Default)]
pub struct PointerBuf(Option<std::sync::Arc<Segment>>);

struct Segment {
    parent: Option<std::sync::Arc<Segment>>,
    /// One or more escaped segments, without the leading `/`.
    text: Box<str>,
}

impl PointerBuf {
    /// The root pointer (`""`).
    pub fn root() -> Self {
        PointerBuf(None)
    }

    /// This pointer extended by one segment.
    pub fn join(&self, seg: impl AsRef<str>) -> PointerBuf {
        PointerBuf(Some(std::sync::Arc::new(Segment {
            parent: self.0.clone(),
            text: escape_segment(seg.as_ref()).into(),
        })))
    }

    /// This pointer extended by an array index.
    pub fn index(&self, i: usize) -> PointerBuf {
        self.join(i.to_string())
    }

    /// The pointer text, e.g. `/paths/~1items/get`.
    pub fn as_string(&self) -> String {
        let mut parts = Vec::new();
        let mut cur = self.0.as_deref();
        while let Some(seg) = cur {
            parts.push(&*seg.text);
            cur = seg.parent.as_deref();
        }
        let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
        for p in parts.iter().rev() {
            out.push('/');
            out.push_str(p);
        }
        out
    }

    /// From pointer text (`""` or starting with `/`).
    pub fn from_string(s: String) -> Self {
        match s.strip_prefix('/') {
            Some(rest) => PointerBuf(Some(std::sync::Arc::new(Segment {
                parent: None,
                text: rest.into(),
            }))),
            None => PointerBuf(None),
        }
    }
}

impl std::fmt::Display for PointerBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl std::fmt::Debug for PointerBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_string())
    }
}

impl PartialEq for PointerBuf {
    fn eq(&self, other: &Self) -> bool {
        self.as_string() == other.as_string()
    }
}

impl Eq for PointerBuf {}

impl PartialEq<&str> for PointerBuf {
    fn eq(&self, other: &&str) -> bool {
        self.as_string() == *other
    }
}
