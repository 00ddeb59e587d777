//! Change rule PC0107 `operation-deprecated`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports an operation in both versions that the new version marks `deprecated: true`.
///
/// ## Why
/// Deprecated operations are hidden from new flows and may go away: the flows that use them should move.
///
/// ## Example
/// ```text
/// old: GET /tasks  ListTasks
/// new: GET /tasks  ListTasks  deprecated: true
/// ```
///
/// ## Fix
/// Say which operation replaces it in its description.
    pub struct OperationDeprecated {
        code: "PC0107",
        name: "operation-deprecated",
        level: Warning,
        summary: "An operation is deprecated",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied() {
        if p.old.deprecated || !p.new.deprecated {
            continue;
        }
        let c = cx
            .between(
                &p.old.origin,
                &p.new.origin,
                format!("operation `{}` is deprecated", p.old.id),
            )
            .operation(&p.old.id);
        cx.push(c);
    }
}
