//! Rule PP0101 `not-a-definition` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a file whose root is not an object with a `swagger` or `openapi` field.
///
/// ## Why
/// Nothing can be validated or generated from it.
///
/// ## Example
/// ```json
/// {"name": "just some JSON"}
/// ```
///
/// ## Fix
/// Check that the right file was given; a definition starts with `"swagger": "2.0"` or `"openapi": "3.x.y"`.
    pub struct NotADefinition {
        loader: NOT_A_DEFINITION,
        certification: Error,
        summary: "The file is not a Swagger 2.0 or OpenAPI 3.x definition",
    }
}

impl Rule for NotADefinition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
