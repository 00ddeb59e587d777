//! Change rule PC0406 `response-header-removed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a header of a success response that the old version declares and the new one no longer does (names compared without regard to case, as HTTP does).
///
/// ## Why
/// Declared response headers are outputs: flows read them as dynamic content, and generated clients return them. A flow that used the header gets nothing.
///
/// ## Example
/// ```text
/// old: 200: headers: X-Rate-Limit-Remaining
/// new: 200: (no headers)
/// ```
///
/// ## Fix
/// Keep declaring the header while the service sends it.
    pub struct ResponseHeaderRemoved {
        code: "PC0406",
        name: "response-header-removed",
        level: Breaking,
        summary: "A header of a success response is no longer declared",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied() {
        for r in p.old.responses.iter().filter(|r| r.status.is_success()) {
            let Some(n) = p.new.responses.iter().find(|n| n.status == r.status) else {
                continue;
            };
            for h in &r.headers {
                if n.headers
                    .iter()
                    .any(|nh| nh.name.eq_ignore_ascii_case(&h.name))
                {
                    continue;
                }
                let c = cx
                    .between(
                        &r.origin,
                        &n.origin,
                        format!(
                            "the {} response of `{}` no longer declares header `{}`",
                            r.status.as_str(),
                            p.old.id,
                            h.name
                        ),
                    )
                    .operation(&p.old.id);
                cx.push(c);
            }
        }
    }
}
