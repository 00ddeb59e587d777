//! Rule PP0123 `postman-undefined-variable` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a `{{variable}}` that the collection does not define (it usually comes from a Postman environment). In a host it becomes a server variable, in a path a path parameter, as a query or header value a parameter without a default: never text left inside a URL.
///
/// ## Why
/// Without a value the converted definition cannot say where the API is or what to send; the user has to give it.
///
/// ## Example
/// ```json
/// {"request": {"method": "GET", "url": "https://{{tenant}}.example.com/reports"}}
/// ```
///
/// ## Fix
/// Add the variable with its value to the collection's `variable` list.
    pub struct PostmanUndefinedVariable {
        loader: POSTMAN_UNDEFINED_VARIABLE,
        certification: Info,
        summary: "A Postman variable used in a URL or parameter has no value in the collection",
    }
}

impl Rule for PostmanUndefinedVariable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
