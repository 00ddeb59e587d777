//! Read requests → operations, servers, parameters, inferred schemas and security schemes:
//! the collection's main server first, then each request through the passes of
//! [`super::request`], merged into one operation per method and path.

use super::bodies::{finish, media_of, merge_responses, saved};
use super::parts::{label, origin, Slot, Target};
use super::paths::{operation_id, server_of, split_server, target, template_names};
use super::request::{admit, auth_and_headers, body, path_params, query_params, Auth};
use super::schemes::{requirement, scheme_for};
use super::url::{template_name, templated};
use super::{Body, Collection, Req};
use crate::diagnostics::{codes, Diagnostic};
use crate::load::node::{Node, PointerBuf};
use crate::location::FileId;
use crate::lower::Ctx;
use crate::model::*;
use std::collections::{HashMap, HashSet};

use super::parts::{note_undefined, Bodies, SavedResponse};

/// The connector's own server: the origin most requests go to, the base path a
/// `{{baseUrl}}`-like variable adds on it (common to those requests), and its variables.
struct Main {
    origin: String,
    base: Vec<String>,
    vars: Vec<String>,
}

fn main_server(targets: &[Option<Target>]) -> Main {
    // Where every request goes, to find the connector's own server.
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
    Main {
        origin: main_origin,
        base,
        vars: main_vars,
    }
}

/// One request, through the passes: what it adds to an operation.
struct Parts {
    label: String,
    method: Method,
    path: String,
    shape: String,
    on_main: bool,
    target: Target,
    params: Vec<Parameter>,
    security: Option<Vec<SecurityRequirement>>,
    bodies: Bodies,
    consumes: Vec<String>,
    responses: Vec<SavedResponse>,
    produces: Option<String>,
}

pub(super) fn build<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
    root: &'a Node,
    c: Collection<'a>,
) -> Connector {
    let origin_of = |ptr: &PointerBuf, node: &Node| origin(file, ptr, node);
    // Where every request goes, to find the connector's own server.
    let targets: Vec<Option<Target>> = c.requests.iter().map(target).collect();
    let main = main_server(&targets);
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
    let mut auth = Auth {
        schemes: auth_schemes,
        unsupported: unsupported_auth,
        collection: collection_scheme,
    };
    let mut undefined: HashSet<String> = HashSet::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut slots: Vec<Slot> = Vec::new();
    let mut by_key: HashMap<(Method, String), usize> = HashMap::new();
    let mut canonical: HashMap<String, String> = HashMap::new();
    for (req, t) in c.requests.iter().zip(targets) {
        let Some(p) = request(
            ctx,
            file,
            req,
            t,
            &main,
            &mut auth,
            &mut canonical,
            &mut undefined,
        ) else {
            continue;
        };
        let key = (p.method, p.shape.clone());
        match by_key.get(&key) {
            Some(&i) => merge(ctx, file, req, &mut slots[i], p),
            None => {
                by_key.insert(key, slots.len());
                slots.push(new_slot(file, req, p, &mut used_ids));
            }
        }
    }
    let main_origin = main.origin;
    let base = main.base;
    let main_vars = main.vars;
    let auth_schemes = auth.schemes;
    let collection_scheme = auth.collection;
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

/// Runs one request through the passes; `None` when it does not become an operation.
#[allow(clippy::too_many_arguments)]
fn request(
    ctx: &mut Ctx<'_>,
    file: FileId,
    req: &Req<'_>,
    t: Option<Target>,
    main: &Main,
    auth: &mut Auth,
    canonical: &mut HashMap<String, String>,
    undefined: &mut HashSet<String>,
) -> Option<Parts> {
    let origin_of = |ptr: &PointerBuf, node: &Node| origin(file, ptr, node);
    let label = label(req);
    let (t, method) = admit(ctx, file, req, t, &label)?;
    for v in &t.server_vars {
        note_undefined(
            ctx,
            file,
            req,
            v,
            format!("it becomes the server variable `{{{}}}`", template_name(v)),
            undefined,
        );
    }
    // The path: the variable prefix beyond the connector's base path, then the URL's own.
    let mut segments: Vec<String> = t.prefix.clone();
    segments.extend(t.path.iter().filter(|s| !s.is_empty()).cloned());
    let on_main = t.origin == main.origin && segments.starts_with(&main.base);
    if on_main {
        segments.drain(..main.base.len());
    }
    let (mut path, mut params) =
        path_params(ctx, file, req, &segments, t.trailing_slash, undefined);
    query_params(ctx, file, req, &t, &mut params, undefined);
    let security = auth_and_headers(ctx, file, req, auth, &mut params, undefined);
    let (bodies, consumes) = body(ctx, file, req, &label, &mut params);
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
    let shape = template_shape(&path);
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
    Some(Parts {
        label,
        method,
        path,
        shape,
        on_main,
        target: t,
        params,
        security,
        bodies,
        consumes,
        responses,
        produces,
    })
}

/// A request with the method and path of an earlier one: its parameters, bodies, media types
/// and responses join that operation.
fn merge(ctx: &mut Ctx<'_>, file: FileId, req: &Req<'_>, slot: &mut Slot, p: Parts) {
    let Parts {
        label,
        method,
        params,
        bodies,
        consumes,
        responses,
        ..
    } = p;
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
}

/// A request that starts an operation.
fn new_slot(file: FileId, req: &Req<'_>, p: Parts, used_ids: &mut HashSet<String>) -> Slot {
    let origin_of = |ptr: &PointerBuf, node: &Node| origin(file, ptr, node);
    let Parts {
        method,
        path,
        on_main,
        target: t,
        params,
        security,
        bodies,
        consumes,
        responses,
        produces,
        ..
    } = p;
    let id = operation_id(&req.name, method, &path, used_ids);
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
        deprecated: false,
        rare: Rare::of(OperationRare {
            security,
            servers,
            ..OperationRare::default()
        }),
        extensions: Extensions::default(),
        origin: origin_of(&req.ptr, req.node),
    };
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
    slot
}
