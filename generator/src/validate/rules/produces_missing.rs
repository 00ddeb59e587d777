//! Rule PP0323 `produces-missing`.

use super::consumes_missing::media_fix;
use crate::model::{SchemaType, SpecFormat, StatusKey};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports Swagger 2.0 operations whose success response has a schema but that declare no
    /// `produces` (neither on the operation nor on the document).
    ///
    /// ## Why
    /// Without it the `Accept` header is a guess, and so is how the response is read: the
    /// platform takes JSON, other tools take whatever the server sends.
    ///
    /// ## Example
    /// ```json
    /// "get": { "responses": { "200": { "description": "OK", "schema": { "type": "object" } } } }
    /// ```
    ///
    /// ## Fix
    /// Add `"produces": ["application/json"]` to the operation (or to the document for all of
    /// them). `--fix` adds it to the operation.
    pub struct ProducesMissing {
        code: "PP0323",
        name: "produces-missing",
        category: Responses,
        default: None,
        certification: Warning,
        fix: Safe,
        summary: "Response schema without produces",
    }
}

impl Rule for ProducesMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        if cx.connector.format != SpecFormat::Swagger2 {
            return;
        }
        for op in &cx.connector.operations {
            let schema = op.responses.iter().find_map(|r| {
                (r.status.is_success() || r.status == StatusKey::Default)
                    .then(|| r.schema())
                    .flatten()
            });
            let Some(schema) = schema.filter(|_| op.produces.is_empty()) else {
                continue;
            };
            // A file comes as bytes; anything else as JSON.
            let media = if cx
                .connector
                .types
                .get(schema)
                .types
                .contains(&SchemaType::File)
            {
                "application/octet-stream"
            } else {
                "application/json"
            };
            let fix = media_fix(cx, op, "produces", media);
            let d = cx
                .at(
                    &op.origin,
                    format!(
                        "operation `{}` returns a schema but declares no produces",
                        op.id
                    ),
                )
                .help(format!("add \"produces\": [\"{media}\"]"))
                .fix(fix);
            cx.push(d);
        }
    }
}
