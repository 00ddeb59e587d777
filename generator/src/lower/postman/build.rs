//! Read requests → operations, servers, parameters, inferred schemas and security schemes.

use super::auth::{self, Mapped};
use super::infer::{infer, scalar_type};
use super::url::{lookup, split_raw, substitute, template_name, templated};
use super::{Body, Collection, Kv, Req, Saved};
use crate::diagnostics::{codes, Diagnostic};
use crate::load::json;
use crate::load::node::{Node, PointerBuf};
use crate::load::source::FileId;
use crate::lower::common::generated_id;
use crate::lower::Ctx;
use crate::model::*;
use heck::ToUpperCamelCase;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};

/// Where a request goes: its origin (scheme, host, port; `{variables}` for unknown parts), the
/// path segments a `{{baseUrl}}`-like variable contributed, and the URL's own path segments.
struct Target {
    origin: String,
    server_vars: Vec<String>,
    prefix: Vec<String>,
    path: Vec<String>,
    query: Vec<(String, String)>,
    trailing_slash: bool,
}

/// One operation being assembled from one or more requests.
struct Slot {
    op: Operation,
    /// Request body examples by media type (text bodies keep `None` for the schema-less case).
    bodies: Vec<(String, Vec<Json>, bool)>,
    body_origin: Option<Origin>,
    /// Saved responses by status: description, media type, examples, text-only.
    responses: Vec<SavedResponse>,
    /// Names of the requests merged into this operation after the first.
    merged: Vec<String>,
}

