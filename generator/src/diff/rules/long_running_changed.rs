//! Change rule PC0405 `long-running-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports an action in both versions whose asynchronous pattern (a `202` response, `x-ms-long-running-operation`) appeared or disappeared.
///
/// ## Why
/// Long-running actions are polled to the end by the platform; a flow built on one shape of result gets the other (a 202 status instead of the result, or the reverse).
///
/// ## Example
/// ```text
/// old: responses: 200
/// new: responses: 202 (Location, Retry-After)
/// ```
///
/// ## Fix
/// Keep the pattern; add a new action for the other behaviour.
    pub struct LongRunningChanged {
        code: "PC0405",
        name: "long-running-changed",
        level: Breaking,
        summary: "An action became long-running, or stopped being so",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied() {
        let (OperationKind::Action { long_running: o }, OperationKind::Action { long_running: n }) =
            (&p.old.kind, &p.new.kind)
        else {
            continue;
        };
        if o == n {
            continue;
        }
        let c = cx
            .between(
                &p.old.origin,
                &p.new.origin,
                format!(
                    "`{}` {}",
                    p.old.id,
                    if *n {
                        "became long-running"
                    } else {
                        "is no longer long-running"
                    }
                ),
            )
            .operation(&p.old.id);
        cx.push(c);
    }
}
