//! Security schemes of the connector from the auth settings in force.

use super::auth::{self, Mapped};
use crate::diagnostics::{codes, Diagnostic};
use crate::load::node::{Node, PointerBuf};
use crate::location::FileId;
use crate::lower::Ctx;
use crate::model::*;
use std::collections::HashSet;

pub(super) fn scheme_for(
    ctx: &mut Ctx<'_>,
    file: FileId,
    node: &Node,
    ptr: &PointerBuf,
    vars: &[(String, String)],
    schemes: &mut Vec<AuthScheme>,
    unsupported: &mut HashSet<String>,
) -> Option<String> {
    let vars = std::rc::Rc::new(vars.to_vec());
    let origin = Origin {
        file,
        pointer: ptr.clone(),
        span: node.span,
    };
    match auth::map(node, &vars) {
        Mapped::NoAuth => None,
        Mapped::Scheme(kind, base) => Some(add_scheme(schemes, kind, base, origin)),
        Mapped::Unsupported(kind) => {
            if unsupported.insert(kind.clone()) {
                ctx.push(
                    Diagnostic::new(
                        &codes::POSTMAN_AUTH_UNSUPPORTED,
                        format!("Postman auth `{kind}` has no OpenAPI security scheme; requests using it are converted without credentials"),
                    )
                    .at(file, node.get("type").map_or(node.span, |t| t.span))
                    .pointer(ptr.as_string())
                    .help("describe the credentials as header or query parameters, or use apikey, basic, bearer or oauth2 auth"),
                );
            }
            None
        }
    }
}

pub(super) fn add_scheme(
    schemes: &mut Vec<AuthScheme>,
    kind: AuthKind,
    base: &str,
    origin: Origin,
) -> String {
    if let Some(s) = schemes.iter().find(|s| s.kind == kind) {
        return s.name.clone();
    }
    let mut name = base.to_string();
    let mut k = 2;
    while schemes.iter().any(|s| s.name == name) {
        name = format!("{base}{k}");
        k += 1;
    }
    schemes.push(AuthScheme {
        name: name.clone(),
        kind,
        description: None,
        extensions: Extensions::default(),
        origin,
    });
    name
}

pub(super) fn requirement(schemes: &[AuthScheme], name: &str) -> SecurityRequirement {
    let scopes = schemes
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| match &s.kind {
            AuthKind::OAuth2 { flows } => flows
                .first()
                .map(|f| f.scopes.iter().map(|(n, _)| n.clone()).collect()),
            _ => None,
        })
        .unwrap_or_default();
    SecurityRequirement {
        schemes: vec![(name.to_string(), scopes)],
    }
}
