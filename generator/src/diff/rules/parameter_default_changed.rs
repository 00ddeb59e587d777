//! Change rule PC0208 `parameter-default-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter in both versions whose `default` changed, appeared or went away.
///
/// ## Why
/// Flows that leave the parameter empty now send another value (or none), and get other results.
///
/// ## Example
/// ```text
/// old: top: default 50
/// new: top: default 10
/// ```
///
/// ## Fix
/// Keep the default; say so in the release notes if it must change.
    pub struct ParameterDefaultChanged {
        code: "PC0208",
        name: "parameter-default-changed",
        level: Warning,
        summary: "A parameter's default changed",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for (p, q) in cx.kept_parameters() {
        let d = |side: &crate::diff::Side<'_>, pp: &Parameter| {
            side.connector
                .types
                .get(side.connector.types.resolve(pp.schema))
                .rare()
                .default
                .clone()
        };
        let (o, n) = (d(&cx.old, q.old), d(&cx.new, q.new));
        if o == n || q.old.location == ParameterLocation::Body {
            continue;
        }
        let show = |v: &Option<serde_json::Value>| {
            v.as_ref().map_or("none".to_string(), |v| v.to_string())
        };
        let c = cx
            .between(
                &q.old.use_site,
                &q.new.use_site,
                format!(
                    "the default of parameter `{}` of `{}` changed from {} to {}",
                    q.old.name,
                    p.old.id,
                    show(&o),
                    show(&n)
                ),
            )
            .operation(&p.old.id);
        cx.push(c);
    }
}
