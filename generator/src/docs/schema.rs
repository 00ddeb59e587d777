//! Schemas on a page: a type's label and link, and the property tables of definitions, bodies
//! and responses.

use super::html;
use crate::model::{Schema, SchemaId, SchemaType, TypeSpace, Visibility};
use serde::Serialize;
use std::collections::HashMap;

/// Nested inline objects shown in one table, at most this deep (`a.b.c.d`).
const MAX_DEPTH: usize = 6;
/// Rows of one table at most; a line under it says when there were more.
pub const MAX_ROWS: usize = 500;

/// A type as shown: its label, and the definition it links to when it is a named one.
#[derive(Debug, Clone, Serialize)]
pub struct TypeRef {
    /// `string (date-time)`, `array of Task`, `object`.
    pub label: String,
    /// `#def-Task`, when the type (or an array's items) is a definition on the page.
    pub href: Option<String>,
}

/// One row of a property table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// `x-ms-summary`, else the property's name.
    pub name: String,
    /// The property's place: `address.city`.
    pub path: String,
    /// Listed in `required`.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Description, with the allowed values when there are a few.
    pub description: String,
    /// `x-ms-visibility: advanced`.
    pub advanced: bool,
}

/// A table of properties, and whether it was cut at [`MAX_ROWS`].
#[derive(Debug, Clone, Serialize, Default)]
pub struct Table {
    /// The rows.
    pub rows: Vec<Row>,
    /// True when there were more rows than [`MAX_ROWS`].
    pub truncated: bool,
}

/// The type of a schema that is neither a definition nor an array, with its format:
/// `string (date-time)`, `object`, `any`.
pub fn base_label(s: &Schema) -> String {
    let base = s
        .types
        .iter()
        .find(|t| **t != SchemaType::Null)
        .map(|t| match t {
            SchemaType::String => "string".to_string(),
            SchemaType::Integer => "integer".into(),
            SchemaType::Number => "number".into(),
            SchemaType::Boolean => "boolean".into(),
            SchemaType::Array => "array".into(),
            SchemaType::Object => "object".into(),
            SchemaType::Null => "null".into(),
            SchemaType::File => "file".into(),
            SchemaType::Other(o) => html::line(o),
        })
        .unwrap_or_else(|| {
            if !s.properties.is_empty() || !s.all_of.is_empty() {
                "object".into()
            } else if s.alternatives().next().is_some() {
                "one of several".into()
            } else {
                "any".into()
            }
        });
    match &s.format {
        Some(f) if !f.trim().is_empty() => format!("{base} ({})", html::line(f)),
        _ => base,
    }
}

/// The anchors of the definitions on one page, by schema id.
pub struct Types<'a> {
    /// The connector's schemas.
    pub space: &'a TypeSpace,
    /// `def-…` anchor of every named schema.
    pub anchors: HashMap<SchemaId, String>,
}

impl<'a> Types<'a> {
    /// The schema `id` stands for (after `$ref`s).
    pub fn resolved(&self, id: SchemaId) -> (SchemaId, &'a Schema) {
        let r = self.space.resolve(id);
        (r, self.space.get(r))
    }

    /// How the type of `id` is shown.
    pub fn type_ref(&self, id: SchemaId) -> TypeRef {
        self.type_ref_depth(id, 0)
    }

    fn type_ref_depth(&self, id: SchemaId, depth: usize) -> TypeRef {
        let (rid, s) = self.resolved(id);
        if let (Some(name), Some(anchor)) = (&s.name, self.anchors.get(&rid)) {
            return TypeRef {
                label: html::line(name),
                href: Some(format!("#{anchor}")),
            };
        }
        let is = |t: SchemaType| s.types.contains(&t);
        if let Some(items) = s
            .items
            .filter(|_| depth < 8 && (is(SchemaType::Array) || s.types.is_empty()))
        {
            let inner = self.type_ref_depth(items, depth + 1);
            return TypeRef {
                label: format!("array of {}", inner.label),
                href: inner.href,
            };
        }
        TypeRef {
            label: base_label(s),
            href: None,
        }
    }

