//! Rule PP0014 `aad-missing-resource-uri`.

use crate::model::IdentityProvider;
use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports Microsoft Entra ID connections (`aad`, `aadcertificate`) without
    /// `customParameters.resourceUri`.
    ///
    /// ## Why
    /// The token is requested for that resource; without it sign-in gives a token the API refuses.
    ///
    /// ## Example
    /// ```json
    /// "oAuthSettings": { "identityProvider": "aad", "customParameters": { "tenantId": { "value": "common" } } }
    /// ```
    ///
    /// ## Fix
    /// Add `"resourceUri": { "value": "<the API's application ID URI>" }` to `customParameters`.
    pub struct AadMissingResourceUri {
        code: "PP0014",
        name: "aad-missing-resource-uri",
        category: Auth,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "Entra ID connection without customParameters.resourceUri",
    }
}

impl Rule for AadMissingResourceUri {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for (p, o) in cx.oauth_parameters() {
            if !matches!(
                o.identity_provider,
                Some(IdentityProvider::Aad | IdentityProvider::AadCertificate)
            ) {
                continue;
            }
            if o.custom("resourceUri")
                .is_some_and(|v| !v.trim().is_empty())
            {
                continue;
            }
            let d = cx
                .at_member(&o.origin, &["customParameters"], format!("Entra ID connection `{}` has no customParameters.resourceUri", p.name))
                .help("add \"resourceUri\": { \"value\": \"<application ID URI of the API>\" } to customParameters");
            cx.push(d);
        }
    }
}
