//! Schemas of the model written as OpenAPI 3.0 or Swagger 2.0 schema objects.

use super::Target;
use crate::model::{Additional, Schema, SchemaId, SchemaType, TypeSpace};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Writes schemas: named ones once, under `components/schemas` or `definitions`, referred to by
/// `$ref`; anonymous ones inline. An anonymous schema met again while it is being written (a
/// cycle) is given a name and written as a definition too.
pub struct SchemaWriter<'a> {
    types: &'a TypeSpace,
    target: Target,
    names: HashMap<SchemaId, String>,
    taken: HashSet<String>,
    written: HashSet<SchemaId>,
    queue: Vec<SchemaId>,
    in_progress: HashSet<SchemaId>,
    /// What could not be expressed in the target format.
    pub notes: Vec<String>,
}

/// A component key: letters, digits, `.`, `-`, `_` (what OpenAPI 3.0 allows).
fn key_of(name: &str) -> String {
    let k: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if k.is_empty() {
        "Schema".into()
    } else {
        k
    }
}

impl<'a> SchemaWriter<'a> {
    /// A writer for the schemas of `types`.
    pub fn new(types: &'a TypeSpace, target: Target) -> Self {
        let mut w = SchemaWriter {
            types,
            target,
            names: HashMap::new(),
            taken: HashSet::new(),
            written: HashSet::new(),
            queue: Vec::new(),
            in_progress: HashSet::new(),
            notes: Vec::new(),
        };
        for (id, s) in types.named() {
            let name = s.name.as_deref().unwrap_or("Schema");
            w.name(id, name);
        }
        w
    }

