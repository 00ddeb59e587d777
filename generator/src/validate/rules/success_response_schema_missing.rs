//! Rule PP0318 `success-response-schema-missing`.

use crate::model::{OperationKind, StatusKey};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// In the certification profile, reports operations without a 2xx response that has a schema.
    /// Operations whose success responses are all `202` or `204` (no content) are not reported,
    /// nor webhook triggers, whose output is their notification content.
    ///
    /// ## Why
    /// The schema of the success response is what later steps of a flow can use; without it the
    /// designer offers only an opaque body.
    ///
    /// ## Example
    /// ```json
    /// "responses": { "200": { "description": "OK" } }
    /// ```
    ///
    /// ## Fix
    /// Describe the response: `"200": { "description": "OK", "schema": { "$ref": "#/definitions/Item" } }`.
    pub struct SuccessResponseSchemaMissing {
        code: "PP0318",
        name: "success-response-schema-missing",
        category: Responses,
        default: None,
        certification: Warning,
        summary: "No 2xx response with a schema",
    }
}

impl Rule for SuccessResponseSchemaMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            if matches!(op.kind, OperationKind::WebhookTrigger { .. }) || op.responses.is_empty() {
                continue;
            }
            let successes: Vec<_> = op
                .responses
                .iter()
                .filter(|r| r.status.is_success())
                .collect();
            if successes.iter().any(|r| r.schema().is_some()) {
                continue;
            }
            let no_content = !successes.is_empty()
                && successes
                    .iter()
                    .all(|r| matches!(r.status, StatusKey::Code(202 | 204)));
            if no_content {
                continue;
            }
            let d = match successes.first() {
                Some(r) => cx.at(
                    &r.origin,
                    format!(
                        "operation `{}` has no success response with a schema",
                        op.id
                    ),
                ),
                None => cx.at_member(
                    &op.origin,
                    &["responses"],
                    format!("operation `{}` has no 2xx response", op.id),
                ),
            };
            cx.push(
                d.help("add a schema to the success response so that flows can use its fields"),
            );
        }
    }
}
