//! Change rule PC0101 `operation-removed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports an operation of the old version that the new one has neither by its `operationId` nor by its method and path.
///
/// ## Why
/// Every flow that uses the action or trigger stops working: the platform finds no operation for it.
///
/// ## Example
/// ```text
/// old: GET /tasks/{id}  operationId GetTask
/// new: (no GET /tasks/{id}, no GetTask)
/// ```
///
/// ## Fix
/// Keep the operation (mark it `deprecated: true` and `x-ms-visibility: internal` to hide it from new flows), or release the change as a new connector.
    pub struct OperationRemoved {
        code: "PC0101",
        name: "operation-removed",
        level: Breaking,
        summary: "An operation of the old version is gone",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for op in cx.removed.clone().iter().copied() {
        let b = cx
            .change(format!(
                "operation `{}` ({} {}) was removed",
                op.id,
                op.method.as_str(),
                op.path
            ))
            .operation(&op.id)
            .old(&cx.old, &op.origin)
            .help("keep it, deprecated and internal, so existing flows go on working");
        cx.push(b);
    }
}
