//! Postman collections (v1, v2.0, v2.1) → model.
//!
//! Reading ([`read_v2`], [`read_v1`]) turns either format into one list of [`Req`]uests with
//! their folder path, inherited auth and variables resolved; [`build`] turns those into
//! operations, servers, parameters, inferred schemas and security schemes. Every request
//! becomes an operation or a diagnostic naming it (merged into an operation with the same
//! method and path, or skipped with the reason).

mod auth;
mod bodies;
mod build;
mod infer;
mod params;
mod parts;
mod paths;
mod request;
mod schemes;
mod url;
mod v1;

use super::Ctx;
use crate::diagnostics::{codes, Diagnostic};
use crate::load::node::{Node, PointerBuf, Span, Value};
use crate::location::FileId;
use crate::model::Connector;
use std::rc::Rc;

/// Collection and folder variables in scope: later entries win.
pub(super) type Vars = Rc<Vec<(String, String)>>;

/// A key/value row (query, header, form field, URL variable).
pub(super) struct Kv<'a> {
    pub key: String,
    pub value: String,
    pub disabled: bool,
    pub description: Option<String>,
    /// `type` of a form field (`text` / `file`).
    pub kind: Option<String>,
    pub node: &'a Node,
    pub ptr: PointerBuf,
}

/// A request body.
pub(super) enum Body<'a> {
    Raw {
        text: String,
        language: Option<String>,
        node: &'a Node,
        ptr: PointerBuf,
    },
    UrlEncoded(Vec<Kv<'a>>),
    FormData(Vec<Kv<'a>>),
    File,
    GraphQl {
        query: String,
        variables: Option<String>,
    },
}

/// A saved response.
pub(super) struct Saved<'a> {
    pub name: Option<String>,
    pub code: Option<u16>,
    pub status: Option<String>,
    pub body: Option<String>,
    pub content_type: Option<String>,
    pub node: &'a Node,
    pub ptr: PointerBuf,
}

/// The URL of a request as written.
#[derive(Default)]
pub(super) struct Url<'a> {
    pub raw: Option<String>,
    pub protocol: Option<String>,
    pub host: Option<String>,
    pub port: Option<String>,
    pub path: Option<Vec<String>>,
    pub query: Option<Vec<Kv<'a>>>,
    pub variables: Vec<Kv<'a>>,
}

/// One request with what it inherits.
pub(super) struct Req<'a> {
    pub name: String,
    pub folders: Vec<String>,
    pub method: Option<String>,
    pub url: Url<'a>,
    pub headers: Vec<Kv<'a>>,
    pub body: Option<Body<'a>>,
    /// The auth in force (own or inherited); `None`: no auth anywhere above.
    pub auth: Option<(&'a Node, PointerBuf)>,
    pub description: Option<String>,
    pub responses: Vec<Saved<'a>>,
    pub vars: Vars,
    pub node: &'a Node,
    pub ptr: PointerBuf,
}

/// A whole collection, read.
pub(super) struct Collection<'a> {
    pub version: String,
    pub title: String,
    pub description: Option<String>,
    pub api_version: Option<String>,
    pub auth: Option<(&'a Node, PointerBuf)>,
    pub vars: Vars,
    pub requests: Vec<Req<'a>>,
    /// Folder paths (tags) with descriptions, in order.
    pub tags: Vec<(String, Option<String>)>,
    /// Scripts (pre-request, test) found, and where the first is.
    pub scripts: usize,
    pub first_script: Option<Span>,
}

/// A Postman collection of a version that is not read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum UnknownVersion {
    /// Neither a schema nor requests.
    #[error("no `info.schema` and no `item` list")]
    Nothing,
    /// A schema of another version.
    #[error("schema `{0}`")]
    Schema(String),
}

