//! Expressions of policy templates: `@connectionParameters('name'[, 'default'])`,
//! `@queryParameters('name')`, `@headers('name')`, `@body().path` / `@triggerBody().path`
//! (also `{@…}` and `@{…}` inside text) and `@Request.OriginalHTTPMethod`; rendering templates
//! and writing `setproperty` values.

use crate::auth::connection::Connection;
use crate::http::call::Name;
use serde_json::{Map, Value};

/// Why an expression or a property path cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpressionError {
    /// A function that reads a named value was given no name.
    #[error("`{0}` needs the name of a value")]
    NoName(String),
    /// `@connectionParameters('x')` without a default, and the connection has no `x`.
    #[error("the connection has no parameter `{0}`; add it to the connection")]
    MissingParameter(String),
    /// A function the runtime does not evaluate.
    #[error("the expression `@{0}(...)` is not supported")]
    Unsupported(String),
    /// A `setproperty` parent outside the body.
    #[error("the property parent `{0}` is not inside `@body()`")]
    ParentOutsideBody(String),
    /// A property path that cannot be read.
    #[error("cannot read the property path `{0}`")]
    BadPath(String),
    /// A property name that cannot be read.
    #[error("cannot read the property name `{0}`")]
    BadName(String),
    /// A `pollingtrigger` data path that is not one expression.
    #[error("cannot read the data path `{0}`")]
    BadDataPath(String),
}

/// What expressions can read.
pub(super) struct Scope<'a> {
    pub(super) connection: &'a Connection,
    pub(super) query: &'a [(Name, String)],
    pub(super) headers: &'a [(Name, String)],
    pub(super) body: Option<&'a Value>,
    pub(super) method: &'a str,
}

impl<'a> Scope<'a> {
    pub(super) fn new(connection: &'a Connection, method: &'a str) -> Self {
        Scope {
            connection,
            query: &[],
            headers: &[],
            body: None,
            method,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Key {
    Name(String),
    Index(usize),
}

/// One `@function('arg', ...)` with its property path.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Expr {
    function: String,
    args: Vec<String>,
    path: Vec<Key>,
}

/// Parses an expression starting right after its `@`; returns it and the bytes it spans.
pub(super) fn parse_expr(s: &str) -> Option<(Expr, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    if i == 0 {
        return None;
    }
    let function = s[..i].to_ascii_lowercase();
    if function == "request" {
        let rest = &s[i..];
        let member = ".OriginalHTTPMethod";
        return rest
            .get(..member.len())
            .filter(|m| m.eq_ignore_ascii_case(member))
            .map(|_| {
                (
                    Expr {
                        function: "request.method".into(),
                        args: Vec::new(),
                        path: Vec::new(),
                    },
                    i + member.len(),
                )
            });
    }
    if b.get(i) != Some(&b'(') {
        return None;
    }
    i += 1;
    let mut args = Vec::new();
    loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match b.get(i)? {
            b')' => {
                i += 1;
                break;
            }
            b',' => i += 1,
            b'\'' => {
                let (arg, used) = quoted(&s[i..])?;
                args.push(arg);
                i += used;
            }
            _ => return None,
        }
    }
    let mut path = Vec::new();
    if matches!(function.as_str(), "body" | "item" | "triggerbody") {
        let (keys, used) = parse_path(&s[i..]);
        path = keys;
        i += used;
    }
    Some((
        Expr {
            function,
            args,
            path,
        },
        i,
    ))
}

/// A single-quoted string (`''` is a quote inside it) and the bytes it spans.
pub(super) fn quoted(s: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                out.push('\'');
            } else {
                return Some((out, i + 1));
            }
        } else {
            out.push(c);
        }
    }
    None
}