pub(super) fn build<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
    root: &'a Node,
    c: Collection<'a>,
) -> Connector {
    let origin_of = |ptr: &PointerBuf, node: &Node| Origin {
        file,
        pointer: ptr.clone(),
        span: node.span,
    };
    // Where every request goes, to find the connector's own server.
    let targets: Vec<Option<Target>> = c.requests.iter().map(target).collect();
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for t in targets.iter().flatten() {
        match counts.iter_mut().find(|(o, _)| *o == t.origin) {
            Some(e) => e.1 += 1,
            None => counts.push((&t.origin, 1)),
        }
    }
    let main_origin = counts
        .iter()
        .fold(None::<(&str, usize)>, |best, &(o, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((o, n)),
        })
        .map(|(o, _)| o.to_string())
        .unwrap_or_default();
    // The base path: what a `{{baseUrl}}`-like variable adds after the host, common to the
    // requests on the main origin that use one.
    let mut base: Option<Vec<String>> = None;
    for t in targets
        .iter()
        .flatten()
        .filter(|t| t.origin == main_origin && !t.prefix.is_empty())
    {
        base = Some(match base {
            None => t.prefix.clone(),
            Some(b) => b
                .iter()
                .zip(&t.prefix)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a.clone())
                .collect(),
        });
    }
    let base = base.unwrap_or_default();
    let main_vars: Vec<String> = targets
        .iter()
        .flatten()
        .find(|t| t.origin == main_origin)
        .map(|t| t.server_vars.clone())
        .unwrap_or_default();

    let mut auth_schemes: Vec<AuthScheme> = Vec::new();
    let mut unsupported_auth: HashSet<String> = HashSet::new();
    let collection_scheme = c.auth.as_ref().and_then(|(n, p)| {
        scheme_for(
            ctx,
            file,
            n,
            p,
            &c.vars,
            &mut auth_schemes,
            &mut unsupported_auth,
        )
    });
    let mut undefined: HashSet<String> = HashSet::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut slots: Vec<Slot> = Vec::new();
    let mut by_key: HashMap<(Method, String), usize> = HashMap::new();
    let mut canonical: HashMap<String, String> = HashMap::new();

    for (req, t) in c.requests.iter().zip(targets) {
        let label = if req.name.trim().is_empty() {
            "(unnamed)".to_string()
        } else {
            req.name.clone()
        };
        let Some(t) = t else {
            skipped(ctx, file, req, format!("request “{label}” has no URL"));
            continue;
        };
        let method_text = req
            .method
            .as_deref()
            .unwrap_or("GET")
            .trim()
            .to_ascii_lowercase();
        let Some(method) = Method::from_key(&method_text) else {
            skipped(
                ctx,
                file,
                req,
                format!(
                    "request “{label}” uses the method {}, which OpenAPI and the connector platform cannot express",
                    method_text.to_ascii_uppercase()
                ),
            );
            continue;
        };
        for v in &t.server_vars {
            note_undefined(
                ctx,
                file,
                req,
                v,
                format!("it becomes the server variable `{{{}}}`", template_name(v)),
                &mut undefined,
            );
        }
        // The path: the variable prefix beyond the connector's base path, then the URL's own.
        let mut segments: Vec<String> = t.prefix.clone();
        segments.extend(t.path.iter().filter(|s| !s.is_empty()).cloned());
        let on_main = t.origin == main_origin && segments.starts_with(&base);
        if on_main {
            segments.drain(..base.len());
        }
        let mut params: Vec<Parameter> = Vec::new();
        let mut path = String::new();
        let mut path_names: HashSet<String> = HashSet::new();
        for seg in segments.iter().filter(|s| !s.is_empty()) {
            path.push('/');
            let whole_param = seg.strip_prefix(':').or_else(|| {
                seg.strip_prefix('{')
                    .and_then(|s| s.strip_suffix('}'))
                    .filter(|s| !s.contains(['{', '}']))
            });
            let (text, names): (String, Vec<(String, String)>) = match whole_param {
                Some(n) if !n.is_empty() => {
                    let t = template_name(n);
                    (format!("{{{t}}}"), vec![(n.to_string(), t)])
                }
                _ => {
                    let (text, names) = templated(seg);
                    let pairs = names
                        .iter()
                        .map(|n| (n.clone(), template_name(n)))
                        .collect();
                    (text, pairs)
                }
            };
            let mut text = text;
            for (original, name) in names {
                let mut unique = name.clone();
                let mut k = 2;
                while !path_names.insert(unique.clone()) {
                    unique = format!("{name}{k}");
                    k += 1;
                }
                if unique != name {
                    text = text.replacen(&format!("{{{name}}}"), &format!("{{{unique}}}"), 1);
                }
                let var = req.url.variables.iter().find(|v| v.key == original);
                let is_postman_var = !matches!(whole_param, Some(n) if !n.is_empty());
                let default = if is_postman_var {
                    lookup(&req.vars, &original).map(|v| Json::String(v.to_string()))
                } else {
                    None
                };
                if is_postman_var && default.is_none() {
                    note_undefined(
                        ctx,
                        file,
                        req,
                        &original,
                        format!("it becomes the path parameter `{{{unique}}}`"),
                        &mut undefined,
                    );
                }
                let example = var
                    .map(|v| v.value.as_str())
                    .filter(|v| !v.is_empty() && !v.contains("{{"));
                let description = var.and_then(|v| v.description.clone()).or_else(|| {
                    is_postman_var.then(|| format!("The Postman variable `{{{{{original}}}}}`."))
                });
                let origin = var.map_or_else(
                    || origin_of(&req.ptr, req.node),
                    |v| origin_of(&v.ptr, v.node),
                );
                let ty = example.map_or(SchemaType::String, scalar_type);
                let mut p = parameter(ctx, &unique, ParameterLocation::Path, true, ty, origin);
                set_values(ctx, &mut p, default, example.map(typed));
                p.description = description;
                params.push(p);
            }
            path.push_str(&text);
        }
        if path.is_empty() || t.trailing_slash {
            path.push('/');
        }
        // Query parameters: `url.query` rows, or the raw URL's.
        let query_rows: Vec<(String, String, bool, Option<String>, Origin)> = match &req.url.query {
            Some(rows) => rows
                .iter()
                .map(|k| row(k, &origin_of(&k.ptr, k.node)))
                .collect(),
            None => t
                .query
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.clone(),
                        false,
                        None,
                        origin_of(&req.ptr, req.node),
                    )
                })
                .collect(),
        };
        add_values(
            ctx,
            file,
            req,
            &mut params,
            ParameterLocation::Query,
            query_rows,
            &mut undefined,
        );
        // Auth: the request's own or inherited setting, else an `Authorization` header.
        let mut scheme = match &req.auth {
            Some((n, p)) => scheme_for(
                ctx,
                file,
                n,
                p,
                &req.vars,
                &mut auth_schemes,
                &mut unsupported_auth,
            ),
            None => None,
        };
        let auth_header = req
            .headers
            .iter()
            .find(|h| !h.disabled && h.key.eq_ignore_ascii_case("authorization"))
            .and_then(|h| {
                let v = h.value.trim_start();
                let starts = |prefix: &str| {
                    v.len() > prefix.len()
                        && v.get(..prefix.len())
                            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                };
                let kind = if starts("bearer ") {
                    AuthKind::Bearer { format: None }
                } else if starts("basic ") {
                    AuthKind::Basic
                } else {
                    return None;
                };
                Some((kind, origin_of(&h.ptr, h.node)))
            });
        if scheme.is_none() {
            if let Some((kind, origin)) = auth_header.clone() {
                let base_name = if kind == AuthKind::Basic {
                    "basic"
                } else {
                    "bearer"
                };
                scheme = Some(add_scheme(&mut auth_schemes, kind, base_name, origin));
            }
        }
        let api_key_header = scheme.as_ref().and_then(|s| {
            auth_schemes
                .iter()
                .find(|a| &a.name == s)
                .and_then(|a| match &a.kind {
                    AuthKind::ApiKey {
                        name,
                        location: ApiKeyLocation::Header,
                    } => Some(name.to_ascii_lowercase()),
                    _ => None,
                })
        });
        let header_rows: Vec<(String, String, bool, Option<String>, Origin)> = req
            .headers
            .iter()
            .filter(|h| {
                let k = h.key.to_ascii_lowercase();
                !(k == "content-type"
                    || k == "accept"
                    || k == "content-length"
                    || (k == "authorization" && auth_header.is_some() && scheme.is_some())
                    || api_key_header.as_deref() == Some(k.as_str()))
            })
            .map(|h| row(h, &origin_of(&h.ptr, h.node)))
            .collect();
        add_values(
            ctx,
            file,
            req,
            &mut params,
            ParameterLocation::Header,
            header_rows,
            &mut undefined,
        );
        let security = if scheme == collection_scheme {
            None
        } else {
            Some(
                scheme
                    .iter()
                    .map(|s| requirement(&auth_schemes, s))
                    .collect(),
            )
        };
        // Body.
        let content_type = req
            .headers
            .iter()
            .find(|h| !h.disabled && h.key.eq_ignore_ascii_case("content-type"))
            .map(|h| media_of(&h.value))
            .filter(|m| !m.is_empty() && !m.contains("{{"));
        let mut bodies: Vec<(String, Vec<Json>, bool)> = Vec::new();
        let mut consumes = Vec::new();
        match &req.body {
            Some(Body::Raw {
                text,
                language,
                node,
                ptr,
            }) if !text.trim().is_empty() => {
                let lang = language.as_deref().unwrap_or("");
                let says_json =
                    content_type.as_deref().is_some_and(|m| m.contains("json")) || lang == "json";
                let looks_json = content_type.is_none()
                    && language.is_none()
                    && text.trim_start().starts_with(['{', '[']);
                let media = content_type.clone().unwrap_or_else(|| {
                    match lang {
                        "json" => "application/json",
                        "xml" => "application/xml",
                        "html" => "text/html",
                        "javascript" => "application/javascript",
                        _ if looks_json => "application/json",
                        _ => "text/plain",
                    }
                    .to_string()
                });
                let parsed = (says_json || looks_json || media.contains("json"))
                    .then(|| parse_json_body(text, &req.vars))
                    .flatten();
                match parsed {
                    Some(v) => bodies.push((media.clone(), vec![v], false)),
                    None => {
                        if says_json {
                            ctx.push(
                                Diagnostic::new(
                                    &codes::POSTMAN_BODY_NOT_JSON,
                                    format!("the body of request “{label}” is marked as JSON but does not parse; it is kept as a text example"),
                                )
                                .at(file, node.span)
                                .pointer(ptr.as_string())
                                .help("fix the JSON so that a schema can be inferred from it"),
                            );
                        }
                        bodies.push((media.clone(), vec![Json::String(text.clone())], true));
                    }
                }
                consumes.push(media);
            }
            Some(Body::UrlEncoded(rows)) | Some(Body::FormData(rows)) => {
                let media = if matches!(req.body, Some(Body::UrlEncoded(_))) {
                    "application/x-www-form-urlencoded"
                } else {
                    "multipart/form-data"
                };
                consumes.push(media.to_string());
                for k in rows.iter().filter(|k| !k.key.trim().is_empty()) {
                    if params
                        .iter()
                        .any(|p| p.location == ParameterLocation::FormData && p.name == k.key)
                    {
                        continue;
                    }
                    let origin = origin_of(&k.ptr, k.node);
                    let is_file = k.kind.as_deref() == Some("file");
                    let ty = if is_file {
                        SchemaType::File
                    } else {
                        value_type(&k.value)
                    };
                    let mut p = parameter(
                        ctx,
                        k.key.trim(),
                        ParameterLocation::FormData,
                        false,
                        ty,
                        origin,
                    );
                    if !is_file {
                        let (default, example) = values_of(&k.value, &req.vars);
                        set_values(ctx, &mut p, default, example);
                    }
                    p.description = k.description.clone();
                    if k.disabled {
                        p.visibility = Some(Visibility::Advanced);
                    }
                    params.push(p);
                }
            }
            Some(Body::File) => {
                let media = content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into());
                bodies.push((media.clone(), Vec::new(), true));
                consumes.push(media);
            }
            Some(Body::GraphQl { query, variables }) => {
                let vars = variables
                    .as_deref()
                    .filter(|v| !v.trim().is_empty())
                    .and_then(|v| parse_json_body(v, &req.vars))
                    .unwrap_or_else(|| Json::Object(Default::default()));
                let mut m = serde_json::Map::new();
                m.insert("query".into(), Json::String(query.clone()));
                m.insert("variables".into(), vars);
                bodies.push(("application/json".into(), vec![Json::Object(m)], false));
                consumes.push("application/json".into());
            }
            _ => {}
        }
        // Saved responses.
        let responses: Vec<SavedResponse> = req
            .responses
            .iter()
            .map(|r| saved(r, &origin_of(&r.ptr, r.node)))
            .collect();
        let produces = req
            .headers
            .iter()
            .find(|h| !h.disabled && h.key.eq_ignore_ascii_case("accept"))
            .map(|h| media_of(&h.value))
            .filter(|m| !m.is_empty() && m != "*/*" && !m.contains("{{"));
        // `/orders/{id}` and `/orders/{orderId}` are one OpenAPI path: the first spelling wins
        // and the parameters are renamed to it.
        let shape = normalized(&path);
        match canonical.get(&shape) {
            Some(first) if *first != path => {
                for (old, new) in template_names(&path).into_iter().zip(template_names(first)) {
                    for p in params
                        .iter_mut()
                        .filter(|p| p.location == ParameterLocation::Path && p.name == old)
                    {
                        p.name = new.clone();
                    }
                }
                path = first.clone();
            }
            Some(_) => {}
            None => {
                canonical.insert(shape.clone(), path.clone());
            }
        }
        let key = (method, shape);
        if let Some(&i) = by_key.get(&key) {
            let slot = &mut slots[i];
            ctx.push(
                Diagnostic::new(
                    &codes::POSTMAN_REQUEST_MERGED,
                    format!(
                        "request “{label}” has the same method and path as “{}” ({} {}): it is merged into operation `{}`",
                        slot.op.summary.as_deref().unwrap_or(""),
                        method.as_str(),
                        slot.op.path,
                        slot.op.id
                    ),
                )
                .at(file, req.node.member("name").map_or(req.node.span, |m| m.value.span))
                .pointer(req.ptr.as_string())
                .help("an OpenAPI path has one operation per method; give the requests different paths if they are different actions"),
            );
            for p in params {
                if !slot
                    .op
                    .parameters
                    .iter()
                    .any(|q| q.name == p.name && q.location == p.location)
                {
                    slot.op.parameters.push(Parameter {
                        required: p.required && p.location == ParameterLocation::Path,
                        ..p
                    });
                }
            }
            for (media, examples, text) in bodies {
                match slot.bodies.iter_mut().find(|b| b.0 == media) {
                    Some(b) => b.1.extend(examples),
                    None => slot.bodies.push((media, examples, text)),
                }
            }
            for m in consumes {
                if !slot.op.consumes.contains(&m) {
                    slot.op.consumes.push(m);
                }
            }
            merge_responses(&mut slot.responses, responses);
            slot.merged.push(label);
            continue;
        }
        let id = operation_id(&req.name, method, &path, &mut used_ids);
        let servers = if on_main {
            Vec::new()
        } else {
            server_of(&t.origin, &t.server_vars).into_iter().collect()
        };
        let op = Operation {
            id,
            id_generated: req.name.trim().is_empty(),
            method,
            path,
            summary: Some(req.name.trim().to_string()).filter(|s| !s.is_empty()),
            description: req.description.clone(),
            visibility: None,
            tags: if req.folders.is_empty() {
                Vec::new()
            } else {
                vec![req.folders.join(" / ")]
            },
            parameters: params,
            request_body: None,
            responses: Vec::new(),
            consumes,
            produces: produces.into_iter().collect(),
            kind: OperationKind::Action {
                long_running: false,
            },
            pageable: None,
            deprecated: false,
            trigger_hint: None,
            trigger_metadata: None,
            capabilities: None,
            api_annotation: None,
            security,
            servers,
            extensions: Extensions::default(),
            origin: origin_of(&req.ptr, req.node),
        };
        by_key.insert(key, slots.len());
        let body_origin = match &req.body {
            Some(Body::Raw { node, ptr, .. }) => Some(origin_of(ptr, node)),
            Some(_) => Some(origin_of(&req.ptr.join("request").join("body"), req.node)),
            None => None,
        };
        let mut slot = Slot {
            op,
            bodies,
            body_origin,
            responses: Vec::new(),
            merged: Vec::new(),
        };
        merge_responses(&mut slot.responses, responses);
        slots.push(slot);
    }

    let operations = slots.into_iter().map(|s| finish(ctx, s)).collect();
    let security = collection_scheme
        .iter()
        .map(|s| requirement(&auth_schemes, s))
        .collect();
    // Variables without a value left in the base path are server variables too.
    let (base_path_text, base_vars) = templated(
        &base
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| format!("/{s}"))
            .collect::<String>(),
    );
    let mut main_vars = main_vars;
    main_vars.extend(base_vars);
    let servers: Vec<Server> = server_of(&format!("{main_origin}{base_path_text}"), &main_vars)
        .into_iter()
        .collect();
    let (host, base_path, schemes) = match servers.first() {
        Some(s) => split_server(&s.url),
        None => (None, None, Vec::new()),
    };
    let title = if c.title.trim().is_empty() {
        "Postman collection".to_string()
    } else {
        c.title.clone()
    };
    Connector {
        name: String::new(),
        title,
        description: c.description,
        version: c.api_version,
        format: SpecFormat::Postman(c.version),
        host,
        base_path,
        schemes,
        servers,
        consumes: Vec::new(),
        produces: Vec::new(),
        auth: auth_schemes,
        security,
        connection: None,
        settings: None,
        policies: Vec::new(),
        operations,
        types: std::mem::take(&mut ctx.types),
        metadata: Metadata {
            tags: c.tags,
            ..Metadata::default()
        },
        extensions: Extensions::default(),
        origin: origin_of(&PointerBuf::root(), root),
    }
}

