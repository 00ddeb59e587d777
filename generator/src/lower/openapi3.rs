//! OpenAPI 3.0 / 3.1 → model.

use super::common::Info;
use super::swagger2::{finish_operations, scopes, PendingOp};
use super::Ctx;
use crate::load::node::{Node, PointerBuf};
use crate::location::FileId;
use crate::model::*;

pub(super) fn lower<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
    root: &'a Node,
    version: String,
    is_31: bool,
) -> Connector {
    let ptr = PointerBuf::root();
    let info: Info = ctx.info(file, root);
    let metadata = ctx.metadata(file, root, &info);
    let servers = servers(ctx, file, root, &ptr);
    let security = ctx.security(file, root, &ptr).unwrap_or_default();
    let components = ctx.obj_field(file, root, &ptr, "components");
    let cptr = ptr.join("components");
    let mut auth = Vec::new();
    if let Some(c) = components {
        if let Some(schemas) = ctx.obj_field(file, c, &cptr, "schemas") {
            ctx.register_definitions(file, schemas, &cptr.join("schemas"));
        }
        if let Some(schemes) = ctx.obj_field(file, c, &cptr, "securitySchemes") {
            auth = security_schemes(ctx, file, schemes, &cptr.join("securitySchemes"));
        }
    }
    let mut operations: Vec<PendingOp<'a>> = Vec::new();
    for (section, origin) in [("paths", Origin::Path), ("webhooks", Origin::Webhook)] {
        if let Some(map) = ctx.obj_field(file, root, &ptr, section) {
            for (key, ifile, item, iptr) in ctx.resolved_members(file, map, &ptr.join(section)) {
                path_item(
                    ctx,
                    ifile,
                    item,
                    &iptr,
                    key,
                    origin.clone(),
                    &mut operations,
                );
            }
        }
    }
    ctx.drain_schemas();
    finish_operations(ctx, &mut operations);
    let (host, base_path, schemes) = split_server(servers.first());
    Connector {
        name: String::new(),
        title: info.title,
        description: info.description,
        version: info.version,
        format: if is_31 {
            SpecFormat::OpenApi31(version)
        } else {
            SpecFormat::OpenApi30(version)
        },
        host,
        base_path,
        schemes,
        servers,
        consumes: Vec::new(),
        produces: Vec::new(),
        auth,
        security,
        connection: None,
        settings: None,
        policies: Vec::new(),
        operations: operations.into_iter().map(|p| p.op).collect(),
        types: std::mem::take(&mut ctx.types),
        metadata,
        extensions: ctx.extensions(file, root, &ptr),
        origin: ctx.origin(file, &ptr, root),
    }
}

/// Host, base path and scheme of a server URL, with variables replaced by their defaults.
fn split_server(server: Option<&Server>) -> (Option<String>, Option<String>, Vec<String>) {
    let Some(server) = server else {
        return (None, None, Vec::new());
    };
    let url = server.url_with_defaults();
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = match rest.find('/') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            };
            let path = path.trim_end_matches('/');
            (
                Some(host.to_string()),
                Some(if path.is_empty() {
                    "/".to_string()
                } else {
                    path.to_string()
                }),
                vec![scheme.to_ascii_lowercase()],
            )
        }
        None => (
            None,
            Some(if url.is_empty() { "/".into() } else { url }),
            Vec::new(),
        ),
    }
}

fn servers<'a>(ctx: &mut Ctx<'a>, file: FileId, node: &'a Node, ptr: &PointerBuf) -> Vec<Server> {
    let Some(list) = ctx.array_field(file, node, ptr, "servers") else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|s| {
            let url = s.get_str("url")?.to_string();
            let variables = s
                .get("variables")
                .and_then(Node::as_object)
                .unwrap_or(&[])
                .iter()
                .map(|v| ServerVariable {
                    name: v.key.clone(),
                    default: v.value.get("default").map(|d| {
                        d.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| d.to_json().to_string())
                    }),
                    allowed: v
                        .value
                        .get("enum")
                        .and_then(Node::as_array)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|e| e.as_str().map(str::to_string))
                        .collect(),
                    description: v.value.get_str("description").map(str::to_string),
                })
                .collect();
            Some(Server {
                url,
                description: s.get_str("description").map(str::to_string),
                variables,
            })
        })
        .collect()
}

