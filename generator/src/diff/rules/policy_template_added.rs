//! Change rule PC0508 `policy-template-added`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a `policyTemplateInstances` entry that only the new version has.
///
/// ## Why
/// A new policy changes every request of existing flows (a header set, a route, a host): usually intended, worth a look.
///
/// ## Example
/// ```text
/// old: policyTemplateInstances: []
/// new: policyTemplateInstances: [setheader X-Client]
/// ```
///
/// ## Fix
/// Nothing to fix when the service expects it.
    pub struct PolicyTemplateAdded {
        code: "PC0508",
        name: "policy-template-added",
        level: Warning,
        summary: "A policy template was added",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let (old, new) = (&cx.old.connector.policies, &cx.new.connector.policies);
    for (i, n) in new.iter().enumerate() {
        let nth = new[..i]
            .iter()
            .filter(|x| x.template_id.eq_ignore_ascii_case(&n.template_id))
            .count();
        if old
            .iter()
            .filter(|x| x.template_id.eq_ignore_ascii_case(&n.template_id))
            .nth(nth)
            .is_some()
        {
            continue;
        }
        let c = cx
            .change(format!("policy template `{}` was added", n.template_id))
            .new_at(&cx.new, &n.origin);
        cx.push(c);
    }
}
