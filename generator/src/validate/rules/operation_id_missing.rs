//! Rule PP0302 `operation-id-missing`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports operations without an `operationId`.
    ///
    /// ## Why
    /// The id identifies the action in flows, in `x-ms-dynamic-*` references and in generated
    /// code; the platform requires it.
    ///
    /// ## Example
    /// ```json
    /// "get": { "summary": "Get an item", "responses": { ... } }
    /// ```
    ///
    /// ## Fix
    /// Add `"operationId": "GetItem"`.
    pub struct OperationIdMissing {
        code: "PP0302",
        name: "operation-id-missing",
        category: Operations,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "Operation without operationId",
    }
}

impl Rule for OperationIdMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            if op.id_generated && op.path.starts_with('/') {
                let d = cx
                    .at(
                        &op.origin,
                        format!("{} {} has no operationId", op.method.as_str(), op.path),
                    )
                    .help("add an operationId of letters and digits, e.g. \"GetItem\"");
                cx.push(d);
            }
        }
    }
}
