//! A tolerant JSON reader that keeps the byte span of every value.
//!
//! Real connector definitions are not always strict JSON. What can be read without guessing
//! (trailing commas, duplicate keys, comments) is read and reported as a [`Tolerance`]; what cannot
//! (a missing comma, a stray brace, a raw control character inside a string) stops with a
//! [`SyntaxError`] that says where and what was expected.

use super::node::{Member, Node, Number, Span, Value};
use std::collections::HashMap;

/// Something the reader accepted although strict JSON forbids it.
#[derive(Debug, Clone, PartialEq)]
pub enum Tolerance {
    /// A comma before `]` or `}`.
    TrailingComma(Span),
    /// A key written twice in one object; the later value is kept.
    DuplicateKey {
        /// The key.
        key: String,
        /// The earlier (dropped) occurrence.
        first: Span,
        /// The later (kept) occurrence.
        second: Span,
    },
    /// A `//` or `/* */` comment.
    Comment(Span),
    /// A number beyond what a double can hold (`1e400`): read as no value.
    NotFinite(Span),
}

/// Why a text could not be read as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Where reading stopped (byte offset).
    pub offset: usize,
    /// What was wrong, e.g. "expected `,` or `}` after an object member, found `\"`".
    pub message: String,
    /// What to do about it, when that is known.
    pub help: Option<String>,
}

/// A `"$ref": "..."` seen while reading.
#[derive(Debug, Clone, PartialEq)]
pub struct RefSite {
    /// The reference text.
    pub target: String,
    /// Where the reference string is written.
    pub span: Span,
}

/// What reading a JSON text gives.
#[derive(Debug)]
pub struct Parsed {
    /// The document's root value.
    pub root: Node,
    /// What was accepted although not strict JSON.
    pub tolerances: Vec<Tolerance>,
    /// Every `$ref` string in the document.
    pub refs: Vec<RefSite>,
}

/// Reads `text` as JSON. `max_depth` bounds the nesting of arrays and objects.
pub fn parse(text: &str, max_depth: usize) -> Result<Parsed, SyntaxError> {
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
        max_depth,
        tolerances: Vec::new(),
        refs: Vec::new(),
    };
    p.skip_ws()?;
    if p.pos >= p.src.len() {
        return Err(p.error(
            "the file is empty: expected a JSON value",
            Some("a definition file holds one JSON object"),
        ));
    }
    let root = p.value()?;
    p.skip_ws()?;
    if p.pos < p.src.len() {
        return Err(p.error(
            &format!(
                "unexpected {} after the end of the JSON document",
                p.describe_here()
            ),
            Some("the document's outermost value ends earlier: look for an extra `}` or `]` above this point"),
        ));
    }
    Ok(Parsed {
        root,
        tolerances: p.tolerances,
        refs: p.refs,
    })
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
    max_depth: usize,
    tolerances: Vec<Tolerance>,
    refs: Vec<RefSite>,
}

