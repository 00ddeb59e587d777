//! Change rule PC0401 `response-status-removed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a success status (2xx) that an operation in both versions declared and no longer does.
///
/// ## Why
/// Flows read the outputs of the response they were built on; a client decoding that status finds nothing.
///
/// ## Example
/// ```text
/// old: responses: 200, 202
/// new: responses: 200
/// ```
///
/// ## Fix
/// Keep the response.
    pub struct ResponseStatusRemoved {
        code: "PC0401",
        name: "response-status-removed",
        level: Breaking,
        summary: "A success response of an operation is gone",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied() {
        for r in p.old.responses.iter().filter(|r| r.status.is_success()) {
            if p.new.responses.iter().any(|n| n.status == r.status) {
                continue;
            }
            let c = cx
                .change(format!(
                    "`{}` no longer declares its {} response",
                    p.old.id,
                    r.status.as_str()
                ))
                .operation(&p.old.id)
                .old(&cx.old, &r.origin)
                .new_at(&cx.new, &p.new.origin);
            cx.push(c);
        }
    }
}
