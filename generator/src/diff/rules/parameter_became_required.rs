//! Change rule PC0206 `parameter-became-required`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter in both versions that was optional and is now required.
///
/// ## Why
/// Existing flows that left it empty fail validation.
///
/// ## Example
/// ```text
/// old: top: required: false
/// new: top: required: true
/// ```
///
/// ## Fix
/// Keep it optional, or give it a default that the service accepts.
    pub struct ParameterBecameRequired {
        code: "PC0206",
        name: "parameter-became-required",
        level: Breaking,
        summary: "An optional parameter is required",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for (p, q) in cx.kept_parameters() {
        if q.old.required || !q.new.required {
            continue;
        }
        let c = cx
            .between(
                &q.old.use_site,
                &q.new.use_site,
                format!(
                    "parameter `{}` of `{}` was optional and is now required",
                    q.old.name, p.old.id
                ),
            )
            .operation(&p.old.id);
        cx.push(c);
    }
}
