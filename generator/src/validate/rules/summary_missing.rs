//! Rule PP0305 `summary-missing`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports operations without a `summary`.
    ///
    /// ## Why
    /// The summary is the action's name in the designer; without it users see the operation id.
    ///
    /// ## Example
    /// ```json
    /// "get": { "operationId": "ListItems", "responses": { ... } }
    /// ```
    ///
    /// ## Fix
    /// Add `"summary": "List items"`.
    pub struct SummaryMissing {
        code: "PP0305",
        name: "summary-missing",
        category: Operations,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        summary: "Operation without summary",
    }
}

impl Rule for SummaryMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            if op.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
                let d = cx
                    .at(&op.origin, format!("operation `{}` has no summary", op.id))
                    .help("add a short summary such as \"List items\"");
                cx.push(d);
            }
        }
    }
}
