//! Change rule PC0204 `parameter-location-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter with the same name in both versions of an operation but another `in`.
///
/// ## Why
/// The service reads it where the new version says; clients of the old version send it where it was.
///
/// ## Example
/// ```text
/// old: name: api-version, in: query
/// new: name: api-version, in: header
/// ```
///
/// ## Fix
/// Keep it where it was, or accept it in both places.
    pub struct ParameterLocationChanged {
        code: "PC0204",
        name: "parameter-location-changed",
        level: Breaking,
        summary: "A parameter moved (query, header, path, body, form)",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let matches = cx.matches.clone();
    for (i, p) in cx.pairs.clone().iter().copied().enumerate() {
        for &q in &matches[i].moved {
            let b = cx
                .between(
                    &q.old.use_site,
                    &q.new.use_site,
                    format!(
                        "parameter `{}` of `{}` moved from {} to {}",
                        q.old.name,
                        p.old.id,
                        q.old.location.as_str(),
                        q.new.location.as_str()
                    ),
                )
                .operation(&p.old.id);
            cx.push(b);
        }
    }
}
