//! Rule PP0313 `body-conflict`.

use crate::model::ParameterLocation;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports operations with more than one `body` parameter, or with both `body` and
    /// `formData` parameters.
    ///
    /// ## Why
    /// A request has one body: either a JSON document or form fields.
    ///
    /// ## Example
    /// ```json
    /// "parameters": [ { "in": "body", "name": "a", ... }, { "in": "formData", "name": "b", ... } ]
    /// ```
    ///
    /// ## Fix
    /// Keep one body parameter (an object with both values), or only form fields.
    pub struct BodyConflict {
        code: "PP0313",
        name: "body-conflict",
        category: Parameters,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "More than one body, or body and formData together",
    }
}

impl Rule for BodyConflict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            let bodies: Vec<_> = op
                .parameters
                .iter()
                .filter(|p| p.location == ParameterLocation::Body)
                .collect();
            let form = op
                .parameters
                .iter()
                .find(|p| p.location == ParameterLocation::FormData);
            for extra in bodies.iter().skip(1) {
                let d = cx.at(
                    &extra.use_site,
                    format!(
                        "operation `{}` has a second body parameter `{}`",
                        op.id, extra.name
                    ),
                );
                cx.push(d.help("a request has one body: merge them into one object schema"));
            }
            if let (Some(b), Some(f)) = (bodies.first(), form) {
                let d = cx.at(
                    &f.use_site,
                    format!(
                        "operation `{}` has formData parameter `{}` and body parameter `{}`",
                        op.id, f.name, b.name
                    ),
                );
                cx.push(d.help("use either a body parameter or formData parameters"));
            }
        }
    }
}
