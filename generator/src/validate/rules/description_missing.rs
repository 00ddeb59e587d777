//! Rule PP0307 `description-missing`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports operations without a `description`.
    ///
    /// ## Why
    /// The description tells users what the action does; certification requires it.
    ///
    /// ## Example
    /// ```json
    /// "get": { "operationId": "ListItems", "summary": "List items", "responses": { ... } }
    /// ```
    ///
    /// ## Fix
    /// Add `"description": "Lists the items of a project, newest first."`.
    pub struct DescriptionMissing {
        code: "PP0307",
        name: "description-missing",
        category: Operations,
        default: None,
        certification: Error,
        summary: "Operation without description",
    }
}

impl Rule for DescriptionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            if op
                .description
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
            {
                let d = cx
                    .at(
                        &op.origin,
                        format!("operation `{}` has no description", op.id),
                    )
                    .help("say in a sentence what the action does");
                cx.push(d);
            }
        }
    }
}
