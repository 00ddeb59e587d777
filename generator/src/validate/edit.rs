//! Edits of a definition's text made from its tree: what rules' fixes are built of.
//!
//! Only JSON files in UTF-8 are edited: a JSON node's span is exactly its text, so an edit
//! touches nothing else — formatting, key order and comments around it stay as written. (YAML
//! spans of quoted scalars and block collections are not exact; YAML files get findings without
//! fixes.) New members copy the indentation and line ending of their neighbours.

use crate::diagnostics::fix::Edit;
use crate::load::node::{Member, Node, Span};
use crate::load::source::{Encoding, SourceFile, Sources, Syntax};
use crate::location::FileId;

/// Makes edits of one file.
pub struct Editor<'a> {
    file: FileId,
    src: &'a SourceFile,
    /// Where the text starts among the bytes on disk (3 after a byte-order mark).
    base: usize,
}

impl<'a> Editor<'a> {
    /// An editor of `file`, when it is JSON in UTF-8 (with or without a byte-order mark) and was
    /// parsed.
    pub fn new(sources: &'a Sources, file: FileId) -> Option<Editor<'a>> {
        let src = sources.get(file);
        let base = match src.encoding {
            Encoding::Utf8 => 0,
            Encoding::Utf8Bom => 3,
            Encoding::Utf16 | Encoding::Windows1252 { .. } => return None,
        };
        (src.syntax == Syntax::Json && src.root.is_some()).then_some(Editor { file, src, base })
    }

    /// The node at a JSON pointer.
    pub fn node(&self, pointer: &str) -> Option<&'a Node> {
        self.src.node_at(pointer)
    }

    /// Replaces `span` of the text with `text`.
    pub fn replace(&self, span: Span, text: impl Into<String>) -> Edit {
        Edit {
            file: self.file,
            start: self.base + span.start as usize,
            end: self.base + span.end as usize,
            text: text.into(),
        }
    }

    /// Writes `value` in place of `node`.
    pub fn set_value(&self, node: &Node, value: &serde_json::Value) -> Edit {
        self.replace(node.span, value.to_string())
    }

    /// Renames a member's key.
    pub fn rename_key(&self, member: &Member, key: &str) -> Edit {
        self.replace(member.key_span, serde_json::Value::from(key).to_string())
    }

    /// Sets member `key` of `object` to `value`: its value replaced when it is there, else a new
    /// member (see [`Editor::insert_member`]).
    pub fn set_member(
        &self,
        object: &Node,
        key: &str,
        value: &serde_json::Value,
        after: &[&str],
    ) -> Option<Edit> {
        match object.member(key) {
            Some(m) => Some(self.set_value(&m.value, value)),
            None => self.insert_member(object, key, value, after),
        }
    }

    /// Adds member `key: value` to `object`: after the last written of the members named in
    /// `after`, else after the last member. The new member gets the line break and indentation
    /// of the member it follows, or a space in a one-line object.
    pub fn insert_member(
        &self,
        object: &Node,
        key: &str,
        value: &serde_json::Value,
        after: &[&str],
    ) -> Option<Edit> {
        let members = object.as_object()?;
        let pair = format!("{}: {value}", serde_json::Value::from(key));
        let Some(last) = members.last() else {
            // `{}` (or `{ }`): the member right after the brace.
            let at = object.span.start as usize + 1;
            return Some(self.replace(Span::new(at, at), pair));
        };
        let prev = members
            .iter()
            .rev()
            .find(|m| after.contains(&m.key.as_str()))
            .unwrap_or(last);
        let sep = self.separator(prev.key_span);
        let end = prev.value.span.end as usize;
        Some(self.replace(Span::new(end, end), format!(",{sep}{pair}")))
    }

    /// Removes member `key` of `object` with its comma.
    pub fn remove_member(&self, object: &Node, key: &str) -> Option<Edit> {
        let members = object.as_object()?;
        let k = members.iter().position(|m| m.key == key)?;
        let span = if let Some(next) = members.get(k + 1) {
            Span::new(
                members[k].key_span.start as usize,
                next.key_span.start as usize,
            )
        } else if k > 0 {
            Span::new(
                members[k - 1].value.span.end as usize,
                members[k].value.span.end as usize,
            )
        } else {
            Span::new(
                members[k].key_span.start as usize,
                members[k].value.span.end as usize,
            )
        };
        Some(self.replace(span, ""))
    }

    /// What goes between two members like the one whose key is at `key`: a line break and its
    /// indentation when the key starts its line, else a space.
    fn separator(&self, key: Span) -> String {
        let text = &self.src.text;
        let start = key.start as usize;
        // Through the line index, not a search back: a minified definition is one line of
        // megabytes, and a fix is offered for every finding.
        let line_start = self.src.line_start(key.start);
        let indent = &text[line_start..start];
        if line_start == 0 || !indent.chars().all(|c| c == ' ' || c == '\t') {
            return " ".to_string();
        }
        let crlf = text[..line_start].ends_with("\r\n");
        format!("{}{indent}", if crlf { "\r\n" } else { "\n" })
    }

    /// The file.
    pub fn file(&self) -> FileId {
        self.file
    }
}