fn skipped(ctx: &mut Ctx<'_>, file: FileId, req: &Req<'_>, message: String) {
    ctx.push(
        Diagnostic::new(&codes::POSTMAN_REQUEST_SKIPPED, message)
            .at(file, req.node.member("name").map_or(req.node.span, |m| m.value.span))
            .pointer(req.ptr.as_string())
            .help("the request is left out of the converted definition; change it if it should be an operation"),
    );
}

/// Says once per variable that `{{name}}` has no value (Postman's own `{{$guid}}`-like dynamic
/// variables are filled when sending, so they are not reported).
fn note_undefined(
    ctx: &mut Ctx<'_>,
    file: FileId,
    req: &Req<'_>,
    name: &str,
    becomes: String,
    seen: &mut HashSet<String>,
) {
    if name.starts_with('$') || !seen.insert(name.to_string()) {
        return;
    }
    ctx.push(
        Diagnostic::new(
            &codes::POSTMAN_UNDEFINED_VARIABLE,
            format!("the variable `{{{{{name}}}}}` has no value in the collection; {becomes}"),
        )
        .at(
            file,
            req.node
                .member("name")
                .map_or(req.node.span, |m| m.value.span),
        )
        .pointer(req.ptr.as_string())
        .help(
            "give the variable a value in the collection's `variable` list to make it the default",
        ),
    );
}

