//! Rule PP0311 `path-parameter-url-encoding`.

use crate::model::{ParameterLocation, SpecFormat};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// In the certification profile, reports Swagger 2.0 path parameters without
    /// `x-ms-url-encoding` (`single` or `double`).
    ///
    /// ## Why
    /// The platform encodes path values twice unless told otherwise; services that expect single
    /// encoding receive `%252F` for `/`. Certification asks for the choice to be explicit.
    ///
    /// ## Example
    /// ```json
    /// { "name": "folder", "in": "path", "required": true, "type": "string" }
    /// ```
    ///
    /// ## Fix
    /// Add `"x-ms-url-encoding": "single"` (or `"double"` when the service decodes twice).
    pub struct PathParameterUrlEncoding {
        code: "PP0311",
        name: "path-parameter-url-encoding",
        category: Parameters,
        default: None,
        certification: Error,
        summary: "Path parameter without x-ms-url-encoding",
    }
}

impl Rule for PathParameterUrlEncoding {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        if cx.connector.format != SpecFormat::Swagger2 {
            return;
        }
        for op in &cx.connector.operations {
            for p in op
                .parameters
                .iter()
                .filter(|p| p.location == ParameterLocation::Path && p.url_encoding.is_none())
            {
                let d = cx
                    .at(
                        &p.origin,
                        format!("path parameter `{}` has no x-ms-url-encoding", p.name),
                    )
                    .help("add \"x-ms-url-encoding\": \"single\" (or \"double\")");
                cx.push(d);
            }
        }
    }
}
