//! Rule PP0008 `ref-loop` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports schemas whose `$ref`s lead back to themselves without any content in between (A → B → A). Recursive schemas through properties or items are fine.
///
/// ## Why
/// Such a schema has no definition at all; tools that follow it loop forever.
///
/// ## Example
/// ```json
/// "A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"}
/// ```
///
/// ## Fix
/// Point one of the references at a schema with content.
    pub struct RefLoop {
        loader: REF_LOOP,
        certification: Error,
        summary: "`$ref`s that only point at each other",
    }
}

impl Rule for RefLoop {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