/// Where a request goes, or `None` when it has no URL at all.
fn target(req: &Req<'_>) -> Option<Target> {
    let u = &req.url;
    let (prefix_text, path, query) = if u.host.is_some() || u.path.is_some() {
        let mut prefix = String::new();
        if let Some(p) = u.protocol.as_deref().filter(|p| !p.is_empty()) {
            prefix.push_str(p.trim_end_matches("://").trim_end_matches(':'));
            prefix.push_str("://");
        }
        prefix.push_str(u.host.as_deref().unwrap_or(""));
        if let Some(port) = u.port.as_deref().filter(|p| !p.is_empty()) {
            prefix.push(':');
            prefix.push_str(port);
        }
        let raw_query = u
            .raw
            .as_deref()
            .map(|r| split_raw(r).query)
            .unwrap_or_default();
        let mut path = vec![String::new()];
        path.extend(u.path.clone().unwrap_or_default());
        (prefix, path, raw_query)
    } else {
        let raw = u.raw.as_deref()?.trim();
        if raw.is_empty() {
            return None;
        }
        let p = split_raw(raw);
        (p.prefix, p.path, p.query)
    };
    // Variables in the prefix are resolved; what they bring beyond the host is path.
    let resolved = substitute(prefix_text.trim(), &req.vars);
    let host_start = resolved.find("://").map_or(0, |i| i + 3);
    let (origin, rest) = match resolved[host_start..].find('/') {
        Some(i) => resolved.split_at(host_start + i),
        None => (resolved.as_str(), ""),
    };
    let mut origin = origin.trim_end_matches(':').to_string();
    if !origin.is_empty() && !origin.contains("://") && !origin.starts_with("{{") {
        origin = format!("https://{origin}");
    }
    let (origin, server_vars) = templated(&origin);
    let rest_split = split_raw(&format!("/{}", rest.trim_start_matches('/')));
    let prefix: Vec<String> = rest_split
        .path
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let query = rest_split.query.into_iter().chain(query).collect();
    // A trailing slash is part of the address (`/me/` and `/me` may differ on a server).
    let trailing_slash = path.len() > 1 && path.last().is_some_and(String::is_empty);
    let path = path.into_iter().filter(|s| !s.is_empty()).collect();
    Some(Target {
        origin,
        server_vars,
        prefix,
        path,
        trailing_slash,
        query,
    })
}