/// A property path: `.name`, `['name']`, `[0]`, repeated; and the bytes it spans.
pub(super) fn parse_path(s: &str) -> (Vec<Key>, usize) {
    let b = s.as_bytes();
    let mut keys = Vec::new();
    let mut i = 0;
    loop {
        match b.get(i) {
            Some(b'.') => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && !matches!(b[j], b'.' | b'[' | b'}' | b'\'' | b' ' | b')') {
                    j += 1;
                }
                if j == start {
                    break;
                }
                keys.push(Key::Name(s[start..j].to_string()));
                i = j;
            }
            Some(b'[') if b.get(i + 1) == Some(&b'\'') => {
                let Some((name, used)) = quoted(&s[i + 1..]) else {
                    break;
                };
                if b.get(i + 1 + used) != Some(&b']') {
                    break;
                }
                keys.push(Key::Name(name));
                i += used + 2;
            }
            Some(b'[') => {
                let digits = s[i + 1..].bytes().take_while(u8::is_ascii_digit).count();
                if digits == 0 || b.get(i + 1 + digits) != Some(&b']') {
                    break;
                }
                let Ok(n) = s[i + 1..i + 1 + digits].parse() else {
                    break;
                };
                keys.push(Key::Index(n));
                i += digits + 2;
            }
            _ => break,
        }
    }
    (keys, i)
}

pub(super) fn lookup<'v>(
    pairs: &'v [(Name, String)],
    name: &str,
    ignore_case: bool,
) -> Option<&'v str> {
    pairs
        .iter()
        .find(|(k, _)| {
            if ignore_case {
                k.eq_ignore_ascii_case(name)
            } else {
                k == name
            }
        })
        .map(|(_, v)| v.as_str())
}

/// The value of an expression.
pub(super) fn eval(e: &Expr, scope: &Scope) -> Result<Value, ExpressionError> {
    let arg = |n: usize| e.args.get(n).map(String::as_str);
    let name = || arg(0).ok_or_else(|| ExpressionError::NoName(e.function.clone()));
    let text = |v: Option<&str>| Value::String(v.or(arg(1)).unwrap_or_default().to_string());
    Ok(match e.function.as_str() {
        "connectionparameters" => {
            let name = name()?;
            match scope.connection.parameter(name) {
                Some(v) => Value::String(v.expose().to_string()),
                None => match arg(1) {
                    Some(default) => Value::String(default.to_string()),
                    None => return Err(ExpressionError::MissingParameter(name.to_string())),
                },
            }
        }
        "queryparameters" => text(lookup(scope.query, name()?, false)),
        "headers" => text(lookup(scope.headers, name()?, true)),
        "request.method" => Value::String(scope.method.to_string()),
        "body" | "triggerbody" => {
            let mut at = scope.body.unwrap_or(&Value::Null);
            for k in &e.path {
                at = match (k, at) {
                    (Key::Name(n), Value::Object(m)) => m.get(n).unwrap_or(&Value::Null),
                    (Key::Index(i), Value::Array(a)) => a.get(*i).unwrap_or(&Value::Null),
                    _ => &Value::Null,
                };
            }
            at.clone()
        }
        other => return Err(ExpressionError::Unsupported(other.to_string())),
    })
}

pub(super) fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A template with its expressions replaced by their values: as text, or as JSON text
/// (`json`, for templates that are JSON once filled in).
pub(super) fn render(template: &str, scope: &Scope, json: bool) -> Result<String, ExpressionError> {
    let mut out = String::new();
    let mut rest = template;
    loop {
        let Some(at) = rest.find('@') else {
            out.push_str(rest);
            return Ok(out);
        };
        // `@{expr}` and `{@expr}` wrap an expression; `@expr` stands alone. `(start, end)`
        // is the span replaced.
        let found = if rest[at + 1..].starts_with('{') {
            parse_expr(&rest[at + 2..])
                .filter(|(_, n)| rest[at + 2 + n..].starts_with('}'))
                .map(|(e, n)| (e, at, at + 2 + n + 1))
        } else {
            parse_expr(&rest[at + 1..]).map(|(e, n)| {
                let end = at + 1 + n;
                if at > 0 && rest.as_bytes()[at - 1] == b'{' && rest[end..].starts_with('}') {
                    (e, at - 1, end + 1)
                } else {
                    (e, at, end)
                }
            })
        };
        let Some((e, start, end)) = found else {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            continue;
        };
        let v = eval(&e, scope)?;
        out.push_str(&rest[..start]);
        out.push_str(&if json { v.to_string() } else { as_text(&v) });
        rest = &rest[end..];
    }
}

