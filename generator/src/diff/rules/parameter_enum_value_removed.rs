//! Change rule PC0207 `parameter-enum-value-removed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter whose `enum` in the new version lacks values of the old one.
///
/// ## Why
/// Flows that chose one of those values send what the service now refuses.
///
/// ## Example
/// ```text
/// old: status: enum [open, closed, archived]
/// new: status: enum [open, closed]
/// ```
///
/// ## Fix
/// Keep the values; the service may treat them as another.
    pub struct ParameterEnumValueRemoved {
        code: "PC0207",
        name: "parameter-enum-value-removed",
        level: Breaking,
        summary: "Values a parameter accepted are gone from its enum",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for (p, q) in cx.kept_parameters() {
        if q.old.location == ParameterLocation::Body {
            continue;
        }
        let (ot, nt) = (cx.old.schema(q.old.schema), cx.new.schema(q.new.schema));
        if ot.rare().enum_values.is_empty() || nt.rare().enum_values.is_empty() {
            continue;
        }
        let gone: Vec<String> = ot
            .rare()
            .enum_values
            .iter()
            .filter(|v| !nt.rare().enum_values.contains(v))
            .map(|v| v.to_string())
            .collect();
        if gone.is_empty() {
            continue;
        }
        let c = cx
            .between(
                &q.old.use_site,
                &q.new.use_site,
                format!(
                    "parameter `{}` of `{}` no longer accepts {}",
                    q.old.name,
                    p.old.id,
                    gone.join(", ")
                ),
            )
            .operation(&p.old.id);
        cx.push(c);
    }
}
