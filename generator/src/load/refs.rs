//! `$ref` resolution across the files of one connector.

use super::confine::{normalize, FileError, Unreadable};
use super::node::{unescape_segment, Node, Value};
use super::source::{FileId, Sources};
use std::collections::HashMap;
use std::path::Path;

/// Where a reference leads.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The file it is in.
    pub file: FileId,
    /// The node.
    pub node: &'a Node,
}

/// Why a reference could not be followed.
#[derive(Debug, Clone, PartialEq)]
pub enum RefError {
    /// It names a URL; only files of the definition are read.
    Url(String),
    /// The file it names could not be read, or may not be.
    File(String, FileError),
    /// Nothing stands at the pointer.
    Missing(String),
    /// The fragment is not a JSON pointer.
    BadPointer(String),
    /// A chain of references that returns to itself.
    Loop(String),
    /// The referenced file could not be parsed.
    Unparsed(String),
}

impl std::fmt::Display for RefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefError::Url(r) => write!(f, "`{r}` refers to a URL; only references into the definition's own files are followed"),
            RefError::File(file, why @ FileError::NotAllowed(_)) => write!(f, "the file `{file}` is not read: {why}"),
            RefError::File(file, why) => write!(f, "the file `{file}` cannot be read: {why}"),
            RefError::Missing(r) => write!(f, "`{r}` does not exist in the document"),
            RefError::BadPointer(r) => write!(f, "`{r}` is not a JSON pointer (it must start with `#/`)"),
            RefError::Loop(r) => write!(f, "`{r}` leads back to itself through a chain of `$ref`s"),
            RefError::Unparsed(file) => write!(f, "the file `{file}` could not be read as JSON or YAML"),
        }
    }
}

/// The path of the file a reference's file part names, relative to the file `from` it is written
/// in (percent escapes decoded, `.` and `..` resolved without the file system).
pub fn file_path(from: &Path, file_part: &str) -> std::path::PathBuf {
    let base = from.parent().unwrap_or(Path::new(""));
    normalize(&base.join(percent_decode(file_part)))
}

/// True when a reference's file part is an absolute path (`/etc/passwd`, `C:\\x`, `\\\\host\\x`).
pub fn is_absolute(file_part: &str) -> bool {
    let decoded = percent_decode(file_part);
    let bytes = decoded.as_bytes();
    decoded.starts_with(['/', '\\'])
        || Path::new(&decoded).is_absolute()
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

/// True when a reference's file part is a URL.
pub fn is_url(s: &str) -> bool {
    s.contains("://") || s.starts_with("//")
}

/// Decodes `%XX` escapes (URI fragments and file names in references).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves references within the files of one connector.
pub struct Resolver<'a> {
    sources: &'a Sources,
    unreadable: &'a Unreadable,
    /// Member indexes of large objects (e.g. `definitions` with thousands of entries), built on
    /// first use so that resolving every reference is not quadratic.
    indexes: std::cell::RefCell<HashMap<*const Node, HashMap<&'a str, &'a Node>>>,
}

/// Objects with more members than this are indexed for lookups.
const INDEX_MEMBERS: usize = 32;

/// How many `$ref` hops a chain may take before it is called a loop.
const MAX_HOPS: usize = 64;

impl<'a> Resolver<'a> {
    /// A resolver over `sources`; `unreadable` names referenced files that could not be read.
    pub fn new(sources: &'a Sources, unreadable: &'a Unreadable) -> Self {
        Resolver {
            sources,
            unreadable,
            indexes: Default::default(),
        }
    }

    /// The sources it resolves in.
    pub fn sources(&self) -> &'a Sources {
        self.sources
    }

    /// Splits a reference into the file it names (relative to `from`) and its JSON pointer.
    pub fn split(&self, from: FileId, reference: &str) -> Result<(FileId, String), RefError> {
        let (file_part, fragment) = match reference.split_once('#') {
            Some((f, frag)) => (f, frag),
            None => (reference, ""),
        };
        let file = if file_part.is_empty() {
            from
        } else if is_url(file_part) {
            return Err(RefError::Url(reference.to_string()));
        } else {
            let path = file_path(&self.sources.get(from).path, file_part);
            match self.sources.find(&path) {
                Some(id) => id,
                None => {
                    let why = self
                        .unreadable
                        .get(&path)
                        .cloned()
                        .unwrap_or_else(|| FileError::Unreadable("not found".into()));
                    return Err(RefError::File(file_part.to_string(), why));
                }
            }
        };
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(RefError::BadPointer(reference.to_string()));
        }
        Ok((file, pointer))
    }

    /// Follows one reference.
    pub fn resolve(&self, from: FileId, reference: &str) -> Result<(Target<'a>, String), RefError> {
        let (file, pointer) = self.split(from, reference)?;
        let f = self.sources.get(file);
        let root = f
            .root
            .as_ref()
            .ok_or_else(|| RefError::Unparsed(f.path.display().to_string()))?;
        let node = if pointer.is_empty() {
            Some(root)
        } else {
            self.walk(root, &pointer[1..])
        };
        match node {
            Some(node) => Ok((Target { file, node }, pointer)),
            None => Err(RefError::Missing(reference.to_string())),
        }
    }

    /// Follows the segments of a JSON pointer (without its leading `/`) from `root`.
    fn walk(&self, root: &'a Node, pointer: &str) -> Option<&'a Node> {
        let mut node = root;
        for seg in pointer.split('/').map(unescape_segment) {
            node = match &node.value {
                Value::Object(members) if members.len() > INDEX_MEMBERS => {
                    let mut indexes = self.indexes.borrow_mut();
                    let index = indexes.entry(node as *const Node).or_insert_with(|| {
                        let mut m = HashMap::with_capacity(members.len());
                        // The last of duplicate keys wins, as when reading.
                        for member in members {
                            m.insert(member.key.as_str(), &member.value);
                        }
                        m
                    });
                    *index.get(seg.as_str())?
                }
                _ => node.walk([seg])?,
            };
        }
        Some(node)
    }

    /// Follows `node` through `$ref`s until it reaches a node that is not a reference.
    /// Returns the final node and its pointer (`None` when `node` itself was not a reference).
    pub fn follow(
        &self,
        file: FileId,
        node: &'a Node,
    ) -> Result<(Target<'a>, Option<String>), RefError> {
        let mut current = Target { file, node };
        let mut pointer = None;
        for _ in 0..MAX_HOPS {
            let Some(reference) = current.node.get_str("$ref") else {
                return Ok((current, pointer));
            };
            let (next, p) = self.resolve(current.file, reference)?;
            if std::ptr::eq(next.node, current.node) {
                return Err(RefError::Loop(reference.to_string()));
            }
            current = next;
            pointer = Some(p);
        }
        Err(RefError::Loop(
            node.get_str("$ref").unwrap_or_default().to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("#/definitions/A%20B"), "#/definitions/A B");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