impl<'a> Parser<'a> {
    /// The 1-based line of a byte offset (only computed for messages).
    fn line_of(&self, offset: usize) -> usize {
        self.src[..offset.min(self.src.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn error(&self, message: &str, help: Option<&str>) -> SyntaxError {
        SyntaxError {
            offset: self.pos.min(self.src.len()),
            message: message.to_string(),
            help: help.map(str::to_string),
        }
    }

    /// Names what stands at the current position, for messages.
    fn describe_here(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "end of file".to_string(),
            Some(c) if c.is_control() => format!("control character U+{:04X}", c as u32),
            Some(c) if !c.is_ascii() && c.is_whitespace() => {
                format!("non-ASCII white space U+{:04X}", c as u32)
            }
            Some(c) => format!("`{c}`"),
        }
    }

    fn skip_ws(&mut self) -> Result<(), SyntaxError> {
        loop {
            match self.src.get(self.pos) {
                Some(b' ' | b'\n' | b'\r' | b'\t') => self.pos += 1,
                Some(b'/') => self.comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn comment(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        match self.src.get(self.pos + 1) {
            Some(b'/') => {
                while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                    self.pos += 1;
                }
            }
            Some(b'*') => {
                self.pos += 2;
                loop {
                    if self.pos + 1 >= self.src.len() {
                        self.pos = start;
                        return Err(self.error("unterminated `/*` comment", None));
                    }
                    if self.src[self.pos] == b'*' && self.src[self.pos + 1] == b'/' {
                        self.pos += 2;
                        break;
                    }
                    self.pos += 1;
                }
            }
            _ => return Err(self.error("unexpected `/`: expected a JSON value", None)),
        }
        self.tolerances
            .push(Tolerance::Comment(Span::new(start, self.pos)));
        Ok(())
    }

    fn value(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        match self.src.get(self.pos) {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node::new(Span::new(start, self.pos), Value::String(s)))
            }
            Some(b't') => self.keyword("true", Value::Bool(true)),
            Some(b'f') => self.keyword("false", Value::Bool(false)),
            Some(b'n') => self.keyword("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'\'') => Err(self.error(
                "unexpected `'`: JSON strings use double quotes",
                Some("replace the single quotes with double quotes"),
            )),
            _ => Err(self.error(
                &format!("expected a JSON value, found {}", self.describe_here()),
                None,
            )),
        }
    }

    fn keyword(&mut self, word: &str, value: Value) -> Result<Node, SyntaxError> {
        let start = self.pos;
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node::new(Span::new(start, self.pos), value))
        } else {
            Err(self.error(
                &format!("expected a JSON value, found {}", self.describe_here()),
                Some("strings need double quotes; the literals are `true`, `false` and `null`"),
            ))
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(self.error(
                &format!("nesting deeper than {} arrays and objects", self.max_depth),
                Some("raise the limit with --max-depth (or CONNECTOR_GEN_MAX_DEPTH) if this document is legitimate"),
            ));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        let mut index: Option<HashMap<String, usize>> = None;
        self.skip_ws()?;
        if self.src.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Node::new(
                Span::new(start, self.pos),
                Value::Object(members),
            ));
        }
        loop {
            // A key.
            let key_start = self.pos;
            match self.src.get(self.pos) {
                Some(b'"') => {}
                Some(b'}') => {
                    return Err(self.error("expected an object key after `,`", None));
                }
                _ => {
                    return Err(self.error(
                        &format!(
                            "expected a double-quoted object key, found {}",
                            self.describe_here()
                        ),
                        None,
                    ))
                }
            }
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_ws()?;
            if self.src.get(self.pos) != Some(&b':') {
                return Err(self.error(
                    &format!(
                        "expected `:` after the object key, found {}",
                        self.describe_here()
                    ),
                    None,
                ));
            }
            self.pos += 1;
            self.skip_ws()?;
            let value = self.value()?;
            if key == "$ref" {
                if let Value::String(s) = &value.value {
                    self.refs.push(RefSite {
                        target: s.clone(),
                        span: value.span,
                    });
                }
            }
            self.insert(
                &mut members,
                &mut index,
                Member {
                    key,
                    key_span,
                    value,
                },
            );
            self.skip_ws()?;
            match self.src.get(self.pos) {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws()?;
                    if self.src.get(self.pos) == Some(&b'}') {
                        self.tolerances
                            .push(Tolerance::TrailingComma(Span::new(comma, comma + 1)));
                        self.pos += 1;
                        break;
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    let prev_end = members.last().map_or(start, |m| m.value.span.end as usize);
                    let help = format!(
                        "a comma is probably missing after the previous member, which ends on line {}",
                        self.line_of(prev_end)
                    );
                    return Err(self.error(
                        &format!(
                            "expected `,` or `}}` after an object member, found {}",
                            self.describe_here()
                        ),
                        Some(&help),
                    ));
                }
            }
        }
        self.depth -= 1;
        // The tree lives as long as the file is checked: no room left over in its lists (an
        // object of five members would keep eight places).
        members.shrink_to_fit();
        Ok(Node::new(
            Span::new(start, self.pos),
            Value::Object(members),
        ))
    }

    /// Adds a member, keeping the last of duplicate keys (at the later position).
    fn insert(
        &mut self,
        members: &mut Vec<Member>,
        index: &mut Option<HashMap<String, usize>>,
        member: Member,
    ) {
        const LINEAR_LIMIT: usize = 16;
        let existing = match index {
            Some(map) => map.get(&member.key).copied(),
            None => {
                let found = members.iter().position(|m| m.key == member.key);
                if found.is_none() && members.len() >= LINEAR_LIMIT {
                    let map = members
                        .iter()
                        .enumerate()
                        .map(|(i, m)| (m.key.clone(), i))
                        .collect();
                    *index = Some(map);
                }
                found
            }
        };
        if let Some(i) = existing {
            let old = members.remove(i);
            self.tolerances.push(Tolerance::DuplicateKey {
                key: member.key.clone(),
                first: old.key_span,
                second: member.key_span,
            });
            if let Some(map) = index {
                for v in map.values_mut() {
                    if *v > i {
                        *v -= 1;
                    }
                }
            }
        }
        if let Some(map) = index {
            map.insert(member.key.clone(), members.len());
        }
        members.push(member);
    }

    fn array(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws()?;
        if self.src.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Node::new(Span::new(start, self.pos), Value::Array(items)));
        }
        loop {
            if self.src.get(self.pos) == Some(&b']') {
                return Err(self.error("expected a value after `,`", None));
            }
            items.push(self.value()?);
            self.skip_ws()?;
            match self.src.get(self.pos) {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws()?;
                    if self.src.get(self.pos) == Some(&b']') {
                        self.tolerances
                            .push(Tolerance::TrailingComma(Span::new(comma, comma + 1)));
                        self.pos += 1;
                        break;
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    let prev_end = items.last().map_or(start, |i| i.span.end as usize);
                    let help = format!(
                        "a comma is probably missing after the previous item, which ends on line {}",
                        self.line_of(prev_end)
                    );
                    return Err(self.error(
                        &format!(
                            "expected `,` or `]` after an array item, found {}",
                            self.describe_here()
                        ),
                        Some(&help),
                    ));
                }
            }
        }
        self.depth -= 1;
        items.shrink_to_fit();
        Ok(Node::new(Span::new(start, self.pos), Value::Array(items)))
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let content_start = self.pos;
        // Fast path: no escapes.
        while let Some(&b) = self.src.get(self.pos) {
            match b {
                b'"' => {
                    let s = self.text[content_start..self.pos].to_string();
                    self.pos += 1;
                    return Ok(s);
                }
                b'\\' => break,
                0..=0x1f => return Err(self.control_char_error()),
                _ => self.pos += 1,
            }
        }
        let mut out = String::from(&self.text[content_start..self.pos]);
        loop {
            let Some(&b) = self.src.get(self.pos) else {
                self.pos = open;
                return Err(self.error(
                    "unterminated string: no closing `\"` before the end of the file",
                    None,
                ));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let esc_start = self.pos;
                    self.pos += 1;
                    let c = match self.src.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let hi = self.hex4(esc_start)?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.src.get(self.pos) == Some(&b'\\')
                                    && self.src.get(self.pos + 1) == Some(&b'u')
                                {
                                    self.pos += 2;
                                    let lo = self.hex4(esc_start)?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        char::from_u32(
                                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                                        )
                                    } else {
                                        None
                                    }
                                } else {
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            // A lone surrogate cannot be held in UTF-8 text; keep the replacement
                            // character, as other readers do.
                            out.push(c.unwrap_or('\u{FFFD}'));
                            continue;
                        }
                        _ => {
                            self.pos = esc_start;
                            return Err(self.error(
                                "invalid escape in a string",
                                Some("the JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write a backslash as \\\\"),
                            ));
                        }
                    };
                    out.push(c);
                    self.pos += 1;
                }
                0..=0x1f => return Err(self.control_char_error()),
                _ => {
                    // Copy a run of plain bytes at once.
                    let run_start = self.pos;
                    while let Some(&b) = self.src.get(self.pos) {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    out.push_str(&self.text[run_start..self.pos]);
                }
            }
        }
    }

    fn control_char_error(&self) -> SyntaxError {
        let b = self.src[self.pos];
        let (name, esc) = match b {
            b'\t' => ("a raw tab", "\\t"),
            b'\n' => ("a raw line break", "\\n"),
            b'\r' => ("a raw carriage return", "\\r"),
            _ => ("a raw control character", "\\u00XX"),
        };
        self.error(
            &format!("{name} inside a string"),
            Some(&format!(
                "write it as `{esc}`, or close the string if a `\"` is missing"
            )),
        )
    }

    fn hex4(&mut self, esc_start: usize) -> Result<u32, SyntaxError> {
        let digits = self.src.get(self.pos..self.pos + 4);
        let value = digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .filter(|_| digits.is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit)));
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => {
                self.pos = esc_start;
                Err(self.error("invalid `\\u` escape: expected four hex digits", None))
            }
        }
    }

    fn number(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        let s = self.src;
        let mut i = self.pos;
        if s.get(i) == Some(&b'-') {
            i += 1;
        }
        let int_start = i;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let int_digits = i - int_start;
        let bad = |p: &mut Self, at: usize, msg: &str| {
            p.pos = at;
            Err(p.error(msg, None))
        };
        if int_digits == 0 {
            return bad(self, i, "expected a digit in the number");
        }
        if int_digits > 1 && s[int_start] == b'0' {
            return bad(self, int_start, "numbers cannot start with a leading zero");
        }
        let mut is_float = false;
        if s.get(i) == Some(&b'.') {
            is_float = true;
            i += 1;
            let frac = i;
            while s.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == frac {
                return bad(self, i, "expected a digit after the decimal point");
            }
        }
        if matches!(s.get(i), Some(b'e' | b'E')) {
            is_float = true;
            i += 1;
            if matches!(s.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let exp = i;
            while s.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == exp {
                return bad(self, i, "expected a digit in the exponent");
            }
        }
        let text = &self.text[start..i];
        let number = if is_float {
            Number::Float(text.parse().unwrap_or(f64::NAN))
        } else if let Ok(v) = text.parse::<i64>() {
            Number::Int(v)
        } else if let Ok(v) = text.parse::<u64>() {
            Number::UInt(v)
        } else {
            Number::Float(text.parse().unwrap_or(f64::NAN))
        };
        self.pos = i;
        if matches!(number, Number::Float(f) if !f.is_finite()) {
            self.tolerances
                .push(Tolerance::NotFinite(Span::new(start, i)));
        }
        Ok(Node::new(Span::new(start, i), Value::Number(number)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Parsed {
        parse(text, 64).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn reads_values_with_spans() {
        let p = ok(r#" {"a": [1, -2.5e3, "x\u00e9\ud83d\ude00", true, null], "b": {}} "#);
        let a = p.root.get("a").unwrap();
        assert_eq!(a.span, Span::new(7, 53));
        let items = a.as_array().unwrap();
        assert_eq!(items[0].value, Value::Number(Number::Int(1)));
        assert_eq!(items[1].as_f64(), Some(-2500.0));
        assert_eq!(items[2].as_str(), Some("xé😀"));
        assert_eq!(p.root.get("b").unwrap().as_object().unwrap().len(), 0);
        assert!(p.tolerances.is_empty());
    }

    #[test]
    fn trailing_commas_and_comments_are_tolerated_and_reported() {
        let p = ok("{\"a\": [1, 2,], // note\n \"b\": 1,}");
        assert_eq!(p.tolerances.len(), 3);
        assert!(matches!(p.tolerances[0], Tolerance::TrailingComma(s) if s == Span::new(11, 12)));
        assert!(matches!(p.tolerances[1], Tolerance::Comment(_)));
    }

    #[test]
    fn duplicate_keys_keep_the_last_and_name_both() {
        let p = ok(r#"{"a": 1, "b": 2, "a": 3}"#);
        let members = p.root.as_object().unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(p.root.get("a").unwrap().as_u64(), Some(3));
        assert_eq!(
            p.tolerances,
            vec![Tolerance::DuplicateKey {
                key: "a".into(),
                first: Span::new(1, 4),
                second: Span::new(17, 20)
            }]
        );
    }

    #[test]
    fn duplicate_keys_in_large_objects_are_found() {
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{i}\": {i},"));
        }
        text.push_str("\"k3\": 99, \"k39\": 100}");
        let p = ok(&text);
        assert_eq!(p.root.as_object().unwrap().len(), 40);
        assert_eq!(p.root.get("k3").unwrap().as_u64(), Some(99));
        assert_eq!(p.root.get("k39").unwrap().as_u64(), Some(100));
        assert_eq!(p.tolerances.len(), 2);
    }

    #[test]
    fn unrecoverable_errors_say_where_and_what() {
        let e = parse("{\"a\": 1\n \"b\": 2}", 64).unwrap_err();
        assert_eq!(e.offset, 9);
        assert!(e
            .message
            .starts_with("expected `,` or `}` after an object member"));
        let e = parse("{\"a\": \"x\ty\"}", 64).unwrap_err();
        assert_eq!(
            (e.offset, e.message.as_str()),
            (8, "a raw tab inside a string")
        );
        let e = parse("{\"a\": 1}}", 64).unwrap_err();
        assert_eq!(e.offset, 8);
        let e = parse("", 64).unwrap_err();
        assert!(e.message.contains("empty"));
        let e = parse("{\"a\": 01}", 64).unwrap_err();
        assert!(e.message.contains("leading zero"));
        let e = parse("[[[[1]]]]", 3).unwrap_err();
        assert!(e.message.contains("nesting deeper than 3"));
        let e = parse("{\"a\" \"b\"}", 64).unwrap_err();
        assert!(e.message.starts_with("expected `:`"));
        let e = parse("\"abc", 64).unwrap_err();
        assert!(e.message.starts_with("unterminated string"));
    }

    #[test]
    fn refs_are_collected() {
        let p = ok(r##"{"a": {"$ref": "#/definitions/X"}, "b": [{"$ref": "other.json#/Y"}]}"##);
        let targets: Vec<_> = p.refs.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(targets, ["#/definitions/X", "other.json#/Y"]);
    }

    #[test]
    fn pointers_resolve() {
        let p = ok(r#"{"paths": {"/a/b": {"get": {"x": [10, 20]}}}}"#);
        assert_eq!(
            p.root
                .pointer("/paths/~1a~1b/get/x/1")
                .and_then(Node::as_u64),
            Some(20)
        );
        assert!(p.root.pointer("/paths/nope").is_none());
        assert!(p.root.pointer("/paths/~1a~1b/get/x/01").is_none());
    }
}
