//! Change rule PC0102 `operation-added`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports an operation of the new version that the old one has neither by its `operationId` nor by its method and path.
///
/// ## Why
/// An addition breaks nothing; it is the reason for a minor version of a generated crate.
///
/// ## Example
/// ```text
/// old: (no POST /tasks)
/// new: POST /tasks  operationId CreateTask
/// ```
///
/// ## Fix
/// Nothing to fix.
    pub struct OperationAdded {
        code: "PC0102",
        name: "operation-added",
        level: Info,
        summary: "The new version has an operation the old one had not",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for op in cx.added.clone().iter().copied() {
        let b = cx
            .change(format!(
                "operation `{}` ({} {}) was added",
                op.id,
                op.method.as_str(),
                op.path
            ))
            .operation(&op.id)
            .new_at(&cx.new, &op.origin);
        cx.push(b);
    }
}
