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
    for (p, f) in cx.responses.clone().iter() {
        use schema::Difference::*;
        if !matches!(f.difference, PropertyRemoved | TypeChanged { .. }) {
            continue;
        }
        let message = format!(
            "response of `{}`: {}: {}",
            p.old.id,
            f.at("the body"),
            f.difference.describe()
        );
        let c = cx.in_schema(p, f, message);
        cx.push(c);
    }
}
