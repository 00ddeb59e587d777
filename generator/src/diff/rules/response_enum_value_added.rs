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
    for (p, f) in super::response_body_changed::response_differences(cx) {
        let schema::Difference::EnumValuesAdded(values) = &f.difference else {
            continue;
        };
        let at = if f.path.is_empty() {
            "the body".to_string()
        } else {
            format!("`{}`", f.path)
        };
        let c = cx
            .change(format!(
                "response of `{}`: {at} has new values {}",
                p.old.id,
                values
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .operation(&p.old.id)
            .old(&cx.old, f.old.as_ref().unwrap_or(&p.old.origin))
            .new_at(&cx.new, f.new.as_ref().unwrap_or(&p.new.origin));
        cx.push(c);
    }
}
