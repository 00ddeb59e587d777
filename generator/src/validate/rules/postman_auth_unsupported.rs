//! Rule PP0122 `postman-auth-unsupported` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a Postman auth type that no OpenAPI or Swagger 2.0 security scheme expresses: `oauth1`, `hawk`, `awsv4`, `ntlm`, `edgegrid`, `akamai`, `jwt`, `asap`. The requests that use it are kept, without credentials. (apikey, basic, bearer, digest and oauth2 become security schemes.)
///
/// ## Why
/// A connector built from the collection would send these requests unsigned; the platform's connections cannot compute such signatures either.
///
/// ## Example
/// ```json
/// {"auth": {"type": "awsv4", "awsv4": [{"key": "region", "value": "eu-west-1"}]}}
/// ```
///
/// ## Fix
/// Use an auth type the platform supports (API key, basic, OAuth 2.0), or describe the credentials as header or query parameters.
    pub struct PostmanAuthUnsupported {
        loader: POSTMAN_AUTH_UNSUPPORTED,
        certification: Warning,
        summary: "A Postman auth type has no OpenAPI security scheme",
    }
}

impl Rule for PostmanAuthUnsupported {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
