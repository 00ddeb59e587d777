//! Change rule PC0201 `parameter-removed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter of an operation in both versions that the new version has neither by name nor as a renamed one.
///
/// ## Why
/// Flows that fill the parameter fail to load or send a value the service now ignores; generated clients lose an argument.
///
/// ## Example
/// ```text
/// old: GET /tasks  parameters: top (query), skip (query)
/// new: GET /tasks  parameters: top (query)
/// ```
///
/// ## Fix
/// Keep the parameter (optional, `x-ms-visibility: internal` if it should not be shown).
    pub struct ParameterRemoved {
        code: "PC0201",
        name: "parameter-removed",
        level: Breaking,
        summary: "A parameter of an operation is gone",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let matches = cx.matches.clone();
    for (i, p) in cx.pairs.clone().iter().copied().enumerate() {
        for &q in &matches[i].removed {
            let b = cx
                .change(format!(
                    "parameter `{}` ({}) of `{}` was removed",
                    q.name,
                    q.location.as_str(),
                    p.old.id
                ))
                .operation(&p.old.id)
                .old(&cx.old, &q.use_site)
                .new_at(&cx.new, &p.new.origin);
            cx.push(b);
        }
    }
}
