//! Rule PP0317 `responses-missing`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports operations with no responses at all.
    ///
    /// ## Why
    /// Both specifications require at least one response; without it nothing says what a call
    /// returns or whether it succeeded.
    ///
    /// ## Example
    /// ```json
    /// "get": { "operationId": "GetItem", "responses": {} }
    /// ```
    ///
    /// ## Fix
    /// Add at least the success response: `"200": { "description": "The item", "schema": { ... } }`.
    pub struct ResponsesMissing {
        code: "PP0317",
        name: "responses-missing",
        category: Responses,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "Operation without responses",
    }
}

impl Rule for ResponsesMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            if op.responses.is_empty() {
                let d = cx
                    .at(
                        &op.origin,
                        format!("operation `{}` has no responses", op.id),
                    )
                    .help("add the success response with its schema");
                cx.push(d);
            }
        }
    }
}
