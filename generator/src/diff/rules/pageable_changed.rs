//! Change rule PC0404 `pageable-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports an operation in both versions that stopped (or started) being pageable, or whose `x-ms-pageable.nextLinkName` changed.
///
/// ## Why
/// The platform follows the next link to read every page: with another property name, or none, flows get the first page only (or read a property that is not there).
///
/// ## Example
/// ```text
/// old: x-ms-pageable: { nextLinkName: nextLink }
/// new: x-ms-pageable: { nextLinkName: \"@odata.nextLink\" }
/// ```
///
/// ## Fix
/// Keep the property the service returns the next link in.
    pub struct PageableChanged {
        code: "PC0404",
        name: "pageable-changed",
        level: Breaking,
        summary: "x-ms-pageable or its nextLinkName changed",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied() {
        let (o, n) = (
            p.old
                .rare()
                .pageable
                .as_ref()
                .and_then(|x| x.next_link_name.clone()),
            p.new
                .rare()
                .pageable
                .as_ref()
                .and_then(|x| x.next_link_name.clone()),
        );
        if o == n {
            continue;
        }
        let show = |v: &Option<String>| {
            v.as_ref()
                .map_or("not pageable".to_string(), |s| format!("`{s}`"))
        };
        let c = cx
            .between(
                &p.old.origin,
                &p.new.origin,
                format!(
                    "the next link of `{}` changed from {} to {}",
                    p.old.id,
                    show(&o),
                    show(&n)
                ),
            )
            .operation(&p.old.id);
        cx.push(c);
    }
}
