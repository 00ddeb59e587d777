//! Rule PP0106 `read-error` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a file that exists in the input but cannot be read (permissions, too large).
///
/// ## Why
/// The connector is incomplete without it.
///
/// ## Example
/// ```json
/// apiProperties.json: permission denied
/// ```
///
/// ## Fix
/// Make the file readable, or remove it.
    pub struct ReadError {
        loader: READ_ERROR,
        certification: Error,
        summary: "A file could not be read",
    }
}

impl Rule for ReadError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
