//! Change rule PC0301 `request-body-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Compares the request body schema of an operation in both versions, through references: a property added as required, a property removed, a property that became required, a type that changed, enum values removed.
///
/// ## Why
/// Bodies that existing flows send no longer satisfy the new schema.
///
/// ## Example
/// ```text
/// old: Task { title }
/// new: Task { title, projectId (required) }
/// ```
///
/// ## Fix
/// Make new properties optional; keep removed ones (ignored, if need be) and the types.
    pub struct RequestBodyChanged {
        code: "PC0301",
        name: "request-body-changed",
        level: Breaking,
        summary: "A request body needs more, or takes less, than it did",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter() {
        let (Some(os), Some(ns)) = (body_schema(p.old), body_schema(p.new)) else {
            continue;
        };
        for f in schema::compare(&cx.old.connector.types, os, &cx.new.connector.types, ns) {
            use schema::Difference::*;
            let breaks = matches!(
                f.difference,
                PropertyAdded { required: true }
                    | PropertyRemoved
                    | BecameRequired
                    | TypeChanged { .. }
                    | EnumValuesRemoved(_)
            );
            if !breaks {
                continue;
            }
            let message = format!(
                "request body of `{}`: {}: {}",
                p.old.id,
                f.at("the body"),
                f.difference.describe()
            );
            let c = cx.in_schema(p, &f, message);
            cx.push(c);
        }
    }
}

/// The schema of an operation's request body (a `body` parameter or `requestBody`).
fn body_schema(op: &Operation) -> Option<SchemaId> {
    op.parameters
        .iter()
        .find(|p| p.location == ParameterLocation::Body)
        .map(|p| p.schema)
        .or_else(|| op.request_body.as_ref()?.content.first()?.schema)
}