    /// The description of a property: its own, else its type's, with up to ten allowed values.
    pub fn describe(&self, own: Option<&str>, id: SchemaId) -> String {
        let (_, s) = self.resolved(id);
        let own_schema = self.space.get(id);
        let text = own
            .or(own_schema.description.as_deref())
            .or(s.description.as_deref())
            .map(|d| crate::text::printable(d.trim()).into_owned())
            .unwrap_or_default();
        if s.rare().enum_values.is_empty() {
            return text;
        }
        let values: Vec<String> = s
            .rare()
            .enum_values
            .iter()
            .take(10)
            .map(|v| match v {
                serde_json::Value::String(t) => html::line(t),
                other => html::line(&other.to_string()),
            })
            .collect();
        let more = if s.rare().enum_values.len() > 10 {
            ", …"
        } else {
            ""
        };
        let sep = if text.is_empty() { "" } else { " " };
        format!("{text}{sep}Allowed values: {}{more}.", values.join(", "))
    }

    /// The properties of `id` as rows: inline objects (and arrays of them) nested with dotted
    /// paths, named ones linked. `skip_internal` leaves out `x-ms-visibility: internal`
    /// properties (what the platform hides from people filling in an action).
    pub fn table(&self, id: SchemaId, skip_internal: bool) -> Table {
        let mut t = Table::default();
        let mut on_path = Vec::new();
        self.rows_into(id, "", 0, skip_internal, &mut on_path, &mut t);
        t
    }

    /// True when `id` is an object whose properties a table shows (not a named definition,
    /// which has a table of its own).
    pub fn has_inline_properties(&self, id: SchemaId) -> bool {
        let (rid, s) = self.resolved(id);
        !self.anchors.contains_key(&rid) && !self.properties(s).is_empty()
    }

    /// The properties of a schema and of the schemas its `allOf` lists (one level), in order.
    fn properties(&self, s: &'a Schema) -> Vec<&'a crate::model::Property> {
        let mut out: Vec<&crate::model::Property> = s.properties.iter().collect();
        for part in &s.all_of {
            let (_, p) = self.resolved(*part);
            out.extend(p.properties.iter());
        }
        out
    }

    fn rows_into(
        &self,
        id: SchemaId,
        prefix: &str,
        depth: usize,
        skip_internal: bool,
        on_path: &mut Vec<SchemaId>,
        t: &mut Table,
    ) {
        let (rid, s) = self.resolved(id);
        if on_path.contains(&rid) || depth > MAX_DEPTH {
            return;
        }
        on_path.push(rid);
        let required = |name: &str| s.required.iter().any(|r| r == name);
        for p in self.properties(s) {
            let own = self.space.get(p.schema);
            let (pid, ps) = self.resolved(p.schema);
            let visibility = own.visibility.as_ref().or(ps.visibility.as_ref());
            if skip_internal && visibility == Some(&Visibility::Internal) {
                continue;
            }
            let path = if prefix.is_empty() {
                html::line(&p.name)
            } else {
                format!("{prefix}.{}", html::line(&p.name))
            };
            if t.rows.len() >= MAX_ROWS {
                t.truncated = true;
                break;
            }
            {
                t.rows.push(Row {
                    name: html::line(
                        own.summary
                            .as_deref()
                            .or(ps.summary.as_deref())
                            .unwrap_or(&p.name),
                    ),
                    path: path.clone(),
                    required: p.required || required(&p.name),
                    ty: self.type_ref(p.schema),
                    description: self.describe(None, p.schema),
                    advanced: visibility == Some(&Visibility::Advanced),
                });
            }
            // Inline objects, and arrays of inline objects, continue in the same table.
            let nested = if self.anchors.contains_key(&pid) {
                None
            } else if !self.properties(ps).is_empty() {
                Some(pid)
            } else {
                ps.items
                    .map(|i| self.resolved(i))
                    .filter(|(iid, is)| {
                        !self.anchors.contains_key(iid) && !self.properties(is).is_empty()
                    })
                    .map(|(iid, _)| iid)
            };
            if let Some(n) = nested {
                self.rows_into(n, &path, depth + 1, skip_internal, on_path, t);
            }
        }
        on_path.pop();
    }
}