    fn name(&mut self, id: SchemaId, wanted: &str) -> String {
        if let Some(n) = self.names.get(&id) {
            return n.clone();
        }
        let base = key_of(wanted);
        let mut name = base.clone();
        let mut k = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{base}{k}");
            k += 1;
        }
        self.names.insert(id, name.clone());
        name
    }

    fn reference(&mut self, id: SchemaId) -> Value {
        let name = self.names[&id].clone();
        if !self.written.contains(&id) && !self.queue.contains(&id) {
            self.queue.push(id);
        }
        let prefix = match self.target {
            Target::OpenApi3 => "#/components/schemas/",
            Target::Swagger2 => "#/definitions/",
        };
        serde_json::json!({ "$ref": format!("{prefix}{name}") })
    }

    /// The schema `id` as a schema object (a `$ref` for named schemas).
    pub fn schema(&mut self, id: SchemaId) -> Value {
        if self.names.contains_key(&id) {
            return self.reference(id);
        }
        if self.in_progress.contains(&id) {
            self.name(id, &format!("Recursive{}", id.0));
            return self.reference(id);
        }
        self.body(id)
    }

    /// Every named schema reached so far (and what they reach), by name.
    pub fn definitions(&mut self) -> Map<String, Value> {
        // Every named schema is written, used or not: the definition declared it.
        let mut all: Vec<SchemaId> = self.types.named().map(|(id, _)| id).collect();
        all.retain(|id| !self.queue.contains(id));
        self.queue.extend(all);
        let mut out: Vec<(String, Value)> = Vec::new();
        while let Some(id) = self.queue.pop() {
            if !self.written.insert(id) {
                continue;
            }
            let body = self.body(id);
            out.push((self.names[&id].clone(), body));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.into_iter().collect()
    }

    fn body(&mut self, id: SchemaId) -> Value {
        let s: &Schema = self.types.get(id);
        if let Some(target) = s.reference {
            if target != id {
                self.in_progress.insert(id);
                let v = self.schema(target);
                self.in_progress.remove(&id);
                return v;
            }
        }
        self.in_progress.insert(id);
        let v = self.write(s);
        self.in_progress.remove(&id);
        v
    }

    fn write(&mut self, s: &Schema) -> Value {
        let swagger = self.target == Target::Swagger2;
        let mut m = Map::new();
        let types: Vec<&SchemaType> = s.types.iter().filter(|t| **t != SchemaType::Null).collect();
        let nullable = s.nullable || s.types.contains(&SchemaType::Null);
        if let Some(t) = types.first() {
            let (name, format) = match t {
                SchemaType::String => ("string", None),
                SchemaType::Integer => ("integer", None),
                SchemaType::Number => ("number", None),
                SchemaType::Boolean => ("boolean", None),
                SchemaType::Array => ("array", None),
                SchemaType::Object => ("object", None),
                SchemaType::File if swagger => ("file", None),
                SchemaType::File => ("string", Some("binary")),
                SchemaType::Null | SchemaType::Other(_) => ("", None),
            };
            if !name.is_empty() {
                m.insert("type".into(), name.into());
            }
            if let Some(f) = format {
                m.insert("format".into(), f.into());
            }
            if types.len() > 1 {
                self.notes.push(format!(
                    "a schema with several types ({}) is written with its first",
                    types
                        .iter()
                        .map(|t| format!("{t:?}").to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if let Some(f) = &s.format {
            m.entry("format").or_insert_with(|| f.clone().into());
        }
        for (k, v) in [("title", &s.title), ("description", &s.description)] {
            if let Some(v) = v {
                m.insert(k.into(), v.clone().into());
            }
        }
        if nullable {
            m.insert(
                if swagger { "x-nullable" } else { "nullable" }.into(),
                true.into(),
            );
        }
        if s.read_only {
            m.insert("readOnly".into(), true.into());
        }
        if s.write_only && !swagger {
            m.insert("writeOnly".into(), true.into());
        }
        if s.deprecated && !swagger {
            m.insert("deprecated".into(), true.into());
        }
        if !s.properties.is_empty() {
            let mut props = Map::new();
            for p in &s.properties {
                let v = self.schema(p.schema);
                props.insert(p.name.clone(), v);
            }
            m.insert("properties".into(), props.into());
        }
        let required: Vec<Value> = s
            .required
            .iter()
            .filter(|r| s.properties.iter().any(|p| &&p.name == r))
            .map(|r| r.clone().into())
            .collect();
        if !required.is_empty() {
            m.insert("required".into(), required.into());
        }
        match &s.additional {
            Some(Additional::Any) => {
                m.insert("additionalProperties".into(), true.into());
            }
            Some(Additional::Forbidden) => {
                m.insert("additionalProperties".into(), false.into());
            }
            Some(Additional::Schema(id)) => {
                let v = self.schema(*id);
                m.insert("additionalProperties".into(), v);
            }
            None => {}
        }
        if let Some(items) = s.items {
            let v = self.schema(items);
            m.insert("items".into(), v);
        } else if types.first() == Some(&&SchemaType::Array) {
            m.insert("items".into(), Value::Object(Map::new()));
        }
        if !s.all_of.is_empty() {
            let v: Vec<Value> = s.all_of.iter().map(|id| self.schema(*id)).collect();
            m.insert("allOf".into(), v.into());
        }
        for (key, list) in [("oneOf", &s.rare().one_of), ("anyOf", &s.rare().any_of)] {
            if list.is_empty() {
                continue;
            }
            let v: Vec<Value> = list.iter().map(|id| self.schema(*id)).collect();
            if swagger {
                // Swagger 2.0 has no oneOf/anyOf: the choices are kept as an extension.
                m.insert(format!("x-{key}"), v.into());
                self.notes.push(format!(
                    "`{key}` is not part of Swagger 2.0: written as `x-{key}`"
                ));
            } else {
                m.insert(key.into(), v.into());
            }
        }
        if let Some(not) = s.rare().not {
            if swagger {
                self.notes
                    .push("`not` is not part of Swagger 2.0: left out".into());
            } else {
                let v = self.schema(not);
                m.insert("not".into(), v);
            }
        }
        if !s.rare().enum_values.is_empty() {
            m.insert("enum".into(), s.rare().enum_values.clone().into());
        } else if let Some(c) = &s.rare().const_value {
            m.insert("enum".into(), vec![c.clone()].into());
        }
        if let Some(d) = &s.rare().default {
            m.insert("default".into(), d.clone());
        }
        if let Some(e) = &s.rare().example {
            m.insert("example".into(), e.clone());
        }
        if let Some(d) = &s.rare().discriminator {
            if swagger {
                m.insert("discriminator".into(), d.property.clone().into());
            } else {
                let mut o = Map::new();
                o.insert("propertyName".into(), d.property.clone().into());
                if !d.mapping.is_empty() {
                    let mapping: Map<String, Value> = d
                        .mapping
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone().into()))
                        .collect();
                    o.insert("mapping".into(), mapping.into());
                }
                m.insert("discriminator".into(), o.into());
            }
        }
        let c = &s.rare().constraints;
        for (k, v) in [("minimum", c.minimum), ("maximum", c.maximum)] {
            if let Some(v) = v.and_then(serde_json::Number::from_f64) {
                m.insert(k.into(), v.into());
            }
        }
        for (k, v) in [
            ("minLength", c.min_length),
            ("maxLength", c.max_length),
            ("minItems", c.min_items),
            ("maxItems", c.max_items),
        ] {
            if let Some(v) = v {
                m.insert(k.into(), v.into());
            }
        }
        if let Some(p) = &c.pattern {
            m.insert("pattern".into(), p.clone().into());
        }
        super::platform_extensions(
            &mut m,
            s.summary.as_deref(),
            s.visibility.as_ref(),
            s.notification_url,
            &s.rare().dynamic,
        );
        for e in s.rare().extensions.iter() {
            m.insert(e.key.clone(), e.value.clone());
        }
        Value::Object(m)
    }

    /// The primitive fields (`type`, `format`, `items`, `enum`, `default`) of a schema, for a
    /// Swagger 2.0 non-body parameter or header, which cannot hold a schema object.
    pub fn inline_primitive(&mut self, id: SchemaId, what: &str) -> Map<String, Value> {
        let id = self.types.resolve(id);
        let s = self.types.get(id);
        let mut m = Map::new();
        let ty = s.types.iter().find(|t| **t != SchemaType::Null);
        let name = match ty {
            Some(SchemaType::Integer) => "integer",
            Some(SchemaType::Number) => "number",
            Some(SchemaType::Boolean) => "boolean",
            Some(SchemaType::Array) => "array",
            Some(SchemaType::File) => "file",
            Some(SchemaType::String) => "string",
            other => {
                if matches!(other, Some(SchemaType::Object)) || !s.properties.is_empty() {
                    self.notes.push(format!("{what}: an object value is written as a string (Swagger 2.0 parameters are primitive)"));
                }
                "string"
            }
        };
        m.insert("type".into(), name.into());
        if let Some(f) = &s.format {
            m.insert("format".into(), f.clone().into());
        }
        if name == "array" {
            let items = match s.items {
                Some(i) => Value::Object(self.inline_primitive(i, what)),
                None => serde_json::json!({ "type": "string" }),
            };
            m.insert("items".into(), items);
        }
        for (k, v) in [
            ("default", &s.rare().default),
            ("x-example", &s.rare().example),
        ] {
            if let Some(v) = v {
                m.insert(k.into(), v.clone());
            }
        }
        if !s.rare().enum_values.is_empty() {
            m.insert("enum".into(), s.rare().enum_values.clone().into());
        }
        let c = &s.rare().constraints;
        for (k, v) in [("minimum", c.minimum), ("maximum", c.maximum)] {
            if let Some(v) = v.and_then(serde_json::Number::from_f64) {
                m.insert(k.into(), v.into());
            }
        }
        for (k, v) in [("minLength", c.min_length), ("maxLength", c.max_length)] {
            if let Some(v) = v {
                m.insert(k.into(), v.into());
            }
        }
        if let Some(p) = &c.pattern {
            m.insert("pattern".into(), p.clone().into());
        }
        m
    }
}