type Row = (String, String, bool, Option<String>, Origin);

fn row(k: &Kv<'_>, origin: &Origin) -> Row {
    (
        k.key.trim().to_string(),
        k.value.clone(),
        k.disabled,
        k.description.clone(),
        origin.clone(),
    )
}

/// Query or header rows → parameters (a key written several times is an array sent once per
/// value).
#[allow(clippy::too_many_arguments)]
fn add_values(
    ctx: &mut Ctx<'_>,
    file: FileId,
    req: &Req<'_>,
    params: &mut Vec<Parameter>,
    location: ParameterLocation,
    rows: Vec<Row>,
    undefined: &mut HashSet<String>,
) {
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<Row>> = HashMap::new();
    for r in rows.into_iter().filter(|r| !r.0.is_empty()) {
        if !groups.contains_key(&r.0) {
            order.push(r.0.clone());
        }
        groups.entry(r.0.clone()).or_default().push(r);
    }
    for name in order {
        if params
            .iter()
            .any(|p| p.name == name && p.location == location)
        {
            continue;
        }
        let rows = groups.remove(&name).unwrap_or_default();
        let Some(first) = rows.first() else { continue };
        if let Some(var) = whole_variable(&first.1) {
            if lookup(&req.vars, var).is_none() {
                note_undefined(
                    ctx,
                    file,
                    req,
                    var,
                    format!(
                        "the {} parameter `{name}` it fills has no default",
                        if location == ParameterLocation::Query {
                            "query"
                        } else {
                            "header"
                        }
                    ),
                    undefined,
                );
            }
        }
        let (default, example) = values_of(&first.1, &req.vars);
        let mut p = parameter(
            ctx,
            &name,
            location.clone(),
            false,
            value_type(&first.1),
            first.4.clone(),
        );
        set_values(ctx, &mut p, default, example);
        if rows.len() > 1 && location == ParameterLocation::Query {
            let item = p.schema;
            p.schema = ctx.types.add(Schema {
                types: vec![SchemaType::Array],
                items: Some(item),
                origin: first.4.clone(),
                ..Schema::default()
            });
            p.serialization = Some(Serialization::CollectionFormat("multi".into()));
        }
        p.description = first.3.clone().or_else(|| {
            whole_variable(&first.1).map(|v| format!("The Postman variable `{{{{{v}}}}}`."))
        });
        if rows.iter().all(|r| r.2) {
            p.visibility = Some(Visibility::Advanced);
        }
        params.push(p);
    }
}

