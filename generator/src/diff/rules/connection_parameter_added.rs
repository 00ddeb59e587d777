//! Change rule PC0503 `connection-parameter-added`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a connection parameter of apiProperties.json (plain or in a parameter set) that only the new version has and that is required.
///
/// ## Why
/// Existing connections have no value for it: the platform asks users to fix every connection, and flows fail until they do.
///
/// ## Example
/// ```text
/// old: connectionParameters: api_key
/// new: connectionParameters: api_key, region (required)
/// ```
///
/// ## Fix
/// Make it optional, or give it a default in the policy that reads it.
    pub struct ConnectionParameterAdded {
        code: "PC0503",
        name: "connection-parameter-added",
        level: Breaking,
        summary: "A new required connection parameter",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let (old, new) = (
        cx.old.connection_parameters(),
        cx.new.connection_parameters(),
    );
    for n in &new {
        if !n.required || old.iter().any(|o| o.name == n.name) {
            continue;
        }
        let c = cx
            .change(format!("new required connection parameter `{}`", n.name))
            .new_at(&cx.new, &n.origin);
        cx.push(c);
    }
}
