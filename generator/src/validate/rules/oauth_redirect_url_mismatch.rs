//! Rule PP0013 `oauth-redirect-url-mismatch`.

// The platform's redirect URIs live in the SDK, which `connect` and generated crates use too;
// the validator checks definitions against the same function.
use crate::validate::{Checker, Rule, RuleMeta, Scope};
use connector_sdk::oauth::{per_connector_redirect_url, GLOBAL_REDIRECT_URL};

crate::rule! {
    /// ## What it does
    /// Reports an OAuth `redirectUrl` that is the shared global one, or that differs from the
    /// per-connector URL when the connector id is known (from `settings.json`).
    ///
    /// ## Why
    /// The service redirects to the URL registered in its OAuth app; a stale or global URL makes
    /// every new sign-in fail.
    ///
    /// ## Example
    /// ```json
    /// "redirectUrl": "https://global.consent.azure-apim.net/redirect"
    /// ```
    ///
    /// ## Fix
    /// Use `https://global.consent.azure-apim.net/redirect/<connector id without "shared_">`.
    pub struct OAuthRedirectUrlMismatch {
        code: "PP0013",
        name: "oauth-redirect-url-mismatch",
        category: Auth,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        fix: Safe,
        summary: "OAuth redirectUrl is the global one or not this connector's",
    }
}

impl Rule for OAuthRedirectUrlMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let expected = cx
            .connector
            .settings
            .as_ref()
            .and_then(|s| s.connector_id.as_deref())
            .map(per_connector_redirect_url);
        for (p, o) in cx.oauth_parameters() {
            let Some(url) = o.redirect_url.as_deref() else {
                continue;
            };
            let trimmed = url.trim_end_matches('/');
            let message = if trimmed.eq_ignore_ascii_case(GLOBAL_REDIRECT_URL) {
                format!(
                    "OAuth connection `{}` uses the global redirect URL {url}",
                    p.name
                )
            } else if let Some(e) = expected
                .as_deref()
                .filter(|e| !trimmed.eq_ignore_ascii_case(e))
            {
                format!(
                    "OAuth connection `{}` has redirectUrl {url}, but this connector's is {e}",
                    p.name
                )
            } else {
                continue;
            };
            let help = match &expected {
                Some(e) => format!("set \"redirectUrl\": \"{e}\""),
                None => format!("use {GLOBAL_REDIRECT_URL}/<connector id without \"shared_\">"),
            };
            // This connector's URL when its id is known; else the global URL goes: with
            // `GlobalPerConnector` the platform writes the per-connector one when it creates the
            // connector.
            let fix = cx.editor(o.origin.file).and_then(|ed| {
                let settings = ed.node(&o.origin.pointer.as_string())?;
                match &expected {
                    Some(e) => cx.fix(
                        format!("set \"redirectUrl\": \"{e}\""),
                        ed.set_member(settings, "redirectUrl", &e.as_str().into(), &[]),
                    ),
                    None => cx.fix(
                        "remove the global redirectUrl (the platform sets this connector's)",
                        ed.remove_member(settings, "redirectUrl"),
                    ),
                }
            });
            let d = cx
                .at_member(&o.origin, &["redirectUrl"], message)
                .help(help)
                .fix(fix);
            cx.push(d);
        }
    }
}
