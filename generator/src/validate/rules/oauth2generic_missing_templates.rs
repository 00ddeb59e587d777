//! Rule PP0015 `oauth2generic-missing-templates`.

use crate::model::IdentityProvider;
use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports `oauth2generic` connections missing one of `authorizationUrlTemplate`,
    /// `tokenUrlTemplate`, `refreshUrlTemplate` in `customParameters`.
    ///
    /// ## Why
    /// The generic provider has no built-in endpoints: these templates are the endpoints.
    ///
    /// ## Example
    /// ```json
    /// "identityProvider": "oauth2generic", "customParameters": { "authorizationUrlTemplate": { "value": "..." } }
    /// ```
    ///
    /// ## Fix
    /// Add the missing templates (with `{clientId}`, `{redirectUrl}`, `{State}`, `{Scopes}` placeholders
    /// as the service needs).
    pub struct OAuth2GenericMissingTemplates {
        code: "PP0015",
        name: "oauth2generic-missing-templates",
        category: Auth,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "oauth2generic connection without its URL templates",
    }
}

const REQUIRED: [&str; 3] = [
    "authorizationUrlTemplate",
    "tokenUrlTemplate",
    "refreshUrlTemplate",
];

impl Rule for OAuth2GenericMissingTemplates {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for (p, o) in cx.oauth_parameters() {
            if o.identity_provider != Some(IdentityProvider::OAuth2Generic) {
                continue;
            }
            let missing: Vec<&str> = REQUIRED
                .iter()
                .copied()
                .filter(|t| {
                    !o.custom_parameters.iter().any(|(k, v)| {
                        k.eq_ignore_ascii_case(t) && v.as_deref().is_some_and(|v| !v.is_empty())
                    })
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let d = cx
                .at_member(
                    &o.origin,
                    &["customParameters"],
                    format!(
                        "oauth2generic connection `{}` lacks {}",
                        p.name,
                        missing.join(", ")
                    ),
                )
                .help("add each template to customParameters as { \"value\": \"https://...\" }");
            cx.push(d);
        }
    }
}
