//! Rule PP0121 `postman-request-skipped` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a request of a Postman collection that is left out of the model: it has no URL, or its method (`COPY`, `LINK`, `PURGE`, ...) is not one OpenAPI can express.
///
/// ## Why
/// Every request becomes an operation or is named here: nothing of a collection is lost silently.
///
/// ## Example
/// ```json
/// {"name": "Copy order", "request": {"method": "COPY", "url": "{{baseUrl}}/orders/:id"}}
/// ```
///
/// ## Fix
/// Give the request a URL, or a method among GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH and TRACE.
    pub struct PostmanRequestSkipped {
        loader: POSTMAN_REQUEST_SKIPPED,
        certification: Warning,
        summary: "A Postman request could not become an operation",
    }
}

impl Rule for PostmanRequestSkipped {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