fn security_schemes<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
    map: &'a Node,
    ptr: &PointerBuf,
) -> Vec<AuthScheme> {
    let mut out = Vec::new();
    for m in map.as_object().unwrap_or(&[]) {
        let site = ptr.join(&m.key);
        let Some((sfile, n, sptr)) = ctx.follow(file, &m.value, &site) else {
            continue;
        };
        let kind = match n.get_str("type") {
            Some("apiKey") => AuthKind::ApiKey {
                name: ctx.str_field(sfile, n, &sptr, "name").unwrap_or_default(),
                location: match n.get_str("in") {
                    Some("header") => ApiKeyLocation::Header,
                    Some("query") => ApiKeyLocation::Query,
                    Some("cookie") => ApiKeyLocation::Cookie,
                    other => ApiKeyLocation::Other(other.unwrap_or("").to_string()),
                },
            },
            Some("http") => match n.get_str("scheme").map(str::to_ascii_lowercase).as_deref() {
                Some("basic") => AuthKind::Basic,
                Some("bearer") => AuthKind::Bearer {
                    format: n.get_str("bearerFormat").map(str::to_string),
                },
                other => AuthKind::Http {
                    scheme: other.unwrap_or("").to_string(),
                },
            },
            Some("oauth2") => {
                let mut flows = Vec::new();
                for f in n.get("flows").and_then(Node::as_object).unwrap_or(&[]) {
                    let kind = match f.key.as_str() {
                        "authorizationCode" => OAuthFlowKind::AuthorizationCode,
                        "implicit" => OAuthFlowKind::Implicit,
                        "password" => OAuthFlowKind::Password,
                        "clientCredentials" => OAuthFlowKind::ClientCredentials,
                        other => OAuthFlowKind::Other(other.to_string()),
                    };
                    let s = |k: &str| f.value.get_str(k).map(str::to_string);
                    flows.push(OAuthFlow {
                        kind,
                        authorization_url: s("authorizationUrl"),
                        token_url: s("tokenUrl"),
                        refresh_url: s("refreshUrl"),
                        scopes: scopes(f.value.get("scopes")),
                    });
                }
                AuthKind::OAuth2 { flows }
            }
            Some("openIdConnect") => AuthKind::OpenIdConnect {
                url: n.get_str("openIdConnectUrl").map(str::to_string),
            },
            other => AuthKind::Other(other.unwrap_or("").to_string()),
        };
        out.push(AuthScheme {
            name: m.key.clone(),
            kind,
            description: ctx.str_field(sfile, n, &sptr, "description"),
            extensions: ctx.extensions(sfile, n, &sptr),
            origin: ctx.origin(sfile, &sptr, n),
        });
    }
    out
}

/// Where a path item stands, which decides what its operations are.
#[derive(Clone)]
enum Origin {
    /// Under `paths`: actions or triggers by their extensions.
    Path,
    /// Under `webhooks` (3.1): webhook triggers.
    Webhook,
    /// A callback of the operation with this id (3.0/3.1): webhook triggers it subscribes.
    Callback(String, String),
}

fn content<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
    node: &'a Node,
    ptr: &PointerBuf,
) -> Vec<MediaType> {
    let Some(map) = ctx.obj_field(file, node, ptr, "content") else {
        return Vec::new();
    };
    let cptr = ptr.join("content");
    map.as_object()
        .unwrap_or(&[])
        .iter()
        .map(|m| MediaType {
            media_type: m.key.clone(),
            schema: m
                .value
                .get("schema")
                .map(|s| ctx.schema(file, s, cptr.join(&m.key).join("schema"))),
        })
        .collect()
}

