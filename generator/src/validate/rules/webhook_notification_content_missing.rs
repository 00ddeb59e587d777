//! Rule PP0602 `webhook-notification-content-missing`.

use crate::model::OperationKind;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports webhook triggers without `x-ms-notification-content` (on the operation or its
    /// path item).
    ///
    /// ## Why
    /// It describes what the service posts to the callback URL: the trigger's outputs. Without it
    /// flows get an untyped body.
    ///
    /// ## Example
    /// A path with `"x-ms-trigger": "single"` and a notification URL parameter, but no
    /// `x-ms-notification-content`.
    ///
    /// ## Fix
    /// Add to the path item: `"x-ms-notification-content": { "description": "...", "schema": { "$ref": "#/definitions/Event" } }`.
    pub struct WebhookNotificationContentMissing {
        code: "PP0602",
        name: "webhook-notification-content-missing",
        category: Triggers,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        summary: "Webhook trigger without x-ms-notification-content",
    }
}

impl Rule for WebhookNotificationContentMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            if let OperationKind::WebhookTrigger {
                notification: None,
                subscribed_by: None,
                ..
            } = &op.kind
            {
                if !op.path.starts_with('/') {
                    continue; // an OpenAPI webhook: its request body is the notification
                }
                let d = cx.at(
                    &op.origin,
                    format!(
                        "webhook trigger `{}` has no x-ms-notification-content",
                        op.id
                    ),
                );
                cx.push(d.help("describe the notification body with x-ms-notification-content on the path item"));
            }
        }
    }
}
