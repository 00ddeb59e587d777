//! Change rule PC0103 `operation-id-renamed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports an operation whose method and path are in both versions under different `operationId`s.
///
/// ## Why
/// Flows refer to operations by `operationId`: a renamed operation is, to them, a removed one.
///
/// ## Example
/// ```text
/// old: GET /tasks  operationId ListTasks
/// new: GET /tasks  operationId GetTasks
/// ```
///
/// ## Fix
/// Keep the old `operationId`; change `summary` for what users see.
    pub struct OperationIdRenamed {
        code: "PC0103",
        name: "operation-id-renamed",
        level: Breaking,
        summary: "An operation keeps its method and path under another operationId",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied().filter(|p| p.by_place) {
        let b = cx
            .between(
                &p.old.origin,
                &p.new.origin,
                format!(
                    "operation `{}` ({} {}) is now called `{}`",
                    p.old.id,
                    p.old.method.as_str(),
                    p.old.path,
                    p.new.id
                ),
            )
            .operation(&p.old.id)
            .help(format!("keep `operationId: {}`", p.old.id));
        cx.push(b);
    }
}
