//! Rule PP0004 `duplicate-key` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a key that appears twice in the same object; both places are named and the later value is used.
///
/// ## Why
/// Readers disagree on which value wins, so the connector may behave differently elsewhere.
///
/// ## Example
/// ```json
/// {"host": "old.example", "host": "new.example"}
/// ```
///
/// ## Fix
/// Remove the occurrence that is not meant.
    pub struct DuplicateKey {
        loader: DUPLICATE_KEY,
        certification: Warning,
        summary: "A key written twice in one object",
    }
}

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
