//! Source files as loaded: decoded text, parsed tree, and the line index that turns spans into
//! line:column.

use super::node::{parse_index, unescape_segment, Node, Span, Value};
pub use crate::location::{FileId, LineCol};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Objects with more members than this are indexed for pointer lookups.
const INDEXED_MEMBERS: usize = 32;

/// For the objects of a tree with more than [`INDEXED_MEMBERS`] members that were looked into
/// (by address): the position of each key's first member.
type MemberIndex = HashMap<usize, HashMap<String, usize>>;

/// The syntax a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// JSON (with the tolerances of [`super::json`]).
    Json,
    /// YAML 1.2.
    Yaml,
    /// Text that is not a tree (a connector's `script.csx`).
    Text,
}

/// How the file's bytes were turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 after a byte-order mark.
    Utf8Bom,
    /// UTF-16 (with a byte-order mark).
    Utf16,
    /// Not UTF-8: decoded as Windows-1252 (a superset of Latin-1).
    Windows1252 {
        /// Byte offset of the first byte that was not valid UTF-8.
        first_invalid: usize,
        /// That byte.
        byte: u8,
        /// Where it stands in the decoded text.
        text_offset: usize,
    },
}

/// One loaded file.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as found (used in messages).
    pub path: PathBuf,
    /// The decoded text (without a byte-order mark).
    pub text: String,
    /// How it was decoded.
    pub encoding: Encoding,
    /// The syntax it was read as.
    pub syntax: Syntax,
    /// The parsed tree, when the text could be read.
    pub root: Option<Node>,
    /// Every `$ref` string in the file, as read.
    pub refs: Vec<super::json::RefSite>,
    /// The bytes as read, when they were not UTF-8 (decoded as UTF-16 or Windows-1252), so that
    /// a copy of the file keeps them; UTF-8 files are their text.
    pub original: Option<Vec<u8>>,
    index: OnceLock<LineIndex>,
    members: std::sync::Mutex<MemberIndex>,
    shown: OnceLock<std::sync::Arc<str>>,
}

/// Bytes between two checkpoints of [`LineIndex::checkpoints`].
const CHECKPOINT_BYTES: usize = 256;

/// Where lines start, and how many characters precede every [`CHECKPOINT_BYTES`]-th byte, so
/// that a column (which counts characters) is found without counting from the start of its line.
#[derive(Debug)]
struct LineIndex {
    /// Byte offset of the start of each line.
    starts: Vec<u32>,
    /// `(byte, characters before it)` at the first character boundary at or after each multiple
    /// of [`CHECKPOINT_BYTES`]; empty when the text is ASCII (a byte is then a character).
    checkpoints: Vec<(u32, u32)>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        starts.extend(line_breaks(text));
        let mut checkpoints = Vec::new();
        if !text.is_ascii() {
            let mut chars = 0u32;
            let mut at = 0usize;
            while at < text.len() {
                let mut end = (at + CHECKPOINT_BYTES).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                checkpoints.push((at as u32, chars));
                chars += text[at..end].chars().count() as u32;
                at = end;
            }
        }
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// Characters before byte `offset` (a character boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.checkpoints.is_empty() {
            return offset;
        }
        let i = self
            .checkpoints
            .partition_point(|&(b, _)| b as usize <= offset)
            .max(1)
            - 1;
        let (b, chars) = self.checkpoints[i];
        chars as usize + text[b as usize..offset].chars().count()
    }

    /// Byte offset of the character with index `char_index` (the end of the text past the last).
    fn byte_of_char(&self, text: &str, char_index: usize) -> usize {
        if self.checkpoints.is_empty() {
            return char_index.min(text.len());
        }
        let i = self
            .checkpoints
            .partition_point(|&(_, c)| c as usize <= char_index)
            .max(1)
            - 1;
        let (b, chars) = self.checkpoints[i];
        text[b as usize..]
            .char_indices()
            .nth(char_index - chars as usize)
            .map_or(text.len(), |(at, _)| b as usize + at)
    }
}

/// Offsets just after every `\n` of `text`.
fn line_breaks(text: &str) -> impl Iterator<Item = u32> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i as u32 + 1)
}