/// Removes the UTF-8 byte-order mark of `file` (an edit of its first three bytes).
pub fn remove_bom(sources: &Sources, file: FileId) -> Option<Edit> {
    (sources.get(file).encoding == Encoding::Utf8Bom).then_some(Edit {
        file,
        start: 0,
        end: 3,
        text: String::new(),
    })
}

/// Applies non-overlapping edits to `bytes` (the file on disk).
pub fn apply(bytes: &[u8], edits: &[&Edit]) -> Vec<u8> {
    let mut sorted: Vec<&&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut at = 0;
    for e in sorted {
        let start = e.start.clamp(at, bytes.len());
        out.extend_from_slice(&bytes[at..start]);
        out.extend_from_slice(e.text.as_bytes());
        at = e.end.clamp(start, bytes.len());
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::source::SourceFile;

    fn sources(text: &str) -> (Sources, FileId) {
        let mut s = Sources::default();
        let mut f = SourceFile::new(
            "a.json".into(),
            text.to_string(),
            Encoding::Utf8,
            Syntax::Json,
        );
        f.root = Some(crate::load::json::parse(text, 64).unwrap().root);
        let id = s.add(f);
        (s, id)
    }

    fn edited(text: &str, f: impl Fn(&Editor<'_>) -> Edit) -> String {
        let (s, id) = sources(text);
        let ed = Editor::new(&s, id).unwrap();
        let e = f(&ed);
        String::from_utf8(apply(text.as_bytes(), &[&e])).unwrap()
    }

    #[test]
    fn members_are_added_like_their_neighbours() {
        let v = serde_json::json!(true);
        let text = "{\n    \"name\": \"id\",\n    \"in\": \"path\" // kept\n}";
        let out = edited(text, |ed| {
            ed.insert_member(ed.node("").unwrap(), "required", &v, &[])
                .unwrap()
        });
        assert_eq!(
            out,
            "{\n    \"name\": \"id\",\n    \"in\": \"path\",\n    \"required\": true // kept\n}"
        );
        let out = edited(text, |ed| {
            ed.insert_member(ed.node("").unwrap(), "required", &v, &["name", "x"])
                .unwrap()
        });
        assert_eq!(
            out,
            "{\n    \"name\": \"id\",\n    \"required\": true,\n    \"in\": \"path\" // kept\n}"
        );
        let crlf = "{\r\n  \"a\": 1\r\n}";
        let out = edited(crlf, |ed| {
            ed.insert_member(ed.node("").unwrap(), "b", &v, &[])
                .unwrap()
        });
        assert_eq!(out, "{\r\n  \"a\": 1,\r\n  \"b\": true\r\n}");
        assert_eq!(
            edited("{\"a\": 1}", |ed| ed
                .insert_member(ed.node("").unwrap(), "b", &v, &[])
                .unwrap()),
            "{\"a\": 1, \"b\": true}"
        );
        assert_eq!(
            edited("{ }", |ed| ed
                .insert_member(ed.node("").unwrap(), "b", &v, &[])
                .unwrap()),
            "{\"b\": true }"
        );
    }

    #[test]
    fn members_are_removed_with_their_comma() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}";
        let rm = |key: &'static str| {
            edited(text, move |ed| {
                ed.remove_member(ed.node("").unwrap(), key).unwrap()
            })
        };
        assert_eq!(rm("a"), "{\n  \"b\": 2,\n  \"c\": 3\n}");
        assert_eq!(rm("b"), "{\n  \"a\": 1,\n  \"c\": 3\n}");
        assert_eq!(rm("c"), "{\n  \"a\": 1,\n  \"b\": 2\n}");
        assert_eq!(
            edited("{\"a\": 1}", |ed| ed
                .remove_member(ed.node("").unwrap(), "a")
                .unwrap()),
            "{}"
        );
    }

    #[test]
    fn keys_and_values_are_replaced_in_place() {
        let text = "{\"x-ms-visibilty\" :\t\"Advanced\"}";
        let out = edited(text, |ed| {
            let root = ed.node("").unwrap();
            ed.rename_key(&root.as_object().unwrap()[0], "x-ms-visibility")
        });
        assert_eq!(out, "{\"x-ms-visibility\" :\t\"Advanced\"}");
        let out = edited(text, |ed| {
            ed.set_value(ed.node("/x-ms-visibilty").unwrap(), &"advanced".into())
        });
        assert_eq!(out, "{\"x-ms-visibilty\" :\t\"advanced\"}");
    }

    #[test]
    fn edits_apply_in_order_and_keep_everything_else() {
        let bytes = b"0123456789";
        let e = |s, e, t: &str| Edit {
            file: FileId(0),
            start: s,
            end: e,
            text: t.into(),
        };
        let (a, b, c) = (e(8, 9, "X"), e(0, 1, ""), e(4, 4, "++"));
        assert_eq!(apply(bytes, &[&a, &b, &c]), b"123++4567X9");
        assert!(e(4, 4, "a").overlaps(&e(4, 4, "b")));
        assert!(e(1, 2, "").overlaps(&e(2, 3, "")));
        assert!(!e(1, 2, "").overlaps(&e(3, 4, "")));
    }
}
