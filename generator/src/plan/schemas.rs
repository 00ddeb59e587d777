//! Facts about schemas every output reads the same way.

use crate::model::*;
use std::collections::HashSet;

/// The properties of a schema with those of its `allOf` parts (recursively, each once), as
/// (name, schema, required).
pub fn merged_properties(types: &TypeSpace, s: &Schema) -> Vec<(String, SchemaId, bool)> {
    let mut out: Vec<(String, SchemaId, bool)> = Vec::new();
    let mut required: HashSet<String> = HashSet::new();
    let mut seen = HashSet::new();
    let mut stack = vec![s];
    while let Some(part) = stack.pop() {
        required.extend(part.required.iter().cloned());
        for p in &part.properties {
            if let Some(existing) = out.iter_mut().find(|(n, _, _)| n == &p.name) {
                existing.1 = p.schema;
            } else {
                out.push((p.name.clone(), p.schema, false));
            }
        }
        for &a in part.all_of.iter().rev() {
            let r = types.resolve(a);
            if seen.insert(r) {
                stack.push(types.get(r));
            }
        }
    }
    for p in &mut out {
        p.2 = required.contains(&p.0);
    }
    out
}

/// True for a plain string schema: no enum, no format that makes it another type.
pub fn is_plain_string(types: &TypeSpace, id: SchemaId) -> bool {
    let s = types.get(types.resolve(id));
    s.types == [SchemaType::String]
        && s.rare().enum_values.is_empty()
        && s.format
            .as_deref()
            .is_none_or(|f| !matches!(f, "date-time" | "date" | "uuid" | "byte" | "binary"))
}

/// True for a schema of raw bytes (`type: file`, or a `binary` string).
pub fn is_binary(types: &TypeSpace, id: SchemaId) -> bool {
    let s = types.get(types.resolve(id));
    s.types == [SchemaType::File]
        || (s.types == [SchemaType::String] && s.format.as_deref() == Some("binary"))
}
