//! Change rule PC0603 `server-removed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports a server of the old version other than the one operations are sent to (OpenAPI `servers` after the first, Swagger `schemes` after the first) that the new version no longer lists, and a value a server variable no longer allows.
///
/// ## Why
/// The platform sends requests to the first server, so this breaks no flow (the first is `PC0601`); but clients generated from the old version, and connections that chose another server or variable value, lose it.
///
/// ## Example
/// ```text
/// old: schemes: [https, http]
/// new: schemes: [https]
/// ```
///
/// ## Fix
/// Keep listing the server while clients may use it, or say in the release notes that it is gone.
    pub struct ServerRemoved {
        code: "PC0603",
        name: "server-removed",
        level: Warning,
        summary: "A server other than the first, or a server variable's value, is gone",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    // Swagger 2.0: the model's one server is made of the first scheme; the others are here.
    let (os, ns) = (&cx.old.connector.schemes, &cx.new.connector.schemes);
    for scheme in os.iter().skip(1) {
        if !ns.iter().any(|n| n.eq_ignore_ascii_case(scheme)) {
            let c = cx.between(
                &cx.old.root_member("schemes"),
                &cx.new.root_member("schemes"),
                format!("scheme `{scheme}` is no longer listed"),
            );
            cx.push(c);
        }
    }
    let (old, new) = (&cx.old.connector.servers, &cx.new.connector.servers);
    let url = |s: &Server| s.url.trim_end_matches('/').to_string();
    for (i, o) in old.iter().enumerate() {
        match new.iter().find(|n| url(n) == url(o)) {
            None if i > 0 => {
                let (old_at, new_at) = servers(cx);
                let c = cx.between(
                    &old_at,
                    &new_at,
                    format!("server `{}` is no longer listed", o.url_with_defaults()),
                );
                cx.push(c);
            }
            None => {}
            Some(n) => {
                for v in &o.variables {
                    let Some(nv) = n.variables.iter().find(|nv| nv.name == v.name) else {
                        continue;
                    };
                    if nv.allowed.is_empty() {
                        continue;
                    }
                    let gone: Vec<&str> = v
                        .allowed
                        .iter()
                        .filter(|a| !nv.allowed.contains(a))
                        .map(String::as_str)
                        .collect();
                    if !gone.is_empty() {
                        let (old_at, new_at) = servers(cx);
                        let c = cx.between(
                            &old_at,
                            &new_at,
                            format!(
                                "server variable `{}` of `{}` no longer allows {}",
                                v.name,
                                o.url,
                                gone.iter()
                                    .map(|g| format!("`{g}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        );
                        cx.push(c);
                    }
                }
            }
        }
    }
}

/// Where `servers` is written in the two versions (looked up only for a change to report).
fn servers(cx: &DiffCx<'_>) -> (Origin, Origin) {
    (cx.old.root_member("servers"), cx.new.root_member("servers"))
}
