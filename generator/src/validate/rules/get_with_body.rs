//! Rule PP0312 `get-with-body`.

use crate::model::{Method, ParameterLocation};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports GET operations with a body or form parameters.
    ///
    /// ## Why
    /// GET requests have no body in HTTP semantics; proxies and the platform drop it.
    ///
    /// ## Example
    /// ```json
    /// "get": { "parameters": [ { "name": "filter", "in": "body", "schema": { ... } } ] }
    /// ```
    ///
    /// ## Fix
    /// Move the values to query parameters, or make the operation a POST.
    pub struct GetWithBody {
        code: "PP0312",
        name: "get-with-body",
        category: Parameters,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "GET operation with a body",
    }
}

impl Rule for GetWithBody {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in cx
            .connector
            .operations
            .iter()
            .filter(|o| o.method == Method::Get)
        {
            let body = op.parameters.iter().find(|p| {
                matches!(
                    p.location,
                    ParameterLocation::Body | ParameterLocation::FormData
                )
            });
            let d = match (body, &op.request_body) {
                (Some(p), _) => cx.at(
                    &p.use_site,
                    format!(
                        "GET operation `{}` has a {} parameter `{}`",
                        op.id,
                        p.location.as_str(),
                        p.name
                    ),
                ),
                (None, Some(b)) => cx.at(
                    &b.origin,
                    format!("GET operation `{}` has a request body", op.id),
                ),
                (None, None) => continue,
            };
            cx.push(d.help("use query parameters, or change the method to POST"));
        }
    }
}
