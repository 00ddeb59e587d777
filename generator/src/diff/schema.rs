//! Two schemas compared structurally: through `$ref`s and `allOf` (each pair of schemas once, so
//! recursive schemas end), property by property and into array items. What differs is listed
//! with its path (`customer.address.city`, `items[]`) and its place on both sides; the rules
//! decide what each difference means for a request or a response.

use crate::model::{Origin, Schema, SchemaId, SchemaType, TypeSpace};
use crate::plan::merged_properties;
use std::collections::HashSet;

/// How deep a comparison goes (nesting, not references: a pair is compared once).
const MAX_DEPTH: usize = 64;

/// One difference between two schemas.
#[derive(Debug, Clone, PartialEq)]
pub enum Difference {
    /// A property of the old schema is gone.
    PropertyRemoved,
    /// The new schema has a property the old one had not; `required` when it must be given.
    PropertyAdded {
        /// It is required.
        required: bool,
    },
    /// A property that was optional is required.
    BecameRequired,
    /// The type changed (`string` → `integer`, a format changed).
    TypeChanged {
        /// As it was.
        old: String,
        /// As it is.
        new: String,
    },
    /// Values of an enum are gone.
    EnumValuesRemoved(Vec<serde_json::Value>),
    /// An enum has new values.
    EnumValuesAdded(Vec<serde_json::Value>),
}

impl Difference {
    /// What changed, in words (`the property was removed`).
    pub fn describe(&self) -> String {
        let values = |v: &[serde_json::Value]| {
            v.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Difference::PropertyRemoved => "the property was removed".into(),
            Difference::PropertyAdded { required: true } => "a required property was added".into(),
            Difference::PropertyAdded { required: false } => "a property was added".into(),
            Difference::BecameRequired => "the property became required".into(),
            Difference::TypeChanged { old, new } => format!("the type changed from {old} to {new}"),
            Difference::EnumValuesRemoved(v) => format!("no longer accepts {}", values(v)),
            Difference::EnumValuesAdded(v) => format!("has new values {}", values(v)),
        }
    }
}

impl Found {
    /// Where, for a message: `` `path` ``, or `whole` for the compared schema itself.
    pub fn at(&self, whole: &str) -> String {
        if self.path.is_empty() {
            whole.to_string()
        } else {
            format!("`{}`", self.path)
        }
    }
}

/// A difference at a place in the schemas.
#[derive(Debug, Clone)]
pub struct Found {
    /// Where, from the compared schema (`""` for the schema itself).
    pub path: String,
    /// What.
    pub difference: Difference,
    /// The element in the old version, when it is there.
    pub old: Option<Origin>,
    /// The element in the new version, when it is there.
    pub new: Option<Origin>,
}

/// The type of a schema in words: `string`, `string (date-time)`, `integer | null`.
pub fn type_text(s: &Schema) -> String {
    let mut t = s
        .types
        .iter()
        .map(|t| match t {
            SchemaType::String => "string".to_string(),
            SchemaType::Integer => "integer".to_string(),
            SchemaType::Number => "number".to_string(),
            SchemaType::Boolean => "boolean".to_string(),
            SchemaType::Array => "array".to_string(),
            SchemaType::Object => "object".to_string(),
            SchemaType::Null => "null".to_string(),
            SchemaType::File => "file".to_string(),
            SchemaType::Other(o) => o.clone(),
        })
        .collect::<Vec<_>>()
        .join(" | ");
    if let Some(f) = &s.format {
        t.push_str(&format!(" ({f})"));
    }
    t
}

/// Compares schema `old_id` of the old version with `new_id` of the new one.
pub fn compare(old: &TypeSpace, old_id: SchemaId, new: &TypeSpace, new_id: SchemaId) -> Vec<Found> {
    let mut cx = Cx {
        old,
        new,
        seen: HashSet::new(),
        out: Vec::new(),
    };
    cx.walk(old_id, new_id, String::new(), 0);
    cx.out
}

struct Cx<'a> {
    old: &'a TypeSpace,
    new: &'a TypeSpace,
    seen: HashSet<(SchemaId, SchemaId)>,
    out: Vec<Found>,
}

fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

impl Cx<'_> {
    fn walk(&mut self, old_id: SchemaId, new_id: SchemaId, path: String, depth: usize) {
        let (o_id, n_id) = (self.old.resolve(old_id), self.new.resolve(new_id));
        if depth > MAX_DEPTH || !self.seen.insert((o_id, n_id)) {
            return;
        }
        let (o, n) = (self.old.get(o_id), self.new.get(n_id));
        let found = |difference, old: bool, new: bool| Found {
            path: path.clone(),
            difference,
            old: old.then(|| o.origin.clone()),
            new: new.then(|| n.origin.clone()),
        };
        // A type is compared when both sides give one (an untyped side says nothing).
        let (ot, nt) = (type_text(o), type_text(n));
        if !o.types.is_empty() && !n.types.is_empty() && ot != nt {
            let f = found(Difference::TypeChanged { old: ot, new: nt }, true, true);
            self.out.push(f);
            return;
        }
        if !o.rare().enum_values.is_empty() && !n.rare().enum_values.is_empty() {
            let removed: Vec<_> = o
                .rare()
                .enum_values
                .iter()
                .filter(|v| !n.rare().enum_values.contains(v))
                .cloned()
                .collect();
            let added: Vec<_> = n
                .rare()
                .enum_values
                .iter()
                .filter(|v| !o.rare().enum_values.contains(v))
                .cloned()
                .collect();
            if !removed.is_empty() {
                let f = found(Difference::EnumValuesRemoved(removed), true, true);
                self.out.push(f);
            }
            if !added.is_empty() {
                let f = found(Difference::EnumValuesAdded(added), true, true);
                self.out.push(f);
            }
        }
        if let (Some(oi), Some(ni)) = (o.items, n.items) {
            self.walk(oi, ni, format!("{path}[]"), depth + 1);
        }
        let op = merged_properties(self.old, o);
        let np = merged_properties(self.new, n);
        if op.is_empty() && np.is_empty() {
            return;
        }
        for (name, oid, oreq) in &op {
            match np.iter().find(|(m, _, _)| m == name) {
                None => self.out.push(Found {
                    path: child(&path, name),
                    difference: Difference::PropertyRemoved,
                    old: Some(self.old.get(self.old.resolve(*oid)).origin.clone()),
                    new: Some(n.origin.clone()),
                }),
                Some((_, nid, nreq)) => {
                    if !oreq && *nreq {
                        self.out.push(Found {
                            path: child(&path, name),
                            difference: Difference::BecameRequired,
                            old: Some(self.old.get(self.old.resolve(*oid)).origin.clone()),
                            new: Some(self.new.get(self.new.resolve(*nid)).origin.clone()),
                        });
                    }
                    self.walk(*oid, *nid, child(&path, name), depth + 1);
                }
            }
        }
        // Properties of a schema that had none are not "added": the old one was free-form.
        if op.is_empty() {
            return;
        }
        for (name, nid, nreq) in &np {
            if !op.iter().any(|(m, _, _)| m == name) {
                self.out.push(Found {
                    path: child(&path, name),
                    difference: Difference::PropertyAdded { required: *nreq },
                    old: Some(o.origin.clone()),
                    new: Some(self.new.get(self.new.resolve(*nid)).origin.clone()),
                });
            }
        }
    }
}
