//! Rule PP0315 `consumes-missing`.

use crate::model::{ParameterLocation, SpecFormat};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports Swagger 2.0 operations with a body or form parameters but no `consumes` (neither
    /// on the operation nor on the document).
    ///
    /// ## Why
    /// Without it the request's `Content-Type` is a guess: JSON, form or multipart.
    ///
    /// ## Example
    /// ```json
    /// "post": { "parameters": [ { "in": "formData", "name": "file", "type": "file" } ] }
    /// ```
    ///
    /// ## Fix
    /// Add `"consumes": ["multipart/form-data"]` (or `application/json` for a body).
    pub struct ConsumesMissing {
        code: "PP0315",
        name: "consumes-missing",
        category: Parameters,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        summary: "Body or form parameters without consumes",
    }
}

impl Rule for ConsumesMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        if cx.connector.format != SpecFormat::Swagger2 {
            return;
        }
        for op in &cx.connector.operations {
            let has_body = op.parameters.iter().any(|p| {
                matches!(
                    p.location,
                    ParameterLocation::Body | ParameterLocation::FormData
                )
            });
            if has_body && op.consumes.is_empty() {
                let form = op
                    .parameters
                    .iter()
                    .any(|p| p.location == ParameterLocation::FormData);
                let d = cx.at(
                    &op.origin,
                    format!(
                        "operation `{}` sends a body but declares no consumes",
                        op.id
                    ),
                );
                cx.push(d.help(if form {
                    "add \"consumes\": [\"multipart/form-data\"]"
                } else {
                    "add \"consumes\": [\"application/json\"]"
                }));
            }
        }
    }
}
