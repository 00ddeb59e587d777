//! `connector-gen inspect`: what a connector is, for people (`human`) and scripts (`json`).

use crate::model::*;
use crate::text::printable_line;
use serde_json::{json, Value};
use std::fmt::Write;

/// The stable JSON shape of one connector (fields may be added, never renamed).
pub fn to_json(c: &Connector) -> Value {
    let (actions, polling, webhooks) = c.counts();
    let auth: Vec<Value> = c.auth.iter().map(auth_json).collect();
    let operations: Vec<Value> = c
        .operations
        .iter()
        .map(|o| {
            json!({
                "id": o.id,
                "method": o.method.as_str(),
                "path": o.path,
                "kind": o.kind.label(),
                "summary": o.summary,
            })
        })
        .collect();
    let mut out = json!({
        "name": c.name,
        "title": c.title,
        "format": c.format.label(),
        "host": c.host,
        "basePath": c.base_path,
        "auth": auth,
        "counts": {
            "actions": actions,
            "pollingTriggers": polling,
            "webhookTriggers": webhooks,
            "schemas": c.types.len(),
            "namedSchemas": c.types.named().count(),
        },
        "operations": operations,
    });
    if let Some(props) = &c.connection {
        let params: Vec<Value> = props
            .all_parameters()
            .map(|p| {
                let mut v = json!({"name": p.name, "type": p.type_raw});
                if let Some(o) = &p.oauth {
                    v["identityProvider"] =
                        json!(o.identity_provider.as_ref().map(IdentityProvider::as_str));
                    v["redirectMode"] = json!(o.redirect_mode);
                }
                v
            })
            .collect();
        out["connection"] = json!({
            "parameters": params,
            "policies": c.policies.iter().map(|p| p.template_id.as_str()).collect::<Vec<_>>(),
            "publisher": props.publisher,
        });
    }
    out
}

fn auth_json(a: &AuthScheme) -> Value {
    match &a.kind {
        AuthKind::ApiKey { name, location } => json!({
            "name": a.name, "type": "apiKey",
            "in": match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query",
                ApiKeyLocation::Cookie => "cookie",
                ApiKeyLocation::Other(o) => o.as_str(),
            },
            "parameter": name,
        }),
        AuthKind::OAuth2 { flows } => json!({
            "name": a.name, "type": "oauth2",
            "flows": flows.iter().map(|f| json!({
                "flow": match &f.kind {
                    OAuthFlowKind::AuthorizationCode => "authorizationCode",
                    OAuthFlowKind::Implicit => "implicit",
                    OAuthFlowKind::Password => "password",
                    OAuthFlowKind::ClientCredentials => "clientCredentials",
                    OAuthFlowKind::Other(o) => o.as_str(),
                },
                "authorizationUrl": f.authorization_url,
                "tokenUrl": f.token_url,
                "scopes": f.scopes.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
        AuthKind::Bearer { format } => {
            json!({"name": a.name, "type": "bearer", "bearerFormat": format})
        }
        AuthKind::OpenIdConnect { url } => {
            json!({"name": a.name, "type": "openIdConnect", "openIdConnectUrl": url})
        }
        AuthKind::Http { scheme } => json!({"name": a.name, "type": "http", "scheme": scheme}),
        _ => json!({"name": a.name, "type": a.type_name()}),
    }
}

/// A readable summary: title, host, auth, counts and a table of operations. Text from the
/// definition is made printable ([`printable_line`]): it ends up on a terminal.
pub fn to_human(c: &Connector) -> String {
    let mut out = String::new();
    let (actions, polling, webhooks) = c.counts();
    let _ = writeln!(
        out,
        "{}  ({})",
        printable_line(if c.title.is_empty() {
            &c.name
        } else {
            &c.title
        }),
        c.format.label()
    );
    if let Some(d) = &c.description {
        let first: String = d.lines().next().unwrap_or("").chars().take(100).collect();
        let _ = writeln!(out, "  {}", printable_line(&first));
    }
    let host = match (&c.host, &c.base_path) {
        (Some(h), Some(b)) => format!("{h}{b}"),
        (Some(h), None) => h.clone(),
        (None, Some(b)) => b.clone(),
        (None, None) => "(none)".into(),
    };
    let _ = writeln!(out, "  host      {}", printable_line(&host));
    let auth: Vec<String> = c
        .auth
        .iter()
        .map(|a| format!("{} `{}`", a.label(), printable_line(&a.name)))
        .collect();
    let _ = writeln!(
        out,
        "  auth      {}",
        if auth.is_empty() {
            "none".to_string()
        } else {
            auth.join("; ")
        }
    );
    if let Some(props) = &c.connection {
        for p in props.all_parameters() {
            let mut line = format!(
                "{} `{}`",
                printable_line(p.type_raw.as_deref().unwrap_or("?")),
                printable_line(&p.name)
            );
            if let Some(o) = &p.oauth {
                if let Some(idp) = &o.identity_provider {
                    let _ = write!(line, " identityProvider={}", printable_line(idp.as_str()));
                }
                let _ = write!(
                    line,
                    " redirectMode={}",
                    printable_line(o.redirect_mode.as_deref().unwrap_or("(absent)"))
                );
            }
            let _ = writeln!(out, "  connect   {line}");
        }
        if !c.policies.is_empty() {
            let ids: Vec<String> = c
                .policies
                .iter()
                .map(|p| printable_line(&p.template_id).into_owned())
                .collect();
            let _ = writeln!(out, "  policies  {}", ids.join(", "));
        }
    }
    let _ = writeln!(
        out,
        "  counts    {actions} action{}, {polling} polling trigger{}, {webhooks} webhook trigger{}, {} schemas ({} named)",
        plural(actions),
        plural(polling),
        plural(webhooks),
        c.types.len(),
        c.types.named().count()
    );
    if c.operations.is_empty() {
        return out;
    }
    let rows: Vec<[String; 5]> = c
        .operations
        .iter()
        .map(|o| {
            [
                o.kind.label().to_string(),
                printable_line(&o.id).into_owned(),
                printable_line(o.method.as_str()).into_owned(),
                printable_line(&o.path).into_owned(),
                printable_line(o.summary.as_deref().unwrap_or_default()).into_owned(),
            ]
        })
        .collect();
    let header = ["KIND", "ID", "METHOD", "PATH", "SUMMARY"];
    let mut widths = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(cell.chars().count()).min(60);
        }
    }
    out.push('\n');
    let mut line = |cells: &[String]| {
        let mut l = String::from(" ");
        for (i, cell) in cells.iter().enumerate() {
            let _ = write!(l, " {:<w$}", cell, w = widths[i]);
        }
        let _ = writeln!(out, "{}", l.trim_end());
    };
    line(&header.map(str::to_string));
    for r in &rows {
        line(r);
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
