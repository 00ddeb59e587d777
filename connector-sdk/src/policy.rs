//! Policy templates (`policyTemplateInstances` of `apiProperties.json`) applied at run time, as
//! the platform applies them between the caller and the service.
//!
//! Implemented: `setheader`, `setqueryparameter`, `dynamichosturl`, `routerequesttoendpoint`,
//! `updatenextlink` and `setproperty`. Any other template (and an instance missing a parameter
//! it needs) is listed by [`Policies::not_applied`] and reported once when a client takes the
//! policies, never skipped silently.
//!
//! Templates hold expressions: `@connectionParameters('name'[, 'default'])`,
//! `@queryParameters('name')`, `@headers('name')`, `@body().path` (also written `{@body().a}`
//! inside text and `@{...}`), and `@Request.OriginalHTTPMethod`.

use crate::call::{encode_component, Body, Call, PathEncoding};
use crate::client::Response;
use crate::connection::Connection;
use crate::Error;
use serde_json::{Map, Value};

const PARAM: &str = "x-ms-apimTemplateParameter.";

/// Which side of the call a policy changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Request,
    Response,
}

/// `existsAction` of setheader and setqueryparameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exists {
    /// Replace the values already there.
    Override,
    /// Add a value beside those already there.
    Append,
    /// Leave a value already there alone.
    Skip,
}

#[derive(Debug, Clone)]
enum Rule {
    /// `pollingtrigger`: applied by the trigger runtime, not to requests.
    Polling(PollingTemplate),
    SetHeader {
        name: String,
        value: String,
        exists: Exists,
        section: Section,
    },
    SetQuery {
        name: String,
        value: String,
        exists: Exists,
    },
    HostUrl {
        template: String,
    },
    Route {
        path: String,
        method: Option<String>,
    },
    NextLink {
        property: String,
    },
    SetProperty {
        parent: String,
        sub: String,
        value: String,
        section: Section,
    },
}

#[derive(Debug, Clone)]
struct Instance {
    template: String,
    operations: Vec<String>,
    rule: Rule,
}

impl Instance {
    fn applies_to(&self, operation: &str) -> bool {
        self.operations.is_empty() || self.operations.iter().any(|o| o == operation)
    }
}

/// The policy templates of a connector, ready to apply.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    instances: Vec<Instance>,
    not_applied: Vec<String>,
}

impl Policies {
    /// Policies from JSON text: an array of policy template instances, or a whole
    /// `apiProperties.json` (its `properties.policyTemplateInstances`).
    pub fn from_json(text: &str) -> Result<Policies, Error> {
        let value: Value = serde_json::from_str(text).map_err(|e| Error::Request {
            operation: String::new(),
            message: format!("the policy templates are not JSON: {e}"),
        })?;
        Ok(Policies::from_value(&value))
    }

    /// Policies from a JSON value (see [`Policies::from_json`]); an entry that is not an object
    /// with a `templateId` is listed by [`Policies::not_applied`].
    pub fn from_value(value: &Value) -> Policies {
        let list = value
            .pointer("/properties/policyTemplateInstances")
            .unwrap_or(value);
        let mut out = Policies::default();
        let Some(items) = list.as_array() else {
            if !list.is_null() {
                out.not_applied
                    .push("the policy templates are not a list".to_string());
            }
            return out;
        };
        for (i, item) in items.iter().enumerate() {
            match instance(item) {
                Ok(instance) => out.instances.push(instance),
                Err(why) => {
                    let id = item.get("templateId").and_then(Value::as_str);
                    out.not_applied.push(match id {
                        Some(id) => format!("`{id}`: {why}"),
                        None => format!("policy template #{}: {why}", i + 1),
                    });
                }
            }
        }
        out
    }

