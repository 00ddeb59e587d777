//! Rule PP0010 `insecure-auth-url`.

use crate::model::AuthKind;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports OAuth authorization, token and refresh URLs that are not `https://`, in the
    /// definition's security schemes and in `apiProperties.json` custom parameters.
    ///
    /// ## Why
    /// Authorization codes, client secrets and tokens would travel in clear text.
    ///
    /// ## Example
    /// ```json
    /// "tokenUrl": "http://login.contoso.example/token"
    /// ```
    ///
    /// ## Fix
    /// Use the service's `https://` endpoints.
    pub struct InsecureAuthUrl {
        code: "PP0010",
        name: "insecure-auth-url",
        category: Auth,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "OAuth authorization or token URL is not https",
    }
}

fn insecure(url: &str) -> bool {
    url.trim().to_ascii_lowercase().starts_with("http://")
}

impl Rule for InsecureAuthUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        for s in &c.auth {
            let AuthKind::OAuth2 { flows } = &s.kind else {
                continue;
            };
            for f in flows {
                for (key, url) in [
                    ("authorizationUrl", &f.authorization_url),
                    ("tokenUrl", &f.token_url),
                    ("refreshUrl", &f.refresh_url),
                ] {
                    let Some(url) = url.as_deref().filter(|u| insecure(u)) else {
                        continue;
                    };
                    let d = cx
                        .at_member(
                            &s.origin,
                            &[key],
                            format!("`{key}` of `{}` is not https: {url}", s.name),
                        )
                        .help("use the https:// endpoint");
                    cx.push(d);
                }
            }
        }
        for (p, o) in cx.oauth_parameters() {
            for (k, v) in &o.custom_parameters {
                let lower = k.to_ascii_lowercase();
                if !(lower.contains("url") || lower.contains("uri")) || lower.contains("redirect") {
                    continue;
                }
                let Some(url) = v.as_deref().filter(|u| insecure(u)) else {
                    continue;
                };
                let d = cx
                    .at_member(
                        &o.origin,
                        &["customParameters", k, "value"],
                        format!("`{k}` of connection `{}` is not https: {url}", p.name),
                    )
                    .help("use the https:// endpoint");
                cx.push(d);
            }
        }
    }
}
