//! Rule PP0011 `api-key-in-query`.

use crate::model::{ApiKeyLocation, AuthKind};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports API key schemes that send the key in the query string.
    ///
    /// ## Why
    /// URLs end up in logs, browser history and proxies; a key in the query leaks there.
    ///
    /// ## Example
    /// ```json
    /// "api_key": { "type": "apiKey", "in": "query", "name": "code" }
    /// ```
    ///
    /// ## Fix
    /// Send the key in a header when the service allows it.
    pub struct ApiKeyInQuery {
        code: "PP0011",
        name: "api-key-in-query",
        category: Auth,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Warning,
        summary: "API key sent in the query string",
    }
}

impl Rule for ApiKeyInQuery {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for s in &cx.connector.auth {
            if let AuthKind::ApiKey {
                name,
                location: ApiKeyLocation::Query,
            } = &s.kind
            {
                let d = cx
                    .at_member(
                        &s.origin,
                        &["in"],
                        format!(
                            "API key scheme `{}` sends `{name}` in the query string",
                            s.name
                        ),
                    )
                    .help("use \"in\": \"header\" if the service accepts the key in a header");
                cx.push(d);
            }
        }
    }
}
