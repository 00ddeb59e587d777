//! Change rule PC0601 `host-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Compares where operations are sent: the first server's URL (Swagger `schemes`, `host` and `basePath`, or OpenAPI `servers`).
///
/// ## Why
/// Existing connections, and clients generated from the old version, send requests to the old place.
///
/// ## Example
/// ```text
/// old: host: api.contoso.example, basePath: /v2
/// new: host: api.contoso.example, basePath: /v3
/// ```
///
/// ## Fix
/// Keep the old base URL; if the service moved, a `dynamichosturl` policy or a connection parameter can carry the host.
    pub struct HostChanged {
        code: "PC0601",
        name: "host-changed",
        level: Breaking,
        summary: "The host, base path or servers changed",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let (o, n) = (
        crate::plan::base_url(cx.old.connector),
        crate::plan::base_url(cx.new.connector),
    );
    if o.trim_end_matches('/') == n.trim_end_matches('/') {
        return;
    }
    let show = |s: &str| {
        if s.is_empty() {
            "none".to_string()
        } else {
            format!("`{s}`")
        }
    };
    // Where the base URL is written: `host` (Swagger 2.0; `basePath` when only it changed), or
    // `servers`.
    let same_host = cx.old.connector.host == cx.new.connector.host;
    let member = |side: &crate::diff::Side<'_>| match side.connector.format {
        SpecFormat::Swagger2 if same_host => side.root_member("basePath"),
        SpecFormat::Swagger2 => side.root_member("host"),
        _ => side.root_member("servers"),
    };
    let c = cx.between(
        &member(&cx.old),
        &member(&cx.new),
        format!("the base URL changed from {} to {}", show(&o), show(&n)),
    );
    cx.push(c);
}
