//! `convert`: the model written back as an OpenAPI 3.0 or Swagger 2.0 document.
//!
//! Reads only the model, so any input converts: a Postman collection, a Swagger 2.0 definition
//! (to OpenAPI 3.0) or an OpenAPI 3.x document (to Swagger 2.0, the platform's format). The
//! platform's `x-ms-*` extensions are written from the model (`x-ms-summary`, `x-ms-visibility`,
//! `x-ms-trigger`, `x-ms-pageable`, `x-ms-notification-content`, dynamic values...), and every
//! other `x-*` extension is copied as written. What the target format cannot express is said in
//! [`Converted::notes`], never dropped silently.

mod params;
pub mod properties;
mod schema;
mod security;
pub mod yaml;

use crate::model::*;
use schema::SchemaWriter;
use serde_json::{json, Map, Value};

/// The format written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// OpenAPI 3.0.3.
    OpenApi3,
    /// Swagger 2.0.
    Swagger2,
}

/// A written document and what could not be expressed in it.
#[derive(Debug)]
pub struct Converted {
    /// The document.
    pub document: Value,
    /// Things of the model the target format has no place for (deduplicated, in order).
    pub notes: Vec<String>,
    /// Swagger 2.0: the operations another host serves (the URL, with server variables at their
    /// defaults, and the operation ids), written under the connector's one host.
    pub other_hosts: Vec<(String, Vec<String>)>,
}

/// Writes `c` as a `target` document.
pub fn convert(c: &Connector, target: Target) -> Converted {
    let mut w = Writer {
        c,
        target,
        schemas: SchemaWriter::new(&c.types, target),
        notes: Vec::new(),
        other_hosts: Vec::new(),
        own_bases: Vec::new(),
    };
    let document = match target {
        Target::OpenApi3 => w.openapi3(),
        Target::Swagger2 => w.swagger2(),
    };
    let mut notes = w.notes;
    notes.extend(w.schemas.notes);
    let mut seen = std::collections::HashSet::new();
    notes.retain(|n| seen.insert(n.clone()));
    Converted {
        document,
        notes,
        other_hosts: w.other_hosts,
    }
}

/// The typed platform extensions of a schema or parameter, unless already written as raw
/// extensions (which are copied afterwards and win).
pub(crate) fn platform_extensions(
    m: &mut Map<String, Value>,
    summary: Option<&str>,
    visibility: Option<&Visibility>,
    notification_url: bool,
    dynamic: &[Dynamic],
) {
    if let Some(s) = summary {
        m.insert("x-ms-summary".into(), s.into());
    }
    if let Some(v) = visibility {
        m.insert("x-ms-visibility".into(), visibility_value(v));
    }
    if notification_url {
        m.insert("x-ms-notification-url".into(), true.into());
    }
    for d in dynamic {
        m.insert(d.kind.key().into(), d.raw.clone());
    }
}

fn visibility_value(v: &Visibility) -> Value {
    match v {
        Visibility::Important => "important".into(),
        Visibility::Advanced => "advanced".into(),
        Visibility::Internal => "internal".into(),
        Visibility::None => "none".into(),
        Visibility::Other(o) => o.clone().into(),
    }
}

fn extensions(m: &mut Map<String, Value>, ext: &Extensions) {
    for e in ext.iter() {
        m.insert(e.key.clone(), e.value.clone());
    }
}

fn status_key(s: &StatusKey) -> String {
    match s {
        StatusKey::Code(c) => c.to_string(),
        StatusKey::Range(r) => format!("{r}XX"),
        StatusKey::Default => "default".into(),
        StatusKey::Other(o) => o.clone(),
    }
}

fn is_form(media: &str) -> bool {
    media.starts_with("multipart/form-data")
        || media.starts_with("application/x-www-form-urlencoded")
}

struct Writer<'a> {
    c: &'a Connector,
    target: Target,
    schemas: SchemaWriter<'a>,
    notes: Vec<String>,
    /// Swagger 2.0: operations served by another host than the connector's, by host.
    other_hosts: Vec<(String, Vec<String>)>,
    /// Swagger 2.0: the document's own base URLs (`scheme://host/basePath`, one per scheme).
    own_bases: Vec<String>,
}

