//! Rule PP0006 `json-comment` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports `//` and `/* */` comments in JSON.
///
/// ## Why
/// JSON has no comments; strict readers refuse the file.
///
/// ## Example
/// ```json
/// // the API host
/// "host": "contoso.example"
/// ```
///
/// ## Fix
/// Remove the comment, or move the note into a `description`.
    pub struct JsonComment {
        loader: JSON_COMMENT,
        certification: Warning,
        summary: "A comment in a JSON file",
    }
}

impl Rule for JsonComment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
