//! YAML documents read into the same [`Node`] tree as JSON, with positions.
//!
//! Uses `yaml-rust2`'s event parser (which reports line and column of every event). Aliases are
//! expanded with a budget so that "billion laughs" documents stop with an error instead of
//! exhausting memory.

use super::json::{RefSite, SyntaxError};
use super::node::{Member, Node, Number, Span, Value};
use super::source::SourceFile;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// What reading a YAML text gives.
#[derive(Debug)]
pub struct Parsed {
    /// The first document's root.
    pub root: Node,
    /// Every `$ref` string.
    pub refs: Vec<RefSite>,
    /// Duplicate keys: (key, first span, second span).
    pub duplicates: Vec<(String, Span, Span)>,
    /// Numbers no double can hold (`.inf`, `.nan`, `1e400`), read as no value.
    pub not_finite: Vec<Span>,
}

/// Limits on what a YAML document may expand to.
#[derive(Debug, Clone, Copy)]
pub struct YamlLimits {
    /// Nesting depth of sequences and mappings.
    pub max_depth: usize,
    /// Total nodes, counting alias expansions.
    pub max_nodes: usize,
}

/// Reads `file.text` as YAML.
pub fn parse(file: &SourceFile, limits: YamlLimits) -> Result<Parsed, SyntaxError> {
    let mut builder = Builder {
        file,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        refs: Vec::new(),
        duplicates: Vec::new(),
        not_finite: Vec::new(),
        nodes: 0,
        limits,
        error: None,
    };
    let mut parser = Parser::new_from_str(&file.text);
    if let Err(e) = parser.load(&mut builder, false) {
        let m = e.marker();
        return Err(SyntaxError {
            offset: file.offset_of(m.line(), m.col() + 1),
            message: format!("invalid YAML: {}", e.info()),
            help: None,
        });
    }
    if let Some(e) = builder.error {
        return Err(e);
    }
    match builder.root {
        Some(root) => Ok(Parsed {
            root,
            refs: builder.refs,
            duplicates: builder.duplicates,
            not_finite: builder.not_finite,
        }),
        None => Err(SyntaxError {
            offset: 0,
            message: "the file is empty: expected a YAML document".into(),
            help: None,
        }),
    }
}

enum Frame {
    Seq(Span, usize, Vec<Node>),
    Map(Span, usize, Vec<Member>, Option<(String, Span)>),
}

struct Builder<'a> {
    file: &'a SourceFile,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    refs: Vec<RefSite>,
    duplicates: Vec<(String, Span, Span)>,
    not_finite: Vec<Span>,
    nodes: usize,
    limits: YamlLimits,
    error: Option<SyntaxError>,
}

impl Builder<'_> {
    fn offset(&self, mark: &Marker) -> usize {
        self.file.offset_of(mark.line(), mark.col() + 1)
    }

    fn fail(&mut self, offset: usize, message: String) {
        if self.error.is_none() {
            self.error = Some(SyntaxError {
                offset,
                message,
                help: Some(
                    "raise the limit if this document is legitimate (docs/limits.md)".into(),
                ),
            });
        }
    }

    fn count(&mut self, n: usize, offset: usize) -> bool {
        self.nodes += n;
        if self.nodes > self.limits.max_nodes {
            let limit = self.limits.max_nodes;
            self.fail(
                offset,
                format!("the YAML document expands to more than {limit} values (aliases included; CONNECTOR_GEN_MAX_YAML_NODES raises the limit)"),
            );
            return false;
        }
        true
    }

    fn push_value(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(_, _, items)) => items.push(node),
            Some(Frame::Map(_, _, members, pending)) => match pending.take() {
                None => {
                    let key = scalar_key(&node);
                    *pending = Some((key, node.span));
                }
                Some((key, key_span)) => {
                    if key == "$ref" {
                        if let Value::String(s) = &node.value {
                            self.refs.push(RefSite {
                                target: s.clone(),
                                span: node.span,
                            });
                        }
                    }
                    if let Some(i) = members.iter().position(|m| m.key == key) {
                        let old = members.remove(i);
                        self.duplicates.push((key.clone(), old.key_span, key_span));
                    }
                    members.push(Member {
                        key,
                        key_span,
                        value: node,
                    });
                }
            },
        }
    }
}

