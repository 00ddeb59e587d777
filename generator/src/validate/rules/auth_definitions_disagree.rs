//! Rule PP0016 `auth-definitions-disagree`.

use crate::model::{AuthKind, ConnectionParameterType};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Compares the definition's security schemes with `apiProperties.json`: OAuth 2.0 declared in
    /// one but not the other, or an API key scheme without a secure connection parameter to hold
    /// the key.
    ///
    /// ## Why
    /// The platform builds the connection dialog from `apiProperties.json` and sends credentials
    /// as the definition says; when they disagree, connections cannot be created or carry nothing.
    ///
    /// ## Example
    /// ```json
    /// "securityDefinitions": { "oauth2": { "type": "oauth2", ... } }
    /// // apiProperties.json: "connectionParameters": { "api_key": { "type": "securestring" } }
    /// ```
    ///
    /// ## Fix
    /// Declare the same kind of authentication in both files.
    pub struct AuthDefinitionsDisagree {
        code: "PP0016",
        name: "auth-definitions-disagree",
        category: Auth,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "Security schemes and connection parameters disagree",
    }
}

impl Rule for AuthDefinitionsDisagree {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        let Some(props) = &c.connection else { return };
        let oauth_param = props
            .all_parameters()
            .find(|p| p.oauth.is_some() || p.kind == ConnectionParameterType::OAuthSetting);
        let oauth_scheme = c
            .auth
            .iter()
            .find(|a| matches!(a.kind, AuthKind::OAuth2 { .. }));
        match (oauth_scheme, oauth_param) {
            (Some(s), None) => {
                let d = cx
                    .at(&s.origin, format!("security scheme `{}` is OAuth 2.0, but apiProperties.json has no oauthSetting connection parameter", s.name))
                    .help("add a connection parameter of type \"oauthSetting\" with its oAuthSettings");
                cx.push(d);
            }
            (None, Some(p)) => {
                let d = cx
                    .at(&p.origin, format!("connection parameter `{}` is OAuth, but the definition declares no oauth2 security scheme", p.name))
                    .help("add an oauth2 entry to securityDefinitions with the authorization and token URLs");
                cx.push(d);
            }
            _ => {}
        }
        for s in &c.auth {
            let AuthKind::ApiKey { name, .. } = &s.kind else {
                continue;
            };
            let has_secret = props
                .all_parameters()
                .any(|p| p.kind == ConnectionParameterType::SecureString);
            if !has_secret {
                let d = cx
                    .at(&s.origin, format!("API key scheme `{}` (`{name}`) has no securestring connection parameter to hold the key", s.name))
                    .help("add \"api_key\": { \"type\": \"securestring\", ... } to connectionParameters");
                cx.push(d);
            }
        }
    }
}
