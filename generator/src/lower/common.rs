//! Helpers shared by the front ends: typed field access with diagnostics, extensions, dynamic
//! values, trigger classification.

use super::Ctx;
use crate::diagnostics::{codes, Diagnostic};
use crate::load::node::{Node, PointerBuf, Value};
use crate::location::FileId;
use crate::model::*;

impl<'a> Ctx<'a> {
    fn wrong_type(
        &mut self,
        file: FileId,
        node: &Node,
        ptr: &PointerBuf,
        key: &str,
        expected: &str,
    ) {
        let ptr = ptr.join(key);
        self.push(
            Diagnostic::new(
                &codes::UNEXPECTED_TYPE,
                format!("`{key}` should be {expected}, found {}", node.type_name()),
            )
            .at(file, node.span)
            .pointer(ptr.as_string()),
        );
    }

    /// A string member; another type is reported and ignored.
    pub fn str_field(
        &mut self,
        file: FileId,
        obj: &Node,
        ptr: &PointerBuf,
        key: &str,
    ) -> Option<String> {
        let v = obj.get(key)?;
        match &v.value {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            _ => {
                self.wrong_type(file, v, ptr, key, "a string");
                None
            }
        }
    }

    /// A boolean member; `"true"`/`"false"` strings are accepted and reported.
    pub fn bool_field(
        &mut self,
        file: FileId,
        obj: &Node,
        ptr: &PointerBuf,
        key: &str,
    ) -> Option<bool> {
        let v = obj.get(key)?;
        match &v.value {
            Value::Bool(b) => Some(*b),
            Value::String(s)
                if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
            {
                self.wrong_type(file, v, ptr, key, "a boolean");
                Some(s.eq_ignore_ascii_case("true"))
            }
            _ => {
                self.wrong_type(file, v, ptr, key, "a boolean");
                None
            }
        }
    }