fn path_item<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
    item: &'a Node,
    ptr: &PointerBuf,
    path: &str,
    origin: Origin,
    out: &mut Vec<PendingOp<'a>>,
) {
    let Some(members) = item.as_object() else {
        return;
    };
    let path_params = item.get("parameters");
    for m in members {
        let Some(method) = Method::from_key(&m.key) else {
            continue;
        };
        let optr = ptr.join(&m.key);
        let opn = &m.value;
        if opn.as_object().is_none() {
            continue;
        }
        let mut op = ctx.operation_shell(file, opn, &optr, method, path);
        let mut own = servers(ctx, file, opn, &optr);
        if own.is_empty() {
            own = servers(ctx, file, item, ptr);
        }
        if !own.is_empty() {
            op.rare_mut().servers = own;
        }
        if let Origin::Callback(parent, name) = &origin {
            if op.id_generated {
                op.id = format!("{parent}_{name}_{}", method.as_str().to_ascii_lowercase());
            }
        } else if let (Origin::Webhook, true) = (&origin, op.id_generated) {
            op.id = format!(
                "webhook_{}",
                super::common::generated_id(method, path)
                    .split_once('_')
                    .map_or("", |x| x.1)
            );
        }
        let resolved = ctx.merged_parameters(
            file,
            [
                (path_params, ptr.join("parameters")),
                (opn.get("parameters"), optr.join("parameters")),
            ],
        );
        for (pfile, pnode, pptr, use_site) in resolved {
            let schema = match pnode.get("schema") {
                Some(s) => ctx.schema(pfile, s, pptr.join("schema")),
                None => content(ctx, pfile, pnode, &pptr)
                    .into_iter()
                    .find_map(|m| m.schema)
                    .unwrap_or_else(|| ctx.types.add(Schema::default())),
            };
            let mut param = ctx.parameter_shell(pfile, pnode, &pptr, use_site, schema);
            let default_style = match param.location {
                ParameterLocation::Query | ParameterLocation::Cookie => "form",
                _ => "simple",
            };
            let style = pnode.get_str("style").unwrap_or(default_style).to_string();
            let explode = pnode
                .get("explode")
                .and_then(Node::as_bool)
                .unwrap_or(style == "form");
            param.serialization = Some(Serialization::Style { style, explode });
            op.parameters.push(param);
        }
        if let Some(rb) = opn.get("requestBody") {
            let site = optr.join("requestBody");
            if let Some((rfile, rnode, rptr)) = ctx.follow(file, rb, &site) {
                let content = content(ctx, rfile, rnode, &rptr);
                op.consumes = content.iter().map(|m| m.media_type.clone()).collect();
                op.request_body = Some(RequestBody {
                    content,
                    required: ctx
                        .bool_field(rfile, rnode, &rptr, "required")
                        .unwrap_or(false),
                    description: ctx.str_field(rfile, rnode, &rptr, "description"),
                    parameter_name: rnode
                        .get_str("x-bodyName")
                        .or_else(|| rnode.get_str("x-codegen-request-body-name"))
                        .map(str::to_string),
                    origin: ctx.origin(rfile, &rptr, rnode),
                });
            }
        }
        if let Some(responses) = ctx.obj_field(file, opn, &optr, "responses") {
            let rptr = optr.join("responses");
            for r in responses.as_object().unwrap_or(&[]) {
                if r.key.starts_with("x-") {
                    continue;
                }
                let site = rptr.join(&r.key);
                let Some((rfile, rnode, rp)) = ctx.follow(file, &r.value, &site) else {
                    continue;
                };
                let content = content(ctx, rfile, rnode, &rp);
                for m in &content {
                    if !op.produces.contains(&m.media_type) {
                        op.produces.push(m.media_type.clone());
                    }
                }
                let mut headers = Vec::new();
                if let Some(h) = rnode.get("headers").and_then(Node::as_object) {
                    let hptr = rp.join("headers");
                    for hm in h {
                        let hsite = hptr.join(&hm.key);
                        let Some((hfile, hnode, hp)) = ctx.follow(rfile, &hm.value, &hsite) else {
                            continue;
                        };
                        let schema = match hnode.get("schema") {
                            Some(s) => ctx.schema(hfile, s, hp.join("schema")),
                            None => ctx.types.add(Schema::default()),
                        };
                        headers.push(Header {
                            name: hm.key.clone(),
                            schema,
                            description: hnode.get_str("description").map(str::to_string),
                        });
                    }
                }
                op.responses.push(Response {
                    status: StatusKey::parse(&r.key),
                    description: rnode.get_str("description").map(str::to_string),
                    content,
                    headers,
                    extensions: ctx.extensions(rfile, rnode, &rp),
                    origin: ctx.origin(rfile, &rp, rnode),
                });
            }
        }
        let notification = |op: &Operation| {
            op.request_body.as_ref().map(|b| NotificationContent {
                description: b.description.clone(),
                schema: b.content.iter().find_map(|m| m.schema),
                origin: b.origin.clone(),
            })
        };
        let fixed = match &origin {
            Origin::Path => None,
            Origin::Webhook => Some(None),
            Origin::Callback(parent, _) => Some(Some(parent.clone())),
        };
        if let Some(subscribed_by) = fixed.clone() {
            op.kind = OperationKind::WebhookTrigger {
                mode: None,
                notification_url_param: None,
                notification: notification(&op),
                subscribed_by,
            };
        }
        // Callbacks of this operation become webhook triggers that it subscribes.
        let mut callback_ops = Vec::new();
        if let Some(callbacks) = opn.get("callbacks").and_then(Node::as_object) {
            let cbptr = optr.join("callbacks");
            for cb in callbacks {
                let site = cbptr.join(&cb.key);
                let Some((cfile, cnode, cptr)) = ctx.follow(file, &cb.value, &site) else {
                    continue;
                };
                let origin = Origin::Callback(op.id.clone(), cb.key.clone());
                for (expr, efile, enode, eptr) in ctx.resolved_members(cfile, cnode, &cptr) {
                    path_item(
                        ctx,
                        efile,
                        enode,
                        &eptr,
                        expr,
                        origin.clone(),
                        &mut callback_ops,
                    );
                }
            }
        }
        let path_notification = ctx.notification_content(file, item, ptr);
        let op_notification = ctx.notification_content(file, opn, &optr);
        out.push(PendingOp {
            op,
            trigger: opn.get("x-ms-trigger"),
            path_notification,
            op_notification,
            fixed: fixed.is_some(),
        });
        out.extend(callback_ops);
    }
}
