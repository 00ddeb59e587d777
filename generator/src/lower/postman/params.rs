//! Query, header and form rows → parameters with types, defaults and examples from their values.

use super::infer::scalar_type;
use super::parts::note_undefined;
use super::url::lookup;
use super::{Kv, Req};
use crate::location::FileId;
use crate::lower::Ctx;
use crate::model::*;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};

pub(super) type Row = (String, String, bool, Option<String>, Origin);

pub(super) fn row(k: &Kv<'_>, origin: &Origin) -> Row {
    (
        k.key.trim().to_string(),
        k.value.clone(),
        k.disabled,
        k.description.clone(),
        origin.clone(),
    )
}

/// Query or header rows → parameters (a key written several times is an array sent once per
/// value).
#[allow(clippy::too_many_arguments)]
pub(super) fn add_values(
    ctx: &mut Ctx<'_>,
    file: FileId,
    req: &Req<'_>,
    params: &mut Vec<Parameter>,
    location: ParameterLocation,
    rows: Vec<Row>,
    undefined: &mut HashSet<String>,
) {
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<Row>> = HashMap::new();
    for r in rows.into_iter().filter(|r| !r.0.is_empty()) {
        if !groups.contains_key(&r.0) {
            order.push(r.0.clone());
        }
        groups.entry(r.0.clone()).or_default().push(r);
    }
    for name in order {
        if params
            .iter()
            .any(|p| p.name == name && p.location == location)
        {
            continue;
        }
        let rows = groups.remove(&name).unwrap_or_default();
        let Some(first) = rows.first() else { continue };
        if let Some(var) = whole_variable(&first.1) {
            if lookup(&req.vars, var).is_none() {
                note_undefined(
                    ctx,
                    file,
                    req,
                    var,
                    format!(
                        "the {} parameter `{name}` it fills has no default",
                        if location == ParameterLocation::Query {
                            "query"
                        } else {
                            "header"
                        }
                    ),
                    undefined,
                );
            }
        }
        let (default, example) = values_of(&first.1, &req.vars);
        let mut p = parameter(
            ctx,
            &name,
            location.clone(),
            false,
            value_type(&first.1),
            first.4.clone(),
        );
        set_values(ctx, &mut p, default, example);
        if rows.len() > 1 && location == ParameterLocation::Query {
            let item = p.schema;
            p.schema = ctx.types.add(Schema {
                types: vec![SchemaType::Array],
                items: Some(item),
                origin: first.4.clone(),
                ..Schema::default()
            });
            p.serialization = Some(Serialization::CollectionFormat("multi".into()));
        }
        p.description = first.3.clone().or_else(|| {
            whole_variable(&first.1).map(|v| format!("The Postman variable `{{{{{v}}}}}`."))
        });
        if rows.iter().all(|r| r.2) {
            p.visibility = Some(Visibility::Advanced);
        }
        params.push(p);
    }
}

pub(super) fn whole_variable(value: &str) -> Option<&str> {
    let v = value.trim();
    let inner = v.strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.contains("{{") && !inner.contains("}}")).then(|| inner.trim())
}

/// The default (a variable's value) and example (a literal value) a written value gives.
pub(super) fn values_of(value: &str, vars: &[(String, String)]) -> (Option<Json>, Option<Json>) {
    if let Some(var) = whole_variable(value) {
        return (lookup(vars, var).map(|v| Json::String(v.to_string())), None);
    }
    if value.contains("{{") || value.is_empty() {
        return (None, None);
    }
    (None, Some(typed(value)))
}

pub(super) fn value_type(value: &str) -> SchemaType {
    if value.contains("{{") {
        SchemaType::String
    } else {
        scalar_type(value)
    }
}

pub(super) fn typed(text: &str) -> Json {
    match scalar_type(text) {
        SchemaType::Boolean => Json::Bool(text.trim() == "true"),
        SchemaType::Integer => text
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Json::String(text.into()), Json::from),
        SchemaType::Number => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Json::String(text.into()), Json::Number),
        _ => Json::String(text.to_string()),
    }
}

pub(super) fn parameter(
    ctx: &mut Ctx<'_>,
    name: &str,
    location: ParameterLocation,
    required: bool,
    ty: SchemaType,
    origin: Origin,
) -> Parameter {
    let schema = ctx.types.add(Schema {
        types: vec![ty],
        origin: origin.clone(),
        ..Schema::default()
    });
    Parameter::new(name, location, required, schema, origin)
}

pub(super) fn set_values(
    ctx: &mut Ctx<'_>,
    p: &mut Parameter,
    default: Option<Json>,
    example: Option<Json>,
) {
    if default.is_none() && example.is_none() {
        return;
    }
    let mut s = ctx.types.get(p.schema).clone();
    // A default from a variable is text; keep it only where the inferred type is text too.
    let default = default.filter(|_| s.types == [SchemaType::String]);
    let rare = s.rare_mut();
    rare.default = default;
    rare.example = example;
    ctx.types.fill(p.schema, s);
}