fn whole_variable(value: &str) -> Option<&str> {
    let v = value.trim();
    let inner = v.strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.contains("{{") && !inner.contains("}}")).then(|| inner.trim())
}

/// The default (a variable's value) and example (a literal value) a written value gives.
fn values_of(value: &str, vars: &[(String, String)]) -> (Option<Json>, Option<Json>) {
    if let Some(var) = whole_variable(value) {
        return (lookup(vars, var).map(|v| Json::String(v.to_string())), None);
    }
    if value.contains("{{") || value.is_empty() {
        return (None, None);
    }
    (None, Some(typed(value)))
}

fn value_type(value: &str) -> SchemaType {
    if value.contains("{{") {
        SchemaType::String
    } else {
        scalar_type(value)
    }
}

fn typed(text: &str) -> Json {
    match scalar_type(text) {
        SchemaType::Boolean => Json::Bool(text.trim() == "true"),
        SchemaType::Integer => text
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Json::String(text.into()), Json::from),
        SchemaType::Number => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Json::String(text.into()), Json::Number),
        _ => Json::String(text.to_string()),
    }
}

fn parameter(
    ctx: &mut Ctx<'_>,
    name: &str,
    location: ParameterLocation,
    required: bool,
    ty: SchemaType,
    origin: Origin,
) -> Parameter {
    let schema = ctx.types.add(Schema {
        types: vec![ty],
        origin: origin.clone(),
        ..Schema::default()
    });
    Parameter {
        name: name.to_string(),
        location,
        required,
        schema,
        description: None,
        summary: None,
        visibility: None,
        url_encoding: None,
        serialization: None,
        allow_empty: false,
        deprecated: false,
        dynamic: Vec::new(),
        notification_url: false,
        extensions: Extensions::default(),
        origin: origin.clone(),
        use_site: origin,
    }
}

fn set_values(ctx: &mut Ctx<'_>, p: &mut Parameter, default: Option<Json>, example: Option<Json>) {
    if default.is_none() && example.is_none() {
        return;
    }
    let mut s = ctx.types.get(p.schema).clone();
    // A default from a variable is text; keep it only where the inferred type is text too.
    s.default = default.filter(|_| s.types == [SchemaType::String]);
    s.example = example;
    ctx.types.fill(p.schema, s);
}

