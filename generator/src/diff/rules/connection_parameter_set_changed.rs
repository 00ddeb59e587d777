//! Change rule PC0509 `connection-parameter-set-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Compares the ways to connect of apiProperties.json (`connectionParameterSets`): a set removed, a parameter gone from a set that stays, a required parameter new in a set that stays, or the connection parameters moved into sets or out of them.
///
/// ## Why
/// Each connection was made with one set and holds that set's values: when its set is gone, or its parameters change, the connection no longer fits the connector and every flow using it fails until it is made again.
///
/// ## Example
/// ```text
/// old: connectionParameterSets: apiKey (api_key), oauth (token)
/// new: connectionParameterSets: oauth (token)
/// ```
///
/// ## Fix
/// Keep the old sets (mark them with a display name saying they are older); add new ways to connect as new sets.
    pub struct ConnectionParameterSetChanged {
        code: "PC0509",
        name: "connection-parameter-set-changed",
        level: Breaking,
        summary: "A way to connect (connection parameter set) is gone or changed",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let (Some(op), Some(np)) = (
        cx.old.connector.connection.as_ref(),
        cx.new.connector.connection.as_ref(),
    ) else {
        return;
    };
    match (op.parameter_sets.is_empty(), np.parameter_sets.is_empty()) {
        (true, true) => return,
        (true, false) if !op.parameters.is_empty() => {
            let c = cx
                .between(
                    &op.origin,
                    &np.parameter_sets[0].origin,
                    "the connection parameters moved into parameter sets: connections made with the old parameters match no set",
                )
                .help("keep the old parameters as a set of their own");
            cx.push(c);
            return;
        }
        (false, true) if !np.parameters.is_empty() => {
            let c = cx.between(
                &op.parameter_sets[0].origin,
                &np.origin,
                "the parameter sets were replaced by plain connection parameters: connections made with a set no longer fit",
            );
            cx.push(c);
            return;
        }
        _ => {}
    }
    for os in &op.parameter_sets {
        let Some(ns) = np.parameter_sets.iter().find(|s| s.name == os.name) else {
            let c = cx
                .change(format!(
                    "connection parameter set `{}` was removed",
                    os.name
                ))
                .old(&cx.old, &os.origin)
                .new_at(&cx.new, &np.origin);
            cx.push(c);
            continue;
        };
        for o in &os.parameters {
            if !ns.parameters.iter().any(|n| n.name == o.name) {
                let c = cx
                    .change(format!(
                        "connection parameter `{}` is no longer in set `{}`",
                        o.name, os.name
                    ))
                    .old(&cx.old, &o.origin)
                    .new_at(&cx.new, &ns.origin);
                cx.push(c);
            }
        }
        for n in ns.parameters.iter().filter(|n| n.required) {
            if !os.parameters.iter().any(|o| o.name == n.name) {
                let c = cx
                    .change(format!(
                        "new required connection parameter `{}` in set `{}`",
                        n.name, ns.name
                    ))
                    .old(&cx.old, &os.origin)
                    .new_at(&cx.new, &n.origin);
                cx.push(c);
            }
        }
    }
}
