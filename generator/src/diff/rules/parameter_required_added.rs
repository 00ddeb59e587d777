//! Change rule PC0202 `parameter-required-added`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter of an operation in both versions that only the new version has, that is required and has no default.
///
/// ## Why
/// Existing flows do not give it: every call of the operation from them fails validation.
///
/// ## Example
/// ```text
/// old: POST /tasks  parameters: body
/// new: POST /tasks  parameters: body, projectId (query, required)
/// ```
///
/// ## Fix
/// Make the parameter optional, or give it a `default`.
    pub struct ParameterRequiredAdded {
        code: "PC0202",
        name: "parameter-required-added",
        level: Breaking,
        summary: "A new required parameter without a default",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let matches = cx.matches.clone();
    for (i, p) in cx.pairs.clone().iter().copied().enumerate() {
        for &q in &matches[i].added {
            let has_default = cx
                .new
                .connector
                .types
                .get(cx.new.connector.types.resolve(q.schema))
                .rare()
                .default
                .is_some();
            if !q.required || has_default {
                continue;
            }
            let b = cx
                .change(format!(
                    "`{}` has a new required parameter `{}` ({}) without a default",
                    p.old.id,
                    q.name,
                    q.location.as_str()
                ))
                .operation(&p.old.id)
                .old(&cx.old, &p.old.origin)
                .new_at(&cx.new, &q.use_site)
                .help("make it optional or give it a default");
            cx.push(b);
        }
    }
}