    /// An array of strings; other items are reported and skipped.
    pub fn str_list(
        &mut self,
        file: FileId,
        obj: &Node,
        ptr: &PointerBuf,
        key: &str,
    ) -> Vec<String> {
        let Some(v) = obj.get(key) else {
            return Vec::new();
        };
        match &v.value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let list_ptr = ptr.join(key);
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(s) => out.push(s.to_string()),
                        None => self.wrong_type(file, item, &list_ptr, &i.to_string(), "a string"),
                    }
                }
                out
            }
            Value::Null => Vec::new(),
            _ => {
                self.wrong_type(file, v, ptr, key, "an array of strings");
                Vec::new()
            }
        }
    }

    /// An object member; another type is reported and ignored.
    pub fn obj_field(
        &mut self,
        file: FileId,
        obj: &'a Node,
        ptr: &PointerBuf,
        key: &str,
    ) -> Option<&'a Node> {
        let v = obj.get(key)?;
        match &v.value {
            Value::Object(_) => Some(v),
            Value::Null => None,
            _ => {
                self.wrong_type(file, v, ptr, key, "an object");
                None
            }
        }
    }

    /// An array member; another type is reported and ignored.
    pub fn array_field(
        &mut self,
        file: FileId,
        obj: &'a Node,
        ptr: &PointerBuf,
        key: &str,
    ) -> Option<&'a [Node]> {
        let v = obj.get(key)?;
        match &v.value {
            Value::Array(items) => Some(items),
            Value::Null => None,
            _ => {
                self.wrong_type(file, v, ptr, key, "an array");
                None
            }
        }
    }

    /// Every `x-*` member, as written.
    pub fn extensions(&self, file: FileId, obj: &Node, ptr: &PointerBuf) -> Extensions {
        let Some(members) = obj.as_object() else {
            return Extensions::default();
        };
        Extensions(
            members
                .iter()
                .filter(|m| {
                    m.key.len() > 2 && m.key.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("x-"))
                })
                .map(|m| Extension {
                    key: m.key.clone(),
                    value: m.value.to_json(),
                    origin: Origin {
                        file,
                        pointer: ptr.join(&m.key),
                        span: m.key_span,
                    },
                })
                .collect(),
        )
    }

    /// `x-ms-visibility`, when written.
    pub fn visibility(&self, obj: &Node) -> Option<Visibility> {
        obj.get("x-ms-visibility")
            .map(|v| Visibility::parse(&v.to_json()))
    }

    /// The `x-ms-dynamic-*` extensions of an element.
    pub fn dynamics(&mut self, file: FileId, obj: &Node, ptr: &PointerBuf) -> Vec<Dynamic> {
        let mut out = Vec::new();
        for kind in DynamicKind::ALL {
            let Some(v) = obj.get(kind.key()) else {
                continue;
            };
            let dptr = ptr.join(kind.key());
            if v.as_object().is_none() {
                self.wrong_type(file, v, ptr, kind.key(), "an object");
                continue;
            }
            // `x-ms-dynamic-tree` names its operations under `open` (and `browse`).
            let parts: Vec<(&Node, PointerBuf)> = if kind == DynamicKind::Tree {
                ["open", "browse"]
                    .iter()
                    .filter_map(|k| {
                        v.get(k)
                            .filter(|n| n.as_object().is_some())
                            .map(|n| (n, dptr.join(k)))
                    })
                    .collect()
            } else {
                vec![(v, dptr.clone())]
            };
            for (v, dptr) in parts {
                out.push(self.dynamic(file, kind, v, &dptr));
            }
        }
        out
    }

    fn dynamic(&self, file: FileId, kind: DynamicKind, v: &Node, dptr: &PointerBuf) -> Dynamic {
        let s = |k: &str| v.get_str(k).map(str::to_string);
        let mut parameters = Vec::new();
        if let Some(params) = v.get("parameters").and_then(Node::as_object) {
            for p in params {
                let arg = match p.value.as_object() {
                    Some(_) => {
                        if let Some(name) = p
                            .value
                            .get_str("parameter")
                            .or_else(|| p.value.get_str("parameterReference"))
                        {
                            DynamicArgument::Parameter(name.to_string())
                        } else if let Some(val) = p.value.get("value") {
                            DynamicArgument::Value(val.to_json())
                        } else {
                            DynamicArgument::Value(p.value.to_json())
                        }
                    }
                    None => DynamicArgument::Value(p.value.to_json()),
                };
                parameters.push((p.key.clone(), arg));
            }
        }
        Dynamic {
            kind,
            operation_id: s("operationId"),
            parameters,
            value_path: s("value-path").or_else(|| s("itemValuePath")),
            value_title: s("value-title").or_else(|| s("itemTitlePath")),
            value_collection: s("value-collection").or_else(|| s("itemsPath")),
            capability: v.get("capability").is_some(),
            raw: v.to_json(),
            origin: self.origin(file, dptr, v),
        }
    }

    /// `x-ms-notification-content` of an operation or path item.
    pub fn notification_content(
        &mut self,
        file: FileId,
        obj: &'a Node,
        ptr: &PointerBuf,
    ) -> Option<NotificationContent> {
        let node = self.obj_field(file, obj, ptr, "x-ms-notification-content")?;
        let nptr = ptr.join("x-ms-notification-content");
        let description = self.str_field(file, node, &nptr, "description");
        let schema = node
            .get("schema")
            .map(|s| self.schema(file, s, nptr.join("schema")));
        Some(NotificationContent {
            description,
            schema,
            origin: self.origin(file, &nptr, node),
        })
    }

    /// `x-ms-pageable`.
    pub fn pageable(&mut self, file: FileId, op: &Node, ptr: &PointerBuf) -> Option<Pageable> {
        let v = op.get("x-ms-pageable")?;
        let pptr = ptr.join("x-ms-pageable");
        Some(Pageable {
            next_link_name: v.get_str("nextLinkName").map(str::to_string),
            item_name: v.get_str("itemName").map(str::to_string),
            origin: self.origin(file, &pptr, v),
        })
    }

    /// Where `x-ms-notification-url: true` is among the parameters of an operation: the
    /// parameter's name, and for a body parameter the property path inside it (`body/url`).
    pub fn find_notification_url(&self, params: &[Parameter]) -> Option<String> {
        for p in params {
            if p.notification_url && p.location != ParameterLocation::Body {
                return Some(p.name.clone());
            }
        }
        for p in params {
            if let Some(path) = self.schema_notification_path(p.schema) {
                return Some(if path.is_empty() {
                    p.name.clone()
                } else {
                    format!("{}/{}", p.name, path)
                });
            }
        }
        None
    }

    /// Searches a schema (through references, breadth-first, each schema once) for a property
    /// carrying `x-ms-notification-url: true`; returns its property path.
    fn schema_notification_path(&self, start: SchemaId) -> Option<String> {
        let mut seen = std::collections::HashSet::new();
        let mut queue = std::collections::VecDeque::from([(start, String::new())]);
        while let Some((id, path)) = queue.pop_front() {
            if !seen.insert(id) {
                continue;
            }
            let s = self.types.get(id);
            if s.notification_url {
                return Some(path);
            }
            if let Some(r) = s.reference {
                queue.push_back((r, path.clone()));
            }
            for p in &s.properties {
                let sub = if path.is_empty() {
                    p.name.clone()
                } else {
                    format!("{path}/{}", p.name)
                };
                queue.push_back((p.schema, sub));
            }
            for c in s.all_of.iter().copied().chain(s.alternatives()) {
                queue.push_back((c, path.clone()));
            }
        }
        None
    }

    /// Decides whether an operation is an action, a polling trigger or a webhook trigger.
    ///
    /// A trigger is an operation with `x-ms-trigger`; it is a webhook when one of its parameters
    /// (or a property of its body, also through `$ref`) carries `x-ms-notification-url`, and a
    /// polling trigger otherwise. Operations that only carry a notification URL are actions
    /// that wait for a callback.
    pub fn classify(
        &mut self,
        op: &mut Operation,
        trigger: Option<&Node>,
        path_notification: Option<NotificationContent>,
        op_notification: Option<NotificationContent>,
    ) {
        let Some(t) = trigger else {
            let declared_202 = op
                .responses
                .iter()
                .any(|r| r.status == StatusKey::Code(202));
            let lro = op.extensions.get("x-ms-long-running-operation")
                == Some(&serde_json::Value::Bool(true));
            op.kind = OperationKind::Action {
                long_running: declared_202 || lro,
            };
            return;
        };
        let mode = match t.as_str() {
            Some("single") => TriggerMode::Single,
            Some("batch") => TriggerMode::Batch,
            Some(other) => TriggerMode::Other(other.to_string()),
            None => TriggerMode::Other(t.to_json().to_string()),
        };
        match self.find_notification_url(&op.parameters) {
            Some(param) => {
                op.kind = OperationKind::WebhookTrigger {
                    mode: Some(mode),
                    notification_url_param: Some(param),
                    notification: op_notification.or(path_notification),
                    subscribed_by: None,
                }
            }
            None => op.kind = OperationKind::PollingTrigger { mode },
        }
    }
}

