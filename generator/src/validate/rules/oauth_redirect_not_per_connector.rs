//! Rule PP0012 `oauth-redirect-not-per-connector`.

use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports OAuth 2.0 connection parameters whose `redirectMode` is not `GlobalPerConnector`
    /// (`Global`, `Direct`, or absent, which means the shared redirect URI).
    ///
    /// ## Why
    /// Connections that use the shared redirect URI `https://global.consent.azure-apim.net/redirect`
    /// stopped working for new sign-ins after 17 February 2024. Each connector must use its own
    /// redirect URI, `https://global.consent.azure-apim.net/redirect/<connector id>`.
    ///
    /// ## Example
    /// ```json
    /// "oAuthSettings": { "identityProvider": "oauth2", "redirectMode": "Global", ... }
    /// ```
    ///
    /// ## Fix
    /// Set `"redirectMode": "GlobalPerConnector"` and register the per-connector redirect URI in
    /// the OAuth application of the service.
    pub struct OAuthRedirectNotPerConnector {
        code: "PP0012",
        name: "oauth-redirect-not-per-connector",
        category: Auth,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        fix: Safe,
        summary: "OAuth connection does not use the per-connector redirect URI",
    }
}

impl Rule for OAuthRedirectNotPerConnector {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let connector_id = cx
            .connector
            .settings
            .as_ref()
            .and_then(|s| s.connector_id.clone());
        let uri = match &connector_id {
            Some(id) => connector_sdk::oauth::per_connector_redirect_url(id),
            None => format!(
                "{}/<connector id>",
                connector_sdk::oauth::GLOBAL_REDIRECT_URL
            ),
        };
        for (p, o) in cx.oauth_parameters() {
            let d = match o.redirect_mode.as_deref() {
                Some("GlobalPerConnector") => continue,
                Some(mode) => cx.at_member(
                    &o.origin,
                    &["redirectMode"],
                    format!("OAuth connection `{}` uses redirectMode \"{mode}\", not \"GlobalPerConnector\"", p.name),
                ),
                None => cx.at(
                    &o.origin,
                    format!("OAuth connection `{}` has no redirectMode, so it uses the global redirect URI", p.name),
                ),
            };
            let edit = cx.editor(o.origin.file).and_then(|ed| {
                let settings = ed.node(&o.origin.pointer.as_string())?;
                ed.set_member(
                    settings,
                    "redirectMode",
                    &"GlobalPerConnector".into(),
                    &["redirectUrl"],
                )
            });
            let fix = cx.fix("set \"redirectMode\": \"GlobalPerConnector\"", edit);
            cx.push(d.help(format!(
                "connections using the shared redirect URI stopped working for new sign-ins after 17 February 2024: set \"redirectMode\": \"GlobalPerConnector\" and register {uri} as the redirect URI of the OAuth app"
            )).fix(fix));
        }
    }
}
