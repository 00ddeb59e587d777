//! Rule PP0003 `trailing-comma` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a comma directly before the end of an array or object.
///
/// ## Why
/// Strict JSON readers refuse the file; the value is read here, but other tools will fail.
///
/// ## Example
/// ```json
/// "schemes": ["https",]
/// ```
///
/// ## Fix
/// Remove the comma.
    pub struct TrailingComma {
        loader: TRAILING_COMMA,
        certification: Warning,
        fix: Safe,
        summary: "A comma before `]` or `}`",
    }
}

impl Rule for TrailingComma {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
