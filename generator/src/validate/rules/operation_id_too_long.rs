//! Rule PP0304 `operation-id-too-long`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports operation ids longer than 80 characters.
    ///
    /// ## Why
    /// Ids appear in flow definitions, URLs and generated method names; very long ids are
    /// truncated or refused by tools.
    ///
    /// ## Example
    /// ```json
    /// "operationId": "GetTheListOfAllTheItemsThatBelongToTheProjectThatTheUserSelectedInTheFirstStep"
    /// ```
    ///
    /// ## Fix
    /// Shorten it: `"ListProjectItems"`.
    pub struct OperationIdTooLong {
        code: "PP0304",
        name: "operation-id-too-long",
        category: Operations,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        summary: "operationId longer than 80 characters",
    }
}

/// The longest id accepted.
pub const MAX_LEN: usize = 80;

impl Rule for OperationIdTooLong {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            let n = op.id.chars().count();
            if !op.id_generated && n > MAX_LEN {
                let d = cx.at_member(
                    &op.origin,
                    &["operationId"],
                    format!(
                        "operationId `{}` has {n} characters (at most {MAX_LEN})",
                        op.id
                    ),
                );
                cx.push(d.help("shorten it"));
            }
        }
    }
}
