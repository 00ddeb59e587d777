//! Change rule PC0501 `security-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Compares the security schemes by name: one removed, one whose kind changed (API key, basic, OAuth 2.0...), an API key moved or renamed, OAuth 2.0 authorization or token URLs changed.
///
/// ## Why
/// Existing connections were made for the old scheme: they no longer authenticate, and every flow using them fails.
///
/// ## Example
/// ```text
/// old: api_key: apiKey in header X-Api-Key
/// new: api_key: apiKey in query code
/// ```
///
/// ## Fix
/// Keep the scheme; add a new one (and a connection parameter set) beside it.
    pub struct SecurityChanged {
        code: "PC0501",
        name: "security-changed",
        level: Breaking,
        summary: "A security scheme was removed or changed kind, or OAuth URLs changed",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let (oc, nc) = (cx.old.connector, cx.new.connector);
    let old = &oc.auth;
    for o in old {
        let Some(n) = nc.auth.iter().find(|n| n.name == o.name) else {
            let c = cx
                .change(format!(
                    "security scheme `{}` ({}) was removed",
                    o.name,
                    o.label()
                ))
                .old(&cx.old, &o.origin);
            cx.push(c);
            continue;
        };
        let what = match (&o.kind, &n.kind) {
            (
                AuthKind::ApiKey {
                    name: a,
                    location: la,
                },
                AuthKind::ApiKey {
                    name: b,
                    location: lb,
                },
            ) if a != b || la != lb => Some(format!("its API key moved from `{a}` to `{b}`")),
            (AuthKind::OAuth2 { flows: a }, AuthKind::OAuth2 { flows: b }) => {
                let urls = |f: &[OAuthFlow]| {
                    f.iter()
                        .map(|f| (f.authorization_url.clone(), f.token_url.clone()))
                        .collect::<Vec<_>>()
                };
                (urls(a) != urls(b))
                    .then(|| "its OAuth 2.0 authorization or token URL changed".to_string())
            }
            (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
                Some(format!("it changed from {} to {}", o.label(), n.label()))
            }
            _ => None,
        };
        if let Some(what) = what {
            let c = cx.between(
                &o.origin,
                &n.origin,
                format!("security scheme `{}`: {what}", o.name),
            );
            cx.push(c);
        }
    }
}
