//! Rule PP0301 `operation-id-not-alphanumeric`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports operation ids with characters other than ASCII letters and digits.
    ///
    /// ## Why
    /// The id names the action in flows and in generated code; certification requires letters and
    /// digits only.
    ///
    /// ## Example
    /// ```json
    /// "operationId": "Get_Forms"
    /// ```
    ///
    /// ## Fix
    /// `"operationId": "GetForms"`.
    pub struct OperationIdNotAlphanumeric {
        code: "PP0301",
        name: "operation-id-not-alphanumeric",
        category: Operations,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        summary: "operationId has characters other than letters and digits",
    }
}

impl Rule for OperationIdNotAlphanumeric {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            if op.id_generated || op.id.chars().all(|ch| ch.is_ascii_alphanumeric()) {
                continue;
            }
            let fixed: String = op.id.chars().filter(char::is_ascii_alphanumeric).collect();
            let d = cx
                .at_member(
                    &op.origin,
                    &["operationId"],
                    format!("operationId `{}` is not alphanumeric", op.id),
                )
                .help(format!("use letters and digits only, e.g. `{fixed}`"));
            cx.push(d);
        }
    }
}
