//! Rule PP0322 `path-template-invalid`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports a path template whose braces do not pair up: a `{` never closed (`/items/{id`),
    /// a `}` that closes nothing, or a `{` inside a parameter name.
    ///
    /// ## Why
    /// No URL can be made of such a template: the platform rejects the definition, and a
    /// client that guesses sends requests to a path the API does not have (`/items/%7Bid`).
    /// `connector-gen call` and generated crates refuse to build the URL.
    ///
    /// ## Example
    /// ```json
    /// "/items/{id": { "get": ... }
    /// ```
    ///
    /// ## Fix
    /// Close the parameter: `/items/{id}`.
    pub struct PathTemplateInvalid {
        code: "PP0322",
        name: "path-template-invalid",
        category: Operations,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "A path template with unbalanced braces",
    }
}

/// What is wrong with the braces of a path template, if anything.
pub fn brace_problem(path: &str) -> Option<&'static str> {
    let mut open = false;
    for c in path.chars() {
        match (c, open) {
            ('{', true) => return Some("a `{` inside a parameter name"),
            ('{', false) => open = true,
            ('}', true) => open = false,
            ('}', false) => return Some("a `}` that closes nothing"),
            _ => {}
        }
    }
    open.then_some("a `{` that is never closed")
}

impl Rule for PathTemplateInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            if op.kind.is_trigger() && !op.path.starts_with('/') {
                continue; // OpenAPI webhooks and callbacks are named, not routed
            }
            if let Some(why) = brace_problem(&op.path) {
                let d = cx
                    .at(
                        &op.origin,
                        format!("the path `{}` of `{}` has {why}", op.path, op.id),
                    )
                    .help("write each parameter as `{name}`, with its braces paired");
                cx.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::brace_problem;

    #[test]
    fn braces_pair_up() {
        assert_eq!(brace_problem("/items/{id}/parts/{part}"), None);
        assert!(brace_problem("/items/{id").is_some());
        assert!(brace_problem("/items/id}").is_some());
        assert!(brace_problem("/items/{x{id}}").is_some());
    }
}