/// An operation id made from the method and path, for operations without one.
pub fn generated_id(method: Method, path: &str) -> String {
    let mut id = method.as_str().to_ascii_lowercase();
    for part in path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        id.push('_');
        id.push_str(part);
    }
    id
}

/// `info` fields.
pub struct Info {
    pub title: String,
    pub description: Option<String>,
    pub version: Option<String>,
    pub contact: Option<Contact>,
    pub license: Option<String>,
}

impl<'a> Ctx<'a> {
    /// Reads `info`.
    pub fn info(&mut self, file: FileId, root: &'a Node) -> Info {
        let ptr = PointerBuf::root();
        let Some(info) = self.obj_field(file, root, &ptr, "info") else {
            return Info {
                title: String::new(),
                description: None,
                version: None,
                contact: None,
                license: None,
            };
        };
        let iptr = ptr.join("info");
        let contact = self.obj_field(file, info, &iptr, "contact").map(|c| {
            let cptr = iptr.join("contact");
            Contact {
                name: self.str_field(file, c, &cptr, "name"),
                url: self.str_field(file, c, &cptr, "url"),
                email: self.str_field(file, c, &cptr, "email"),
                origin: self.origin(file, &cptr, c),
            }
        });
        let license = info
            .get("license")
            .and_then(|l| l.get_str("name"))
            .map(str::to_string);
        Info {
            title: self
                .str_field(file, info, &iptr, "title")
                .unwrap_or_default(),
            description: self.str_field(file, info, &iptr, "description"),
            version: match info.get("version").map(|v| &v.value) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(_)) => Some(
                    info.get("version")
                        .map(|v| v.to_json().to_string())
                        .unwrap_or_default(),
                ),
                _ => None,
            },
            contact,
            license,
        }
    }

    /// Document metadata: `x-ms-connector-metadata`, tags, `x-ms-capabilities`.
    pub fn metadata(&mut self, file: FileId, root: &'a Node, info: &Info) -> Metadata {
        let ptr = PointerBuf::root();
        let mut md = Metadata {
            contact: info.contact.clone(),
            license: info.license.clone(),
            capabilities: root.get("x-ms-capabilities").map(Node::to_json),
            ..Metadata::default()
        };
        if let Some(list) = root.get("x-ms-connector-metadata") {
            let lptr = ptr.join("x-ms-connector-metadata");
            md.connector_metadata_origin = Some(self.origin(file, &lptr, list));
            match list.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let eptr = lptr.index(i);
                        let name = item.get_str("propertyName").unwrap_or_default().to_string();
                        let value = match item.get("propertyValue") {
                            Some(v) => v
                                .as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_json().to_string()),
                            None => String::new(),
                        };
                        md.connector_metadata.push(MetadataEntry {
                            name,
                            value,
                            origin: self.origin(file, &eptr, item),
                        });
                    }
                }
                None => {
                    self.wrong_type(file, list, &ptr, "x-ms-connector-metadata", "an array");
                }
            }
        }
        if let Some(tags) = self.array_field(file, root, &ptr, "tags") {
            md.tags = tags
                .iter()
                .filter_map(|t| {
                    Some((
                        t.get_str("name")?.to_string(),
                        t.get_str("description").map(str::to_string),
                    ))
                })
                .collect();
        }
        md
    }

    /// A `security` array.
    pub fn security(
        &mut self,
        file: FileId,
        node: &'a Node,
        ptr: &PointerBuf,
    ) -> Option<Vec<SecurityRequirement>> {
        let items = self.array_field(file, node, ptr, "security")?;
        Some(
            items
                .iter()
                .map(|alt| SecurityRequirement {
                    schemes: alt
                        .as_object()
                        .unwrap_or(&[])
                        .iter()
                        .map(|m| {
                            let scopes = m
                                .value
                                .as_array()
                                .unwrap_or(&[])
                                .iter()
                                .filter_map(|s| s.as_str().map(str::to_string))
                                .collect();
                            (m.key.clone(), scopes)
                        })
                        .collect(),
                })
                .collect(),
        )
    }

    /// The parts of an operation that every format writes the same way.
    pub fn operation_shell(
        &mut self,
        file: FileId,
        op: &'a Node,
        ptr: &PointerBuf,
        method: Method,
        path: &str,
    ) -> Operation {
        let id = self
            .str_field(file, op, ptr, "operationId")
            .filter(|s| !s.is_empty());
        Operation {
            id_generated: id.is_none(),
            id: id.unwrap_or_else(|| generated_id(method, path)),
            method,
            path: path.to_string(),
            summary: self.str_field(file, op, ptr, "summary"),
            description: self.str_field(file, op, ptr, "description"),
            visibility: self.visibility(op),
            tags: self.str_list(file, op, ptr, "tags"),
            parameters: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            consumes: Vec::new(),
            produces: Vec::new(),
            kind: OperationKind::Action {
                long_running: false,
            },
            rare: Rare::of(OperationRare {
                pageable: self.pageable(file, op, ptr),
                trigger_hint: self.str_field(file, op, ptr, "x-ms-trigger-hint"),
                trigger_metadata: op.get("x-ms-trigger-metadata").map(Node::to_json),
                capabilities: op.get("x-ms-capabilities").map(Node::to_json),
                api_annotation: op.get("x-ms-api-annotation").map(Node::to_json),
                security: self.security(file, op, ptr),
                servers: Vec::new(),
            }),
            deprecated: self
                .bool_field(file, op, ptr, "deprecated")
                .unwrap_or(false),
            extensions: self.extensions(file, op, ptr),
            origin: self.origin(file, ptr, op),
        }
    }

    /// Follows a `$ref`able object (parameter, response, request body, path item...), reporting
    /// a broken reference. Returns the file, node and pointer of what it leads to.
    pub fn follow(
        &mut self,
        file: FileId,
        node: &'a Node,
        ptr: &PointerBuf,
    ) -> Option<(FileId, &'a Node, PointerBuf)> {
        match self.resolver.follow(file, node) {
            Ok((t, None)) => Some((t.file, t.node, ptr.clone())),
            Ok((t, Some(p))) => Some((t.file, t.node, PointerBuf::from_string(p))),
            Err(e) => {
                self.ref_error(file, node, ptr, &e);
                None
            }
        }
    }

    /// The members of a map of `$ref`-able objects (paths, webhooks, callback expressions), each
    /// followed to what it refers to; `x-` keys are skipped and broken references reported.
    pub fn resolved_members(
        &mut self,
        file: FileId,
        map: &'a Node,
        ptr: &PointerBuf,
    ) -> Vec<(&'a str, FileId, &'a Node, PointerBuf)> {
        let mut out = Vec::new();
        for m in map.as_object().unwrap_or(&[]) {
            if m.key.starts_with("x-") {
                continue;
            }
            if let Some((f, node, p)) = self.follow(file, &m.value, &ptr.join(&m.key)) {
                out.push((m.key.as_str(), f, node, p));
            }
        }
        out
    }

    /// Common parameter fields; `schema` is decided by the caller.
    pub fn parameter_shell(
        &mut self,
        file: FileId,
        node: &'a Node,
        ptr: &PointerBuf,
        use_site: Origin,
        schema: SchemaId,
    ) -> Parameter {
        let location = match node.get_str("in") {
            Some("path") => ParameterLocation::Path,
            Some("query") => ParameterLocation::Query,
            Some("header") => ParameterLocation::Header,
            Some("cookie") => ParameterLocation::Cookie,
            Some("body") => ParameterLocation::Body,
            Some("formData") => ParameterLocation::FormData,
            Some(other) => ParameterLocation::Other(other.to_string()),
            None => ParameterLocation::Other(String::new()),
        };
        let notification_url = matches!(
            node.get("x-ms-notification-url").map(|v| &v.value),
            Some(Value::Bool(true))
        ) || node.get_str("x-ms-notification-url") == Some("true");
        let url_encoding = node.get("x-ms-url-encoding").map(|v| match v.as_str() {
            Some("single") => UrlEncoding::Single,
            Some("double") => UrlEncoding::Double,
            Some(o) => UrlEncoding::Other(o.to_string()),
            None => UrlEncoding::Other(v.to_json().to_string()),
        });
        Parameter {
            name: self.str_field(file, node, ptr, "name").unwrap_or_default(),
            required: self
                .bool_field(file, node, ptr, "required")
                .unwrap_or(false),
            location,
            schema,
            description: self.str_field(file, node, ptr, "description"),
            summary: self.str_field(file, node, ptr, "x-ms-summary"),
            visibility: self.visibility(node),
            url_encoding,
            serialization: None,
            allow_empty: self
                .bool_field(file, node, ptr, "allowEmptyValue")
                .unwrap_or(false),
            deprecated: self
                .bool_field(file, node, ptr, "deprecated")
                .unwrap_or(false),
            dynamic: self.dynamics(file, node, ptr),
            notification_url,
            extensions: self.extensions(file, node, ptr),
            origin: self.origin(file, ptr, node),
            use_site,
        }
    }

    /// Merges path-level and operation-level parameter lists: the operation's win on the same
    /// name and location. Returns the resolved (file, node, pointer, use site) of each.
    pub fn merged_parameters(
        &mut self,
        file: FileId,
        lists: [(Option<&'a Node>, PointerBuf); 2],
    ) -> Vec<(FileId, &'a Node, PointerBuf, Origin)> {
        let mut out: Vec<(FileId, &'a Node, PointerBuf, Origin)> = Vec::new();
        let mut path_level = 0;
        for (level, (list, lptr)) in lists.into_iter().enumerate() {
            let Some(list) = list else { continue };
            let Some(items) = list.as_array() else {
                self.push(
                    Diagnostic::new(
                        &codes::UNEXPECTED_TYPE,
                        format!(
                            "`parameters` should be an array, found {}",
                            list.type_name()
                        ),
                    )
                    .at(file, list.span)
                    .pointer(lptr.as_string()),
                );
                continue;
            };
            for (i, item) in items.iter().enumerate() {
                let iptr = lptr.index(i);
                let use_site = self.origin(file, &iptr, item);
                let Some((f, node, ptr)) = self.follow(file, item, &iptr) else {
                    continue;
                };
                let key = (
                    node.get_str("name").unwrap_or(""),
                    node.get_str("in").unwrap_or(""),
                );
                // An operation-level parameter replaces a path-level one with the same name and
                // location; duplicates within one list are kept for the validator to report.
                if level == 1 {
                    if let Some(pos) = out[..path_level].iter().position(|(_, n, _, _)| {
                        (
                            n.get_str("name").unwrap_or(""),
                            n.get_str("in").unwrap_or(""),
                        ) == key
                    }) {
                        out.remove(pos);
                        path_level -= 1;
                    }
                }
                out.push((f, node, ptr, use_site));
            }
            if level == 0 {
                path_level = out.len();
            }
        }
        out
    }
}
