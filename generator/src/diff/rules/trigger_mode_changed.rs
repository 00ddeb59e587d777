//! Change rule PC0106 `trigger-mode-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a trigger in both versions whose `x-ms-trigger` changed between `single` (one run per item) and `batch` (one run per set of items).
///
/// ## Why
/// A flow built on a single trigger reads one item; on a batch trigger it receives an array. Existing flows read the wrong shape.
///
/// ## Example
/// ```text
/// old: x-ms-trigger: single
/// new: x-ms-trigger: batch
/// ```
///
/// ## Fix
/// Keep the mode; add another trigger for the other mode.
    pub struct TriggerModeChanged {
        code: "PC0106",
        name: "trigger-mode-changed",
        level: Breaking,
        summary: "A trigger's x-ms-trigger changed between single and batch",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied() {
        let mode = |k: &OperationKind| match k {
            OperationKind::PollingTrigger { mode } => Some(mode.clone()),
            OperationKind::WebhookTrigger { mode, .. } => mode.clone(),
            OperationKind::Action { .. } => None,
        };
        if let (Some(o), Some(n)) = (mode(&p.old.kind), mode(&p.new.kind)) {
            if o != n {
                let b = cx
                    .between(
                        &p.old.origin,
                        &p.new.origin,
                        format!(
                            "trigger `{}` changed from {} to {}",
                            p.old.id,
                            o.as_str(),
                            n.as_str()
                        ),
                    )
                    .operation(&p.old.id);
                cx.push(b);
            }
        }
    }
}
