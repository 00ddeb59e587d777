//! Change rule PC0507 `policy-template-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Compares the `policyTemplateInstances` of apiProperties.json by template: one removed, or one whose parameters (a host URL template, a header, a route) changed.
///
/// ## Why
/// Policies rewrite every request: another host, header or route sends existing flows' calls somewhere else, or differently.
///
/// ## Example
/// ```text
/// old: dynamichosturl: https://@connectionParameters('region').tasks.example
/// new: dynamichosturl: https://api.tasks.example/@connectionParameters('region')
/// ```
///
/// ## Fix
/// Keep the policies; change them only with the service.
    pub struct PolicyTemplateChanged {
        code: "PC0507",
        name: "policy-template-changed",
        level: Breaking,
        summary: "A policy template was removed or its parameters changed",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let (old, new) = (&cx.old.connector.policies, &cx.new.connector.policies);
    for (i, o) in old.iter().enumerate() {
        // The same template, the i-th of its kind on both sides.
        let nth = old[..i]
            .iter()
            .filter(|x| x.template_id.eq_ignore_ascii_case(&o.template_id))
            .count();
        let n = new
            .iter()
            .filter(|x| x.template_id.eq_ignore_ascii_case(&o.template_id))
            .nth(nth);
        match n {
            None => {
                let c = cx
                    .change(format!("policy template `{}` was removed", o.template_id))
                    .old(&cx.old, &o.origin);
                cx.push(c);
            }
            Some(n) if n.parameters != o.parameters => {
                let c = cx.between(
                    &o.origin,
                    &n.origin,
                    format!(
                        "the parameters of policy template `{}` changed",
                        o.template_id
                    ),
                );
                cx.push(c);
            }
            Some(_) => {}
        }
    }
}
