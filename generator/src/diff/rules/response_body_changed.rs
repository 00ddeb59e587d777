//! Change rule PC0402 `response-body-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Compares the schema of each success response in both versions of an operation, through references: a property removed or a type changed is breaking; new enum values are reported as a warning of their own (PC0403).
///
/// ## Why
/// Flows use the outputs of the old schema: a removed property is empty in every step that reads it, a retyped one fails to convert.
///
/// ## Example
/// ```text
/// old: Task { id, title, due (date-time) }
/// new: Task { id, title }
/// ```
///
/// ## Fix
/// Keep the properties and their types; add new ones beside them.
    pub struct ResponseBodyChanged {
        code: "PC0402",
        name: "response-body-changed",
        level: Breaking,
        summary: "A success response gives less, or other types, than it did",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for (p, f) in response_differences(cx) {
        let what = match &f.difference {
            schema::Difference::PropertyRemoved => "the property was removed".to_string(),
            schema::Difference::TypeChanged { old, new } => {
                format!("the type changed from {old} to {new}")
            }
            _ => continue,
        };
        let at = if f.path.is_empty() {
            "the body".to_string()
        } else {
            format!("`{}`", f.path)
        };
        let c = cx
            .change(format!("response of `{}`: {at}: {what}", p.old.id))
            .operation(&p.old.id)
            .old(&cx.old, f.old.as_ref().unwrap_or(&p.old.origin))
            .new_at(&cx.new, f.new.as_ref().unwrap_or(&p.new.origin));
        cx.push(c);
    }
}

/// The differences of the success responses of every pair (a status in both versions).
pub(crate) fn response_differences<'a>(
    cx: &DiffCx<'a>,
) -> Vec<(crate::diff::OperationPair<'a>, schema::Found)> {
    let mut out = Vec::new();
    for p in cx.pairs.clone() {
        for r in p.old.responses.iter().filter(|r| r.status.is_success()) {
            let Some(n) = p.new.responses.iter().find(|n| n.status == r.status) else {
                continue;
            };
            let (Some(os), Some(ns)) = (r.schema(), n.schema()) else {
                continue;
            };
            for f in schema::compare(&cx.old.connector.types, os, &cx.new.connector.types, ns) {
                out.push((p, f));
            }
        }
    }
    out
}