/// Which Postman format `root` is, if it is one: `Some(Ok(version))`, `Some(Err(what))` for an
/// unknown schema version, `None` when it is not a Postman collection.
pub(crate) fn detect(root: &Node) -> Option<Result<String, UnknownVersion>> {
    if let Some(info) = root.get("info") {
        let schema = info.get_str("schema").unwrap_or("");
        let is_postman = schema.contains("postman.com") || info.get("_postman_id").is_some();
        if !is_postman && root.get("item").is_none() {
            return None;
        }
        let version = schema
            .split('/')
            .find(|s| s.starts_with('v') && s[1..].starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or("");
        return Some(match version {
            "v2.0.0" | "v2.1.0" => Ok(version.to_string()),
            "" if schema.is_empty() && root.get("item").is_some() => Ok("v2.1.0".into()),
            _ => Err(if schema.is_empty() {
                UnknownVersion::Nothing
            } else {
                UnknownVersion::Schema(schema.to_string())
            }),
        });
    }
    let v1 = root.get("requests").is_some_and(|r| r.as_array().is_some())
        && (root.get("order").is_some()
            || root.get("folders").is_some()
            || root.get("id").is_some());
    v1.then(|| Ok("v1".to_string()))
}

/// Lowers a Postman collection read by [`detect`] as `version`.
pub(super) fn lower<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
    root: &'a Node,
    version: String,
) -> Connector {
    let collection = if version == "v1" {
        v1::read_v1(root)
    } else {
        read_v2(root, version)
    };
    if collection.scripts > 0 {
        ctx.push(
            Diagnostic::new(
                &codes::POSTMAN_SCRIPTS_DROPPED,
                format!(
                    "{} pre-request or test script{} not converted: a definition cannot run scripts",
                    collection.scripts,
                    if collection.scripts == 1 { " is" } else { "s are" }
                ),
            )
            .at(file, collection.first_script.unwrap_or(root.span))
            .help("values that scripts compute (tokens, signatures) must be given as parameters or connection settings"),
        );
    }
    build::build(ctx, file, root, collection)
}

/// Text of a description: a string or `{"content": ...}`.
pub(super) fn description(node: Option<&Node>) -> Option<String> {
    let n = node?;
    let text = match &n.value {
        Value::String(s) => s.clone(),
        Value::Object(_) => n.get_str("content")?.to_string(),
        _ => return None,
    };
    (!text.trim().is_empty()).then_some(text)
}

/// A scalar as text (Postman values are usually strings but numbers and booleans occur).
pub(super) fn text(node: Option<&Node>) -> Option<String> {
    let n = node?;
    match &n.value {
        Value::String(s) => Some(s.clone()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
        _ => Some(n.to_json().to_string()),
    }
}

fn kv_list<'a>(node: Option<&'a Node>, ptr: &PointerBuf) -> Vec<Kv<'a>> {
    let Some(items) = node.and_then(Node::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            n.as_object()?;
            Some(Kv {
                key: text(n.get("key")).unwrap_or_default(),
                value: text(n.get("value"))
                    .or_else(|| text(n.get("src")))
                    .unwrap_or_default(),
                disabled: n.get("disabled").and_then(Node::as_bool) == Some(true)
                    || n.get("enabled").and_then(Node::as_bool) == Some(false),
                description: description(n.get("description")),
                kind: n.get_str("type").map(str::to_string),
                node: n,
                ptr: ptr.index(i),
            })
        })
        .collect()
}

/// Headers written as one string, `Key: Value` per line (Postman v1, and v2 allows it).
fn header_lines<'a>(node: &'a Node, ptr: &PointerBuf) -> Vec<Kv<'a>> {
    let Some(text) = node.as_str() else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let disabled = line.starts_with("//");
            let line = line.trim_start_matches("//").trim();
            let (k, v) = line.split_once(':')?;
            let key = k.trim();
            (!key.is_empty()).then(|| Kv {
                key: key.to_string(),
                value: v.trim().to_string(),
                disabled,
                description: None,
                kind: None,
                node,
                ptr: ptr.clone(),
            })
        })
        .collect()
}

fn variables(base: &Vars, node: Option<&Node>) -> Vars {
    let Some(list) = node.and_then(Node::as_array) else {
        return base.clone();
    };
    let mut vars: Vec<(String, String)> = base.as_ref().clone();
    for v in list {
        if v.get("disabled").and_then(Node::as_bool) == Some(true) {
            continue;
        }
        let Some(key) = text(v.get("key")).or_else(|| text(v.get("id"))) else {
            continue;
        };
        vars.push((key, text(v.get("value")).unwrap_or_default()));
    }
    Rc::new(vars)
}

