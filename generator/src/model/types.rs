//! Schemas: an arena of every named and anonymous schema, with `$ref`s resolved once to ids.
//!
//! A `$ref` becomes a [`SchemaId`], so recursive schemas are plain cycles of ids (no infinite
//! structures, no stack overflow when walking them with a visited set).

use super::{Dynamic, Extensions, Origin, Rare, Scarce, Visibility};

/// Index of a schema in a [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaId(pub u32);

/// A JSON Schema primitive type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaType {
    /// `string`
    String,
    /// `integer`
    Integer,
    /// `number`
    Number,
    /// `boolean`
    Boolean,
    /// `array`
    Array,
    /// `object`
    Object,
    /// `null`
    Null,
    /// Swagger 2 `file`
    File,
    /// Anything else, as written.
    Other(String),
}

impl SchemaType {
    /// Reads a `type` value.
    pub fn parse(s: &str) -> SchemaType {
        match s {
            "string" => SchemaType::String,
            "integer" => SchemaType::Integer,
            "number" => SchemaType::Number,
            "boolean" => SchemaType::Boolean,
            "array" => SchemaType::Array,
            "object" => SchemaType::Object,
            "null" => SchemaType::Null,
            "file" => SchemaType::File,
            other => SchemaType::Other(other.to_string()),
        }
    }
}

/// A property of an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The property name as written in JSON.
    pub name: String,
    /// Its schema.
    pub schema: SchemaId,
    /// Listed in `required`.
    pub required: bool,
}

/// `additionalProperties`.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// `true` or `{}`: any values.
    Any,
    /// `false`: none.
    Forbidden,
    /// Values of this schema.
    Schema(SchemaId),
}

/// `discriminator`.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// The property naming the variant.
    pub property: String,
    /// Explicit value → schema reference mapping (OpenAPI 3).
    pub mapping: Vec<(String, String)>,
}

/// Numeric and length constraints.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    /// `minimum`
    pub minimum: Option<f64>,
    /// `maximum`
    pub maximum: Option<f64>,
    /// `minLength`
    pub min_length: Option<u64>,
    /// `maxLength`
    pub max_length: Option<u64>,
    /// `minItems`
    pub min_items: Option<u64>,
    /// `maxItems`
    pub max_items: Option<u64>,
    /// `pattern`
    pub pattern: Option<String>,
}

/// One schema.
///
/// What most schemas have is kept in the schema itself; what few have (compositions other than
/// `allOf`, values, constraints, discriminators, dynamic values, extensions) in [`SchemaRare`],
/// made only for the schemas that have any of it: a definition of 100,000 operations has
/// 200,000 schemas, and a schema holding every field in place took 856 bytes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// The definition name, for schemas under `definitions` / `components.schemas`.
    pub name: Option<String>,
    /// When this schema is a `$ref`: the schema it refers to.
    pub reference: Option<SchemaId>,
    /// The reference text, when the schema is (or was meant to be) a `$ref`.
    pub reference_text: Option<String>,
    /// `type` (several for OpenAPI 3.1 type arrays; empty when not given).
    pub types: Vec<SchemaType>,
    /// `format`.
    pub format: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Null allowed: OpenAPI 3.0 `nullable`, 3.1 `"null"` in `type`, Swagger `x-nullable`.
    pub nullable: bool,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `x-ms-notification-url: true`.
    pub notification_url: bool,
    /// `x-ms-visibility`.
    pub visibility: Option<Visibility>,
    /// `properties`, in written order.
    pub properties: Vec<Property>,
    /// `required` names (including ones without a property).
    pub required: Vec<String>,
    /// `additionalProperties`.
    pub additional: Option<Additional>,
    /// `items`.
    pub items: Option<SchemaId>,
    /// `allOf`.
    pub all_of: Vec<SchemaId>,
    /// `x-ms-summary`.
    pub summary: Option<String>,
    /// Where it is written.
    pub origin: Origin,
    /// The rest, when the schema has any of it (read with [`Schema::rare`], changed with
    /// [`Schema::rare_mut`], or made whole with [`Rare::of`]).
    pub rare: Rare<SchemaRare>,
}

/// The parts of a [`Schema`] few schemas have.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaRare {
    /// `oneOf`.
    pub one_of: Vec<SchemaId>,
    /// `anyOf`.
    pub any_of: Vec<SchemaId>,
    /// `not`.
    pub not: Option<SchemaId>,
    /// `enum` values.
    pub enum_values: Vec<serde_json::Value>,
    /// `const`.
    pub const_value: Option<serde_json::Value>,
    /// `default`.
    pub default: Option<serde_json::Value>,
    /// `example`.
    pub example: Option<serde_json::Value>,
    /// `discriminator`.
    pub discriminator: Option<Discriminator>,
    /// `x-ms-discriminator-value`: the value of the discriminator that names this schema.
    pub discriminator_value: Option<String>,
    /// Constraints.
    pub constraints: Constraints,
    /// `x-ms-dynamic-*`.
    pub dynamic: Vec<Dynamic>,
    /// Extensions.
    pub extensions: Extensions,
}

