//! Change rule PC0205 `parameter-type-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter in both versions whose schema type or format differs (a body parameter's schema is compared by the request-body rules).
///
/// ## Why
/// Values existing flows send (a string where an integer is now expected, a date in another format) are refused or misread.
///
/// ## Example
/// ```text
/// old: top: type integer
/// new: top: type string
/// ```
///
/// ## Fix
/// Keep the type; add a parameter of the new type if both are needed.
    pub struct ParameterTypeChanged {
        code: "PC0205",
        name: "parameter-type-changed",
        level: Breaking,
        summary: "A parameter's type or format changed",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for (p, q) in cx.kept_parameters() {
        if q.old.location == ParameterLocation::Body {
            continue;
        }
        let (ot, nt) = (cx.old.schema(q.old.schema), cx.new.schema(q.new.schema));
        let (a, b) = (schema::type_text(ot), schema::type_text(nt));
        if ot.types.is_empty() || nt.types.is_empty() || a == b {
            continue;
        }
        let c = cx
            .between(
                &q.old.use_site,
                &q.new.use_site,
                format!(
                    "parameter `{}` of `{}` changed type from {a} to {b}",
                    q.old.name, p.old.id
                ),
            )
            .operation(&p.old.id);
        cx.push(c);
    }
}