impl SourceFile {
    /// A file of `text`.
    pub fn new(path: PathBuf, text: String, encoding: Encoding, syntax: Syntax) -> Self {
        SourceFile {
            path,
            text,
            encoding,
            syntax,
            root: None,
            refs: Vec::new(),
            original: None,
            index: OnceLock::new(),
            members: Default::default(),
            shown: OnceLock::new(),
        }
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    fn line_starts(&self) -> &[u32] {
        &self.index().starts
    }

    /// The 0-based line holding byte `offset` (clamped to the text), by binary search.
    fn line_index_of(&self, offset: u32) -> usize {
        let offset = offset.min(self.text.len() as u32);
        self.line_starts().partition_point(|&s| s <= offset).max(1) - 1
    }

    /// Byte offset of the start of the line holding byte `offset`. Constant time in the length
    /// of the line, as [`SourceFile::line_col`].
    pub fn line_start(&self, offset: u32) -> usize {
        self.line_starts()[self.line_index_of(offset)] as usize
    }

    /// The path as shown in messages, made once and shared (every finding of the file names it).
    pub fn shown_path(&self) -> std::sync::Arc<str> {
        self.shown
            .get_or_init(|| self.path.display().to_string().into())
            .clone()
    }

    /// Line and column of a byte offset. Constant time in the length of the line (a minified
    /// definition is one line of many megabytes, and every diagnostic is located in it).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let index = self.index();
        let line = self.line_index_of(offset);
        let line_start = index.starts[line] as usize;
        let offset = offset.min(self.text.len() as u32);
        let mut end = offset as usize;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column =
            index.chars_before(&self.text, end) - index.chars_before(&self.text, line_start) + 1;
        LineCol {
            line: line as u32 + 1,
            column: column as u32,
        }
    }

