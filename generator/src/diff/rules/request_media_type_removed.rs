//! Change rule PC0302 `request-media-type-removed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a media type of an operation's request (`consumes`, or the content of `requestBody`) that the new version no longer lists.
///
/// ## Why
/// Clients send bodies in the media type they were built for; the service now refuses it (415).
///
/// ## Example
/// ```text
/// old: consumes: [application/json, application/x-www-form-urlencoded]
/// new: consumes: [application/json]
/// ```
///
/// ## Fix
/// Keep accepting the media type.
    pub struct RequestMediaTypeRemoved {
        code: "PC0302",
        name: "request-media-type-removed",
        level: Breaking,
        summary: "An operation no longer accepts a media type it did",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for p in cx.pairs.clone().iter().copied() {
        let types = |op: &Operation| -> Vec<String> {
            let mut t: Vec<String> = op.consumes.iter().map(|m| m.to_ascii_lowercase()).collect();
            if let Some(b) = &op.request_body {
                t.extend(b.content.iter().map(|m| m.media_type.to_ascii_lowercase()));
            }
            t.sort();
            t.dedup();
            t
        };
        let has_body = |op: &Operation| {
            op.request_body.is_some()
                || op.parameters.iter().any(|q| {
                    matches!(
                        q.location,
                        ParameterLocation::Body | ParameterLocation::FormData
                    )
                })
        };
        if !has_body(p.old) || !has_body(p.new) {
            continue;
        }
        let (o, n) = (types(p.old), types(p.new));
        for m in o.iter().filter(|m| !n.contains(m)) {
            let c = cx
                .between(
                    &p.old.origin,
                    &p.new.origin,
                    format!("`{}` no longer accepts {m}", p.old.id),
                )
                .operation(&p.old.id);
            cx.push(c);
        }
    }
}
