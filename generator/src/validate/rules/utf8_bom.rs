//! Rule PP0002 `utf8-bom` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a UTF-8 byte-order mark (EF BB BF) at the start of a JSON file.
///
/// ## Why
/// RFC 8259 forbids it and many JSON readers fail on it.
///
/// ## Example
/// ```json
/// <EF BB BF>{"swagger": "2.0", ...}
/// ```
///
/// ## Fix
/// Save the file as UTF-8 without a BOM.
    pub struct Utf8Bom {
        loader: UTF8_BOM,
        certification: Warning,
        fix: Safe,
        summary: "A UTF-8 byte-order mark precedes the JSON text",
    }
}

impl Rule for Utf8Bom {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
