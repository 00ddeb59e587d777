//! Rule PP0125 `postman-body-not-json` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a raw body whose language is `json` (or whose `Content-Type` is JSON) but whose text is not JSON, even with comments, trailing commas and `{{variables}}` tolerated. It is kept as a text example.
///
/// ## Why
/// No schema can be inferred from it, so the operation's body is untyped.
///
/// ## Example
/// ```json
/// {"body": {"mode": "raw", "raw": "{\"customer\": ", "options": {"raw": {"language": "json"}}}}
/// ```
///
/// ## Fix
/// Fix the JSON of the example body.
    pub struct PostmanBodyNotJson {
        loader: POSTMAN_BODY_NOT_JSON,
        certification: Warning,
        summary: "A Postman body marked as JSON does not parse",
    }
}

impl Rule for PostmanBodyNotJson {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
