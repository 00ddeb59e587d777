//! The value tree every loaded document becomes: JSON and YAML alike, each node with its byte span.

pub use crate::location::{escape_segment, unescape_segment, PointerBuf, Span};
use serde_json::Value as JsonValue;

/// A value of a loaded document, with where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value is written.
    pub span: Span,
    /// The value.
    pub value: Value,
}

/// The shape of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` (or YAML `~`, an empty value).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number; integers that fit are kept exactly.
    Number(Number),
    /// A string.
    String(String),
    /// An array, in order.
    Array(Vec<Node>),
    /// An object, in the order written; keys are unique (the loader keeps the last duplicate).
    Object(Vec<Member>),
}

/// A number as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer that fits in `i64`.
    Int(i64),
    /// An unsigned integer above `i64::MAX`.
    UInt(u64),
    /// Anything else.
    Float(f64),
}

/// One `key: value` of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// A node of `value` at `span`.
    pub fn new(span: Span, value: Value) -> Self {
        Node { span, value }
    }

    /// The members when this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The items when this is an array.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The text when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as `f64` when this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Number(Number::Int(i)) => Some(*i as f64),
            Value::Number(Number::UInt(u)) => Some(*u as f64),
            Value::Number(Number::Float(f)) => Some(*f),
            _ => None,
        }
    }

    /// The number as `u64` when it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.value {
            Value::Number(Number::Int(i)) if *i >= 0 => Some(*i as u64),
            Value::Number(Number::UInt(u)) => Some(*u),
            _ => None,
        }
    }

    /// The member `key` of an object (exact key).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// The member `key` of an object, with its key span.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key == key)
    }

    /// A string member.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    /// The name of the JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// Follows an RFC 6901 JSON pointer (already split into unescaped segments).
    pub fn walk<I, S>(&self, segments: I) -> Option<&Node>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut node = self;
        for seg in segments {
            let seg = seg.as_ref();
            node = match &node.value {
                Value::Object(members) => &members.iter().find(|m| m.key == seg)?.value,
                Value::Array(items) => items.get(parse_index(seg)?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Follows an RFC 6901 JSON pointer string such as `/paths/~1users/get`.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        self.walk(rest.split('/').map(unescape_segment))
    }

    /// The node as a `serde_json::Value` (for defaults, examples and extension values in the model).
    pub fn to_json(&self) -> JsonValue {
        match &self.value {
            Value::Null => JsonValue::Null,
            Value::Bool(b) => JsonValue::Bool(*b),
            Value::Number(Number::Int(i)) => JsonValue::from(*i),
            Value::Number(Number::UInt(u)) => JsonValue::from(*u),
            Value::Number(Number::Float(f)) => serde_json::Number::from_f64(*f)
                .map(JsonValue::Number)
                .unwrap_or(JsonValue::Null),
            Value::String(s) => JsonValue::String(s.clone()),
            Value::Array(items) => JsonValue::Array(items.iter().map(Node::to_json).collect()),
            Value::Object(members) => JsonValue::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.to_json()))
                    .collect(),
            ),
        }
    }
}

pub(crate) fn parse_index(seg: &str) -> Option<usize> {
    if seg.is_empty() || (seg.len() > 1 && seg.starts_with('0')) {
        return None;
    }
    seg.parse().ok()
}
