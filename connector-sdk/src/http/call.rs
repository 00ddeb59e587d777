//! Describing and building one request: the operation (a constant in generated code, built from
//! the model on the dynamic path) and the values given for its parameters.

use crate::Error;
use serde::Serialize;
use serde_json::Value;

/// A name the runtime keeps: borrowed from generated code's constants, or owned when an
/// operation is built at run time from a definition (`connector-gen call`, `watch`, `serve`).
pub type Name = std::borrow::Cow<'static, str>;

/// What the runtime needs to know of an operation to call it. Generated code writes it as a
/// constant of `&'static str`s (the default); an operation built at run time holds [`Name`]s
/// ([`OperationSpec::owned`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationSpec<S = &'static str> {
    /// `operationId`.
    pub id: S,
    /// HTTP method, upper case.
    pub method: S,
    /// Path template relative to the base URL, e.g. `/projects/{projectId}/tasks`.
    pub path: S,
}

impl OperationSpec<Name> {
    /// An operation described at run time.
    pub fn owned(
        id: impl Into<String>,
        method: impl Into<String>,
        path: impl Into<String>,
    ) -> Self {
        OperationSpec {
            id: Name::Owned(id.into()),
            method: Name::Owned(method.into()),
            path: Name::Owned(path.into()),
        }
    }
}

impl From<OperationSpec> for OperationSpec<Name> {
    fn from(s: OperationSpec) -> Self {
        OperationSpec {
            id: Name::Borrowed(s.id),
            method: Name::Borrowed(s.method),
            path: Name::Borrowed(s.path),
        }
    }
}

/// `x-ms-url-encoding` of a path parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathEncoding {
    /// Percent-encoded once.
    Single,
    /// Percent-encoded twice (the platform's default).
    Double,
}

/// How an array parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayFormat {
    /// `a,b,c` (Swagger `csv`, OpenAPI `form` without explode).
    Csv,
    /// `a b c`.
    Ssv,
    /// `a\tb\tc`.
    Tsv,
    /// `a|b|c`.
    Pipes,
    /// One `name=value` per item (`multi`, OpenAPI `form` with explode).
    Multi,
}

impl ArrayFormat {
    /// Its Swagger 2.0 `collectionFormat`.
    pub fn collection_format(self) -> &'static str {
        match self {
            ArrayFormat::Csv => "csv",
            ArrayFormat::Ssv => "ssv",
            ArrayFormat::Tsv => "tsv",
            ArrayFormat::Pipes => "pipes",
            ArrayFormat::Multi => "multi",
        }
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// JSON.
    Json(Value),
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<(String, String)>),
    /// `multipart/form-data` parts: (name, file name, bytes or text).
    Multipart(Vec<Part>),
    /// Raw bytes with a content type.
    Bytes(Vec<u8>, String),
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Field name.
    pub name: String,
    /// File name, for file parts.
    pub file_name: Option<String>,
    /// Content.
    pub data: Vec<u8>,
}

/// One request being built.
#[derive(Debug, Clone)]
pub struct Call {
    /// The operation.
    pub spec: OperationSpec<Name>,
    // Names are generated `&'static str`s (borrowed, not copied) or owned by run-time callers.
    pub(crate) path: Vec<(Name, String, PathEncoding)>,
    pub(crate) query: Vec<(Name, String)>,
    pub(crate) headers: Vec<(Name, String)>,
    pub(crate) body: Option<Body>,
    /// The base URL a `dynamichosturl` policy gave.
    pub(crate) base_url: Option<String>,
    /// The path (filled in and encoded) a `routerequesttoendpoint` policy gave.
    pub(crate) route: Option<String>,
    /// The method a `routerequesttoendpoint` policy gave.
    pub(crate) method: Option<String>,
    /// The first value that could not be written: reported when the call is sent.
    pub(crate) error: Option<String>,
}

/// A parameter value as text: strings as they are, numbers and booleans printed, `null` absent,
/// objects as JSON text. Arrays are handled by the callers.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        other => owned_scalar(other.clone()),
    }
}

/// [`scalar`] of a value given away: a string is moved, not copied.
fn owned_scalar(v: Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s);
    out
}

/// The bytes RFC 3986 leaves unreserved: letters, digits, `-`, `.`, `_`, `~`.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        i += 1;
    }
    table
};

