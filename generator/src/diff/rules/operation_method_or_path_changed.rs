//! Change rule PC0104 `operation-method-or-path-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports an operation found by its `operationId` in both versions whose HTTP method or path template changed.
///
/// ## Why
/// Clients generated from the old version, and the platform's routing of existing flows, call the old method and path; the service no longer answers there.
///
/// ## Example
/// ```text
/// old: GET /tasks/{id}    operationId GetTask
/// new: GET /v2/tasks/{id} operationId GetTask
/// ```
///
/// ## Fix
/// Keep the old method and path, or add the new one as another operation and deprecate the old.
    pub struct OperationMethodOrPathChanged {
        code: "PC0104",
        name: "operation-method-or-path-changed",
        level: Breaking,
        summary: "An operation keeps its operationId with another method or path",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied().filter(|p| !p.by_place) {
        let same_path =
            crate::diff::path_shape(&p.old.path) == crate::diff::path_shape(&p.new.path);
        if p.old.method == p.new.method && same_path {
            continue;
        }
        let b = cx
            .between(
                &p.old.origin,
                &p.new.origin,
                format!(
                    "operation `{}` moved from {} {} to {} {}",
                    p.old.id,
                    p.old.method.as_str(),
                    p.old.path,
                    p.new.method.as_str(),
                    p.new.path
                ),
            )
            .operation(&p.old.id);
        cx.push(b);
    }
}
