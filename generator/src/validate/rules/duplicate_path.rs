//! Rule PP0211 `duplicate-path`.

use crate::validate::{Checker, Rule, RuleMeta};
use std::collections::HashMap;

crate::rule! {
    /// ## What it does
    /// Reports operations whose method and path equal another's when letter case, a trailing
    /// slash or path parameter names are ignored (`/items/{id}` and `/Items/{itemId}/`).
    ///
    /// ## Why
    /// The platform matches paths without regard to case, and two templates of the same shape
    /// match the same requests: one of the operations can never be reached.
    ///
    /// ## Example
    /// ```json
    /// "/Items/{id}": { "get": ... }, "/items/{itemId}": { "get": ... }
    /// ```
    ///
    /// ## Fix
    /// Merge the operations, or give them distinct paths.
    pub struct DuplicatePath {
        code: "PP0211",
        name: "duplicate-path",
        category: Document,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "Paths that differ only in case or parameter names",
    }
}

/// A path's shape: lower case, every `{parameter}` replaced by `{}`, no trailing slash.
pub fn shape(path: &str) -> String {
    skeleton(path).to_lowercase()
}

/// A path with every `{parameter}` replaced by `{}` and no trailing slash, case kept.
fn skeleton(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for ch in path.trim_end_matches('/').chars() {
        match ch {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(ch),
        }
    }
    out
}

impl Rule for DuplicatePath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        let mut seen: HashMap<(crate::model::Method, String), usize> = HashMap::new();
        for (i, op) in c.operations.iter().enumerate() {
            if op.kind.is_trigger() && !op.path.starts_with('/') {
                continue; // OpenAPI webhooks and callbacks are named, not routed
            }
            let key = (op.method, shape(&op.path));
            match seen.get(&key) {
                Some(&first) => {
                    let other = &c.operations[first];
                    let mut how = Vec::new();
                    let trim = |p: &str| p.trim_end_matches('/').to_lowercase();
                    if trim(&other.path) != trim(&op.path) {
                        how.push("parameter names");
                    }
                    if skeleton(&other.path) != skeleton(&op.path) {
                        how.push("letter case");
                    }
                    if other.path.ends_with('/') != op.path.ends_with('/') {
                        how.push("a trailing slash");
                    }
                    let how = format!("only in {}", how.join(" and "));
                    let d = cx
                        .at(
                            &op.origin,
                            format!(
                                "{} {} differs from {} {} ({}) {how}",
                                op.method.as_str(),
                                op.path,
                                other.method.as_str(),
                                other.path,
                                other.id
                            ),
                        )
                        .related(
                            other.origin.file,
                            other.origin.span,
                            format!("{} is defined here", other.id),
                        )
                        .help("merge the two operations or give them distinct paths");
                    cx.push(d);
                }
                None => {
                    seen.insert(key, i);
                }
            }
        }
    }
}
