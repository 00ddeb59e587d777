//! Schemas → Rust types (`serde` models).
//!
//! Which schemas become items: objects with properties (structs), string enums (enums with a
//! fallback variant, so an unknown server value never breaks decoding), `oneOf`/`anyOf`
//! (tagged or untagged enums), a base with a `discriminator` that others extend (a tagged enum
//! of its subtypes) and `allOf` (one merged struct). Everything else is written inline: numbers,
//! strings (formatted ones as the SDK's text types), `Vec`, `BTreeMap`, and `serde_json::Value`
//! for free-form and `x-ms-dynamic-schema` values. Names come from definitions, or from where an
//! anonymous schema is used (`TaskOwner`, `ListItemsResponse`); recursion is boxed.

use super::docs::{code, combine, or_else};
use super::format::{format_file, FormatError};
use super::names::{field_name, type_name, Namer};
use super::{docs, ident};
use crate::model::{Additional, Connector, Discriminator, Schema, SchemaId, SchemaType, TypeSpace};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{HashMap, HashSet, VecDeque};

/// A property: name, schema, required.
pub(crate) type Prop = (String, SchemaId, bool);

/// What a schema turns into.
#[derive(Clone)]
enum Shape {
    Struct,
    Enum(Vec<String>),
    OneOf(Vec<SchemaId>),
    /// A `oneOf`/`anyOf` of objects told apart by a property holding one string per variant:
    /// a serde internally tagged enum. (tag property, [(tag value, variant schema)])
    Tagged(String, Vec<(String, SchemaId)>),
    Inline,
}

/// Generates the items of a `models` module.
pub struct ModelsGen<'a> {
    types: &'a TypeSpace,
    prefix: TokenStream,
    names: HashMap<SchemaId, String>,
    namer: Namer,
    queue: VecDeque<SchemaId>,
    done: HashSet<SchemaId>,
    cycles: HashMap<SchemaId, usize>,
    /// Shapes already worked out (a union's shape looks at every variant's properties).
    shapes: std::cell::RefCell<HashMap<SchemaId, Shape>>,
    /// For a base schema with a `discriminator` and no `oneOf`/`anyOf`: the named schemas that
    /// extend it through `allOf`, directly or not (Swagger 2.0 polymorphism).
    subtypes: HashMap<SchemaId, Vec<SchemaId>>,
    items: Vec<TokenStream>,
}

impl<'a> ModelsGen<'a> {
    /// A generator over `types`; `prefix` is the path of the models module as seen from the code
    /// that uses the types (e.g. `crate::models`).
    pub fn new(types: &'a TypeSpace, prefix: TokenStream) -> Self {
        let subtypes = subtypes(types);
        ModelsGen {
            types,
            prefix,
            names: HashMap::new(),
            namer: Namer::default(),
            queue: VecDeque::new(),
            done: HashSet::new(),
            // A base that stands for its subtypes holds them: a subtype's property of the base
            // type is then a cycle, and boxed.
            cycles: types.cycles_with(&subtypes),
            shapes: Default::default(),
            subtypes,
            items: Vec::new(),
        }
    }

    /// Every named schema of the connector, and the anonymous ones its operations use, as items.
    pub fn connector(c: &'a Connector, prefix: TokenStream) -> Self {
        let mut g = ModelsGen::new(&c.types, prefix);
        for (id, s) in c.types.named() {
            if let Some(name) = &s.name {
                g.type_ref(id, name);
            }
        }
        for op in &c.operations {
            let base = type_name(&op.id);
            if let Some(body) = &op.request_body {
                for m in body.content.iter().filter_map(|m| m.schema) {
                    g.type_ref(m, &format!("{base}Request"));
                }
            }
            let with_schema: Vec<_> = op
                .responses
                .iter()
                .filter(|r| r.schema().is_some())
                .collect();
            for r in &with_schema {
                let hint = if with_schema.len() == 1 {
                    format!("{base}Response")
                } else {
                    format!("{base}Response{}", status_word(&r.status))
                };
                if let Some(s) = r.schema() {
                    g.type_ref(s, &hint);
                }
            }
            for p in &op.parameters {
                g.type_ref(p.schema, &format!("{base}{}", type_name(&p.name)));
            }
            if let crate::model::OperationKind::WebhookTrigger {
                notification: Some(n),
                ..
            } = &op.kind
            {
                if let Some(s) = n.schema {
                    g.type_ref(s, &format!("{base}Notification"));
                }
            }
        }
        g
    }