/// The auth an item sets: `None` when it inherits (`auth` absent, `null` or `inherit`).
fn own_auth<'a>(node: &'a Node, ptr: &PointerBuf) -> Option<(&'a Node, PointerBuf)> {
    let auth = node.get("auth")?;
    match auth.get_str("type") {
        Some("inherit") | None => None,
        Some(_) => Some((auth, ptr.join("auth"))),
    }
}

fn count_scripts(node: &Node, scripts: &mut usize, first: &mut Option<Span>) {
    for e in node.get("event").and_then(Node::as_array).unwrap_or(&[]) {
        let exec = e.get("script").and_then(|s| s.get("exec"));
        let has_code = match exec.map(|x| &x.value) {
            Some(Value::Array(lines)) => lines
                .iter()
                .any(|l| l.as_str().is_some_and(|s| !s.trim().is_empty())),
            Some(Value::String(s)) => !s.trim().is_empty(),
            _ => false,
        };
        if has_code {
            *scripts += 1;
            first.get_or_insert(e.span);
        }
    }
}

fn read_v2(root: &Node, version: String) -> Collection<'_> {
    let ptr = PointerBuf::root();
    let info = root.get("info");
    let api_version = info
        .and_then(|i| i.get("version"))
        .and_then(|v| match &v.value {
            Value::Object(_) => Some(format!(
                "{}.{}.{}",
                text(v.get("major")).unwrap_or_else(|| "0".into()),
                text(v.get("minor")).unwrap_or_else(|| "0".into()),
                text(v.get("patch")).unwrap_or_else(|| "0".into())
            )),
            _ => text(Some(v)),
        });
    let mut c = Collection {
        version,
        title: info.and_then(|i| text(i.get("name"))).unwrap_or_default(),
        description: description(info.and_then(|i| i.get("description"))),
        api_version,
        auth: own_auth(root, &ptr),
        vars: variables(&Rc::new(Vec::new()), root.get("variable")),
        requests: Vec::new(),
        tags: Vec::new(),
        scripts: 0,
        first_script: None,
    };
    count_scripts(root, &mut c.scripts, &mut c.first_script);
    let auth = c.auth.clone();
    let vars = c.vars.clone();
    walk_v2(root, &ptr, &[], auth, &vars, &mut c);
    c
}

fn walk_v2<'a>(
    node: &'a Node,
    ptr: &PointerBuf,
    folders: &[String],
    auth: Option<(&'a Node, PointerBuf)>,
    vars: &Vars,
    c: &mut Collection<'a>,
) {
    let Some(items) = node.get("item").and_then(Node::as_array) else {
        return;
    };
    let iptr = ptr.join("item");
    for (i, item) in items.iter().enumerate() {
        let p = iptr.index(i);
        if item.as_object().is_none() {
            continue;
        }
        count_scripts(item, &mut c.scripts, &mut c.first_script);
        let own = own_auth(item, &p).or_else(|| auth.clone());
        let item_vars = variables(vars, item.get("variable"));
        let name = text(item.get("name")).unwrap_or_default();
        if item.get("request").is_some() {
            c.requests
                .push(request_v2(item, &p, name, folders, own, item_vars));
        } else if item.get("item").is_some() {
            let mut path = folders.to_vec();
            path.push(if name.trim().is_empty() {
                format!("Folder {}", i + 1)
            } else {
                name
            });
            c.tags
                .push((path.join(" / "), description(item.get("description"))));
            walk_v2(item, &p, &path, own, &item_vars, c);
        }
    }
}

