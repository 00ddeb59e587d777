//! Rule PP0319 `default-response-with-schema`.

use crate::model::StatusKey;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// In the certification profile, reports `default` responses that have a schema.
    ///
    /// ## Why
    /// The designer merges the `default` schema into the action's outputs as if it were a
    /// success, offering error fields as data.
    ///
    /// ## Example
    /// ```json
    /// "default": { "description": "Error", "schema": { "$ref": "#/definitions/Error" } }
    /// ```
    ///
    /// ## Fix
    /// Remove the schema from `default` (keep its description), or declare the error statuses.
    pub struct DefaultResponseWithSchema {
        code: "PP0319",
        name: "default-response-with-schema",
        category: Responses,
        default: None,
        certification: Warning,
        summary: "default response with a schema",
    }
}

impl Rule for DefaultResponseWithSchema {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            for r in op
                .responses
                .iter()
                .filter(|r| r.status == StatusKey::Default && r.schema().is_some())
            {
                let d = cx.at(
                    &r.origin,
                    format!("the default response of `{}` has a schema", op.id),
                );
                cx.push(d.help("remove the schema of the default response"));
            }
        }
    }
}
