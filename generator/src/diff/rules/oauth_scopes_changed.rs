//! Change rule PC0502 `oauth-scopes-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports scopes added to or removed from an OAuth 2.0 security scheme (its flows) or the OAuth settings of apiProperties.json.
///
/// ## Why
/// Existing connections were consented for the old scopes: with more, calls may be refused until users sign in again; with fewer, operations that needed them fail.
///
/// ## Example
/// ```text
/// old: scopes: Tasks.Read
/// new: scopes: Tasks.Read, Tasks.Write
/// ```
///
/// ## Fix
/// Say so in the release notes: users re-create their connections.
    pub struct OAuthScopesChanged {
        code: "PC0502",
        name: "oauth-scopes-changed",
        level: Warning,
        summary: "The OAuth 2.0 scopes of a security scheme changed",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let scopes = |c: &Connector| -> Vec<(String, Origin, Vec<String>)> {
        let mut out: Vec<(String, Origin, Vec<String>)> = c
            .auth
            .iter()
            .filter_map(|a| match &a.kind {
                AuthKind::OAuth2 { flows } => Some((
                    a.name.clone(),
                    a.origin.clone(),
                    flows
                        .iter()
                        .flat_map(|f| f.scopes.iter().map(|s| s.0.clone()))
                        .collect(),
                )),
                _ => None,
            })
            .collect();
        if let Some(props) = &c.connection {
            for p in props.all_parameters() {
                if let Some(o) = &p.oauth {
                    out.push((
                        format!("connection parameter {}", p.name),
                        o.origin.clone(),
                        o.scopes.clone(),
                    ));
                }
            }
        }
        out
    };
    let (old, new) = (scopes(cx.old.connector), scopes(cx.new.connector));
    for (name, origin, o) in &old {
        let Some((_, norigin, n)) = new.iter().find(|(m, _, _)| m == name) else {
            continue;
        };
        let added: Vec<&String> = n.iter().filter(|s| !o.contains(s)).collect();
        let removed: Vec<&String> = o.iter().filter(|s| !n.contains(s)).collect();
        if added.is_empty() && removed.is_empty() {
            continue;
        }
        let list = |v: &[&String]| {
            v.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut what = Vec::new();
        if !added.is_empty() {
            what.push(format!("added {}", list(&added)));
        }
        if !removed.is_empty() {
            what.push(format!("removed {}", list(&removed)));
        }
        let c = cx.between(
            origin,
            norigin,
            format!("OAuth scopes of {name}: {}", what.join("; ")),
        );
        cx.push(c);
    }
}