    /// True when there is nothing to apply and nothing to report.
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty() && self.not_applied.is_empty()
    }

    /// The templates this runtime does not apply, each with its name and why.
    pub fn not_applied(&self) -> &[String] {
        &self.not_applied
    }

    fn for_operation<'a>(&'a self, operation: &'a str) -> impl Iterator<Item = &'a Instance> + 'a {
        self.instances
            .iter()
            .filter(move |i| i.applies_to(operation))
    }

    /// The base URL of `operation` when a `dynamichosturl` gives it from the connection alone
    /// (for deciding where followed links may carry the credential).
    pub(crate) fn base_url(&self, operation: &str, connection: &Connection) -> Option<String> {
        self.for_operation(operation).find_map(|i| match &i.rule {
            Rule::HostUrl { template } => {
                let scope = Scope::new(connection, "GET");
                render(template, &scope, false).ok().map(trim_base)
            }
            _ => None,
        })
    }

    /// The headers the request policies of `operation` set, for a followed link (a next page, a
    /// `Location` polled) on the connector's own origin.
    pub(crate) fn follow_headers(
        &self,
        operation: &'static str,
        connection: &Connection,
    ) -> Result<Vec<(String, String)>, Error> {
        let call = Call::new(crate::OperationSpec {
            id: operation,
            method: "GET",
            path: "",
        });
        Ok(self.apply(call, connection, true, true)?.headers)
    }

    /// Applies the request side of the policies of the call's operation, in written order;
    /// `fixed_base`: the client sends to a base URL of its own, `dynamichosturl` is not used.
    pub(crate) fn apply_request(
        &self,
        call: Call,
        connection: &Connection,
        fixed_base: bool,
    ) -> Result<Call, Error> {
        self.apply(call, connection, false, fixed_base)
    }

    fn apply(
        &self,
        mut call: Call,
        connection: &Connection,
        headers_only: bool,
        fixed_base: bool,
    ) -> Result<Call, Error> {
        let operation = call.spec.id;
        for inst in self.for_operation(operation) {
            let sets_header = match &inst.rule {
                Rule::SetHeader { .. } => true,
                Rule::SetProperty { parent, .. } => parent
                    .trim()
                    .trim_start_matches('@')
                    .eq_ignore_ascii_case("headers()"),
                _ => false,
            };
            if (headers_only && !sets_header)
                || (fixed_base && matches!(inst.rule, Rule::HostUrl { .. }))
            {
                continue;
            }
            let fail = |message: String| Error::Policy {
                operation: operation.to_string(),
                template: inst.template.clone(),
                message,
            };
            let body = match &call.body {
                Some(Body::Json(v)) => Some(v.clone()),
                _ => None,
            };
            let method = call.method().to_string();
            let scope = Scope {
                connection,
                query: &call.query,
                headers: &call.headers,
                body: body.as_ref(),
                method: &method,
            };
            match &inst.rule {
                Rule::SetHeader {
                    name,
                    value,
                    exists,
                    section: Section::Request,
                } => {
                    let value = render(value, &scope, false).map_err(fail)?;
                    set_pair(&mut call.headers, name, value, *exists, true);
                }
                Rule::SetHeader { .. } | Rule::NextLink { .. } | Rule::Polling(_) => {}
                Rule::SetQuery {
                    name,
                    value,
                    exists,
                } => {
                    let value = render(value, &scope, false).map_err(fail)?;
                    set_pair(&mut call.query, name, value, *exists, false);
                }
                Rule::HostUrl { template } => {
                    let url = render(template, &scope, false).map_err(fail)?;
                    if !(url.starts_with("https://") || url.starts_with("http://")) {
                        return Err(fail(format!(
                            "the host URL `{url}` does not start with https:// or http://; check the connection parameters it is made of"
                        )));
                    }
                    call.base_url = Some(trim_base(url));
                }
                Rule::Route { path, method } => {
                    // Placeholders are encoded in the path; query values stay as they are (the
                    // URL encodes them once).
                    let filled = match path.split_once('?') {
                        Some((p, q)) => format!(
                            "{}?{}",
                            fill_placeholders(p, &call, true),
                            fill_placeholders(q, &call, false)
                        ),
                        None => fill_placeholders(path, &call, true),
                    };
                    let scope = Scope {
                        connection,
                        query: &call.query,
                        headers: &call.headers,
                        body: body.as_ref(),
                        method: &method_of(&call),
                    };
                    let rendered = render(&filled, &scope, false).map_err(fail)?;
                    let (path, query) = match rendered.split_once('?') {
                        Some((p, q)) => (p.to_string(), Some(q.to_string())),
                        None => (rendered, None),
                    };
                    if let Some(m) = method {
                        let m = render(m, &scope, false).map_err(fail)?.to_ascii_uppercase();
                        call.method = Some(m);
                    }
                    for pair in query.iter().flat_map(|q| q.split('&')) {
                        if pair.is_empty() {
                            continue;
                        }
                        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                        set_pair(&mut call.query, k, v.to_string(), Exists::Override, false);
                    }
                    call.route = Some(path);
                }
                Rule::SetProperty {
                    parent,
                    sub,
                    value,
                    section: Section::Request,
                } => {
                    let new = property_value(value, &scope).map_err(fail)?;
                    // `@headers()` and `@queryParameters()` as the parent set a header or a
                    // query parameter.
                    let p = parent.trim().trim_start_matches('@').to_ascii_lowercase();
                    if p == "headers()" || p == "queryparameters()" {
                        let pairs = if p == "headers()" {
                            &mut call.headers
                        } else {
                            &mut call.query
                        };
                        let sub = sub.trim().trim_start_matches("['").trim_end_matches("']");
                        set_pair(
                            pairs,
                            sub,
                            as_text(&new),
                            Exists::Override,
                            p == "headers()",
                        );
                        continue;
                    }
                    let mut body = body.unwrap_or_else(|| Value::Object(Map::new()));
                    set_property(&mut body, parent, sub, new).map_err(fail)?;
                    call.body = Some(Body::Json(body));
                }
                Rule::SetProperty { .. } => {}
            }
        }
        Ok(call)
    }

    /// Applies the response side of the policies of `operation`: headers set, JSON properties
    /// set, next links made absolute on the connector's base URL.
    pub(crate) fn apply_response(
        &self,
        response: &mut Response,
        connection: &Connection,
        base_url: &str,
    ) -> Result<(), Error> {
        let operation = response.operation;
        let mut json: Option<Value> = None;
        let mut changed = false;
        for inst in self.for_operation(operation) {
            let fail = |message: String| Error::Policy {
                operation: operation.to_string(),
                template: inst.template.clone(),
                message,
            };
            match &inst.rule {
                Rule::SetHeader {
                    name,
                    value,
                    exists,
                    section: Section::Response,
                } => {
                    let scope = Scope::new(connection, "GET");
                    let value = render(value, &scope, false).map_err(fail)?;
                    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|e| fail(format!("`{name}` is not a header name: {e}")))?;
                    let value = reqwest::header::HeaderValue::from_str(&value)
                        .map_err(|e| fail(format!("not a header value: {e}")))?;
                    let headers = &mut response.headers;
                    match exists {
                        Exists::Skip if headers.contains_key(&name) => {}
                        Exists::Append => {
                            headers.append(name, value);
                        }
                        _ => {
                            headers.insert(name, value);
                        }
                    }
                }
                Rule::SetProperty {
                    parent,
                    sub,
                    value,
                    section: Section::Response,
                } => {
                    let Some(body) = parsed(&mut json, &response.body) else {
                        continue;
                    };
                    let scope = Scope {
                        body: Some(&*body),
                        ..Scope::new(connection, "GET")
                    };
                    let new = property_value(value, &scope).map_err(fail)?;
                    set_property(body, parent, sub, new).map_err(fail)?;
                    changed = true;
                }
                Rule::NextLink { property } => {
                    let Some(Value::Object(map)) = parsed(&mut json, &response.body) else {
                        continue;
                    };
                    if let Some(Value::String(link)) = map.get_mut(property) {
                        let absolute =
                            reqwest::Url::parse(&format!("{base_url}/")).and_then(|b| b.join(link));
                        if let Ok(url) = absolute {
                            *link = url.to_string();
                            changed = true;
                        }
                    }
                }
                _ => {}
            }
        }
        if changed {
            if let Some(v) = json {
                response.body = serde_json::to_vec(&v).unwrap_or_default();
            }
        }
        Ok(())
    }
}

