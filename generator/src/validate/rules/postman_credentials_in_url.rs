//! Rule PP0126 `postman-credentials-in-url` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a Postman request whose URL carries credentials in its authority
/// (`https://user:password@host`), often through a variable (`{{baseUrl}}`). The credentials
/// are left out: the operation's host is the host alone.
///
/// ## Why
/// A definition is published; credentials in its host would be published with it, and HTTP
/// clients send them as Basic authentication with every request.
///
/// ## Example
/// ```json
/// {"variable": [{"key": "baseUrl", "value": "https://admin:s3cret@api.example.com"}]}
/// ```
///
/// ## Fix
/// Give the credentials as the request's or the collection's `auth` (basic).
    pub struct PostmanCredentialsInUrl {
        loader: POSTMAN_CREDENTIALS_IN_URL,
        certification: Warning,
        summary: "A Postman request URL with credentials",
    }
}

impl Rule for PostmanCredentialsInUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