impl Scarce for SchemaRare {
    fn none() -> &'static SchemaRare {
        &NO_RARE
    }
}

/// What [`Schema::rare`] gives for a schema without any of its parts.
static NO_RARE: SchemaRare = SchemaRare {
    one_of: Vec::new(),
    any_of: Vec::new(),
    not: None,
    enum_values: Vec::new(),
    const_value: None,
    default: None,
    example: None,
    discriminator: None,
    discriminator_value: None,
    constraints: Constraints {
        minimum: None,
        maximum: None,
        min_length: None,
        max_length: None,
        min_items: None,
        max_items: None,
        pattern: None,
    },
    dynamic: Vec::new(),
    extensions: Extensions(Vec::new()),
};

impl Schema {
    /// The parts few schemas have (empty ones when this schema has none of them).
    pub fn rare(&self) -> &SchemaRare {
        self.rare.get()
    }

    /// The parts few schemas have, to change them (made when the schema had none).
    pub fn rare_mut(&mut self) -> &mut SchemaRare {
        self.rare.get_mut()
    }

    /// The schemas of `oneOf`, then those of `anyOf`: the alternatives a value may match.
    pub fn alternatives(&self) -> impl Iterator<Item = SchemaId> + '_ {
        let rare = self.rare();
        rare.one_of.iter().chain(&rare.any_of).copied()
    }

    /// True when the schema says nothing about its values (no type, no structure): any JSON.
    pub fn is_free_form(&self) -> bool {
        let rare = self.rare();
        self.reference.is_none()
            && self.types.is_empty()
            && self.properties.is_empty()
            && self.items.is_none()
            && self.all_of.is_empty()
            && self.alternatives().next().is_none()
            && rare.enum_values.is_empty()
            && rare.const_value.is_none()
    }

    /// Every schema this one refers to directly.
    pub fn children(&self) -> impl Iterator<Item = SchemaId> + '_ {
        self.reference
            .iter()
            .copied()
            .chain(self.properties.iter().map(|p| p.schema))
            .chain(match &self.additional {
                Some(Additional::Schema(id)) => Some(*id),
                _ => None,
            })
            .chain(self.items)
            .chain(self.all_of.iter().copied())
            .chain(self.alternatives())
            .chain(self.rare().not)
    }
}

/// Every schema of a connector.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    schemas: Vec<Schema>,
    named: Vec<SchemaId>,
    /// What [`TypeSpace::resolve`] gives for each schema, computed once after the last change
    /// (following chains anew at every call was quadratic in the length of `$ref` chains).
    resolved: std::sync::OnceLock<Vec<SchemaId>>,
}

impl PartialEq for TypeSpace {
    fn eq(&self, other: &Self) -> bool {
        self.schemas == other.schemas && self.named == other.named
    }
}

impl TypeSpace {
    /// Adds a schema and returns its id.
    pub fn add(&mut self, schema: Schema) -> SchemaId {
        self.resolved = Default::default();
        let id = SchemaId(self.schemas.len() as u32);
        if schema.name.is_some() {
            self.named.push(id);
        }
        self.schemas.push(schema);
        id
    }

    /// Gives back the room the list of schemas grew into.
    pub fn shrink_to_fit(&mut self) {
        self.schemas.shrink_to_fit();
        self.named.shrink_to_fit();
    }

    /// Reserves an id to fill later (for `$ref` targets not yet lowered).
    pub fn reserve(&mut self) -> SchemaId {
        self.resolved = Default::default();
        let id = SchemaId(self.schemas.len() as u32);
        self.schemas.push(Schema::default());
        id
    }

    /// Fills a reserved id.
    pub fn fill(&mut self, id: SchemaId, schema: Schema) {
        self.resolved = Default::default();
        // A schema already named here is listed already (no search: 50,000 definitions would
        // make it quadratic).
        if schema.name.is_some() && self.schemas[id.0 as usize].name.is_none() {
            self.named.push(id);
        }
        self.schemas[id.0 as usize] = schema;
    }

    /// The schema with id `id`.
    pub fn get(&self, id: SchemaId) -> &Schema {
        &self.schemas[id.0 as usize]
    }

    /// How many schemas.
    pub fn len(&self) -> usize {
        self.schemas.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }

    /// Named schemas (definitions), in written order.
    pub fn named(&self) -> impl Iterator<Item = (SchemaId, &Schema)> {
        self.named.iter().map(move |&id| (id, self.get(id)))
    }

    /// Every schema with its id.
    pub fn iter(&self) -> impl Iterator<Item = (SchemaId, &Schema)> {
        self.schemas
            .iter()
            .enumerate()
            .map(|(i, s)| (SchemaId(i as u32), s))
    }