    /// The shape of the (resolved) schema `id`, worked out once.
    fn shape_of(&self, id: SchemaId) -> Shape {
        if let Some(shape) = self.shapes.borrow().get(&id) {
            return shape.clone();
        }
        let shape = self.shape(id);
        self.shapes.borrow_mut().insert(id, shape.clone());
        shape
    }

    fn shape(&self, id: SchemaId) -> Shape {
        let s = self.types.get(id);
        if !s.rare().dynamic.is_empty() && s.properties.is_empty() {
            return Shape::Inline;
        }
        let string_enum = !s.rare().enum_values.is_empty()
            && s.rare().enum_values.iter().all(|v| v.is_string())
            && (s.types.is_empty() || s.types == [SchemaType::String]);
        if string_enum {
            return Shape::Enum(
                s.rare()
                    .enum_values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
            );
        }
        if let Some((tag, tagged)) = self.inheritance(id, s) {
            return Shape::Tagged(tag, tagged);
        }
        if !self.merged_properties(s).is_empty() {
            return Shape::Struct;
        }
        let variants: Vec<SchemaId> = s.alternatives().filter(|&v| !self.is_null(v)).collect();
        if variants.len() > 1 {
            // Variants that are all string enums: one enum of every value.
            let strings: Option<Vec<String>> =
                variants.iter().try_fold(Vec::new(), |mut acc, &v| {
                    let vs = self.types.get(self.types.resolve(v));
                    let texts = string_values(vs)?;
                    acc.extend(texts);
                    Some(acc)
                });
            if let Some(values) = strings {
                return Shape::Enum(values);
            }
            if let Some((tag, tagged)) = self.tagging(&variants, s.rare().discriminator.as_ref()) {
                return Shape::Tagged(tag, tagged);
            }
            return Shape::OneOf(variants);
        }
        Shape::Inline
    }

    /// A base schema with a `discriminator` that other schemas extend through `allOf`
    /// (Swagger 2.0 polymorphism: a value of the base is one of its subtypes) as a tagged union
    /// of its subtypes (and of itself, when it gives its own `x-ms-discriminator-value`), when
    /// the union is sound (see [`ModelsGen::tagging`]).
    fn inheritance(&self, id: SchemaId, s: &Schema) -> Option<(String, Vec<(String, SchemaId)>)> {
        let d = s.rare().discriminator.as_ref()?;
        let subtypes = self.subtypes.get(&id)?;
        let own = discriminator_value(s).is_some().then_some(id);
        let members: Vec<SchemaId> = own.into_iter().chain(subtypes.iter().copied()).collect();
        self.tagging(&members, Some(d))
    }