/// [`encode_component`] appended to `out`.
pub(crate) fn encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Most names and values need no escape: copied whole.
    if s.bytes().all(|b| UNRESERVED[usize::from(b)]) {
        out.push_str(s);
        return;
    }
    for b in s.bytes() {
        if UNRESERVED[usize::from(b)] {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

impl Call {
    /// A request for `spec` (a generated constant, or an [`OperationSpec::owned`]) with no
    /// values yet.
    pub fn new(spec: impl Into<OperationSpec<Name>>) -> Self {
        Call {
            spec: spec.into(),
            path: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            base_url: None,
            route: None,
            method: None,
            error: None,
        }
    }

    /// The HTTP method sent: the operation's, unless a policy routes the call elsewhere.
    pub fn method(&self) -> &str {
        self.method.as_deref().unwrap_or(&self.spec.method)
    }

    /// The value as JSON; a value that cannot be written is remembered (the first one) and
    /// reported by [`Call::check`] when the call is sent.
    fn value<T: Serialize + ?Sized>(&mut self, name: &str, v: &T) -> Option<Value> {
        match serde_json::to_value(v) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error
                    .get_or_insert_with(|| format!("parameter `{name}` cannot be written: {e}"));
                None
            }
        }
    }

    /// The call, or the error of the first value that could not be written. Setters do not
    /// fail one by one; sending checks.
    pub fn check(self) -> Result<Call, Error> {
        match &self.error {
            Some(message) => Err(Error::Request {
                operation: self.spec.id.to_string(),
                message: message.clone(),
            }),
            None => Ok(self),
        }
    }

    /// Sets a path parameter.
    pub fn path<T: Serialize + ?Sized>(
        &mut self,
        name: impl Into<Name>,
        value: &T,
        encoding: PathEncoding,
    ) -> &mut Self {
        let name = name.into();
        let Some(v) = self.value(&name, value) else {
            return self;
        };
        let text = match &v {
            Value::Array(items) => items
                .iter()
                .filter_map(scalar)
                .collect::<Vec<_>>()
                .join(","),
            _ => owned_scalar(v).unwrap_or_default(),
        };
        self.path.push((name, text, encoding));
        self
    }

    /// Adds a query parameter (`None`/`null` values are left out).
    pub fn query<T: Serialize + ?Sized>(
        &mut self,
        name: impl Into<Name>,
        value: &T,
        format: ArrayFormat,
    ) -> &mut Self {
        let name = name.into();
        let Some(v) = self.value(&name, value) else {
            return self;
        };
        match v {
            Value::Array(items) => {
                let texts: Vec<String> = items.iter().filter_map(scalar).collect();
                match format {
                    ArrayFormat::Multi => self
                        .query
                        .extend(texts.into_iter().map(|t| (name.clone(), t))),
                    _ => {
                        let sep = match format {
                            ArrayFormat::Ssv => " ",
                            ArrayFormat::Tsv => "\t",
                            ArrayFormat::Pipes => "|",
                            _ => ",",
                        };
                        self.query.push((name, texts.join(sep)));
                    }
                }
            }
            other => {
                if let Some(t) = owned_scalar(other) {
                    self.query.push((name, t));
                }
            }
        }
        self
    }

    /// Sets the query parameter `name` to `value`, replacing the values it had.
    pub fn set_query(&mut self, name: &str, value: &str) -> &mut Self {
        self.query.retain(|(k, _)| *k != name);
        self.query
            .push((Name::Owned(name.to_string()), value.to_string()));
        self
    }

    /// Adds a header (`None`/`null` values are left out; arrays are comma-separated).
    pub fn header<T: Serialize + ?Sized>(&mut self, name: impl Into<Name>, value: &T) -> &mut Self {
        let name = name.into();
        let Some(v) = self.value(&name, value) else {
            return self;
        };
        let text = match v {
            Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(scalar)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            other => owned_scalar(other),
        };
        if let Some(t) = text {
            self.headers.push((name, t));
        }
        self
    }

    /// Sets a JSON body (`None`/`null`: no body).
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        let Some(v) = self.value("body", body) else {
            return self;
        };
        self.body = (!v.is_null()).then_some(Body::Json(v));
        self
    }

    /// Sets the string at `path` (property names from the root) inside the JSON body, creating
    /// the objects on the way: how a webhook trigger's callback URL reaches a body property.
    pub fn set_body_field(&mut self, path: &[&str], value: &str) -> &mut Self {
        let mut body = match self.body.take() {
            Some(Body::Json(v)) if v.is_object() => v,
            _ => Value::Object(Default::default()),
        };
        let mut at = &mut body;
        for (i, key) in path.iter().enumerate() {
            if !at.is_object() {
                *at = Value::Object(Default::default());
            }
            let Value::Object(map) = at else { break };
            if i + 1 == path.len() {
                map.insert(key.to_string(), Value::String(value.to_string()));
                break;
            }
            at = map
                .entry(key.to_string())
                .or_insert_with(|| Value::Object(Default::default()));
        }
        self.body = Some(Body::Json(body));
        self
    }

    /// Adds a form field (url-encoded unless a file part makes the body multipart).
    pub fn form<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        let Some(v) = self.value(name, value) else {
            return self;
        };
        let Some(text) = owned_scalar(v) else {
            return self;
        };
        match &mut self.body {
            Some(Body::Form(fields)) => fields.push((name.to_string(), text)),
            Some(Body::Multipart(parts)) => parts.push(Part {
                name: name.to_string(),
                file_name: None,
                data: text.into_bytes(),
            }),
            _ => self.body = Some(Body::Form(vec![(name.to_string(), text)])),
        }
        self
    }

    /// Adds every member of an object (a struct of form fields) as a form field.
    pub fn form_fields<T: Serialize + ?Sized>(&mut self, fields: &T) -> &mut Self {
        if let Some(Value::Object(members)) = self.value("body", fields) {
            for (k, v) in &members {
                self.form(k, v);
            }
        }
        self
    }

    /// Makes the body `multipart/form-data`, as an operation that consumes it expects even
    /// without a file: fields added before and after become parts.
    pub fn multipart(&mut self) -> &mut Self {
        match &mut self.body {
            Some(Body::Multipart(_)) => {}
            Some(Body::Form(fields)) => {
                let parts = fields
                    .drain(..)
                    .map(|(n, v)| Part {
                        name: n,
                        file_name: None,
                        data: v.into_bytes(),
                    })
                    .collect();
                self.body = Some(Body::Multipart(parts));
            }
            _ => self.body = Some(Body::Multipart(Vec::new())),
        }
        self
    }

    /// Adds a file part; the body becomes `multipart/form-data`.
    pub fn file(&mut self, name: &str, file_name: &str, data: Vec<u8>) -> &mut Self {
        let part = Part {
            name: name.to_string(),
            file_name: Some(file_name.to_string()),
            data,
        };
        if let Some(Body::Multipart(parts)) = &mut self.multipart().body {
            parts.push(part);
        }
        self
    }

    /// Sets a raw body.
    pub fn bytes(&mut self, data: Vec<u8>, content_type: &str) -> &mut Self {
        self.body = Some(Body::Bytes(data, content_type.to_string()));
        self
    }

    /// Appends the operation's path template to `out`, each value encoded as its parameter
    /// says.
    fn fill_path(&self, out: &mut String) -> Result<(), Error> {
        let template: &str = &self.spec.path;
        let broken = |why: &str| {
            Error::Request {
            operation: self.spec.id.to_string(),
            message: format!(
                "the path template `{template}` {why}; no URL is made of it (the definition must be fixed)"
            ),
        }
        };
        let mut rest = template;
        loop {
            let (open, close) = (rest.find('{'), rest.find('}'));
            let (open, close) = match (open, close) {
                (None, None) => break,
                (Some(o), Some(c)) if o < c => (o, c),
                (Some(_), None) => return Err(broken("has a `{` that is never closed")),
                (None, Some(_)) | (Some(_), Some(_)) => {
                    return Err(broken("has a `}` that closes nothing"))
                }
            };
            let name = &rest[open + 1..close];
            if name.contains('{') {
                return Err(broken("has a `{` inside a parameter name"));
            }
            out.push_str(&rest[..open]);
            let (_, value, encoding) =
                self.path
                    .iter()
                    .find(|(n, _, _)| n == name)
                    .ok_or_else(|| Error::Request {
                        operation: self.spec.id.to_string(),
                        message: format!("the path parameter `{name}` has no value"),
                    })?;
            match encoding {
                PathEncoding::Single => encode_into(out, value),
                PathEncoding::Double => encode_into(out, &encode_component(value)),
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        Ok(())
    }

    /// Sends the request to `base_url` instead of the connection's: for an operation its
    /// definition serves from another host (an OpenAPI operation's own `servers`). A client
    /// made with `Client::with_base_url` still sends everything to its base URL.
    pub fn server(&mut self, base_url: &str) -> &mut Self {
        self.base_url = Some(base_url.trim_end_matches('/').to_string());
        self
    }

    /// The URL of the request: the base URL, the path template filled in (each value encoded as
    /// its parameter says), and the query string.
    pub fn url(&self, base_url: &str) -> Result<String, Error> {
        let base_url = self.base_url.as_deref().unwrap_or(base_url);
        let base = base_url.trim_end_matches('/');
        let mut url = String::with_capacity(base.len() + self.spec.path.len() + 64);
        url.push_str(base);
        let path_start = url.len();
        match &self.route {
            Some(route) => url.push_str(route),
            None => self.fill_path(&mut url)?,
        }
        if !url[path_start..].starts_with('/') {
            url.insert(path_start, '/');
        }
        let mut has_query = url[path_start..].contains('?');
        for (k, v) in &self.query {
            url.push(if has_query { '&' } else { '?' });
            has_query = true;
            encode_into(&mut url, k);
            url.push('=');
            encode_into(&mut url, v);
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: OperationSpec = OperationSpec {
        id: "GetFile",
        method: "GET",
        path: "/folders/{folder}/files/{name}",
    };

    #[test]
    fn path_templating_honours_single_and_double_encoding() {
        let mut c = Call::new(SPEC);
        c.path("folder", "a/b c", PathEncoding::Double);
        c.path("name", "r&d.txt", PathEncoding::Single);
        c.query("tags", &["x", "y z"], ArrayFormat::Csv);
        c.query("id", &[1, 2], ArrayFormat::Multi);
        c.query("skip", &Option::<i32>::None, ArrayFormat::Csv);
        assert_eq!(
            c.url("https://api.example/v1/").unwrap(),
            "https://api.example/v1/folders/a%252Fb%2520c/files/r%26d.txt?tags=x%2Cy%20z&id=1&id=2"
        );
    }

    #[test]
    fn a_path_template_with_unbalanced_braces_makes_no_url() {
        for (path, why) in [
            ("/a/{id", "never closed"),
            ("/a/id}", "closes nothing"),
            ("/a/}{id}", "closes nothing"),
            ("/a/{x{id}", "inside a parameter name"),
        ] {
            let mut c = Call::new(OperationSpec {
                id: "Get",
                method: "GET",
                path,
            });
            c.path("id", "1", PathEncoding::Single);
            let e = c.url("https://api.example").unwrap_err().to_string();
            assert!(e.contains(why) && e.contains(path), "{path}: {e}");
        }
    }

    #[test]
    fn a_callback_url_is_written_into_the_body() {
        let mut c = Call::new(SPEC);
        c.json(&serde_json::json!({"events": ["created"]}));
        c.set_body_field(&["notification", "url"], "https://hooks.example/1");
        assert_eq!(
            c.body,
            Some(Body::Json(serde_json::json!({
                "events": ["created"],
                "notification": {"url": "https://hooks.example/1"}
            })))
        );
        // No body yet, or `None`: an object is made.
        let mut c = Call::new(SPEC);
        c.json(&Option::<u8>::None);
        assert_eq!(c.body, None);
        c.set_body_field(&["callbackUrl"], "u");
        assert_eq!(
            c.body,
            Some(Body::Json(serde_json::json!({"callbackUrl": "u"})))
        );
    }

    #[test]
    fn a_multipart_operation_sends_parts_even_without_a_file() {
        let text = |name: &str, data: &str| Part {
            name: name.into(),
            file_name: None,
            data: data.into(),
        };
        // Declared first, as generated code does: every field is a part.
        let mut c = Call::new(SPEC);
        c.multipart();
        c.form("title", "Plan");
        c.form_fields(&serde_json::json!({"size": 3}));
        assert_eq!(
            c.body,
            Some(Body::Multipart(vec![
                text("title", "Plan"),
                text("size", "3")
            ]))
        );
        // Fields written before are turned into parts; a file joins them.
        let mut c = Call::new(SPEC);
        c.form("title", "Plan");
        c.file("file", "a.txt", b"hi".to_vec());
        let file = Part {
            name: "file".into(),
            file_name: Some("a.txt".into()),
            data: b"hi".to_vec(),
        };
        assert_eq!(
            c.body,
            Some(Body::Multipart(vec![text("title", "Plan"), file]))
        );
        // Without it, form fields are url-encoded.
        let mut c = Call::new(SPEC);
        c.form("title", "Plan");
        assert_eq!(
            c.body,
            Some(Body::Form(vec![("title".into(), "Plan".into())]))
        );
    }

    #[test]
    fn a_value_that_cannot_be_written_fails_the_call_naming_it() {
        let mut c = Call::new(SPEC);
        let mut odd = std::collections::BTreeMap::new();
        odd.insert(vec![1u8], 1u8);
        c.query("filter", &odd, ArrayFormat::Csv);
        c.query("top", &5, ArrayFormat::Csv);
        let e = c.check().unwrap_err();
        assert!(
            e.to_string()
                .starts_with("GetFile: parameter `filter` cannot be written"),
            "{e}"
        );
    }

    #[test]
    fn a_missing_path_value_is_an_error_naming_it() {
        let c = Call::new(SPEC);
        let e = c.url("https://api.example").unwrap_err();
        assert_eq!(
            e.to_string(),
            "GetFile: the path parameter `folder` has no value"
        );
    }
}