    /// Follows `$ref`s to the schema that defines something (on a loop of references: the
    /// first schema of the loop that the chain reaches).
    pub fn resolve(&self, id: SchemaId) -> SchemaId {
        let table = self.resolved.get_or_init(|| self.resolve_all());
        table.get(id.0 as usize).copied().unwrap_or(id)
    }

    /// [`TypeSpace::resolve`] of every schema, in one pass (each chain is walked once).
    fn resolve_all(&self) -> Vec<SchemaId> {
        const UNKNOWN: u32 = u32::MAX;
        let n = self.schemas.len();
        let mut out = vec![UNKNOWN; n];
        // The walk that is in progress, to tell a loop from a chain already resolved.
        let mut on_path = vec![false; n];
        let mut path = Vec::new();
        for start in 0..n {
            if out[start] != UNKNOWN {
                continue;
            }
            let mut id = start;
            let end = loop {
                if out[id] != UNKNOWN {
                    break out[id];
                }
                if on_path[id] {
                    break id as u32; // a loop: it stops where it closes
                }
                match self.schemas[id].reference {
                    Some(next) if (next.0 as usize) < n && next.0 as usize != id => {
                        on_path[id] = true;
                        path.push(id);
                        id = next.0 as usize;
                    }
                    _ => break id as u32,
                }
            };
            for p in path.drain(..) {
                on_path[p] = false;
                out[p] = end;
            }
            if out[id] == UNKNOWN {
                out[id] = end;
            }
        }
        out.into_iter().map(SchemaId).collect()
    }

    /// Schemas that take part in a cycle through properties, items or compositions (they need
    /// indirection, e.g. `Box`, when turned into types). Iterative: safe on any depth.
    pub fn recursive(&self) -> Vec<SchemaId> {
        let mut ids: Vec<SchemaId> = self.cycles().into_keys().collect();
        ids.sort();
        ids
    }

    /// For every schema in a cycle, the number of its cycle (strongly connected component):
    /// two schemas refer to each other, directly or not, exactly when their numbers are equal.
    pub fn cycles(&self) -> std::collections::HashMap<SchemaId, usize> {
        self.cycles_with(&std::collections::HashMap::new())
    }

    /// [`TypeSpace::cycles`] with `extra` references besides those the schemas write (a base
    /// schema that stands for its subtypes holds them).
    pub fn cycles_with(
        &self,
        extra: &std::collections::HashMap<SchemaId, Vec<SchemaId>>,
    ) -> std::collections::HashMap<SchemaId, usize> {
        // Tarjan's strongly connected components, iteratively.
        let n = self.schemas.len();
        let mut index = vec![u32::MAX; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<u32> = Vec::new();
        let mut result = std::collections::HashMap::new();
        let mut next_index = 0u32;
        let children: Vec<Vec<u32>> = self
            .schemas
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let more = extra.get(&SchemaId(i as u32)).into_iter().flatten();
                s.children()
                    .chain(more.copied())
                    .map(|c| c.0)
                    .filter(|&c| (c as usize) < n)
                    .collect()
            })
            .collect();
        for root in 0..n {
            if index[root] != u32::MAX {
                continue;
            }
            let mut work: Vec<(u32, usize)> = vec![(root as u32, 0)];
            while let Some(&mut (v, ref mut ci)) = work.last_mut() {
                let vu = v as usize;
                if *ci == 0 && index[vu] == u32::MAX {
                    index[vu] = next_index;
                    low[vu] = next_index;
                    next_index += 1;
                    stack.push(v);
                    on_stack[vu] = true;
                }
                if let Some(&w) = children[vu].get(*ci) {
                    *ci += 1;
                    let wu = w as usize;
                    if index[wu] == u32::MAX {
                        work.push((w, 0));
                    } else if on_stack[wu] {
                        low[vu] = low[vu].min(index[wu]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    let pu = parent as usize;
                    low[pu] = low[pu].min(low[vu]);
                }
                if low[vu] == index[vu] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    let self_loop = children[vu].contains(&v);
                    if component.len() > 1 || self_loop {
                        let number = result.len();
                        result.extend(component.into_iter().map(|c| (SchemaId(c), number)));
                    }
                }
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recursion_is_found_without_recursion() {
        let mut ts = TypeSpace::default();
        let a = ts.reserve();
        let b = ts.reserve();
        let leaf = ts.add(Schema::default());
        ts.fill(
            a,
            Schema {
                name: Some("A".into()),
                properties: vec![Property {
                    name: "b".into(),
                    schema: b,
                    required: false,
                }],
                ..Schema::default()
            },
        );
        ts.fill(
            b,
            Schema {
                items: Some(a),
                ..Schema::default()
            },
        );
        let mut chain = leaf;
        for _ in 0..100_000 {
            chain = ts.add(Schema {
                items: Some(chain),
                ..Schema::default()
            });
        }
        assert_eq!(ts.recursive(), vec![a, b]);
        assert_eq!(ts.named().count(), 1);
    }
}
