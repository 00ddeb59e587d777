//! Rule PP0005 `not-utf8` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a file that is not valid UTF-8 (it is decoded as Windows-1252) or that is UTF-16.
///
/// ## Why
/// JSON must be UTF-8; other readers will show replacement characters or fail.
///
/// ## Example
/// ```json
/// "title": "Caf<E9>"  (a Latin-1 byte)
/// ```
///
/// ## Fix
/// Save the file as UTF-8.
    pub struct NotUtf8 {
        loader: NOT_UTF8,
        certification: Warning,
        summary: "The file is not UTF-8",
    }
}

impl Rule for NotUtf8 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
