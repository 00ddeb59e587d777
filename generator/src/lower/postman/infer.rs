//! Schemas inferred from example JSON values (Postman bodies and saved responses).
//!
//! Several examples of one body merge into one schema: a property missing from some object
//! examples is optional, one that is `null` in some is nullable, integers and decimals make a
//! number, and values of unrelated types leave the schema free-form.

use crate::model::{Origin, Property, Schema, SchemaId, SchemaType, TypeSpace};
use serde_json::Value;

/// Examples larger than this (serialised) are not copied into the schema's `example`.
const MAX_EXAMPLE_BYTES: usize = 16 * 1024;

/// Infers one schema from `examples` (all of one body). The first example is kept as the
/// schema's `example` when it is small.
pub fn infer(types: &mut TypeSpace, examples: &[&Value], origin: &Origin) -> SchemaId {
    let id = infer_at(types, examples, origin, 0);
    if let Some(first) = examples.first() {
        if serde_json::to_string(first).is_ok_and(|s| s.len() <= MAX_EXAMPLE_BYTES) {
            let mut s = types.get(id).clone();
            s.rare_mut().example = Some((*first).clone());
            types.fill(id, s);
        }
    }
    id
}

/// Values nested deeper than this are described as free-form (the loader's own depth limit
/// bounds the recursion long before; this keeps the inference bounded on its own).
const MAX_DEPTH: usize = 512;

fn infer_at(types: &mut TypeSpace, examples: &[&Value], origin: &Origin, depth: usize) -> SchemaId {
    let mut schema = Schema {
        origin: origin.clone(),
        ..Schema::default()
    };
    let non_null: Vec<&Value> = examples.iter().copied().filter(|v| !v.is_null()).collect();
    schema.nullable = non_null.len() < examples.len();
    if depth >= MAX_DEPTH || non_null.is_empty() {
        return types.add(schema);
    }
    let kind = |v: &Value| match v {
        Value::Bool(_) => 0,
        Value::Number(n) if n.is_i64() || n.is_u64() => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
        Value::Null => 6,
    };
    let mut kinds: Vec<u8> = non_null.iter().map(|v| kind(v)).collect();
    kinds.sort_unstable();
    kinds.dedup();
    match kinds.as_slice() {
        [0] => schema.types = vec![SchemaType::Boolean],
        [1] => schema.types = vec![SchemaType::Integer],
        [1, 2] | [2] => schema.types = vec![SchemaType::Number],
        [3] => {
            schema.types = vec![SchemaType::String];
            schema.format = string_format(&non_null);
        }
        [4] => {
            schema.types = vec![SchemaType::Array];
            let items: Vec<&Value> = non_null
                .iter()
                .filter_map(|v| v.as_array())
                .flatten()
                .collect();
            schema.items = Some(infer_at(types, &items, origin, depth + 1));
        }
        [5] => {
            schema.types = vec![SchemaType::Object];
            let objects: Vec<&serde_json::Map<String, Value>> =
                non_null.iter().filter_map(|v| v.as_object()).collect();
            let mut names: Vec<&String> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for o in &objects {
                for k in o.keys() {
                    if seen.insert(k.as_str()) {
                        names.push(k);
                    }
                }
            }
            for name in names {
                let values: Vec<&Value> = objects.iter().filter_map(|o| o.get(name)).collect();
                let required = values.len() == objects.len();
                let child = infer_at(types, &values, origin, depth + 1);
                if required {
                    schema.required.push(name.clone());
                }
                schema.properties.push(Property {
                    name: name.clone(),
                    schema: child,
                    required,
                });
            }
        }
        // Values of different kinds: any JSON value.
        _ => {}
    }
    types.add(schema)
}

/// `date-time`, `date` or `uuid` when every string has that shape.
fn string_format(values: &[&Value]) -> Option<String> {
    let strings: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
    let all = |f: fn(&str) -> bool| !strings.is_empty() && strings.iter().all(|s| f(s));
    if all(is_date_time) {
        Some("date-time".into())
    } else if all(is_date) {
        Some("date".into())
    } else if all(is_uuid) {
        Some("uuid".into())
    } else {
        None
    }
}

fn digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    s.is_ascii()
        && b.len() == 10
        && digits(&b[0..4])
        && b[4] == b'-'
        && digits(&b[5..7])
        && b[7] == b'-'
        && digits(&b[8..10])
}

fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    s.is_ascii()
        && b.len() >= 20
        && s.get(..10).is_some_and(is_date)
        && matches!(b[10], b'T' | b't')
        && digits(&b[11..13])
        && b[13] == b':'
        && digits(&b[14..16])
        && b[16] == b':'
        && digits(&b[17..19])
        && (s.ends_with(['Z', 'z']) || {
            let tail = &b[b.len() - 6..];
            matches!(tail[0], b'+' | b'-') && digits(&tail[1..3]) && tail[3] == b':'
        })
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The JSON type a query, header or form value suggests: booleans, integers and decimals by
/// their text, anything else (and `{{variables}}`) a string.
pub fn scalar_type(value: &str) -> SchemaType {
    let v = value.trim();
    if v == "true" || v == "false" {
        SchemaType::Boolean
    } else if !v.is_empty()
        && v.len() < 19
        && v.strip_prefix('-')
            .unwrap_or(v)
            .bytes()
            .all(|b| b.is_ascii_digit())
        && !v.strip_prefix('-').unwrap_or(v).is_empty()
        && !(v.len() > 1 && v.starts_with('0'))
    {
        SchemaType::Integer
    } else if v.parse::<f64>().is_ok_and(f64::is_finite)
        && v.contains('.')
        && v.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        SchemaType::Number
    } else {
        SchemaType::String
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn examples_merge_into_optional_and_nullable_fields() {
        let mut ts = TypeSpace::default();
        let a = json!({"id": 1, "name": "x", "when": "2024-01-02T03:04:05Z", "tags": ["a"]});
        let b = json!({"id": 2.5, "name": null, "extra": true, "tags": []});
        let id = infer(&mut ts, &[&a, &b], &Origin::default());
        let s = ts.get(id);
        assert_eq!(s.types, vec![SchemaType::Object]);
        assert_eq!(s.required, vec!["id", "name", "tags"]);
        let prop = |n: &str| ts.get(s.properties.iter().find(|p| p.name == n).unwrap().schema);
        assert_eq!(prop("id").types, vec![SchemaType::Number]);
        assert!(prop("name").nullable);
        assert_eq!(prop("name").types, vec![SchemaType::String]);
        assert_eq!(prop("when").format.as_deref(), Some("date-time"));
        assert!(
            !s.properties
                .iter()
                .find(|p| p.name == "when")
                .unwrap()
                .required
        );
        assert_eq!(
            ts.get(prop("tags").items.unwrap()).types,
            vec![SchemaType::String]
        );
        assert_eq!(s.rare().example.as_ref(), Some(&a));
    }

    #[test]
    fn mixed_kinds_are_free_form() {
        let mut ts = TypeSpace::default();
        let id = infer(&mut ts, &[&json!(1), &json!("x")], &Origin::default());
        assert!(ts.get(id).types.is_empty());
    }

    #[test]
    fn scalar_types_from_text() {
        assert_eq!(scalar_type("true"), SchemaType::Boolean);
        assert_eq!(scalar_type("-12"), SchemaType::Integer);
        assert_eq!(scalar_type("007"), SchemaType::String);
        assert_eq!(scalar_type("1.5"), SchemaType::Number);
        assert_eq!(scalar_type("{{id}}"), SchemaType::String);
        assert_eq!(scalar_type("1e5"), SchemaType::String);
    }
}
