//! Change rule PC0403 `response-enum-value-added`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports values added to an `enum` of a success response's schema.
///
/// ## Why
/// Flows and clients that branch on the old values may not handle the new ones (a generated Rust enum without the variant fails to decode them).
///
/// ## Example
/// ```text
/// old: status: enum [open, closed]
/// new: status: enum [open, closed, archived]
/// ```
///
/// ## Fix
/// Say so in the release notes; clients should treat unknown values as such.
    pub struct ResponseEnumValueAdded {
        code: "PC0403",
        name: "response-enum-value-added",
        level: Warning,
        summary: "A response enum has new values",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for (p, f) in cx.responses.clone().iter() {
        if !matches!(f.difference, schema::Difference::EnumValuesAdded(_)) {
            continue;
        }
        let message = format!(
            "response of `{}`: {} {}",
            p.old.id,
            f.at("the body"),
            f.difference.describe()
        );
        let c = cx.in_schema(p, f, message);
        cx.push(c);
    }
}