    /// The property that tells the variants apart, when every variant is an object (without
    /// extra properties) that requires it with a single string value, distinct across variants;
    /// or the union's `discriminator` property, each variant's value taken from its
    /// `x-ms-discriminator-value`, else from the mapping, else from a single value of the
    /// property, else the variant's schema name (OpenAPI's implicit mapping), when every
    /// variant has the property and the values are distinct.
    fn tagging(
        &self,
        variants: &[SchemaId],
        discriminator: Option<&Discriminator>,
    ) -> Option<(String, Vec<(String, SchemaId)>)> {
        let objects: Vec<(SchemaId, Vec<Prop>)> = variants
            .iter()
            .map(|&v| {
                let r = self.types.resolve(v);
                let vs = self.types.get(r);
                let props = self.merged_properties(vs);
                let extra = matches!(
                    vs.additional,
                    Some(Additional::Schema(_)) | Some(Additional::Any)
                );
                (!props.is_empty() && !extra && vs.alternatives().next().is_none())
                    .then_some((r, props))
            })
            .collect::<Option<_>>()?;
        let single = |pid: SchemaId| -> Option<String> {
            let ps = self.types.get(self.types.resolve(pid));
            match string_values(ps)?.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            }
        };
        let by_discriminator = |d: &Discriminator| -> Option<(String, Vec<(String, SchemaId)>)> {
            let mapped = |id: SchemaId| -> Option<String> {
                let name = self.types.get(id).name.as_deref()?;
                d.mapping
                    .iter()
                    .find(|(_, target)| target.rsplit('/').next() == Some(name))
                    .map(|(value, _)| value.clone())
            };
            let mut out = Vec::new();
            let mut seen = HashSet::new();
            for (id, props) in &objects {
                let (_, pid, _) = props.iter().find(|(n, _, _)| n == &d.property)?;
                let value = discriminator_value(self.types.get(*id))
                    .or_else(|| mapped(*id))
                    .or_else(|| single(*pid))
                    .or_else(|| self.types.get(*id).name.clone())?;
                if !seen.insert(value.clone()) {
                    return None;
                }
                out.push((value, *id));
            }
            Some((d.property.clone(), out))
        };
        if let Some(found) = discriminator.and_then(by_discriminator) {
            return Some(found);
        }
        let (_, first) = &objects[0];
        'candidates: for (tag, _, _) in first {
            let mut out = Vec::new();
            let mut seen = HashSet::new();
            for (id, props) in &objects {
                let Some((_, pid, true)) = props.iter().find(|(n, _, _)| n == tag) else {
                    continue 'candidates;
                };
                let Some(value) = single(*pid) else {
                    continue 'candidates;
                };
                if !seen.insert(value.clone()) {
                    continue 'candidates;
                }
                out.push((value, *id));
            }
            return Some((tag.clone(), out));
        }
        None
    }

    /// The properties of a schema with those of its `allOf` parts (see
    /// [`crate::plan::merged_properties`]).
    pub(crate) fn merged_properties(&self, s: &Schema) -> Vec<Prop> {
        crate::plan::merged_properties(self.types, s)
    }

    /// The Rust type for a schema used at a place described by `hint` (used to name it when it
    /// is anonymous). Registers items to emit.
    pub fn type_ref(&mut self, id: SchemaId, hint: &str) -> TokenStream {
        let target = self.types.resolve(id);
        let s = self.types.get(target);
        match self.shape_of(target) {
            Shape::Inline => self.inline(target, s, hint),
            _ => {
                let name = match self.names.get(&target) {
                    Some(n) => n.clone(),
                    None => {
                        let base = type_name(s.name.as_deref().unwrap_or(hint));
                        let n = self.namer.unique(base);
                        self.names.insert(target, n.clone());
                        self.queue.push_back(target);
                        n
                    }
                };
                let prefix = &self.prefix;
                let i = ident(&name);
                quote! { #prefix::#i }
            }
        }
    }

    fn inline(&mut self, id: SchemaId, s: &Schema, hint: &str) -> TokenStream {
        let value = quote! { ::connector_sdk::serde_json::Value };
        if !s.rare().dynamic.is_empty() || s.types.len() > 1 {
            return value;
        }
        match s.types.first() {
            Some(SchemaType::String) => match s.format.as_deref() {
                Some("date-time") => quote! { ::connector_sdk::types::DateTime },
                Some("date") => quote! { ::connector_sdk::types::Date },
                Some("uuid") => quote! { ::connector_sdk::types::Uuid },
                Some("byte") => quote! { ::connector_sdk::types::Base64 },
                _ => quote! { ::std::string::String },
            },
            Some(SchemaType::Integer) => match s.format.as_deref() {
                Some("int32") => quote! { i32 },
                Some("uint32") => quote! { u32 },
                Some("uint64") => quote! { u64 },
                _ => quote! { i64 },
            },
            Some(SchemaType::Number) => match s.format.as_deref() {
                Some("int32") => quote! { i32 },
                Some("int64") => quote! { i64 },
                _ => quote! { f64 },
            },
            Some(SchemaType::Boolean) => quote! { bool },
            Some(SchemaType::Array) | None if s.items.is_some() => {
                let item = match s.items {
                    Some(item) => self.type_ref(item, &format!("{hint}Item")),
                    None => value,
                };
                quote! { ::std::vec::Vec<#item> }
            }
            Some(SchemaType::Array) => quote! { ::std::vec::Vec<#value> },
            Some(SchemaType::Object) | None => match &s.additional {
                Some(Additional::Schema(v)) => {
                    let v = self.type_ref(*v, &format!("{hint}Value"));
                    quote! { ::std::collections::BTreeMap<::std::string::String, #v> }
                }
                _ => {
                    // A single `oneOf` variant, or an `allOf` of one part: that type.
                    let only = s
                        .alternatives()
                        .chain(s.all_of.iter().copied())
                        .find(|&v| !self.is_null(v));
                    match only {
                        Some(v) if self.types.resolve(v) != id => self.type_ref(v, hint),
                        _ => value,
                    }
                }
            },
            Some(SchemaType::File) => quote! { ::std::vec::Vec<u8> },
            Some(SchemaType::Null) | Some(SchemaType::Other(_)) => value,
        }
    }

    /// Emits every registered item; returns them in registration order.
    pub fn finish(mut self) -> Vec<TokenStream> {
        while let Some(id) = self.queue.pop_front() {
            if !self.done.insert(id) {
                continue;
            }
            let name = self.names[&id].clone();
            let item = self.item(id, &name);
            self.items.push(item);
        }
        self.items
    }

    /// True when `target` refers back to `item` (so holding it by value would make an infinitely
    /// large type).
    fn same_cycle(&self, item: SchemaId, target: SchemaId) -> bool {
        match (self.cycles.get(&item), self.cycles.get(&target)) {
            (Some(a), Some(b)) => a == b && self.names.contains_key(&target),
            _ => false,
        }
    }

    /// True for a `null` variant (which makes the use site optional rather than a variant).
    fn is_null(&self, id: SchemaId) -> bool {
        self.types.get(self.types.resolve(id)).types == [SchemaType::Null]
    }

    /// The schema a wrapper stands for: an object without properties whose only content is one
    /// non-null `allOf`/`oneOf`/`anyOf` part (how `nullable` references are often written) is
    /// written as that part.
    fn unwrap_alias(&self, mut id: SchemaId) -> SchemaId {
        for _ in 0..32 {
            let s = self.types.get(id);
            if !s.properties.is_empty()
                || s.additional.is_some()
                || !s.rare().enum_values.is_empty()
            {
                break;
            }
            let parts: Vec<SchemaId> = s
                .all_of
                .iter()
                .copied()
                .chain(s.alternatives())
                .filter(|&v| !self.is_null(v))
                .collect();
            match parts.as_slice() {
                [only] => id = self.types.resolve(*only),
                _ => break,
            }
        }
        id
    }

    /// True when the schema is written as a `Vec` or a map, which already hold their values on
    /// the heap.
    fn behind_indirection(&self, id: SchemaId) -> bool {
        let target = self.types.resolve(id);
        let s = self.types.get(target);
        matches!(self.shape_of(target), Shape::Inline)
            && (s.items.is_some() || matches!(s.additional, Some(Additional::Schema(_))))
    }

    /// The fields of the object schema `of` (with those of its `allOf` parts and its additional
    /// properties), for the item `item` named `name`; `skip` leaves out a property (the tag of a
    /// tagged enum); `public` marks them `pub` (struct fields, not enum variant fields).
    fn fields(
        &mut self,
        item: SchemaId,
        of: SchemaId,
        name: &str,
        skip: Option<&str>,
        public: bool,
    ) -> Vec<TokenStream> {
        let s = self.types.get(of);
        let vis = public.then(|| quote! { pub });
        let props = self.merged_properties(s);
        let mut namer = Namer::with_taken(&["additional_properties"]);
        let mut fields = Vec::new();
        for (pname, pid, required) in props {
            if skip == Some(pname.as_str()) {
                continue;
            }
            let fname = namer.unique(field_name(&pname));
            let fi = ident(&fname);
            let ps = self.types.get(pid);
            let target = self.types.resolve(pid);
            let resolved = self.types.get(target);
            let mut ty = self.type_ref(pid, &format!("{name}{}", type_name(&pname)));
            if self.same_cycle(item, self.unwrap_alias(target)) && !self.behind_indirection(pid) {
                ty = quote! { ::std::boxed::Box<#ty> };
            }
            let fdoc = docs(or_else(
                combine([
                    ps.summary.as_deref().or(resolved.summary.as_deref()),
                    ps.description.as_deref().or(resolved.description.as_deref()),
                    (!ps.rare().dynamic.is_empty() || !resolved.rare().dynamic.is_empty())
                        .then_some("The shape of this value is given at run time by another operation (x-ms-dynamic-schema)."),
                ]),
                || format!("The {} property.", code(&pname)),
            ));
            let rename = (fname.trim_start_matches("r#") != pname)
                .then(|| quote! { #[serde(rename = #pname)] });
            let optional = !required || ps.nullable || resolved.nullable;
            if optional {
                fields.push(quote! {
                    #fdoc
                    #rename
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    #vis #fi: ::std::option::Option<#ty>,
                });
            } else {
                fields.push(quote! {
                    #fdoc
                    #rename
                    #vis #fi: #ty,
                });
            }
        }
        if let Some(extra) = &s.additional {
            let v = match extra {
                Additional::Schema(v) => self.type_ref(*v, &format!("{name}Value")),
                _ => quote! { ::connector_sdk::serde_json::Value },
            };
            if !matches!(extra, Additional::Forbidden) {
                fields.push(quote! {
                    /// Properties beyond the ones listed above.
                    #[serde(flatten)]
                    #vis additional_properties: ::std::collections::BTreeMap<::std::string::String, #v>,
                });
            }
        }
        fields
    }

    fn item(&mut self, id: SchemaId, name: &str) -> TokenStream {
        let s = self.types.get(id);
        let doc = schema_doc(s, || match &s.name {
            Some(n) => format!("The {} schema of the definition.", code(n)),
            None => format!(
                "The schema at {} of the definition.",
                code(&format!("#{}", s.origin.pointer))
            ),
        });
        let name_ident = ident(name);
        let serde_crate = quote! { #[serde(crate = "::connector_sdk::serde")] };
        match self.shape_of(id) {
            Shape::Enum(values) => {
                // Serialized through `as_str` and decoded from a string by hand: lighter to
                // compile than a derive with an untagged fallback variant.
                let mut namer = Namer::with_taken(&["Other"]);
                let mut seen = HashSet::new();
                let (mut variants, mut to_str, mut from_str) = (Vec::new(), Vec::new(), Vec::new());
                // A `oneOf` of constants keeps each constant's description.
                let described: HashMap<String, String> = s
                    .alternatives()
                    .filter_map(|v| {
                        let vs = self.types.get(self.types.resolve(v));
                        match string_values(vs)?.as_slice() {
                            [one] => Some((one.clone(), vs.description.clone()?)),
                            _ => None,
                        }
                    })
                    .collect();
                for v in values.iter().filter(|v| seen.insert(v.as_str())) {
                    let vname = namer.unique(type_name(if v.is_empty() { "Empty" } else { v }));
                    let vi = ident(&vname);
                    let mut lines = vec![code(v)];
                    if let Some(d) = described.get(v) {
                        lines.push(String::new());
                        lines.extend(super::docs::doc_lines(d));
                    }
                    let vdoc = docs(lines);
                    variants.push(quote! { #vdoc #vi, });
                    to_str.push(quote! { Self::#vi => #v, });
                    from_str.push(quote! { #v => Self::#vi, });
                }
                quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                    pub enum #name_ident {
                        #(#variants)*
                        /// A value the definition does not list.
                        Other(::std::string::String),
                    }

                    impl #name_ident {
                        /// The value as sent on the wire.
                        pub fn as_str(&self) -> &str {
                            match self {
                                #(#to_str)*
                                Self::Other(other) => other,
                            }
                        }
                    }

                    impl ::connector_sdk::serde::Serialize for #name_ident {
                        fn serialize<S: ::connector_sdk::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                            serializer.serialize_str(self.as_str())
                        }
                    }

                    impl<'de> ::connector_sdk::serde::Deserialize<'de> for #name_ident {
                        fn deserialize<D: ::connector_sdk::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                            let text = <::std::string::String as ::connector_sdk::serde::Deserialize>::deserialize(deserializer)?;
                            ::std::result::Result::Ok(match text.as_str() {
                                #(#from_str)*
                                _ => Self::Other(text),
                            })
                        }
                    }
                }
            }
            Shape::OneOf(variants) => {
                let mut namer = Namer::default();
                let mut arms = Vec::new();
                for (i, v) in variants.iter().enumerate() {
                    let target = self.types.resolve(*v);
                    let vs = self.types.get(target);
                    let label = vs
                        .name
                        .clone()
                        .or_else(|| vs.title.clone())
                        .unwrap_or_else(|| match vs.types.first() {
                            Some(SchemaType::String) => "String".into(),
                            Some(SchemaType::Integer) => "Integer".into(),
                            Some(SchemaType::Number) => "Number".into(),
                            Some(SchemaType::Boolean) => "Boolean".into(),
                            Some(SchemaType::Array) => "List".into(),
                            _ => format!("Variant{}", i + 1),
                        });
                    let vname = namer.unique(type_name(&label));
                    let mut ty = self.type_ref(*v, &format!("{name}{vname}"));
                    if self.same_cycle(id, target) {
                        ty = quote! { ::std::boxed::Box<#ty> };
                    }
                    let vi = ident(&vname);
                    let vdoc = schema_doc(vs, || match &vs.name {
                        Some(n) => format!("The {} schema.", code(n)),
                        None => format!("A {} value.", code(&vname)),
                    });
                    arms.push(quote! { #vdoc #vi(#ty), });
                }
                quote! {
                    #doc
                    #[derive(Debug, Clone, ::connector_sdk::serde::Serialize, ::connector_sdk::serde::Deserialize)]
                    #serde_crate
                    #[serde(untagged)]
                    pub enum #name_ident {
                        #(#arms)*
                    }
                }
            }
            Shape::Tagged(tag, variants) => {
                let mut namer = Namer::with_taken(&["Other"]);
                let mut arms = Vec::new();
                for (value, vid) in &variants {
                    let vs = self.types.get(*vid);
                    let vname =
                        namer.unique(type_name(if value.is_empty() { "Empty" } else { value }));
                    let vi = ident(&vname);
                    let vdoc = schema_doc(vs, || match &vs.name {
                        Some(n) => format!(
                            "The {} schema, with {} = {}.",
                            code(n),
                            code(&tag),
                            code(value)
                        ),
                        None => format!("With {} = {}.", code(&tag), code(value)),
                    });
                    let fields =
                        self.fields(id, *vid, &format!("{name}{vname}"), Some(&tag), false);
                    let body = (!fields.is_empty()).then(|| quote! { { #(#fields)* } });
                    arms.push(quote! {
                        #vdoc
                        #[serde(rename = #value)]
                        #vi #body,
                    });
                }
                let other_doc = format!(
                    " A {} the definition does not list (its other properties are not kept).",
                    code(&tag)
                );
                quote! {
                    #doc
                    #[derive(Debug, Clone, ::connector_sdk::serde::Serialize, ::connector_sdk::serde::Deserialize)]
                    #serde_crate
                    #[serde(tag = #tag)]
                    pub enum #name_ident {
                        #(#arms)*
                        #[doc = #other_doc]
                        #[serde(other)]
                        Other,
                    }
                }
            }
            Shape::Struct | Shape::Inline => {
                let fields = self.fields(id, id, name, None, true);
                quote! {
                    #doc
                    #[derive(Debug, Clone, ::connector_sdk::serde::Serialize, ::connector_sdk::serde::Deserialize)]
                    #serde_crate
                    pub struct #name_ident {
                        #(#fields)*
                    }
                }
            }
        }
    }
}

/// The named schemas that extend a base schema with a `discriminator` (and no `oneOf`/`anyOf`)
/// through `allOf`, directly or not: for each such base, its subtypes in definition order, each
/// once.
fn subtypes(types: &TypeSpace) -> HashMap<SchemaId, Vec<SchemaId>> {
    let mut direct: HashMap<SchemaId, Vec<SchemaId>> = HashMap::new();
    for (id, s) in types.named() {
        for &part in &s.all_of {
            let parent = types.resolve(part);
            if parent != id {
                direct.entry(parent).or_default().push(id);
            }
        }
    }
    let mut out = HashMap::new();
    for &base in direct.keys() {
        let b = types.get(base);
        if b.rare().discriminator.is_none() || b.alternatives().next().is_some() {
            continue;
        }
        let mut seen = HashSet::from([base]);
        let mut queue = VecDeque::from([base]);
        let mut all = Vec::new();
        while let Some(parent) = queue.pop_front() {
            for &child in direct.get(&parent).into_iter().flatten() {
                if seen.insert(child) {
                    all.push(child);
                    queue.push_back(child);
                }
            }
        }
        out.insert(base, all);
    }
    out
}

/// The doc of an item or variant made from schema `s`: its title and description, else the
/// line `fallback` makes.
fn schema_doc(s: &Schema, fallback: impl FnOnce() -> String) -> TokenStream {
    docs(or_else(
        combine([s.title.as_deref(), s.description.as_deref()]),
        fallback,
    ))
}

/// A schema's own `x-ms-discriminator-value`.
fn discriminator_value(s: &Schema) -> Option<String> {
    s.rare().discriminator_value.clone()
}

/// The values of a string enum (or a string `const`), if the schema is one.
fn string_values(s: &Schema) -> Option<Vec<String>> {
    if !(s.types.is_empty() || s.types == [SchemaType::String]) {
        return None;
    }
    if let Some(serde_json::Value::String(c)) = &s.rare().const_value {
        return Some(vec![c.clone()]);
    }
    if s.rare().enum_values.is_empty() {
        return None;
    }
    s.rare()
        .enum_values
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

pub(crate) fn status_word(s: &crate::model::StatusKey) -> String {
    use crate::model::StatusKey;
    match s {
        StatusKey::Code(c) => c.to_string(),
        StatusKey::Range(r) => format!("{r}xx"),
        StatusKey::Default => "Default".into(),
        StatusKey::Other(o) => type_name(o),
    }
}

/// The `models` module of a connector as formatted Rust source; `module_path` is where the
/// module will stand (`crate::models` in a generated crate).
pub fn models_source(c: &Connector, module_path: &str) -> Result<String, FormatError> {
    let path: syn::Path = syn::parse_str(module_path).map_err(|e| FormatError::ModulePath {
        path: module_path.to_string(),
        message: e.to_string(),
    })?;
    let items = ModelsGen::connector(c, quote! { #path }).finish();
    let file = quote! {
        //! Types of the connector's requests and responses.
        #(#items)*
    };
    format_file(file)
}
