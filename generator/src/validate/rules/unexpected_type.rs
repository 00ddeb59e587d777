//! Rule PP0103 `unexpected-type` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports fields whose value has the wrong type, e.g. a number as `summary` or `"true"` (a string) as `deprecated`.
///
/// ## Why
/// The value is ignored (or, for `"true"`, guessed), so the connector does not say what was meant.
///
/// ## Example
/// ```json
/// "deprecated": "true"
/// ```
///
/// ## Fix
/// Write the value with the type the specification gives (here `true`).
    pub struct UnexpectedType {
        loader: UNEXPECTED_TYPE,
        certification: Warning,
        summary: "A field holds a value of the wrong JSON type",
    }
}

impl Rule for UnexpectedType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
