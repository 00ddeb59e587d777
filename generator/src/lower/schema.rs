//! Schemas → the [`TypeSpace`] arena. `$ref`s are resolved once, through a work list (never by
//! recursion into the target), so chains and cycles of any length are safe.

use super::Ctx;
use crate::diagnostics::{codes, Diagnostic};
use crate::load::node::{Node, PointerBuf, Value};
use crate::location::FileId;
use crate::model::*;

/// What a schema-shaped object is: a real schema, or a Swagger 2 non-body parameter / header
/// (whose `x-ms-*` extensions belong to the parameter, not to its type).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SchemaRole {
    Schema,
    Parameter,
}

fn definition_name(pointer: &str) -> Option<String> {
    for prefix in ["/definitions/", "/components/schemas/"] {
        if let Some(rest) = pointer.strip_prefix(prefix) {
            if !rest.contains('/') {
                return Some(crate::load::node::unescape_segment(rest));
            }
        }
    }
    None
}

impl<'a> Ctx<'a> {
    /// Registers every schema of a definitions map (`definitions`, `components/schemas`) so that
    /// named types keep their written order.
    pub fn register_definitions(&mut self, file: FileId, map: &'a Node, ptr: &PointerBuf) {
        let Some(members) = map.as_object() else {
            return;
        };
        for m in members {
            let p = ptr.join(&m.key);
            self.target_id(file, &m.value, p.as_string());
        }
    }

    fn target_id(&mut self, file: FileId, node: &'a Node, pointer: String) -> SchemaId {
        if let Some(id) = self.schema_ids.get(&(file, pointer.clone())) {
            return *id;
        }
        let id = self.types.reserve();
        self.schema_ids.insert((file, pointer.clone()), id);
        self.pending.push((id, file, node, pointer));
        id
    }

    /// Lowers every schema reached through references so far (and those they reach).
    pub fn drain_schemas(&mut self) {
        // Lower in registration order so that output stays deterministic.
        let mut next = 0;
        loop {
            if next >= self.pending.len() {
                break;
            }
            let (id, file, node, pointer) = self.pending[next].clone();
            next += 1;
            let ptr = PointerBuf::from_string(pointer.clone());
            let mut schema = self.schema_body(file, node, &ptr, SchemaRole::Schema);
            schema.name = definition_name(&pointer);
            self.types.fill(id, schema);
        }
        self.pending.clear();
        self.report_ref_loops();
    }

    /// Lowers an inline schema and returns its id.
    pub fn schema(&mut self, file: FileId, node: &'a Node, ptr: PointerBuf) -> SchemaId {
        let s = self.schema_body(file, node, &ptr, SchemaRole::Schema);
        self.types.add(s)
    }

    /// Lowers a schema-shaped parameter/header object.
    pub fn parameter_schema(&mut self, file: FileId, node: &'a Node, ptr: &PointerBuf) -> SchemaId {
        let s = self.schema_body(file, node, ptr, SchemaRole::Parameter);
        self.types.add(s)
    }

    fn schema_ref(
        &mut self,
        file: FileId,
        node: &'a Node,
        reference: &str,
        ptr: &PointerBuf,
    ) -> Option<SchemaId> {
        match self.resolver.resolve(file, reference) {
            Ok((target, pointer)) => {
                let id = self.target_id(target.file, target.node, pointer);
                Some(id)
            }
            Err(e) => {
                self.ref_error(file, node, ptr, &e);
                None
            }
        }
    }

