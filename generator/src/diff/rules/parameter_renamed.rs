//! Change rule PC0203 `parameter-renamed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter that the new version calls differently: the only unmatched parameter of its place (path, query, header, form) on both sides.
///
/// ## Why
/// Flows fill parameters by name: the renamed one is empty in every existing flow.
///
/// ## Example
/// ```text
/// old: GET /tasks/{taskId}
/// new: GET /tasks/{id}
/// ```
///
/// ## Fix
/// Keep the old name; change `x-ms-summary` for what users see.
    pub struct ParameterRenamed {
        code: "PC0203",
        name: "parameter-renamed",
        level: Breaking,
        summary: "A parameter has another name in the same place",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let matches = cx.matches.clone();
    for (i, p) in cx.pairs.clone().iter().copied().enumerate() {
        for &q in &matches[i].renamed {
            let b = cx
                .between(
                    &q.old.use_site,
                    &q.new.use_site,
                    format!(
                        "parameter `{}` ({}) of `{}` is now called `{}`",
                        q.old.name,
                        q.old.location.as_str(),
                        p.old.id,
                        q.new.name
                    ),
                )
                .operation(&p.old.id);
            cx.push(b);
        }
    }
}
