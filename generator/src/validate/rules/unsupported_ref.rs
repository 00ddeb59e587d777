//! Rule PP0009 `unsupported-ref` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports references to URLs; only references into the definition's own files are followed.
///
/// ## Why
/// Connectors must be self-contained: the platform does not fetch remote schemas, and validation must not depend on the network.
///
/// ## Example
/// ```json
/// {"$ref": "https://schemas.example/error.json#/Error"}
/// ```
///
/// ## Fix
/// Copy the schema into `definitions` (or `components/schemas`) and refer to it with `#/...`.
    pub struct UnsupportedRef {
        loader: UNSUPPORTED_REF,
        certification: Error,
        summary: "A `$ref` to a URL",
    }
}

impl Rule for UnsupportedRef {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
