//! Change rule PC0602 `version-not-bumped`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports breaking changes when `info.version` is the same in both versions.
///
/// ## Why
/// The version tells users and tools (generated crates take their version from the changes) that something may break.
///
/// ## Example
/// ```text
/// old: info.version 1.2.0
/// new: info.version 1.2.0, operation GetTask removed
/// ```
///
/// ## Fix
/// Raise `info.version` (its major part, for a breaking change).
    pub struct VersionNotBumped {
        code: "PC0602",
        name: "version-not-bumped",
        level: Warning,
        summary: "Breaking changes without a new info.version",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let breaking = cx
        .earlier
        .iter()
        .filter(|c| c.level == crate::diff::Level::Breaking)
        .count();
    if breaking == 0 || cx.old.connector.version != cx.new.connector.version {
        return;
    }
    let v = cx
        .new
        .connector
        .version
        .clone()
        .unwrap_or_else(|| "(none)".into());
    let c = cx
        .between(
            &cx.old.connector.origin,
            &cx.new.connector.origin,
            format!("{breaking} breaking change(s), and info.version is still {v}"),
        )
        .help("raise info.version");
    cx.push(c);
}
