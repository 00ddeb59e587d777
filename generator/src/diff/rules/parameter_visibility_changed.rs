//! Change rule PC0210 `parameter-visibility-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter whose `x-ms-visibility` became `advanced` or `internal`.
///
/// ## Why
/// An internal parameter is no longer shown: flows that set it keep their value, but users can no longer change it; one that is required and internal needs a default.
///
/// ## Example
/// ```text
/// old: projectId: x-ms-visibility: important
/// new: projectId: x-ms-visibility: internal
/// ```
///
/// ## Fix
/// Intended when the platform or a default fills it; otherwise keep its visibility.
    pub struct ParameterVisibilityChanged {
        code: "PC0210",
        name: "parameter-visibility-changed",
        level: Warning,
        summary: "A parameter is shown less (advanced or internal)",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for (p, q) in cx.kept_parameters() {
        use super::operation_visibility_changed::{less_visible, shown};
        if !less_visible(q.old.visibility.as_ref(), q.new.visibility.as_ref()) {
            continue;
        }
        let c = cx
            .between(
                &q.old.use_site,
                &q.new.use_site,
                format!(
                    "parameter `{}` of `{}` is now {}",
                    q.old.name,
                    p.old.id,
                    shown(q.new.visibility.as_ref())
                ),
            )
            .operation(&p.old.id);
        cx.push(c);
    }
}