impl Writer<'_> {
    fn info(&self) -> Value {
        let c = self.c;
        let mut info = Map::new();
        let title = if c.title.trim().is_empty() {
            c.name.clone()
        } else {
            c.title.clone()
        };
        info.insert("title".into(), title.into());
        if let Some(d) = &c.description {
            info.insert("description".into(), d.clone().into());
        }
        info.insert(
            "version".into(),
            c.version.clone().unwrap_or_else(|| "1.0".into()).into(),
        );
        if let Some(contact) = &c.metadata.contact {
            let mut m = Map::new();
            for (k, v) in [
                ("name", &contact.name),
                ("url", &contact.url),
                ("email", &contact.email),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), v.clone().into());
                }
            }
            info.insert("contact".into(), m.into());
        }
        if let Some(l) = &c.metadata.license {
            info.insert("license".into(), json!({ "name": l }));
        }
        info.into()
    }

    fn top_level(&self, doc: &mut Map<String, Value>) {
        let c = self.c;
        if !c.security.is_empty() {
            doc.insert("security".into(), security(&c.security));
        }
        if !c.metadata.tags.is_empty() {
            let tags: Vec<Value> = c
                .metadata
                .tags
                .iter()
                .map(|(n, d)| {
                    let mut t = Map::new();
                    t.insert("name".into(), n.clone().into());
                    if let Some(d) = d {
                        t.insert("description".into(), d.clone().into());
                    }
                    t.into()
                })
                .collect();
            doc.insert("tags".into(), tags.into());
        }
        if !c.metadata.connector_metadata.is_empty() {
            let entries: Vec<Value> = c
                .metadata
                .connector_metadata
                .iter()
                .map(|e| json!({ "propertyName": e.name, "propertyValue": e.value }))
                .collect();
            doc.insert("x-ms-connector-metadata".into(), entries.into());
        }
        if let Some(cap) = &c.metadata.capabilities {
            doc.insert("x-ms-capabilities".into(), cap.clone());
        }
        extensions(doc, &c.extensions);
    }

    fn openapi3(&mut self) -> Value {
        let c = self.c;
        let mut doc = Map::new();
        doc.insert("openapi".into(), "3.0.3".into());
        doc.insert("info".into(), self.info());
        if !c.servers.is_empty() {
            doc.insert(
                "servers".into(),
                c.servers.iter().map(server3).collect::<Vec<_>>().into(),
            );
        } else if let Some(h) = &c.host {
            let scheme = c.schemes.first().map_or("https", String::as_str);
            doc.insert(
                "servers".into(),
                json!([{ "url": format!("{scheme}://{h}{}", c.base_path.as_deref().unwrap_or("")) }]),
            );
        }
        let paths = self.paths();
        doc.insert("paths".into(), paths);
        let mut components = Map::new();
        let schemes = self.security_schemes();
        let defs = self.schemas.definitions();
        if !defs.is_empty() {
            components.insert("schemas".into(), defs.into());
        }
        if !schemes.is_empty() {
            components.insert("securitySchemes".into(), schemes.into());
        }
        if !components.is_empty() {
            doc.insert("components".into(), components.into());
        }
        self.top_level(&mut doc);
        doc.into()
    }

    fn swagger2(&mut self) -> Value {
        let c = self.c;
        let mut doc = Map::new();
        doc.insert("swagger".into(), "2.0".into());
        doc.insert("info".into(), self.info());
        let server = c.servers.first();
        let (host, base_path, scheme) = match (server, &c.host) {
            (Some(s), _) => {
                let url = s.url_with_defaults();
                let (scheme, rest) = url
                    .split_once("://")
                    .map_or((None, url.as_str()), |(a, b)| (Some(a.to_string()), b));
                let (h, p) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
                (
                    Some(h.to_string()).filter(|h| !h.is_empty()),
                    Some(p.to_string()).filter(|p| !p.is_empty()),
                    scheme,
                )
            }
            (None, Some(h)) => (
                Some(h.clone()),
                c.base_path.clone(),
                c.schemes.first().cloned(),
            ),
            (None, None) => (None, c.base_path.clone(), None),
        };
        match &host {
            Some(h) => {
                doc.insert("host".into(), h.clone().into());
            }
            None => self.notes.push("the connector has no host: `host` is left out (the platform needs one before import)".into()),
        }
        let base_path = base_path.unwrap_or_else(|| "/".into());
        doc.insert("basePath".into(), base_path.clone().into());
        let mut schemes: Vec<String> = if !c.schemes.is_empty() {
            c.schemes.clone()
        } else {
            scheme
                .into_iter()
                .filter(|s| s == "http" || s == "https")
                .collect()
        };
        if schemes.is_empty() {
            schemes.push("https".into());
        }
        // An operation whose server is the document's own needs no other host.
        if let Some(h) = &host {
            let base = base_path.trim_end_matches('/');
            self.own_bases
                .extend(schemes.iter().map(|scheme| format!("{scheme}://{h}{base}")));
        }
        doc.insert("schemes".into(), schemes.into());
        if let Some(s) = server.filter(|s| !s.variables.is_empty()) {
            let host_template = s.url.split_once("://").map_or(s.url.as_str(), |(_, r)| r);
            let host_template = host_template.split('/').next().unwrap_or("");
            let params: Vec<Value> = s
                .variables
                .iter()
                .filter(|v| host_template.contains(&format!("{{{}}}", v.name)))
                .map(|v| {
                    let mut p = json!({ "name": v.name, "in": "path", "required": true, "type": "string", "x-ms-skip-url-encoding": true });
                    if let Some(d) = v.default.as_ref().filter(|d| !d.is_empty()) {
                        p["default"] = d.clone().into();
                    }
                    if let Some(d) = &v.description {
                        p["description"] = d.clone().into();
                    }
                    p
                })
                .collect();
            if !params.is_empty() {
                doc.insert(
                    "x-ms-parameterized-host".into(),
                    json!({ "hostTemplate": host_template, "useSchemePrefix": !s.url.contains("://"), "parameters": params }),
                );
            }
        }
        if !c.consumes.is_empty() {
            doc.insert("consumes".into(), c.consumes.clone().into());
        }
        if !c.produces.is_empty() {
            doc.insert("produces".into(), c.produces.clone().into());
        }
        let paths = self.paths();
        doc.insert("paths".into(), paths);
        for (url, ids) in &self.other_hosts {
            let shown: Vec<String> = ids.iter().take(5).map(|i| format!("`{i}`")).collect();
            let more = if ids.len() > 5 {
                format!(" and {} more", ids.len() - 5)
            } else {
                String::new()
            };
            self.notes.push(format!(
                "{} operation{} ({}{more}) go{} to {url}, but Swagger 2.0 has one host: {} written under the connector's host (a connector folder written with `-o DIR` routes them there with a `dynamichosturl` policy template)",
                ids.len(),
                if ids.len() == 1 { "" } else { "s" },
                shown.join(", "),
                if ids.len() == 1 { "es" } else { "" },
                if ids.len() == 1 { "it is" } else { "they are" },
            ));
        }
        let defs = self.schemas.definitions();
        if !defs.is_empty() {
            doc.insert("definitions".into(), defs.into());
        }
        let schemes = self.security_schemes();
        if !schemes.is_empty() {
            doc.insert("securityDefinitions".into(), schemes.into());
        }
        self.top_level(&mut doc);
        doc.into()
    }

    fn paths(&mut self) -> Value {
        let mut paths: Map<String, Value> = Map::new();
        for op in &self.c.operations {
            if !op.path.starts_with('/') {
                self.notes.push(format!(
                    "operation `{}` ({}) has no URL path in this model (an OpenAPI 3.1 webhook); left out",
                    op.id, op.path
                ));
                continue;
            }
            let written = self.operation(op);
            let item = paths
                .entry(op.path.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            let key = op.method.as_str().to_ascii_lowercase();
            if let Some(obj) = item.as_object_mut() {
                if obj.contains_key(&key) {
                    self.notes.push(format!(
                        "operation `{}`: a second {} {} cannot be written; left out",
                        op.id,
                        op.method.as_str(),
                        op.path
                    ));
                    continue;
                }
                obj.insert(key, written);
            }
        }
        paths.into()
    }

    fn operation(&mut self, op: &Operation) -> Value {
        let swagger = self.target == Target::Swagger2;
        let mut m = Map::new();
        if !op.tags.is_empty() {
            m.insert("tags".into(), op.tags.clone().into());
        }
        if let Some(s) = &op.summary {
            m.insert("summary".into(), s.clone().into());
        }
        if let Some(d) = &op.description {
            m.insert("description".into(), d.clone().into());
        }
        m.insert("operationId".into(), op.id.clone().into());
        if swagger {
            let consumes: Vec<String> = match &op.request_body {
                Some(b) if !b.content.is_empty() => {
                    b.content.iter().map(|m| m.media_type.clone()).collect()
                }
                _ => op.consumes.clone(),
            };
            if !consumes.is_empty() && consumes != self.c.consumes {
                m.insert("consumes".into(), consumes.into());
            }
            let produces: Vec<String> = if op.produces.is_empty() {
                op.responses
                    .iter()
                    .flat_map(|r| r.content.iter().map(|m| m.media_type.clone()))
                    .fold(Vec::new(), |mut v, x| {
                        if !v.contains(&x) {
                            v.push(x);
                        }
                        v
                    })
            } else {
                op.produces.clone()
            };
            if !produces.is_empty() && produces != self.c.produces {
                m.insert("produces".into(), produces.into());
            }
        }
        let params = self.parameters(op);
        if !params.is_empty() {
            m.insert("parameters".into(), params.into());
        }
        if !swagger {
            if let Some(body) = self.request_body3(op) {
                m.insert("requestBody".into(), body);
            }
        }
        let mut responses = Map::new();
        for r in &op.responses {
            let v = self.response(op, r);
            responses.insert(status_key(&r.status), v);
        }
        if responses.is_empty() {
            responses.insert("default".into(), json!({ "description": "Response" }));
        }
        m.insert("responses".into(), responses.into());
        if op.deprecated {
            m.insert("deprecated".into(), true.into());
        }
        if let Some(sec) = &op.rare().security {
            m.insert("security".into(), security(sec));
        }
        if !op.rare().servers.is_empty() {
            if swagger {
                let url = op.rare().servers[0].url_with_defaults();
                let own = self
                    .own_bases
                    .iter()
                    .any(|b| b.eq_ignore_ascii_case(url.trim_end_matches('/')));
                match self.other_hosts.iter_mut().find(|(u, _)| *u == url) {
                    _ if own => {}
                    Some((_, ids)) => ids.push(op.id.clone()),
                    None => self.other_hosts.push((url, vec![op.id.clone()])),
                }
            } else {
                m.insert(
                    "servers".into(),
                    op.rare()
                        .servers
                        .iter()
                        .map(server3)
                        .collect::<Vec<_>>()
                        .into(),
                );
            }
        }
        if let Some(v) = &op.visibility {
            m.insert("x-ms-visibility".into(), visibility_value(v));
        }
        match &op.kind {
            OperationKind::Action { .. } => {}
            OperationKind::PollingTrigger { mode } => {
                m.insert("x-ms-trigger".into(), trigger_mode(mode));
            }
            OperationKind::WebhookTrigger {
                mode, notification, ..
            } => {
                m.insert(
                    "x-ms-trigger".into(),
                    mode.as_ref().map_or_else(|| "single".into(), trigger_mode),
                );
                if let Some(n) = notification {
                    let mut nc = Map::new();
                    if let Some(d) = &n.description {
                        nc.insert("description".into(), d.clone().into());
                    }
                    if let Some(s) = n.schema {
                        let v = self.schemas.schema(s);
                        nc.insert("schema".into(), v);
                    }
                    m.insert("x-ms-notification-content".into(), nc.into());
                }
            }
        }
        if let Some(p) = &op.rare().pageable {
            m.insert(
                "x-ms-pageable".into(),
                json!({ "nextLinkName": p.next_link_name, "itemName": p.item_name.clone().unwrap_or_else(|| "value".into()) }),
            );
        }
        for (k, v) in [
            ("x-ms-trigger-metadata", &op.rare().trigger_metadata),
            ("x-ms-capabilities", &op.rare().capabilities),
            ("x-ms-api-annotation", &op.rare().api_annotation),
        ] {
            if let Some(v) = v {
                m.insert(k.into(), v.clone());
            }
        }
        if let Some(h) = &op.rare().trigger_hint {
            m.insert("x-ms-trigger-hint".into(), h.clone().into());
        }
        extensions(&mut m, &op.extensions);
        m.into()
    }

    fn response(&mut self, op: &Operation, r: &Response) -> Value {
        let swagger = self.target == Target::Swagger2;
        let mut m = Map::new();
        m.insert(
            "description".into(),
            r.description
                .clone()
                .unwrap_or_else(|| "Response".into())
                .into(),
        );
        if swagger {
            if let Some(id) = r.schema() {
                let s = self.schemas.schema(id);
                m.insert("schema".into(), s);
            }
        } else if !r.content.is_empty() {
            let mut content = Map::new();
            for mt in &r.content {
                let mut v = Map::new();
                if let Some(id) = mt.schema {
                    v.insert("schema".into(), self.schemas.schema(id));
                }
                content.insert(mt.media_type.clone(), v.into());
            }
            m.insert("content".into(), content.into());
        }
        if !r.headers.is_empty() {
            let mut headers = Map::new();
            for h in &r.headers {
                let mut hv = Map::new();
                if let Some(d) = &h.description {
                    hv.insert("description".into(), d.clone().into());
                }
                if swagger {
                    let what = format!("operation `{}` response header `{}`", op.id, h.name);
                    let mut fields = self.schemas.inline_primitive(h.schema, &what);
                    if fields.get("type").and_then(Value::as_str) == Some("file") {
                        fields.insert("type".into(), "string".into());
                    }
                    hv.extend(fields);
                } else {
                    hv.insert("schema".into(), self.schemas.schema(h.schema));
                }
                headers.insert(h.name.clone(), hv.into());
            }
            m.insert("headers".into(), headers.into());
        }
        extensions(&mut m, &r.extensions);
        m.into()
    }
}