fn scheme_for(
    ctx: &mut Ctx<'_>,
    file: FileId,
    node: &Node,
    ptr: &PointerBuf,
    vars: &[(String, String)],
    schemes: &mut Vec<AuthScheme>,
    unsupported: &mut HashSet<String>,
) -> Option<String> {
    let vars = std::rc::Rc::new(vars.to_vec());
    let origin = Origin {
        file,
        pointer: ptr.clone(),
        span: node.span,
    };
    match auth::map(node, &vars) {
        Mapped::NoAuth => None,
        Mapped::Scheme(kind, base) => Some(add_scheme(schemes, kind, base, origin)),
        Mapped::Unsupported(kind) => {
            if unsupported.insert(kind.clone()) {
                ctx.push(
                    Diagnostic::new(
                        &codes::POSTMAN_AUTH_UNSUPPORTED,
                        format!("Postman auth `{kind}` has no OpenAPI security scheme; requests using it are converted without credentials"),
                    )
                    .at(file, node.get("type").map_or(node.span, |t| t.span))
                    .pointer(ptr.as_string())
                    .help("describe the credentials as header or query parameters, or use apikey, basic, bearer or oauth2 auth"),
                );
            }
            None
        }
    }
}

fn add_scheme(schemes: &mut Vec<AuthScheme>, kind: AuthKind, base: &str, origin: Origin) -> String {
    if let Some(s) = schemes.iter().find(|s| s.kind == kind) {
        return s.name.clone();
    }
    let mut name = base.to_string();
    let mut k = 2;
    while schemes.iter().any(|s| s.name == name) {
        name = format!("{base}{k}");
        k += 1;
    }
    schemes.push(AuthScheme {
        name: name.clone(),
        kind,
        description: None,
        extensions: Extensions::default(),
        origin,
    });
    name
}

fn requirement(schemes: &[AuthScheme], name: &str) -> SecurityRequirement {
    let scopes = schemes
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| match &s.kind {
            AuthKind::OAuth2 { flows } => flows
                .first()
                .map(|f| f.scopes.iter().map(|(n, _)| n.clone()).collect()),
            _ => None,
        })
        .unwrap_or_default();
    SecurityRequirement {
        schemes: vec![(name.to_string(), scopes)],
    }
}

