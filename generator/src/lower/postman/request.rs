//! The passes over one request: whether it becomes an operation at all, its path and path
//! parameters, its query, its auth and headers, its body.

use super::bodies::{media_of, parse_json_body};
use super::infer::scalar_type;
use super::params::{add_values, parameter, row, set_values, typed, value_type, values_of};
use super::parts::{note_undefined, origin, printable_scheme, skipped, Bodies, Target};
use super::schemes::{add_scheme, requirement, scheme_for};
use super::url::{lookup, template_name, templated};
use super::{Body, Req};
use crate::diagnostics::{codes, Diagnostic};
use crate::load::node::{Node, PointerBuf};
use crate::location::FileId;
use crate::lower::Ctx;
use crate::model::*;
use serde_json::Value as Json;
use std::collections::HashSet;

/// The security schemes of the collection, as the requests add to them.
pub(super) struct Auth {
    pub schemes: Vec<AuthScheme>,
    /// Auth types already reported as unsupported.
    pub unsupported: HashSet<String>,
    /// The collection's own scheme, which requests inherit.
    pub collection: Option<String>,
}

/// Whether a request becomes an operation: it has an http(s) URL and a method OpenAPI has.
/// Says why not when it does not, and warns of credentials in its URL.
pub(super) fn admit(
    ctx: &mut Ctx<'_>,
    file: FileId,
    req: &Req<'_>,
    t: Option<Target>,
    label: &str,
) -> Option<(Target, Method)> {
    let Some(t) = t else {
        skipped(ctx, file, req, format!("request “{label}” has no URL"));
        return None;
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
            return None;
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
        return None;
    };
    Some((t, method))
}

/// The request's path below the connector's base path, and its path parameters: `:name` and
/// `{name}` segments, and `{{variable}}`s (whose collection values become defaults).
pub(super) fn path_params(
    ctx: &mut Ctx<'_>,
    file: FileId,
    req: &Req<'_>,
    segments: &[String],
    trailing_slash: bool,
    undefined: &mut HashSet<String>,
) -> (String, Vec<Parameter>) {
    let origin_of = |ptr: &PointerBuf, node: &Node| origin(file, ptr, node);
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
                    undefined,
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
    if path.is_empty() || trailing_slash {
        path.push('/');
    }
    (path, params)
}

/// Query parameters: the `url.query` rows, or the raw URL's.
pub(super) fn query_params(
    ctx: &mut Ctx<'_>,
    file: FileId,
    req: &Req<'_>,
    t: &Target,
    params: &mut Vec<Parameter>,
    undefined: &mut HashSet<String>,
) {
    let origin_of = |ptr: &PointerBuf, node: &Node| origin(file, ptr, node);
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
        params,
        ParameterLocation::Query,
        query_rows,
        undefined,
    );
}

/// The request's security (the request's own or inherited auth, else an `Authorization`
/// header; `None` when it is the collection's) and its other headers as parameters.
pub(super) fn auth_and_headers(
    ctx: &mut Ctx<'_>,
    file: FileId,
    req: &Req<'_>,
    auth: &mut Auth,
    params: &mut Vec<Parameter>,
    undefined: &mut HashSet<String>,
) -> Option<Vec<SecurityRequirement>> {
    let origin_of = |ptr: &PointerBuf, node: &Node| origin(file, ptr, node);
    // Auth: the request's own or inherited setting, else an `Authorization` header.
    let mut scheme = match &req.auth {
        Some((n, p)) => scheme_for(
            ctx,
            file,
            n,
            p,
            &req.vars,
            &mut auth.schemes,
            &mut auth.unsupported,
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
            scheme = Some(add_scheme(&mut auth.schemes, kind, base_name, origin));
        }
    }
    let api_key_header = scheme.as_ref().and_then(|s| {
        auth.schemes
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
        params,
        ParameterLocation::Header,
        header_rows,
        undefined,
    );
    if scheme == auth.collection {
        None
    } else {
        Some(
            scheme
                .iter()
                .map(|s| requirement(&auth.schemes, s))
                .collect(),
        )
    }
}

/// Body examples by media type, the media types consumed, and form fields as parameters.
pub(super) fn body(
    ctx: &mut Ctx<'_>,
    file: FileId,
    req: &Req<'_>,
    label: &str,
    params: &mut Vec<Parameter>,
) -> (Bodies, Vec<String>) {
    let origin_of = |ptr: &PointerBuf, node: &Node| origin(file, ptr, node);
    // Body.
    let content_type = req
        .headers
        .iter()
        .find(|h| !h.disabled && h.key.eq_ignore_ascii_case("content-type"))
        .map(|h| media_of(&h.value))
        .filter(|m| !m.is_empty() && !m.contains("{{"));
    let mut bodies: Bodies = Vec::new();
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
    (bodies, consumes)
}
