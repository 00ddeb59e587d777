//! Change rule PC0109 `notification-content-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Compares the schema of `x-ms-notification-content` of a webhook trigger in both versions, through references: a property removed or a type changed.
///
/// ## Why
/// Flows started by the trigger read the notification's properties: a removed one is empty, a retyped one fails to convert.
///
/// ## Example
/// ```text
/// old: x-ms-notification-content: { taskId, title }
/// new: x-ms-notification-content: { taskId }
/// ```
///
/// ## Fix
/// Keep the properties the notification had.
    pub struct NotificationContentChanged {
        code: "PC0109",
        name: "notification-content-changed",
        level: Breaking,
        summary: "A webhook trigger's notification gives less, or other types",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied() {
        let content = |op: &Operation| match &op.kind {
            OperationKind::WebhookTrigger {
                notification: Some(n),
                ..
            } => n.schema,
            _ => None,
        };
        let (Some(os), Some(ns)) = (content(p.old), content(p.new)) else {
            continue;
        };
        for f in schema::compare(&cx.old.connector.types, os, &cx.new.connector.types, ns) {
            use schema::Difference::*;
            if !matches!(f.difference, PropertyRemoved | TypeChanged { .. }) {
                continue;
            }
            let message = format!(
                "notification of `{}`: {}: {}",
                p.old.id,
                f.at("the notification"),
                f.difference.describe()
            );
            let c = cx.in_schema(&p, &f, message);
            cx.push(c);
        }
    }
}
