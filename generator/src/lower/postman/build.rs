//! Read requests → operations, servers, parameters, inferred schemas and security schemes.

use super::bodies::{finish, media_of, merge_responses, parse_json_body, saved, SavedResponse};
use super::infer::scalar_type;
use super::params::{add_values, parameter, row, set_values, typed, value_type, values_of};
use super::paths::{normalized, operation_id, server_of, split_server, target, template_names};
use super::schemes::{add_scheme, requirement, scheme_for};
use super::url::{lookup, template_name, templated};
use super::{Body, Collection, Req};
use crate::diagnostics::{codes, Diagnostic};
use crate::load::node::{Node, PointerBuf};
use crate::load::source::FileId;
use crate::lower::Ctx;
use crate::model::*;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};

/// Where a request goes: its origin (scheme, host, port; `{variables}` for unknown parts), the
/// path segments a `{{baseUrl}}`-like variable contributed, and the URL's own path segments.
pub(super) struct Target {
    pub origin: String,
    pub server_vars: Vec<String>,
    pub prefix: Vec<String>,
    pub path: Vec<String>,
    pub query: Vec<(String, String)>,
    pub trailing_slash: bool,
    /// The URL carried credentials (`user:password@`, often through a variable): they were
    /// taken out of the origin.
    pub had_credentials: bool,
}

/// One operation being assembled from one or more requests.
pub(super) struct Slot {
    pub op: Operation,
    /// Request body examples by media type (text bodies keep `None` for the schema-less case).
    pub bodies: Vec<(String, Vec<Json>, bool)>,
    pub body_origin: Option<Origin>,
    /// Saved responses by status: description, media type, examples, text-only.
    pub responses: Vec<SavedResponse>,
    /// Names of the requests merged into this operation after the first.
    pub merged: Vec<String>,
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
        // Only the web: a `file://` (or any other scheme's) request would become a path on
        // the connector's host.
        if let Some((scheme, _)) = t.origin.split_once("://") {
            let plain = !scheme.contains(['{', '}']);
            if plain && !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
                skipped(
                    ctx,
                    file,
                    req,
                    format!(
                        "request “{label}” goes to a `{}:` URL; only http and https requests become operations",
                        printable_scheme(scheme)
                    ),
                );
                continue;
            }
        }
        if t.had_credentials {
            ctx.push(
                Diagnostic::new(
                    &codes::POSTMAN_CREDENTIALS_IN_URL,
                    format!(
                        "the URL of request “{label}” carries credentials (user:…@); they were left out of its host"
                    ),
                )
                .at(file, req.node.member("name").map_or(req.node.span, |m| m.value.span))
                .pointer(req.ptr.as_string())
                .help("give the credentials as the request's or the collection's auth (basic), not in the URL"),
            );
        }
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

/// A URL scheme as written, for a message (at most 20 characters).
fn printable_scheme(scheme: &str) -> String {
    scheme.chars().take(20).collect()
}

pub(super) fn skipped(ctx: &mut Ctx<'_>, file: FileId, req: &Req<'_>, message: String) {
    ctx.push(
        Diagnostic::new(&codes::POSTMAN_REQUEST_SKIPPED, message)
            .at(file, req.node.member("name").map_or(req.node.span, |m| m.value.span))
            .pointer(req.ptr.as_string())
            .help("the request is left out of the converted definition; change it if it should be an operation"),
    );
}

/// Says once per variable that `{{name}}` has no value (Postman's own `{{$guid}}`-like dynamic
/// variables are filled when sending, so they are not reported).
pub(super) fn note_undefined(
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
