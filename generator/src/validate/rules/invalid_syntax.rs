//! Rule PP0001 `invalid-syntax` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports text that is not JSON (or YAML): a missing comma, a stray brace, a raw tab or line break inside a string, single quotes, text after the document.
///
/// ## Why
/// Nothing can be built from a file that does not parse; strict readers (and the platform) refuse it.
///
/// ## Example
/// ```json
/// {"title": "Contoso"
///  "host": "contoso.example"}
/// ```
///
/// ## Fix
/// Add the missing comma, close the string, or remove the extra brace at the line and column given.
    pub struct InvalidSyntax {
        loader: INVALID_SYNTAX,
        certification: Error,
        summary: "The file cannot be read as JSON or YAML",
    }
}

impl Rule for InvalidSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