fn trigger_mode(m: &TriggerMode) -> Value {
    match m {
        TriggerMode::Single => "single".into(),
        TriggerMode::Batch => "batch".into(),
        TriggerMode::Other(o) => o.clone().into(),
    }
}

fn security(reqs: &[SecurityRequirement]) -> Value {
    reqs.iter()
        .map(|r| {
            r.schemes
                .iter()
                .map(|(n, s)| (n.clone(), Value::from(s.clone())))
                .collect::<Map<_, _>>()
                .into()
        })
        .collect::<Vec<Value>>()
        .into()
}

fn server3(s: &Server) -> Value {
    let mut m = Map::new();
    m.insert("url".into(), s.url.clone().into());
    if let Some(d) = &s.description {
        m.insert("description".into(), d.clone().into());
    }
    if !s.variables.is_empty() {
        let vars: Map<String, Value> = s
            .variables
            .iter()
            .map(|v| {
                let mut vm = Map::new();
                vm.insert(
                    "default".into(),
                    v.default.clone().unwrap_or_default().into(),
                );
                if !v.allowed.is_empty() {
                    vm.insert("enum".into(), v.allowed.clone().into());
                }
                if let Some(d) = &v.description {
                    vm.insert("description".into(), d.clone().into());
                }
                (v.name.clone(), vm.into())
            })
            .collect();
        m.insert("variables".into(), vars.into());
    }
    m.into()
}