fn media_of(v: &str) -> String {
    v.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Reads a JSON body with the loader's tolerances (comments, trailing commas); `{{variables}}`
/// written outside strings become their value when it is a JSON literal, else `null`.
fn parse_json_body(text: &str, vars: &[(String, String)]) -> Option<Json> {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '"' {
            in_string = true;
        } else if rest.starts_with("{{") {
            if let Some(end) = rest[2..].find("}}") {
                let name = rest[2..2 + end].trim();
                let value = lookup(vars, name)
                    .filter(|v| {
                        serde_json::from_str::<Json>(v)
                            .is_ok_and(|j| !j.is_object() && !j.is_array())
                    })
                    .unwrap_or("null");
                out.push_str(value);
                rest = &rest[end + 4..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    json::parse(&out, 256).ok().map(|p| p.root.to_json())
}

type SavedResponse = (StatusKey, String, Option<String>, Vec<Json>, bool, Origin);

fn saved(r: &Saved<'_>, origin: &Origin) -> SavedResponse {
    let status = match r.code {
        Some(c) if (100..=599).contains(&c) => StatusKey::Code(c),
        _ => StatusKey::Default,
    };
    let description = r
        .status
        .clone()
        .or_else(|| r.name.clone())
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| "Response".into());
    let body = r.body.as_deref().unwrap_or("");
    if body.trim().is_empty() {
        return (status, description, None, Vec::new(), false, origin.clone());
    }
    let media = r
        .content_type
        .as_deref()
        .map(media_of)
        .filter(|m| !m.is_empty());
    let jsonish = media.as_deref().map_or_else(
        || body.trim_start().starts_with(['{', '[']),
        |m| m.contains("json"),
    );
    if jsonish {
        if let Some(v) = parse_json_body(body, &[]) {
            let media = media.unwrap_or_else(|| "application/json".into());
            return (
                status,
                description,
                Some(media),
                vec![v],
                false,
                origin.clone(),
            );
        }
    }
    let media = media.unwrap_or_else(|| "text/plain".into());
    (
        status,
        description,
        Some(media),
        vec![Json::String(body.to_string())],
        true,
        origin.clone(),
    )
}

fn merge_responses(into: &mut Vec<SavedResponse>, new: Vec<SavedResponse>) {
    for r in new {
        match into.iter_mut().find(|x| x.0 == r.0) {
            Some(x) if x.2.is_none() => *x = r,
            Some(x) if r.2.is_none() || x.2 == r.2 => x.3.extend(r.3),
            Some(_) => {}
            None => into.push(r),
        }
    }
}

/// A path with its parameter names blanked (`/a/{x}` and `/a/{y}` are one OpenAPI path).
fn normalized(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('{');
            }
            '}' => {
                depth -= 1;
                out.push('}');
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// The `{names}` of a path template, in order.
fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
        .collect()
}

/// An operation id from the request name: words in UpperCamelCase, ASCII letters and digits
/// only, not starting with a digit, at most 80 characters, unique.
fn operation_id(name: &str, method: Method, path: &str, used: &mut HashSet<String>) -> String {
    let words: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut id = words.to_upper_camel_case();
    if id.is_empty() {
        id = generated_id(method, path).to_upper_camel_case();
    }
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert_str(0, "Op");
    }
    id.truncate(76);
    let base = id.clone();
    let mut k = 2;
    while !used.insert(id.to_ascii_lowercase()) {
        id = format!("{base}{k}");
        k += 1;
    }
    id
}

fn server_of(url: &str, vars: &[String]) -> Option<Server> {
    if url.is_empty() {
        return None;
    }
    let mut variables: Vec<ServerVariable> = Vec::new();
    for v in vars {
        let name = template_name(v);
        if variables.iter().any(|x| x.name == name) {
            continue;
        }
        variables.push(ServerVariable {
            name,
            default: Some(String::new()),
            allowed: Vec::new(),
            description: Some(format!("The Postman variable `{{{{{v}}}}}`.")),
        });
    }
    Some(Server {
        url: url.to_string(),
        description: None,
        variables,
    })
}

/// Host, base path and scheme of a server URL (no host when it is a variable).
fn split_server(url: &str) -> (Option<String>, Option<String>, Vec<String>) {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (Some(s.to_string()), r),
        None => (None, url),
    };
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = Some(host.to_string()).filter(|h| !h.is_empty() && !h.contains(['{', '}']));
    let path = Some(path.to_string()).filter(|p| !p.is_empty());
    (
        host,
        path,
        scheme
            .filter(|s| !s.contains(['{', '}']))
            .into_iter()
            .collect(),
    )
}

fn finish(ctx: &mut Ctx<'_>, s: Slot) -> Operation {
    let Slot {
        mut op,
        bodies,
        body_origin,
        responses,
        merged,
    } = s;
    if !merged.is_empty() {
        // The merged requests stay visible in the written definition too.
        let list: Vec<String> = merged.iter().map(|n| format!("“{n}”")).collect();
        let note = format!("Also covers the Postman requests {}.", list.join(", "));
        op.description = Some(match op.description.take() {
            Some(d) => format!("{d}\n\n{note}"),
            None => note,
        });
    }
    let text_schema = |ctx: &mut Ctx<'_>, examples: &[Json], origin: &Origin| {
        ctx.types.add(Schema {
            types: vec![SchemaType::String],
            format: examples.is_empty().then(|| "binary".to_string()),
            example: examples.first().cloned(),
            origin: origin.clone(),
            ..Schema::default()
        })
    };
    if !bodies.is_empty() {
        let origin = body_origin.unwrap_or_else(|| op.origin.clone());
        let content = bodies
            .iter()
            .map(|(media, examples, text)| {
                let schema = if *text {
                    text_schema(ctx, examples, &origin)
                } else {
                    let refs: Vec<&Json> = examples.iter().collect();
                    infer(&mut ctx.types, &refs, &origin)
                };
                MediaType {
                    media_type: media.clone(),
                    schema: Some(schema),
                }
            })
            .collect();
        op.request_body = Some(RequestBody {
            content,
            required: true,
            description: None,
            parameter_name: Some("body".into()),
            origin,
        });
    }
    for (status, description, media, examples, text, origin) in responses {
        let content = match media {
            Some(m) => {
                let schema = if examples.is_empty() {
                    None
                } else if text {
                    Some(text_schema(ctx, &examples[..1], &origin))
                } else {
                    let refs: Vec<&Json> = examples.iter().collect();
                    Some(infer(&mut ctx.types, &refs, &origin))
                };
                if !op.produces.contains(&m) {
                    op.produces.push(m.clone());
                }
                vec![MediaType {
                    media_type: m,
                    schema,
                }]
            }
            None => Vec::new(),
        };
        op.responses.push(Response {
            status,
            description: Some(description),
            content,
            headers: Vec::new(),
            extensions: Extensions::default(),
            origin,
        });
    }
    if op.responses.is_empty() {
        op.responses.push(Response {
            status: StatusKey::Code(200),
            description: Some("OK".into()),
            content: Vec::new(),
            headers: Vec::new(),
            extensions: Extensions::default(),
            origin: op.origin.clone(),
        });
    }
    op
}