/// The JSON of a response body, parsed once; `None` when the body is not JSON.
fn parsed<'a>(json: &'a mut Option<Value>, body: &[u8]) -> Option<&'a mut Value> {
    if json.is_none() {
        *json = serde_json::from_slice(body).ok();
    }
    json.as_mut()
}

fn trim_base(url: String) -> String {
    url.trim_end_matches('/').to_string()
}

fn method_of(call: &Call) -> String {
    call.method().to_string()
}

/// Reads one `policyTemplateInstances` entry.
fn instance(item: &Value) -> Result<Instance, String> {
    let id = item
        .get("templateId")
        .and_then(Value::as_str)
        .ok_or("no `templateId`")?;
    let params = item.get("parameters").and_then(Value::as_object);
    let get = |name: &str| -> Option<&Value> {
        params.and_then(|p| {
            p.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    };
    let text = |name: &str| -> Option<String> {
        get(&format!("{PARAM}{name}")).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        })
    };
    let need = |name: &str| text(name).ok_or(format!("no `{PARAM}{name}` parameter"));
    let operations = match get("x-ms-apimTemplate-operationName") {
        Some(Value::Array(ops)) => ops
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(op)) => vec![op.clone()],
        _ => Vec::new(),
    };
    let section = match get("x-ms-apimTemplate-policySection").and_then(Value::as_str) {
        Some(s) if s.eq_ignore_ascii_case("response") => Section::Response,
        _ => Section::Request,
    };
    let exists = || match text("existsAction").as_deref().map(str::to_ascii_lowercase) {
        Some(a) if a == "append" => Ok(Exists::Append),
        Some(a) if a == "skip" => Ok(Exists::Skip),
        Some(a) if a == "override" => Ok(Exists::Override),
        None => Ok(Exists::Override),
        Some(a) => Err(format!("unknown existsAction `{a}`")),
    };
    let rule = match id.to_ascii_lowercase().as_str() {
        "setheader" => Rule::SetHeader {
            name: need("name")?,
            value: need("value")?,
            exists: exists()?,
            section,
        },
        "setqueryparameter" => {
            if section == Section::Response {
                return Err("a query parameter cannot be set on a response".into());
            }
            Rule::SetQuery {
                name: need("name")?,
                value: need("value")?,
                exists: exists()?,
            }
        }
        "dynamichosturl" => Rule::HostUrl {
            template: need("urlTemplate")?,
        },
        "routerequesttoendpoint" => Rule::Route {
            path: need("newPath")?,
            method: text("httpMethod")
                .filter(|m| !m.eq_ignore_ascii_case("@Request.OriginalHTTPMethod")),
        },
        "pollingtrigger" => {
            let data_path = need("triggerDataPath")?;
            let config = match get(&format!("{PARAM}triggerConfig")) {
                Some(Value::Object(m)) => m
                    .iter()
                    .filter(|(k, _)| !k.is_empty())
                    .map(|(k, v)| {
                        let text = match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        (k.clone(), text)
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Rule::Polling(PollingTemplate { config, data_path })
        }
        "updatenextlink" => Rule::NextLink {
            property: need("nextLinkPropertyName")?,
        },
        "setproperty" => Rule::SetProperty {
            parent: need("newPropertyParentPathTemplate")?,
            sub: need("newPropertySubPathTemplate")?,
            value: need("propertyValuePathTemplate")?,
            section,
        },
        _ => return Err("not implemented by this runtime".into()),
    };
    Ok(Instance {
        template: id.to_string(),
        operations,
        rule,
    })
}

/// A `pollingtrigger` policy: the operation becomes a polling trigger whose events are the items
/// at `data_path` of each answer, and whose state is the query parameters `config` computes from
/// the last answer with data (e.g. `after` = `@{triggerBody().files[0].created}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollingTemplate {
    /// Query parameters of the next poll: name → template over `triggerBody()`.
    pub config: Vec<(String, String)>,
    /// Where the events are in the answer (`@triggerBody().data`).
    pub data_path: String,
}

impl PollingTemplate {
    /// The events of an answer: the items at the data path (a single value is one event; absent
    /// or null, none).
    pub fn events(&self, body: &Value) -> Result<Vec<Value>, String> {
        let conn = Connection::new("");
        let scope = Scope {
            body: Some(body),
            ..Scope::new(&conn, "GET")
        };
        let t = self.data_path.trim();
        let inner = t.strip_prefix('@').unwrap_or(t);
        let inner = inner
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(inner);
        let (e, n) = parse_expr(inner).ok_or(format!("cannot read the data path `{t}`"))?;
        if n != inner.len() {
            return Err(format!("cannot read the data path `{t}`"));
        }
        Ok(match eval(&e, &scope)? {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            other => vec![other],
        })
    }

    /// The query parameters of the next poll, computed from an answer with data.
    pub fn next_query(&self, body: &Value) -> Result<Vec<(String, String)>, String> {
        let conn = Connection::new("");
        let scope = Scope {
            body: Some(body),
            ..Scope::new(&conn, "GET")
        };
        self.config
            .iter()
            .map(|(k, t)| render(t, &scope, false).map(|v| (k.clone(), v)))
            .collect()
    }
}

impl Policies {
    /// The `pollingtrigger` policy of `operation`, if it has one.
    pub fn polling(&self, operation: &str) -> Option<&PollingTemplate> {
        self.instances
            .iter()
            .filter(|i| i.applies_to(operation))
            .find_map(|i| match &i.rule {
                Rule::Polling(p) => Some(p),
                _ => None,
            })
    }
}

/// Sets a name/value pair in a header or query list by `exists`.
fn set_pair(
    pairs: &mut Vec<(String, String)>,
    name: &str,
    value: String,
    exists: Exists,
    ignore_case: bool,
) {
    let same = |k: &str| {
        if ignore_case {
            k.eq_ignore_ascii_case(name)
        } else {
            k == name
        }
    };
    let present = pairs.iter().any(|(k, _)| same(k));
    match exists {
        Exists::Skip if present => {}
        Exists::Override => {
            pairs.retain(|(k, _)| !same(k));
            pairs.push((name.to_string(), value));
        }
        _ => pairs.push((name.to_string(), value)),
    }
}

/// `{name}` placeholders of a route filled from the call's path parameters or query parameters
/// (encoded as each parameter says when `encode`); `{@...}` expressions are left for [`render`].
fn fill_placeholders(template: &str, call: &Call, encode: bool) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        match close {
            Some(close) if !after.starts_with('@') => {
                let name = &after[..close];
                let path = call.path.iter().find(|(n, _, _)| n == name);
                let value = match path {
                    Some((_, v, _)) if !encode => Some(v.clone()),
                    Some((_, v, PathEncoding::Single)) => Some(encode_component(v)),
                    Some((_, v, PathEncoding::Double)) => {
                        Some(encode_component(&encode_component(v)))
                    }
                    None => call.query.iter().find(|(n, _)| n == name).map(|(_, v)| {
                        if encode {
                            encode_component(v)
                        } else {
                            v.clone()
                        }
                    }),
                };
                match value {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What expressions can read.
struct Scope<'a> {
    connection: &'a Connection,
    query: &'a [(String, String)],
    headers: &'a [(String, String)],
    body: Option<&'a Value>,
    method: &'a str,
}

impl<'a> Scope<'a> {
    fn new(connection: &'a Connection, method: &'a str) -> Self {
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
enum Key {
    Name(String),
    Index(usize),
}

/// One `@function('arg', ...)` with its property path.
#[derive(Debug, Clone, PartialEq)]
struct Expr {
    function: String,
    args: Vec<String>,
    path: Vec<Key>,
}

/// Parses an expression starting right after its `@`; returns it and the bytes it spans.
fn parse_expr(s: &str) -> Option<(Expr, usize)> {
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
fn quoted(s: &str) -> Option<(String, usize)> {
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
fn parse_path(s: &str) -> (Vec<Key>, usize) {
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

fn lookup<'v>(pairs: &'v [(String, String)], name: &str, ignore_case: bool) -> Option<&'v str> {
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
fn eval(e: &Expr, scope: &Scope) -> Result<Value, String> {
    let arg = |n: usize| e.args.get(n).map(String::as_str);
    let name = || arg(0).ok_or(format!("`{}` needs the name of a value", e.function));
    let text = |v: Option<&str>| Value::String(v.or(arg(1)).unwrap_or_default().to_string());
    Ok(match e.function.as_str() {
        "connectionparameters" => {
            let name = name()?;
            match scope.connection.parameter(name) {
                Some(v) => Value::String(v.expose().to_string()),
                None => match arg(1) {
                    Some(default) => Value::String(default.to_string()),
                    None => {
                        return Err(format!(
                            "the connection has no parameter `{name}`; add it to the connection"
                        ))
                    }
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
        other => return Err(format!("the expression `@{other}(...)` is not supported")),
    })
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A template with its expressions replaced by their values: as text, or as JSON text
/// (`json`, for templates that are JSON once filled in).
fn render(template: &str, scope: &Scope, json: bool) -> Result<String, String> {
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
fn property_value(template: &str, scope: &Scope) -> Result<Value, String> {
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
fn set_property(body: &mut Value, parent: &str, sub: &str, value: Value) -> Result<(), String> {
    let p = parent.trim();
    let p = p.strip_prefix('@').unwrap_or(p);
    let p = p
        .get(..6)
        .filter(|head| head.eq_ignore_ascii_case("body()"))
        .map(|_| &p[6..])
        .ok_or(format!(
            "the property parent `{parent}` is not inside `@body()`"
        ))?;
    let (parent_path, used) = parse_path(p);
    if used != p.len() {
        return Err(format!("cannot read the property path `{parent}`"));
    }
    let sub = sub.trim();
    let dotted = if sub.starts_with('[') {
        sub.to_string()
    } else {
        format!(".{sub}")
    };
    let (sub_path, used) = parse_path(&dotted);
    if used != dotted.len() || sub_path.is_empty() {
        return Err(format!("cannot read the property name `{sub}`"));
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope_test(f: impl FnOnce(&Scope)) {
        let conn = Connection::new("https://x.example")
            .with_parameter("host", "tenant.example")
            .with_parameter("key", "k1");
        let query = vec![("type".to_string(), "ip".to_string())];
        let headers = vec![("X-Id".to_string(), "7".to_string())];
        let body = json!({"next": "n", "gifts": {"payments": {"amount": 3}}, "state": "open"});
        let scope = Scope {
            connection: &conn,
            query: &query,
            headers: &headers,
            body: Some(&body),
            method: "POST",
        };
        f(&scope);
    }

    #[test]
    fn templates_fill_in_every_kind_of_expression() {
        scope_test(|s| {
            let r = |t: &str| render(t, s, false).unwrap();
            assert_eq!(
                r("https://@connectionParameters('host')/api"),
                "https://tenant.example/api"
            );
            assert_eq!(
                r("https://@ConnectionParameters( 'host' ).alisqi.com"),
                "https://tenant.example.alisqi.com"
            );
            assert_eq!(r("@connectionParameters('missing', 'dflt')"), "dflt");
            assert_eq!(r("/search?@queryParameters('type')=1"), "/search?ip=1");
            assert_eq!(r("@headers('x-id')"), "7");
            assert_eq!(r("@Request.OriginalHTTPMethod"), "POST");
            assert_eq!(r("eq(state, '{@body().state}')"), "eq(state, 'open')");
            assert_eq!(r("a@{body().next}b"), "anb");
            assert_eq!(r("mail@example.com"), "mail@example.com");
            let e = render("@connectionParameters('token:tenantId')", s, false).unwrap_err();
            assert!(e.contains("no parameter `token:tenantId`"), "{e}");
            let e = render("@utcNow()", s, false).unwrap_err();
            assert!(e.contains("`@utcnow(...)` is not supported"), "{e}");
        });
    }

    #[test]
    fn property_values_are_json_values_or_text() {
        scope_test(|s| {
            let v = |t: &str| property_value(t, s).unwrap();
            assert_eq!(v("{@body().next}"), json!("n"));
            assert_eq!(v("[{@body().gifts.payments}]"), json!([{"amount": 3}]));
            assert_eq!(v("[\"contract.created\"]"), json!(["contract.created"]));
            assert_eq!(v("v1"), json!("v1"));
            assert_eq!(v(" !"), json!(" !"));
        });
    }

    #[test]
    fn properties_are_set_at_their_path() {
        let mut body = json!({"gifts": [{"a": 1}, {"a": 2}]});
        set_property(&mut body, "@body()", "version", json!("v1")).unwrap();
        set_property(&mut body, "@body()", "['@odata.type']", json!("t")).unwrap();
        set_property(&mut body, "body().gifts", "b", json!(true)).unwrap();
        set_property(&mut body, "@body().new.deep", "c", json!(1)).unwrap();
        assert_eq!(
            body,
            json!({"gifts": [{"a": 1, "b": true}, {"a": 2, "b": true}], "version": "v1",
                   "@odata.type": "t", "new": {"deep": {"c": 1}}})
        );
        assert!(set_property(&mut body, "@headers('x')", "a", json!(1)).is_err());
    }

    #[test]
    fn unknown_and_incomplete_templates_are_listed_not_dropped() {
        let p = Policies::from_value(&json!([
            {"templateId": "setheader", "parameters": {
                "x-ms-apimTemplateParameter.name": "X-A", "x-ms-apimTemplateParameter.value": "1"}},
            {"templateId": "stringreplace", "parameters": {}},
            {"templateId": "setheader", "parameters": {"x-ms-apimTemplateParameter.name": "X"}},
            {"parameters": {}}
        ]));
        assert_eq!(p.instances.len(), 1);
        assert_eq!(
            p.not_applied(),
            [
                "`stringreplace`: not implemented by this runtime",
                "`setheader`: no `x-ms-apimTemplateParameter.value` parameter",
                "policy template #4: no `templateId`"
            ]
        );
        let whole = Policies::from_json(
            r#"{"properties": {"policyTemplateInstances": [{"templateId": "dynamicHostUrl",
                "parameters": {"x-ms-apimTemplateParameter.urlTemplate": "https://h"}}]}}"#,
        )
        .unwrap();
        assert_eq!(whole.instances.len(), 1);
        assert!(whole.not_applied().is_empty());
    }
}
