//! Swagger 2.0 → model.

use super::common::Info;
use super::Ctx;
use crate::load::node::{Node, PointerBuf, Value};
use crate::location::FileId;
use crate::model::*;

pub(super) fn lower<'a>(ctx: &mut Ctx<'a>, file: FileId, root: &'a Node) -> Connector {
    let ptr = PointerBuf::root();
    let info: Info = ctx.info(file, root);
    let metadata = ctx.metadata(file, root, &info);
    let host = ctx.str_field(file, root, &ptr, "host");
    let base_path = ctx.str_field(file, root, &ptr, "basePath");
    let schemes = ctx.str_list(file, root, &ptr, "schemes");
    let consumes = ctx.str_list(file, root, &ptr, "consumes");
    let produces = ctx.str_list(file, root, &ptr, "produces");
    let security = ctx.security(file, root, &ptr).unwrap_or_default();
    let auth = security_definitions(ctx, file, root);
    if let Some(defs) = ctx.obj_field(file, root, &ptr, "definitions") {
        ctx.register_definitions(file, defs, &ptr.join("definitions"));
    }
    let mut operations = Vec::new();
    if let Some(paths) = ctx.obj_field(file, root, &ptr, "paths") {
        for (key, ifile, item, iptr) in ctx.resolved_members(file, paths, &ptr.join("paths")) {
            path_item(
                ctx,
                ifile,
                item,
                &iptr,
                key,
                &consumes,
                &produces,
                &mut operations,
            );
        }
    }
    ctx.drain_schemas();
    finish_operations(ctx, &mut operations);
    let servers = host
        .iter()
        .map(|h| {
            let scheme = schemes.first().map(String::as_str).unwrap_or("https");
            Server {
                url: format!("{scheme}://{h}{}", base_path.as_deref().unwrap_or("")),
                description: None,
                variables: Vec::new(),
            }
        })
        .collect();
    Connector {
        name: String::new(),
        title: info.title,
        description: info.description,
        version: info.version,
        format: SpecFormat::Swagger2,
        host,
        base_path,
        schemes,
        servers,
        consumes,
        produces,
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

/// An operation with what classification still needs once every schema is lowered.
pub(super) struct PendingOp<'a> {
    pub op: Operation,
    pub trigger: Option<&'a Node>,
    pub path_notification: Option<NotificationContent>,
    pub op_notification: Option<NotificationContent>,
    /// The kind is already known (OpenAPI webhooks and callbacks).
    pub fixed: bool,
}

pub(super) fn finish_operations(ctx: &mut Ctx<'_>, ops: &mut [PendingOp<'_>]) {
    for p in ops.iter_mut().filter(|p| !p.fixed) {
        let (pn, on) = (p.path_notification.take(), p.op_notification.take());
        ctx.classify(&mut p.op, p.trigger, pn, on);
    }
}

fn security_definitions<'a>(ctx: &mut Ctx<'a>, file: FileId, root: &'a Node) -> Vec<AuthScheme> {
    let ptr = PointerBuf::root();
    let Some(defs) = ctx.obj_field(file, root, &ptr, "securityDefinitions") else {
        return Vec::new();
    };
    let dptr = ptr.join("securityDefinitions");
    let mut out = Vec::new();
    for m in defs.as_object().unwrap_or(&[]) {
        let sptr = dptr.join(&m.key);
        let n = &m.value;
        let kind = match n.get_str("type") {
            Some("apiKey") => AuthKind::ApiKey {
                name: ctx.str_field(file, n, &sptr, "name").unwrap_or_default(),
                location: match n.get_str("in") {
                    Some("header") => ApiKeyLocation::Header,
                    Some("query") => ApiKeyLocation::Query,
                    other => ApiKeyLocation::Other(other.unwrap_or("").to_string()),
                },
            },
            Some("basic") => AuthKind::Basic,
            Some("oauth2") => {
                let flow = n.get_str("flow").unwrap_or("");
                let kind = match flow {
                    "accessCode" => OAuthFlowKind::AuthorizationCode,
                    "implicit" => OAuthFlowKind::Implicit,
                    "password" => OAuthFlowKind::Password,
                    "application" => OAuthFlowKind::ClientCredentials,
                    other => OAuthFlowKind::Other(other.to_string()),
                };
                AuthKind::OAuth2 {
                    flows: vec![OAuthFlow {
                        kind,
                        authorization_url: ctx.str_field(file, n, &sptr, "authorizationUrl"),
                        token_url: ctx.str_field(file, n, &sptr, "tokenUrl"),
                        refresh_url: ctx.str_field(file, n, &sptr, "refreshUrl"),
                        scopes: scopes(n.get("scopes")),
                    }],
                }
            }
            other => AuthKind::Other(other.unwrap_or("").to_string()),
        };
        out.push(AuthScheme {
            name: m.key.clone(),
            kind,
            description: ctx.str_field(file, n, &sptr, "description"),
            extensions: ctx.extensions(file, n, &sptr),
            origin: ctx.origin(file, &sptr, n),
        });
    }
    out
}

