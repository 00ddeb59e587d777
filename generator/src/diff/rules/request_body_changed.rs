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
    for p in cx.pairs.clone() {
        let (Some(os), Some(ns)) = (body_schema(p.old), body_schema(p.new)) else {
            continue;
        };
        for f in schema::compare(&cx.old.connector.types, os, &cx.new.connector.types, ns) {
            let what = match &f.difference {
                schema::Difference::PropertyAdded { required: true } => {
                    "a required property was added".to_string()
                }
                schema::Difference::PropertyRemoved => "the property was removed".to_string(),
                schema::Difference::BecameRequired => "the property became required".to_string(),
                schema::Difference::TypeChanged { old, new } => {
                    format!("the type changed from {old} to {new}")
                }
                schema::Difference::EnumValuesRemoved(v) => format!(
                    "no longer accepts {}",
                    v.iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => continue,
            };
            let at = if f.path.is_empty() {
                "the body".to_string()
            } else {
                format!("`{}`", f.path)
            };
            let mut c = cx
                .change(format!("request body of `{}`: {at}: {what}", p.old.id))
                .operation(&p.old.id);
            c = c
                .old(&cx.old, f.old.as_ref().unwrap_or(&p.old.origin))
                .new_at(&cx.new, f.new.as_ref().unwrap_or(&p.new.origin));
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
