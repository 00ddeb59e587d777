//! Change rule PC0108 `operation-visibility-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports an operation whose `x-ms-visibility` became `advanced` or `internal` (from `important`, `none` or nothing).
///
/// ## Why
/// An internal operation disappears from the designer: flows that use it keep working, but users can no longer add it.
///
/// ## Example
/// ```text
/// old: x-ms-visibility: important
/// new: x-ms-visibility: internal
/// ```
///
/// ## Fix
/// Intended when an operation is retired; otherwise keep its visibility.
    pub struct OperationVisibilityChanged {
        code: "PC0108",
        name: "operation-visibility-changed",
        level: Warning,
        summary: "An operation is shown less (advanced or internal)",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied() {
        if !less_visible(p.old.visibility.as_ref(), p.new.visibility.as_ref()) {
            continue;
        }
        let c = cx
            .between(
                &p.old.origin,
                &p.new.origin,
                format!(
                    "operation `{}` is now {}",
                    p.old.id,
                    shown(p.new.visibility.as_ref())
                ),
            )
            .operation(&p.old.id);
        cx.push(c);
    }
}

/// How visible: internal 0, advanced 1, shown 2.
fn rank(v: Option<&Visibility>) -> u8 {
    match v {
        Some(Visibility::Internal) => 0,
        Some(Visibility::Advanced) => 1,
        _ => 2,
    }
}

/// True when `new` shows the element less than `old`.
pub(crate) fn less_visible(old: Option<&Visibility>, new: Option<&Visibility>) -> bool {
    rank(new) < rank(old)
}

/// The visibility in words.
pub(crate) fn shown(v: Option<&Visibility>) -> &'static str {
    match v {
        Some(Visibility::Internal) => "internal",
        Some(Visibility::Advanced) => "advanced",
        _ => "shown",
    }
}
