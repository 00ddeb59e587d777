//! Rule PP0019 `number-not-finite` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a number that no double can hold: YAML's `.inf`, `-.inf` and `.nan`, or a JSON
/// number too large for a double (`1e400`). It is read as no value (a `maximum` of it is no
/// maximum, a `default` of it no default).
///
/// ## Why
/// JSON has no infinity or NaN: the platform, converters and generated code cannot carry the
/// value, and each tool drops it its own way, silently.
///
/// ## Example
/// ```yaml
/// maximum: .inf
/// ```
///
/// ## Fix
/// Write a finite number, or leave the keyword out.
    pub struct NumberNotFinite {
        loader: NUMBER_NOT_FINITE,
        certification: Warning,
        summary: "A number that is infinite, NaN or too large for a double",
    }
}

impl Rule for NumberNotFinite {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
