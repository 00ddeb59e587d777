//! Rule PP0120 `postman-request-merged` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a request of a Postman collection whose method and path (parameter names aside) are those of an earlier request. Its parameters, body examples and saved responses are merged into the earlier request's operation, and the operation's description names it.
///
/// ## Why
/// An OpenAPI path has one operation per method, so two requests to `POST /orders` cannot be two operations. Collections often hold several examples of one endpoint; saying which requests were folded together keeps the conversion honest.
///
/// ## Example
/// ```json
/// {"item": [
///   {"name": "Create order", "request": {"method": "POST", "url": "{{baseUrl}}/orders"}},
///   {"name": "Create gift order", "request": {"method": "POST", "url": "{{baseUrl}}/orders"}}
/// ]}
/// ```
///
/// ## Fix
/// Nothing, when the requests are examples of one action. When they are different actions (an RPC endpoint, GraphQL), give them different paths or describe the API with OpenAPI.
    pub struct PostmanRequestMerged {
        loader: POSTMAN_REQUEST_MERGED,
        certification: Info,
        summary: "A Postman request with the same method and path as an earlier one was merged into its operation",
    }
}

impl Rule for PostmanRequestMerged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