fn request_v2<'a>(
    item: &'a Node,
    ptr: &PointerBuf,
    name: String,
    folders: &[String],
    auth: Option<(&'a Node, PointerBuf)>,
    vars: Vars,
) -> Req<'a> {
    let rptr = ptr.join("request");
    let request = item.get("request").unwrap_or(item);
    let (url, url_ptr) = match &request.value {
        Value::String(_) => (Some(request), rptr.clone()),
        _ => (request.get("url"), rptr.join("url")),
    };
    let url = match url.map(|u| &u.value) {
        Some(Value::String(s)) => Url {
            raw: Some(s.clone()),
            ..Url::default()
        },
        Some(Value::Object(_)) => {
            let u = url.unwrap_or(item);
            let parts = |k: &str, sep: &str| {
                u.get(k).and_then(|h| match &h.value {
                    Value::String(s) => Some(s.clone()),
                    Value::Array(a) => Some(
                        a.iter()
                            .filter_map(|x| text(Some(x)).or_else(|| text(x.get("value"))))
                            .collect::<Vec<_>>()
                            .join(sep),
                    ),
                    _ => None,
                })
            };
            let path = u.get("path").and_then(|p| match &p.value {
                Value::String(s) => Some(s.split('/').map(str::to_string).collect()),
                Value::Array(a) => Some(
                    a.iter()
                        .filter_map(|x| text(Some(x)).or_else(|| text(x.get("value"))))
                        .collect(),
                ),
                _ => None,
            });
            Url {
                raw: text(u.get("raw")),
                protocol: text(u.get("protocol")),
                host: parts("host", "."),
                port: text(u.get("port")),
                path,
                query: u
                    .get("query")
                    .filter(|q| q.as_array().is_some())
                    .map(|q| kv_list(Some(q), &url_ptr.join("query"))),
                variables: kv_list(u.get("variable"), &url_ptr.join("variable")),
            }
        }
        _ => Url::default(),
    };
    let headers = match request.get("header") {
        Some(h) if h.as_str().is_some() => header_lines(h, &rptr.join("header")),
        h => kv_list(h, &rptr.join("header")),
    };
    let body = request.get("body").and_then(|b| {
        let bptr = rptr.join("body");
        if b.get("disabled").and_then(Node::as_bool) == Some(true) {
            return None;
        }
        match b.get_str("mode")? {
            "raw" => Some(Body::Raw {
                text: text(b.get("raw")).unwrap_or_default(),
                language: b
                    .get("options")
                    .and_then(|o| o.get("raw"))
                    .and_then(|r| r.get_str("language"))
                    .map(str::to_string),
                node: b.get("raw").unwrap_or(b),
                ptr: bptr.join("raw"),
            }),
            "urlencoded" => Some(Body::UrlEncoded(kv_list(
                b.get("urlencoded"),
                &bptr.join("urlencoded"),
            ))),
            "formdata" => Some(Body::FormData(kv_list(
                b.get("formdata"),
                &bptr.join("formdata"),
            ))),
            "file" | "binary" => Some(Body::File),
            "graphql" => {
                let g = b.get("graphql");
                Some(Body::GraphQl {
                    query: g.and_then(|g| text(g.get("query"))).unwrap_or_default(),
                    variables: g.and_then(|g| text(g.get("variables"))),
                })
            }
            _ => None,
        }
    });
    let responses = item
        .get("response")
        .and_then(Node::as_array)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter(|(_, r)| r.as_object().is_some())
        .map(|(i, r)| {
            let header = match r.get("header") {
                Some(h) if h.as_str().is_some() => header_lines(h, &PointerBuf::root()),
                h => kv_list(h, &PointerBuf::root()),
            };
            Saved {
                name: text(r.get("name")),
                code: r
                    .get("code")
                    .and_then(Node::as_u64)
                    .and_then(|c| u16::try_from(c).ok()),
                status: text(r.get("status")),
                body: text(r.get("body")),
                content_type: content_type(&header),
                node: r,
                ptr: ptr.join("response").index(i),
            }
        })
        .collect();
    Req {
        name,
        folders: folders.to_vec(),
        method: request.get_str("method").map(str::to_string),
        url,
        headers,
        body,
        auth: own_auth(request, &rptr).or(auth),
        description: description(request.get("description"))
            .or_else(|| description(item.get("description"))),
        responses,
        vars,
        node: item,
        ptr: ptr.clone(),
    }
}

fn content_type(headers: &[Kv<'_>]) -> Option<String> {
    headers
        .iter()
        .find(|h| !h.disabled && h.key.eq_ignore_ascii_case("content-type"))
        .map(|h| h.value.clone())
}
