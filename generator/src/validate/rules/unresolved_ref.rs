//! Rule PP0007 `unresolved-ref` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a `$ref` whose target does not exist, or whose file cannot be read.
///
/// ## Why
/// The referenced schema, parameter or response is missing from the model.
///
/// ## Example
/// ```json
/// {"$ref": "#/definitions/Tsak"}
/// ```
///
/// ## Fix
/// Correct the reference or add the missing definition.
    pub struct UnresolvedRef {
        loader: UNRESOLVED_REF,
        certification: Error,
        summary: "A `$ref` that points nowhere",
    }
}

impl Rule for UnresolvedRef {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