fn scalar_key(node: &Node) -> String {
    match &node.value {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(Number::Int(i)) => i.to_string(),
        Value::Number(Number::UInt(u)) => u.to_string(),
        Value::Number(Number::Float(f)) => f.to_string(),
        // A collection used as a key: keep something stable and visible.
        Value::Array(_) | Value::Object(_) => "<complex key>".into(),
    }
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
fn plain_scalar(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let bytes = s.as_bytes();
    let numeric_start = matches!(bytes[0], b'0'..=b'9' | b'-' | b'+' | b'.');
    if numeric_start {
        if let Ok(i) = s.parse::<i64>() {
            return Value::Number(Number::Int(i));
        }
        if let Some(hex) = s.strip_prefix("0x") {
            if let Ok(i) = i64::from_str_radix(hex, 16) {
                return Value::Number(Number::Int(i));
            }
        }
        if let Some(oct) = s.strip_prefix("0o") {
            if let Ok(i) = i64::from_str_radix(oct, 8) {
                return Value::Number(Number::Int(i));
            }
        }
        let looks_float = s
            .trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
            && s.chars().any(|c| c.is_ascii_digit());
        if looks_float {
            if let Ok(f) = s.parse::<f64>() {
                return Value::Number(Number::Float(f));
            }
        }
    }
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" => Value::Number(Number::Float(f64::INFINITY)),
        "-.inf" | "-.Inf" | "-.INF" => Value::Number(Number::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => Value::Number(Number::Float(f64::NAN)),
        _ => Value::String(s.to_string()),
    }
}

fn node_size(n: &Node) -> usize {
    match &n.value {
        Value::Array(items) => 1 + items.iter().map(node_size).sum::<usize>(),
        Value::Object(m) => 1 + m.iter().map(|m| 1 + node_size(&m.value)).sum::<usize>(),
        _ => 1,
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let at = self.offset(&mark);
        match ev {
            Event::Scalar(text, style, anchor, _tag) => {
                if !self.count(1, at) {
                    return;
                }
                let len = text.len();
                let value = if style == TScalarStyle::Plain {
                    plain_scalar(&text)
                } else {
                    Value::String(text)
                };
                let end = if style == TScalarStyle::Plain {
                    at + len
                } else {
                    at
                };
                if matches!(value, Value::Number(Number::Float(f)) if !f.is_finite()) {
                    self.not_finite
                        .push(Span::new(at, end.min(self.file.text.len())));
                }
                self.push_value(
                    Node::new(Span::new(at, end.min(self.file.text.len())), value),
                    anchor,
                );
            }
            Event::SequenceStart(anchor, _) => {
                if !self.count(1, at) {
                    return;
                }
                if self.stack.len() >= self.limits.max_depth {
                    let d = self.limits.max_depth;
                    self.fail(
                        at,
                        format!("nesting deeper than {d} sequences and mappings (--max-depth or CONNECTOR_GEN_MAX_DEPTH raises the limit)"),
                    );
                    return;
                }
                self.stack
                    .push(Frame::Seq(Span::new(at, at), anchor, Vec::new()));
            }
            Event::MappingStart(anchor, _) => {
                if !self.count(1, at) {
                    return;
                }
                if self.stack.len() >= self.limits.max_depth {
                    let d = self.limits.max_depth;
                    self.fail(
                        at,
                        format!("nesting deeper than {d} sequences and mappings (--max-depth or CONNECTOR_GEN_MAX_DEPTH raises the limit)"),
                    );
                    return;
                }
                self.stack
                    .push(Frame::Map(Span::new(at, at), anchor, Vec::new(), None));
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq(span, anchor, items)) = self.stack.pop() {
                    let node = Node::new(Span::new(span.start as usize, at), Value::Array(items));
                    self.push_value(node, anchor);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map(span, anchor, members, _)) = self.stack.pop() {
                    let node =
                        Node::new(Span::new(span.start as usize, at), Value::Object(members));
                    self.push_value(node, anchor);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(node) => {
                    if self.count(node_size(&node), at) {
                        self.push_value(node, 0);
                    }
                }
                None => self.fail(at, "alias to an unknown anchor".into()),
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::source::{Encoding, Syntax};

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.yaml".into(), text.into(), Encoding::Utf8, Syntax::Yaml)
    }

    const LIMITS: YamlLimits = YamlLimits {
        max_depth: 64,
        max_nodes: 10_000,
    };

    #[test]
    fn reads_yaml_with_positions() {
        let f = file("openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n        '404': {description: \"no\"}\nlist: [1, 2.5, true, ~, x]\n");
        let p = parse(&f, LIMITS).unwrap();
        let root = &p.root;
        assert_eq!(root.get_str("openapi"), Some("3.0.0"));
        let responses = root.pointer("/paths/~1a/get/responses").unwrap();
        let keys: Vec<_> = responses
            .as_object()
            .unwrap()
            .iter()
            .map(|m| m.key.as_str())
            .collect();
        assert_eq!(keys, ["200", "404"]);
        let d = root
            .pointer("/paths/~1a/get/responses/200/description")
            .unwrap();
        assert_eq!(
            f.line_col(d.span.start),
            crate::load::source::LineCol {
                line: 7,
                column: 24
            }
        );
        let list = root.get("list").unwrap().as_array().unwrap();
        assert_eq!(list[0].value, Value::Number(Number::Int(1)));
        assert_eq!(list[1].as_f64(), Some(2.5));
        assert_eq!(list[2].value, Value::Bool(true));
        assert_eq!(list[3].value, Value::Null);
        assert_eq!(list[4].as_str(), Some("x"));
    }

    #[test]
    fn alias_expansion_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse(&file(&text), LIMITS).unwrap_err();
        assert!(
            e.message.contains("expands to more than 10000 values"),
            "{}",
            e.message
        );
    }

    #[test]
    fn errors_have_positions() {
        let f = file("a: 1\nb: [1, 2\nc: 3\n");
        let e = parse(&f, LIMITS).unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert!(f.line_col(e.offset as u32).line >= 2);
    }
}
