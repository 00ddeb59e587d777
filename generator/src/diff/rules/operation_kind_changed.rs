//! Change rule PC0105 `operation-kind-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports an operation in both versions whose kind changed: action, polling trigger (`x-ms-trigger` on a GET), webhook trigger (`x-ms-trigger` with `x-ms-notification-url`).
///
/// ## Why
/// Flows use actions and triggers in different places: a flow that starts with the trigger, or calls the action, cannot use what it became.
///
/// ## Example
/// ```text
/// old: GET /tasks/new   x-ms-trigger: single          (polling trigger)
/// new: POST /hooks       x-ms-notification-url: true   (webhook trigger)
/// ```
///
/// ## Fix
/// Keep the old operation as it was and add the new kind as another operation.
    pub struct OperationKindChanged {
        code: "PC0105",
        name: "operation-kind-changed",
        level: Breaking,
        summary: "An action became a trigger, a trigger an action, or a polling trigger a webhook",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied() {
        let (o, n) = (p.old.kind.label(), p.new.kind.label());
        if o == n {
            continue;
        }
        let b = cx
            .between(
                &p.old.origin,
                &p.new.origin,
                format!("operation `{}` was a {o} and is now a {n}", p.old.id),
            )
            .operation(&p.old.id);
        cx.push(b);
    }
}
