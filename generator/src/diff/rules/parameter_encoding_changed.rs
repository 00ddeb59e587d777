//! Change rule PC0209 `parameter-encoding-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a parameter in both versions whose `x-ms-url-encoding` changed, or whose array format (`collectionFormat`, or `style` and `explode`) changed.
///
/// ## Why
/// The service reads values written one way; the other way it reads other values (a path segment encoded twice, `a,b` instead of `a&b`).
///
/// ## Example
/// ```text
/// old: labels: collectionFormat multi
/// new: labels: collectionFormat csv
/// ```
///
/// ## Fix
/// Keep how the parameter is written.
    pub struct ParameterEncodingChanged {
        code: "PC0209",
        name: "parameter-encoding-changed",
        level: Breaking,
        summary: "How a parameter is written changed (x-ms-url-encoding, collectionFormat, style)",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    for (p, q) in cx.kept_parameters() {
        let enc = |pp: &Parameter| pp.url_encoding.clone().unwrap_or(UrlEncoding::Double);
        let fmt = |pp: &Parameter| crate::plan::array_format(pp).collection_format();
        let what = if q.old.location == ParameterLocation::Path && enc(q.old) != enc(q.new) {
            "its x-ms-url-encoding changed".to_string()
        } else if fmt(q.old) != fmt(q.new) {
            format!(
                "its array format changed from {} to {}",
                fmt(q.old),
                fmt(q.new)
            )
        } else {
            continue;
        };
        let c = cx
            .between(
                &q.old.use_site,
                &q.new.use_site,
                format!("parameter `{}` of `{}`: {what}", q.old.name, p.old.id),
            )
            .operation(&p.old.id);
        cx.push(c);
    }
}
