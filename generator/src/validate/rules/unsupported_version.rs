//! Rule PP0102 `unsupported-version` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports `swagger` values other than "2.0" and `openapi` values outside 3.0.x and 3.1.x.
///
/// ## Why
/// Other versions have other structures; reading them as these would be wrong.
///
/// ## Example
/// ```json
/// "swagger": "1.2"
/// ```
///
/// ## Fix
/// Convert the definition to Swagger 2.0 or OpenAPI 3.x.
    pub struct UnsupportedVersion {
        loader: UNSUPPORTED_VERSION,
        certification: Error,
        summary: "A `swagger` or `openapi` version that is not read",
    }
}

impl Rule for UnsupportedVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