/// The value a `setproperty` writes: an expression alone gives its JSON value; a template that
/// is JSON once filled in gives that JSON; anything else is text.
pub(super) fn property_value(template: &str, scope: &Scope) -> Result<Value, ExpressionError> {
    let t = template.trim();
    let inner = t
        .strip_prefix("{@")
        .and_then(|s| s.strip_suffix('}'))
        .or_else(|| t.strip_prefix("@{").and_then(|s| s.strip_suffix('}')))
        .or_else(|| t.strip_prefix('@'));
    if let Some((e, n)) = inner.and_then(parse_expr) {
        if n == inner.map_or(0, str::len) {
            return eval(&e, scope);
        }
    }
    if t.starts_with('[') || t.starts_with('{') {
        if let Ok(v) = serde_json::from_str(&render(t, scope, true)?) {
            return Ok(v);
        }
    }
    render(template, scope, false).map(Value::String)
}

/// Writes `value` at `parent` (`@body()` and a path) + `sub` (a name or a path), creating
/// objects on the way; a parent that is an array gets the property on each item.
pub(super) fn set_property(
    body: &mut Value,
    parent: &str,
    sub: &str,
    value: Value,
) -> Result<(), ExpressionError> {
    let p = parent.trim();
    let p = p.strip_prefix('@').unwrap_or(p);
    let p = p
        .get(..6)
        .filter(|head| head.eq_ignore_ascii_case("body()"))
        .map(|_| &p[6..])
        .ok_or_else(|| ExpressionError::ParentOutsideBody(parent.to_string()))?;
    let (parent_path, used) = parse_path(p);
    if used != p.len() {
        return Err(ExpressionError::BadPath(parent.to_string()));
    }
    let sub = sub.trim();
    let dotted = if sub.starts_with('[') {
        sub.to_string()
    } else {
        format!(".{sub}")
    };
    let (sub_path, used) = parse_path(&dotted);
    if used != dotted.len() || sub_path.is_empty() {
        return Err(ExpressionError::BadName(sub.to_string()));
    }
    let target = walk(body, &parent_path);
    match target {
        Value::Array(items) => {
            for item in items {
                write(item, &sub_path, value.clone());
            }
        }
        other => write(other, &sub_path, value),
    }
    Ok(())
}

/// The value at `path`, made (as objects) where missing.
fn walk<'v>(mut at: &'v mut Value, path: &[Key]) -> &'v mut Value {
    for k in path {
        at = match k {
            Key::Index(i) if at.as_array().is_some_and(|a| *i < a.len()) => &mut at[*i],
            Key::Index(_) => return at,
            Key::Name(n) => {
                if !at.is_object() {
                    *at = Value::Object(Map::new());
                }
                let Value::Object(map) = at else { return at };
                map.entry(n.clone()).or_insert(Value::Null)
            }
        };
    }
    at
}

fn write(at: &mut Value, path: &[Key], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let holder = walk(at, parents);
    match last {
        Key::Name(n) => {
            if !holder.is_object() {
                *holder = Value::Object(Map::new());
            }
            if let Value::Object(map) = holder {
                map.insert(n.clone(), value);
            }
        }
        Key::Index(i) => {
            if let Some(slot) = holder.as_array_mut().and_then(|a| a.get_mut(*i)) {
                *slot = value;
            }
        }
    }
}