pub(super) fn scopes(node: Option<&Node>) -> Vec<(String, String)> {
    node.and_then(Node::as_object)
        .unwrap_or(&[])
        .iter()
        .map(|m| (m.key.clone(), m.value.as_str().unwrap_or("").to_string()))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn path_item<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
    item: &'a Node,
    ptr: &PointerBuf,
    path: &str,
    consumes: &[String],
    produces: &[String],
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
        op.consumes = match opn.get("consumes") {
            Some(_) => ctx.str_list(file, opn, &optr, "consumes"),
            None => consumes.to_vec(),
        };
        op.produces = match opn.get("produces") {
            Some(_) => ctx.str_list(file, opn, &optr, "produces"),
            None => produces.to_vec(),
        };
        let resolved = ctx.merged_parameters(
            file,
            [
                (path_params, ptr.join("parameters")),
                (opn.get("parameters"), optr.join("parameters")),
            ],
        );
        for (pfile, pnode, pptr, use_site) in resolved {
            let is_body = pnode.get_str("in") == Some("body");
            let schema = if is_body {
                match pnode.get("schema") {
                    Some(s) => ctx.schema(pfile, s, pptr.join("schema")),
                    None => ctx.types.add(Schema::default()),
                }
            } else {
                ctx.parameter_schema(pfile, pnode, &pptr)
            };
            let mut param = ctx.parameter_shell(pfile, pnode, &pptr, use_site, schema);
            if let Some(cf) = pnode.get_str("collectionFormat") {
                param.serialization = Some(Serialization::CollectionFormat(cf.to_string()));
            }
            if is_body && op.request_body.is_none() {
                let media: Vec<String> = if op.consumes.is_empty() {
                    vec!["application/json".into()]
                } else {
                    op.consumes.clone()
                };
                op.request_body = Some(RequestBody {
                    content: media
                        .into_iter()
                        .map(|m| MediaType {
                            media_type: m,
                            schema: Some(schema),
                        })
                        .collect(),
                    required: param.required,
                    description: param.description.clone(),
                    parameter_name: Some(param.name.clone()),
                    origin: param.origin.clone(),
                });
            }
            op.parameters.push(param);
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
                op.responses
                    .push(response(ctx, rfile, rnode, &rp, &r.key, &op.produces));
            }
        }
        let path_notification = ctx.notification_content(file, item, ptr);
        let op_notification = ctx.notification_content(file, opn, &optr);
        out.push(PendingOp {
            op,
            trigger: opn.get("x-ms-trigger"),
            path_notification,
            op_notification,
            fixed: false,
        });
    }
}

fn response<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
    node: &'a Node,
    ptr: &PointerBuf,
    key: &str,
    produces: &[String],
) -> Response {
    let mut content = Vec::new();
    if let Some(s) = node.get("schema") {
        let id = ctx.schema(file, s, ptr.join("schema"));
        let media: Vec<String> = if produces.is_empty() {
            vec!["application/json".into()]
        } else {
            produces.to_vec()
        };
        content = media
            .into_iter()
            .map(|m| MediaType {
                media_type: m,
                schema: Some(id),
            })
            .collect();
    }
    let mut headers = Vec::new();
    if let Some(h) = node.get("headers").and_then(Node::as_object) {
        let hptr = ptr.join("headers");
        for m in h {
            let p = hptr.join(&m.key);
            let schema = ctx.parameter_schema(file, &m.value, &p);
            headers.push(Header {
                name: m.key.clone(),
                schema,
                description: m.value.get_str("description").map(str::to_string),
            });
        }
    }
    Response {
        status: StatusKey::parse(key),
        description: match node.get("description").map(|d| &d.value) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        },
        content,
        headers,
        extensions: ctx.extensions(file, node, ptr),
        origin: ctx.origin(file, ptr, node),
    }
}
