//! Rule PP0209 `too-many-operations`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports definitions with more than 256 operations.
    ///
    /// ## Why
    /// The platform refuses connectors above that limit.
    ///
    /// ## Example
    /// A definition with 300 paths × methods.
    ///
    /// ## Fix
    /// Split the API into several connectors, or drop operations users do not need.
    pub struct TooManyOperations {
        code: "PP0209",
        name: "too-many-operations",
        category: Document,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "More than 256 operations",
    }
}

/// The platform's limit.
pub const MAX_OPERATIONS: usize = 256;

impl Rule for TooManyOperations {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        let n = c.operations.len();
        if n > MAX_OPERATIONS {
            let d = cx.at_member(
                &c.origin,
                &["paths"],
                format!("{n} operations, more than the limit of {MAX_OPERATIONS}"),
            );
            cx.push(d.help("split the connector or remove operations"));
        }
    }
}
