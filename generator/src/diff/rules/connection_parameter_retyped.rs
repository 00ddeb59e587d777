//! Change rule PC0505 `connection-parameter-retyped`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a connection parameter in both versions whose `type` changed (string, securestring, oauthSetting...).
///
/// ## Why
/// Existing connections hold a value of the old kind: a string that became secret is stored in the clear, an API key that became OAuth cannot sign in.
///
/// ## Example
/// ```text
/// old: api_key: type securestring
/// new: api_key: type oauthSetting
/// ```
///
/// ## Fix
/// Keep the type; add a parameter set for the new way to connect.
    pub struct ConnectionParameterRetyped {
        code: "PC0505",
        name: "connection-parameter-retyped",
        level: Breaking,
        summary: "A connection parameter changed type",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let (old, new) = (
        cx.old.connection_parameters(),
        cx.new.connection_parameters(),
    );
    for o in &old {
        let Some(n) = new.iter().find(|n| n.name == o.name) else {
            continue;
        };
        if o.kind == n.kind {
            continue;
        }
        let t = |p: &ConnectionParameter| p.type_raw.clone().unwrap_or_else(|| "(none)".into());
        let c = cx.between(
            &o.origin,
            &n.origin,
            format!(
                "connection parameter `{}` changed type from {} to {}",
                o.name,
                t(o),
                t(n)
            ),
        );
        cx.push(c);
    }
}
