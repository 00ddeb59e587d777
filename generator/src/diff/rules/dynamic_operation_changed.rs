//! Change rule PC0211 `dynamic-operation-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter whose `x-ms-dynamic-values`, `-list`, `-schema` or `-properties` names another `operationId` than before, or went away.
///
/// ## Why
/// The values and schemas the designer shows come from that operation: flows built on the old lists hold values the new one may not give.
///
/// ## Example
/// ```text
/// old: x-ms-dynamic-values: { operationId: ListProjects }
/// new: x-ms-dynamic-values: { operationId: ListWorkspaces }
/// ```
///
/// ## Fix
/// Keep the operation the values come from.
    pub struct DynamicOperationChanged {
        code: "PC0211",
        name: "dynamic-operation-changed",
        level: Breaking,
        summary: "A parameter's x-ms-dynamic-* calls another operation",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for (p, q) in cx.kept_parameters() {
        for d in &q.old.dynamic {
            let Some(id) = &d.operation_id else { continue };
            let now = q.new.dynamic.iter().find(|n| n.kind == d.kind);
            let what = match now.and_then(|n| n.operation_id.as_ref()) {
                Some(n) if n == id => continue,
                Some(n) => format!("now calls `{n}` instead of `{id}`"),
                None => format!("no longer calls `{id}`"),
            };
            let c = cx
                .between(
                    &d.origin,
                    now.map_or(&q.new.use_site, |n| &n.origin),
                    format!(
                        "{} of parameter `{}` of `{}` {what}",
                        d.kind.key(),
                        q.old.name,
                        p.old.id
                    ),
                )
                .operation(&p.old.id);
            cx.push(c);
        }
    }
}
