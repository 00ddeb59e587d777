//! Rule PP0108 `invalid-api-properties` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports an `apiProperties.json` without a `properties` object, or a `settings.json` that is not an object.
///
/// ## Why
/// Connection parameters and policies come from these files; without them the connector cannot connect.
///
/// ## Example
/// ```json
/// {"connectionParameters": {...}}  (missing the outer "properties")
/// ```
///
/// ## Fix
/// Wrap the content in `{"properties": {...}}`.
    pub struct InvalidApiProperties {
        loader: INVALID_PROPERTIES,
        certification: Error,
        summary: "`apiProperties.json` or `settings.json` is not usable",
    }
}

impl Rule for InvalidApiProperties {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
