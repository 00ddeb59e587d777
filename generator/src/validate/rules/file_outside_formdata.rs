//! Rule PP0314 `file-outside-formdata`.

use crate::model::{ParameterLocation, SchemaType};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports parameters of `"type": "file"` that are not `formData` parameters.
    ///
    /// ## Why
    /// Swagger 2.0 allows `file` only for form fields (with `multipart/form-data`).
    ///
    /// ## Example
    /// ```json
    /// { "name": "upload", "in": "query", "type": "file" }
    /// ```
    ///
    /// ## Fix
    /// Make it `"in": "formData"` and consume `multipart/form-data`, or send the bytes as a body
    /// with `"type": "string", "format": "binary"`.
    pub struct FileOutsideFormData {
        code: "PP0314",
        name: "file-outside-formdata",
        category: Parameters,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "file parameter outside formData",
    }
}

impl Rule for FileOutsideFormData {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        for op in &c.operations {
            for p in &op.parameters {
                if p.location != ParameterLocation::FormData
                    && p.location != ParameterLocation::Body
                    && c.types.get(p.schema).types.contains(&SchemaType::File)
                {
                    let d = cx.at(
                        &p.origin,
                        format!(
                            "parameter `{}` is of type file but is a {} parameter",
                            p.name,
                            p.location.as_str()
                        ),
                    );
                    cx.push(d.help("file parameters must be \"in\": \"formData\""));
                }
            }
        }
    }
}