    /// Byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let index = self.index();
        let Some(&start) = index.starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let first = index.chars_before(&self.text, start as usize);
        index.byte_of_char(&self.text, first + column.saturating_sub(1))
    }

    /// The text of the 1-based line `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line as usize - 1) else {
            return "";
        };
        let end = starts
            .get(line as usize)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }

    /// The span of the node at a JSON pointer, when the file was parsed and the pointer exists.
    pub fn span_of(&self, pointer: &str) -> Option<Span> {
        self.node_at(pointer).map(|n| n.span)
    }

    /// Whether the file is UTF-8 (with or without a byte-order mark): its text is its bytes.
    pub fn is_utf8(&self) -> bool {
        matches!(self.encoding, Encoding::Utf8 | Encoding::Utf8Bom)
    }

    /// The file's bytes as they are on disk: the text (after its byte-order mark, when it had
    /// one), or the original bytes of a file decoded from UTF-16 or Windows-1252.
    pub fn bytes(&self) -> Vec<u8> {
        match (&self.original, &self.encoding) {
            (Some(b), _) => b.clone(),
            (None, Encoding::Utf8Bom) => {
                [b"\xEF\xBB\xBF".as_slice(), self.text.as_bytes()].concat()
            }
            (None, _) => self.text.as_bytes().to_vec(),
        }
    }

    /// The node at a JSON pointer, when the file was parsed and the pointer exists.
    /// Large objects are looked up through an index built on first use: every diagnostic of a
    /// definition with 100,000 paths is located under `/paths`.
    pub fn node_at(&self, pointer: &str) -> Option<&Node> {
        let root = self.root.as_ref()?;
        if pointer.is_empty() {
            return Some(root);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut node = root;
        for seg in rest.split('/').map(unescape_segment) {
            node = match &node.value {
                Value::Object(members) if members.len() > INDEXED_MEMBERS => {
                    let mut index = self.members.lock().unwrap_or_else(|p| p.into_inner());
                    let keys = index
                        .entry(node as *const Node as usize)
                        .or_insert_with(|| {
                            let mut keys = HashMap::with_capacity(members.len());
                            for (i, m) in members.iter().enumerate() {
                                keys.entry(m.key.clone()).or_insert(i);
                            }
                            keys
                        });
                    &members[*keys.get(seg.as_str())?].value
                }
                // As `Node::walk`: the first member of that name.
                Value::Object(members) => &members.iter().find(|m| m.key == seg)?.value,
                Value::Array(items) => items.get(parse_index(&seg)?)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

/// All files that make up one loaded connector.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    /// The file with id `id`.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The file with id `id`, mutable.
    pub fn get_mut(&mut self, id: FileId) -> &mut SourceFile {
        &mut self.files[id.0 as usize]
    }

    /// The id of an already loaded path.
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }

    /// Every file with its id.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file was loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Resolves a JSON pointer in a file to line:column (the source map).
    pub fn locate(&self, file: FileId, pointer: &str) -> Option<LineCol> {
        let f = self.get(file);
        Some(f.line_col(f.span_of(pointer)?.start))
    }
}

impl crate::location::SourceMap for Sources {
    fn path(&self, file: FileId) -> &Path {
        &self.get(file).path
    }
    fn text(&self, file: FileId) -> &str {
        &self.get(file).text
    }
    fn line_col(&self, file: FileId, offset: u32) -> LineCol {
        self.get(file).line_col(offset)
    }
    fn line_text(&self, file: FileId, line: u32) -> &str {
        self.get(file).line_text(line)
    }
}

/// Decodes file bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or else Windows-1252.
/// UTF-8 input becomes the text without being copied.
pub fn decode(mut bytes: Vec<u8>) -> (String, Encoding) {
    if bytes.starts_with(b"\xEF\xBB\xBF") && std::str::from_utf8(&bytes[3..]).is_ok() {
        bytes.drain(..3);
        // Checked just above.
        return (
            String::from_utf8(bytes).unwrap_or_default(),
            Encoding::Utf8Bom,
        );
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(&bytes); // BOM sniffing picks LE or BE
        return (text.into_owned(), Encoding::Utf16);
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, Encoding::Utf8),
        Err(e) => {
            let first_invalid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let (prefix, _) =
                encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes[..first_invalid]);
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
            let encoding = Encoding::Windows1252 {
                first_invalid,
                byte: bytes[first_invalid],
                text_offset: prefix.len(),
            };
            (text.into_owned(), encoding)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new(
            "x.json".into(),
            "{\n  \"é\": 1,\r\n  \"b\": 2\n}".into(),
            Encoding::Utf8,
            Syntax::Json,
        );
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        let b = f.text.find("\"b\"").unwrap() as u32;
        assert_eq!(f.line_col(b), LineCol { line: 3, column: 3 });
        let one = f.text.find('1').unwrap() as u32;
        assert_eq!(f.line_col(one), LineCol { line: 2, column: 8 });
        assert_eq!(f.line_text(2), "  \"é\": 1,");
        assert_eq!(f.offset_of(2, 8), one as usize);
    }

    #[test]
    fn columns_in_long_lines_match_counting_from_the_line_start() {
        // One long line of mixed one-, two-, three- and four-byte characters, then short lines.
        let mut text = String::new();
        for i in 0..3000 {
            text.push(['a', 'é', '€', '𝄞'][i % 4]);
            if i % 7 == 0 {
                text.push_str("xy");
            }
        }
        text.push_str("\nsecond é line\n\nlast");
        let f = SourceFile::new("x.json".into(), text.clone(), Encoding::Utf8, Syntax::Json);
        let mut line_start = 0;
        let mut line = 1;
        for (offset, c) in text.char_indices() {
            let expected = text[line_start..offset].chars().count() as u32 + 1;
            let lc = f.line_col(offset as u32);
            assert_eq!(
                lc,
                LineCol {
                    line,
                    column: expected
                },
                "at byte {offset}"
            );
            assert_eq!(f.offset_of(line as usize, expected as usize), offset);
            if c == '\n' {
                line += 1;
                line_start = offset + 1;
            }
        }
        // Inside a character: the column of that character; past the end: clamped.
        let euro = text.find('€').unwrap();
        assert_eq!(f.line_col(euro as u32 + 1), f.line_col(euro as u32));
        assert_eq!(f.offset_of(4, 99), text.len());
        assert_eq!(f.offset_of(9, 1), text.len());
    }

    #[test]
    fn decoding_reports_what_it_did() {
        assert_eq!(
            decode(b"\xEF\xBB\xBF{}".to_vec()),
            ("{}".to_string(), Encoding::Utf8Bom)
        );
        assert_eq!(decode(b"{}".to_vec()).1, Encoding::Utf8);
        let (text, enc) = decode(b"{\"a\": \"caf\xE9 \x93x\x94\"}".to_vec());
        assert_eq!(text, "{\"a\": \"café “x”\"}");
        assert_eq!(
            enc,
            Encoding::Windows1252 {
                first_invalid: 10,
                byte: 0xE9,
                text_offset: 10
            }
        );
        let (text, enc) = decode(b"\xFF\xFE{\x00}\x00".to_vec());
        assert_eq!((text.as_str(), enc), ("{}", Encoding::Utf16));
    }
}
