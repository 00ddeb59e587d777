//! Rule PP0315 `consumes-missing`.

use crate::diagnostics::fix::Fix;
use crate::model::{Operation, ParameterLocation, SpecFormat};
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
        fix: Safe,
        summary: "Body or form parameters without consumes",
    }
}

/// The members of an operation that come before `consumes` and `produces`, as the Swagger 2.0
/// specification lists them.
pub const OPERATION_HEAD: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "consumes",
];

/// The fix that writes `key` (`consumes` or `produces`) with one media type on an operation,
/// among the members that come before it.
pub fn media_fix(cx: &Checker<'_>, op: &Operation, key: &str, media: &str) -> Option<Fix> {
    let edit = cx.editor(op.origin.file).and_then(|ed| {
        let operation = ed.node(&op.origin.pointer.as_string())?;
        ed.set_member(operation, key, &serde_json::json!([media]), OPERATION_HEAD)
    });
    cx.fix(format!("add \"{key}\": [\"{media}\"]"), edit)
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
                let media = if form {
                    "multipart/form-data"
                } else {
                    "application/json"
                };
                let fix = media_fix(cx, op, "consumes", media);
                cx.push(d.help(format!("add \"consumes\": [\"{media}\"]")).fix(fix));
            }
        }
    }
}
