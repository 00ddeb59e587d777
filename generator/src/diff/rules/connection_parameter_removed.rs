//! Change rule PC0504 `connection-parameter-removed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a connection parameter of apiProperties.json that the new version no longer has.
///
/// ## Why
/// Policies and operations that read it (`@connectionParameters('name')`) get nothing; existing connections keep a value nothing uses.
///
/// ## Example
/// ```text
/// old: connectionParameters: api_key, region
/// new: connectionParameters: api_key
/// ```
///
/// ## Fix
/// Keep the parameter, hidden if need be.
    pub struct ConnectionParameterRemoved {
        code: "PC0504",
        name: "connection-parameter-removed",
        level: Breaking,
        summary: "A connection parameter is gone",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let (old, new) = (
        cx.old.connection_parameters(),
        cx.new.connection_parameters(),
    );
    for o in &old {
        if new.iter().any(|n| n.name == o.name) {
            continue;
        }
        let c = cx
            .change(format!("connection parameter `{}` was removed", o.name))
            .old(&cx.old, &o.origin);
        cx.push(c);
    }
}