    pub(crate) fn schema_body(
        &mut self,
        file: FileId,
        node: &'a Node,
        ptr: &PointerBuf,
        role: SchemaRole,
    ) -> Schema {
        let mut s = Schema {
            origin: self.origin(file, ptr, node),
            ..Schema::default()
        };
        let mut rare = SchemaRare::default();
        if node.as_object().is_none() {
            if let Value::Bool(b) = node.value {
                // JSON Schema `true` / `false` (OpenAPI 3.1).
                if !b {
                    rare.not = Some(self.types.add(Schema::default()));
                }
            } else {
                self.push(
                    Diagnostic::new(
                        &codes::UNEXPECTED_TYPE,
                        format!("a schema should be an object, found {}", node.type_name()),
                    )
                    .at(file, node.span)
                    .pointer(ptr.as_string()),
                );
            }
            s.rare = Rare::of(rare);
            return s;
        }
        s.description = self.str_field(file, node, ptr, "description");
        s.title = self.str_field(file, node, ptr, "title");
        if role == SchemaRole::Schema {
            s.summary = self.str_field(file, node, ptr, "x-ms-summary");
            s.visibility = self.visibility(node);
            s.notification_url = matches!(
                node.get("x-ms-notification-url").map(|v| &v.value),
                Some(Value::Bool(true))
            ) || node.get_str("x-ms-notification-url") == Some("true");
            rare.dynamic = self.dynamics(file, node, ptr);
            rare.extensions = self.extensions(file, node, ptr);
            rare.discriminator_value = rare
                .extensions
                .get("x-ms-discriminator-value")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string);
        }
        if let Some(r) = node.get("$ref") {
            match r.as_str() {
                Some(text) => {
                    s.reference_text = Some(text.to_string());
                    s.reference = self.schema_ref(file, node, text, ptr);
                }
                None => self.push(
                    Diagnostic::new(
                        &codes::UNEXPECTED_TYPE,
                        format!("`$ref` should be a string, found {}", r.type_name()),
                    )
                    .at(file, r.span)
                    .pointer(ptr.join("$ref").as_string()),
                ),
            }
            // Swagger 2.0 and OpenAPI 3.0 ignore a `$ref`'s siblings; 3.1 allows a few. Keep the
            // annotations (description, x-ms-*) that were read above and nothing structural.
            s.rare = Rare::of(rare);
            return s;
        }
        match node.get("type").map(|t| &t.value) {
            Some(Value::String(t)) => s.types.push(SchemaType::parse(t)),
            Some(Value::Array(items)) => {
                for t in items {
                    match t.as_str() {
                        Some("null") => s.nullable = true,
                        Some(t) => s.types.push(SchemaType::parse(t)),
                        None => {}
                    }
                }
            }
            Some(_) => {
                let t = node.get("type").unwrap_or(node);
                self.push(
                    Diagnostic::new(
                        &codes::UNEXPECTED_TYPE,
                        format!("`type` should be a string, found {}", t.type_name()),
                    )
                    .at(file, t.span)
                    .pointer(ptr.join("type").as_string()),
                );
            }
            None => {}
        }
        s.format = self.str_field(file, node, ptr, "format");
        if self.bool_field(file, node, ptr, "nullable") == Some(true)
            || node.get("x-nullable").and_then(Node::as_bool) == Some(true)
        {
            s.nullable = true;
        }
        s.read_only = self
            .bool_field(file, node, ptr, "readOnly")
            .unwrap_or(false);
        s.write_only = self
            .bool_field(file, node, ptr, "writeOnly")
            .unwrap_or(false);
        s.deprecated = self
            .bool_field(file, node, ptr, "deprecated")
            .unwrap_or(false);
        if let Some(v) = node.get("required") {
            match &v.value {
                Value::Array(items) => {
                    s.required = items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_string))
                        .collect()
                }
                // `required: true` on a property is a common mistake in Swagger 2 files; a
                // parameter's `required` is read by the parameter.
                _ if role == SchemaRole::Parameter => {}
                _ => self.push(
                    Diagnostic::new(
                        &codes::UNEXPECTED_TYPE,
                        format!(
                            "a schema's `required` should be an array of property names, found {}",
                            v.type_name()
                        ),
                    )
                    .at(file, v.span)
                    .pointer(ptr.join("required").as_string())
                    .help("list required properties in the parent object's `required` array"),
                ),
            }
        }
        if let Some(props) = node.get("properties") {
            let pptr = ptr.join("properties");
            match props.as_object() {
                Some(members) => {
                    for m in members {
                        let id = self.schema(file, &m.value, pptr.join(&m.key));
                        let required = s.required.iter().any(|r| r == &m.key);
                        s.properties.push(Property {
                            name: m.key.clone(),
                            schema: id,
                            required,
                        });
                    }
                }
                None => {
                    self.wrong_type_schema(file, props, &pptr, "`properties` should be an object")
                }
            }
        }
        if let Some(ap) = node.get("additionalProperties") {
            s.additional = Some(match &ap.value {
                Value::Bool(true) => Additional::Any,
                Value::Bool(false) => Additional::Forbidden,
                Value::Object(m) if m.is_empty() => Additional::Any,
                _ => Additional::Schema(self.schema(file, ap, ptr.join("additionalProperties"))),
            });
        }
        if let Some(items) = node.get("items") {
            let iptr = ptr.join("items");
            s.items = Some(match &items.value {
                Value::Array(list) if !list.is_empty() => {
                    self.schema(file, &list[0], iptr.index(0))
                }
                _ if role == SchemaRole::Parameter => self.parameter_schema(file, items, &iptr),
                _ => self.schema(file, items, iptr),
            });
        }
        for (key, target) in [("allOf", 0), ("oneOf", 1), ("anyOf", 2)] {
            if let Some(list) = node.get(key) {
                let lptr = ptr.join(key);
                match list.as_array() {
                    Some(items) => {
                        let ids: Vec<SchemaId> = items
                            .iter()
                            .enumerate()
                            .map(|(i, n)| self.schema(file, n, lptr.index(i)))
                            .collect();
                        match target {
                            0 => s.all_of = ids,
                            1 => rare.one_of = ids,
                            _ => rare.any_of = ids,
                        }
                    }
                    None => self.wrong_type_schema(
                        file,
                        list,
                        &lptr,
                        &format!("`{key}` should be an array of schemas"),
                    ),
                }
            }
        }
        if let Some(not) = node.get("not") {
            rare.not = Some(self.schema(file, not, ptr.join("not")));
        }
        if let Some(e) = node.get("enum") {
            match e.as_array() {
                Some(items) => rare.enum_values = items.iter().map(Node::to_json).collect(),
                None => {
                    self.wrong_type_schema(file, e, &ptr.join("enum"), "`enum` should be an array")
                }
            }
        }
        rare.const_value = node.get("const").map(Node::to_json);
        rare.default = node.get("default").map(Node::to_json);
        rare.example = node.get("example").map(Node::to_json);
        rare.discriminator = match node.get("discriminator").map(|d| &d.value) {
            Some(Value::String(p)) => Some(Discriminator {
                property: p.clone(),
                mapping: Vec::new(),
            }),
            Some(Value::Object(_)) => {
                let d = node.get("discriminator").unwrap_or(node);
                d.get_str("propertyName").map(|p| Discriminator {
                    property: p.to_string(),
                    mapping: d
                        .get("mapping")
                        .and_then(Node::as_object)
                        .map(|m| {
                            m.iter()
                                .filter_map(|e| {
                                    Some((e.key.clone(), e.value.as_str()?.to_string()))
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            }
            _ => None,
        };
        rare.constraints = Constraints {
            minimum: node.get("minimum").and_then(Node::as_f64),
            maximum: node.get("maximum").and_then(Node::as_f64),
            min_length: node.get("minLength").and_then(Node::as_u64),
            max_length: node.get("maxLength").and_then(Node::as_u64),
            min_items: node.get("minItems").and_then(Node::as_u64),
            max_items: node.get("maxItems").and_then(Node::as_u64),
            pattern: node.get_str("pattern").map(str::to_string),
        };
        s.rare = Rare::of(rare);
        s
    }

    fn wrong_type_schema(&mut self, file: FileId, node: &Node, ptr: &PointerBuf, msg: &str) {
        self.push(
            Diagnostic::new(
                &codes::UNEXPECTED_TYPE,
                format!("{msg}, found {}", node.type_name()),
            )
            .at(file, node.span)
            .pointer(ptr.as_string()),
        );
    }

    /// Finds schemas whose `$ref`s only lead to each other, reports each loop once, and cuts it
    /// (the reporting schema becomes free-form) so that nothing downstream can loop.
    fn report_ref_loops(&mut self) {
        let n = self.types.len();
        let mut state = vec![0u8; n]; // 0 new, 1 on the current chain, 2 done
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            let mut chain = Vec::new();
            let mut cur = start;
            loop {
                if state[cur] == 2 {
                    break;
                }
                if state[cur] == 1 {
                    // A loop: from `cur` to the end of `chain`.
                    let pos = chain.iter().position(|&c| c == cur).unwrap_or(0);
                    let members: Vec<usize> = chain[pos..].to_vec();
                    self.report_loop(&members);
                    break;
                }
                state[cur] = 1;
                chain.push(cur);
                match self.types.get(SchemaId(cur as u32)).reference {
                    Some(next) => cur = next.0 as usize,
                    None => break,
                }
            }
            for c in chain {
                state[c] = 2;
            }
        }
    }

    fn report_loop(&mut self, members: &[usize]) {
        let names: Vec<String> = members
            .iter()
            .map(|&m| {
                let s = self.types.get(SchemaId(m as u32));
                s.name
                    .clone()
                    .unwrap_or_else(|| s.origin.pointer.as_string())
            })
            .collect();
        let first = SchemaId(members[0] as u32);
        let origin = self.types.get(first).origin.clone();
        let span = self
            .sources
            .get(origin.file)
            .span_of(&format!("{}/$ref", origin.pointer))
            .unwrap_or(origin.span);
        let mut chain = names.join(" → ");
        chain.push_str(" → ");
        chain.push_str(&names[0]);
        self.push(
            Diagnostic::new(&codes::REF_LOOP, format!("schema `$ref` loop: {chain}"))
                .at(origin.file, span)
                .pointer(format!("{}/$ref", origin.pointer))
                .help("each `$ref` here points at another `$ref`; one of them must point at a schema with content"),
        );
        let mut cut = self.types.get(first).clone();
        cut.reference = None;
        self.types.fill(first, cut);
    }
}
