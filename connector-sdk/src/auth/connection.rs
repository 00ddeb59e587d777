//! Connections: where the service is and how to authenticate.

pub use super::secret::Secret;
use crate::auth::oauth::{GenericTemplates, OAuthConfig};
use crate::Error;

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
}

/// How requests authenticate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Credential {
    /// No authentication.
    #[default]
    None,
    /// An API key in a header or the query string.
    ApiKey {
        /// Header or query parameter name.
        name: String,
        /// Where it goes.
        location: KeyLocation,
        /// The key.
        value: Secret,
    },
    /// HTTP basic authentication.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: Secret,
    },
    /// A bearer token (`Authorization: Bearer ...`).
    Bearer(Secret),
    /// OAuth 2.0 access tokens, refreshed before they expire and once after a 401.
    OAuth2(std::sync::Arc<crate::auth::oauth::TokenSource>),
}

/// A connection to a service: its base URL, credential, and the values of the connector's
/// connection parameters (which policy templates read, e.g. a host name or a tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// Scheme, host and base path, e.g. `https://api.contoso.example/v2`.
    pub base_url: String,
    /// How to authenticate.
    pub credential: Credential,
    /// Connection parameter values by name; every value is kept as a [`Secret`] (never shown),
    /// as the platform cannot tell which of them are sensitive either.
    pub parameters: Vec<(String, Secret)>,
}

impl Connection {
    /// A connection without credentials.
    pub fn new(base_url: impl Into<String>) -> Self {
        Connection {
            base_url: base_url.into(),
            credential: Credential::None,
            parameters: Vec::new(),
        }
    }

    /// With the value of a connection parameter (replacing an earlier value of the same name).
    pub fn with_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.parameters.retain(|(n, _)| *n != name);
        self.parameters.push((name, Secret::new(value)));
        self
    }

    /// The value of a connection parameter.
    pub fn parameter(&self, name: &str) -> Option<&Secret> {
        self.parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// With an API key sent in a header.
    pub fn with_api_key_header(mut self, name: impl Into<String>, key: impl Into<String>) -> Self {
        self.credential = Credential::ApiKey {
            name: name.into(),
            location: KeyLocation::Header,
            value: Secret::new(key),
        };
        self
    }

    /// With an API key sent in the query string.
    pub fn with_api_key_query(mut self, name: impl Into<String>, key: impl Into<String>) -> Self {
        self.credential = Credential::ApiKey {
            name: name.into(),
            location: KeyLocation::Query,
            value: Secret::new(key),
        };
        self
    }

    /// With HTTP basic authentication.
    pub fn with_basic(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credential = Credential::Basic {
            username: username.into(),
            password: Secret::new(password),
        };
        self
    }

    /// With a bearer token.
    pub fn with_bearer(mut self, token: impl Into<String>) -> Self {
        self.credential = Credential::Bearer(Secret::new(token));
        self
    }

    /// With OAuth 2.0 tokens that refresh themselves.
    pub fn with_oauth2(mut self, tokens: std::sync::Arc<crate::auth::oauth::TokenSource>) -> Self {
        self.credential = Credential::OAuth2(tokens);
        self
    }
}

/// How a connector's OAuth 2.0 authorization works, as its definition and apiProperties.json
/// declare it. Running the flow (authorization code with PKCE, refresh) uses these values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OAuth2Config {
    /// `identityProvider` of apiProperties.json (`oauth2`, `aad`, `oauth2generic`...), or
    /// `oauth2` for a definition without one.
    pub identity_provider: String,
    /// The client id apiProperties.json gives, if any.
    pub client_id: Option<String>,
    /// Where the user authorizes.
    pub authorization_url: Option<String>,
    /// Where codes are exchanged for tokens.
    pub token_url: Option<String>,
    /// Where tokens are refreshed (the token URL when absent).
    pub refresh_url: Option<String>,
    /// Scopes to request.
    pub scopes: Vec<String>,
    /// Other settings of the identity provider (`loginUri`, `tenantId`, `resourceUri`...).
    pub custom_parameters: Vec<(String, String)>,
}

impl OAuth2Config {
    /// A custom parameter of the identity provider (names compared without regard to case;
    /// empty and `null` values count as absent).
    pub fn custom(&self, name: &str) -> Option<&str> {
        self.custom_parameters
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty() && *v != "null")
    }

    /// What signing in needs at run time, for an application registered with the provider:
    /// its client id (`None`: the one apiProperties.json gives), its secret (absent for a
    /// public client) and the redirect URL registered for it.
    ///
    /// By identity provider: `aad` signs in at the v2.0 endpoints of `loginUri` and `tenantId`
    /// (default `https://login.microsoftonline.com` and `common`) and, with a `resourceUri`,
    /// asks for `{resourceUri}/.default offline_access`; `oauth2generic` takes its URL and
    /// body templates from the custom parameters (placeholders other than the standard ones
    /// are filled from [`GenericTemplates::values`], to be added by the caller); any other
    /// uses the authorization and token URLs of the definition.
    pub fn sign_in(
        &self,
        client_id: Option<String>,
        client_secret: Option<String>,
        redirect_url: impl Into<String>,
    ) -> Result<OAuthConfig, Error> {
        // The field names are also `connector-gen connect`'s parameter names.
        let missing = |what: &str, field: &str| Error::Auth {
            message: format!("the connector's OAuth settings give no {what}: give it as `{field}`"),
        };
        let client_id = client_id
            .or_else(|| self.client_id.clone())
            .ok_or_else(|| missing("client id", "client_id"))?;
        let mut scopes = self.scopes.clone();
        let (mut authorization_url, mut token_url) =
            (self.authorization_url.clone(), self.token_url.clone());
        let mut generic = None;
        match self.identity_provider.as_str() {
            "aad" => {
                let login = self
                    .custom("loginUri")
                    .unwrap_or("https://login.microsoftonline.com")
                    .trim_end_matches('/');
                let tenant = self.custom("tenantId").unwrap_or("common");
                authorization_url = Some(format!("{login}/{tenant}/oauth2/v2.0/authorize"));
                token_url = Some(format!("{login}/{tenant}/oauth2/v2.0/token"));
                if let Some(resource) = self.custom("resourceUri") {
                    scopes = vec![
                        format!("{}/.default", resource.trim_end_matches('/')),
                        "offline_access".into(),
                    ];
                }
            }
            "oauth2generic" => {
                let need = |name: &str| {
                    self.custom(name).map(str::to_string).ok_or_else(|| Error::Auth {
                        message: format!(
                            "the `oauth2generic` identity provider needs `{name}` in the customParameters of apiProperties.json"
                        ),
                    })
                };
                let get = |name: &str| self.custom(name).map(str::to_string);
                let g = GenericTemplates {
                    authorization_url: need("authorizationUrlTemplate")?,
                    authorization_query: get("authorizationUrlQueryStringTemplate")
                        .unwrap_or_default(),
                    token_url: need("tokenUrlTemplate")?,
                    token_query: get("tokenUrlQueryStringTemplate").unwrap_or_default(),
                    token_body: get("tokenBodyTemplate"),
                    refresh_url: get("refreshUrlTemplate"),
                    refresh_body: get("refreshBodyTemplate"),
                    scope_delimiter: get("ScopeListDelimiter"),
                    values: Vec::new(),
                };
                authorization_url = authorization_url.or(Some(g.authorization_url.clone()));
                token_url = token_url.or(Some(g.token_url.clone()));
                generic = Some(g);
            }
            _ => {}
        }
        Ok(OAuthConfig {
            client_id,
            client_secret,
            authorization_url: authorization_url
                .ok_or_else(|| missing("authorization URL", "authorization_url"))?,
            token_url: token_url.ok_or_else(|| missing("token URL", "token_url"))?,
            refresh_url: self.refresh_url.clone(),
            redirect_url: redirect_url.into(),
            scopes,
            extra_authorize: Vec::new(),
            generic,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(provider: &str, custom: &[(&str, &str)]) -> OAuth2Config {
        OAuth2Config {
            identity_provider: provider.into(),
            client_id: Some("from-properties".into()),
            authorization_url: Some("https://id.example/authorize".into()),
            token_url: Some("https://id.example/token".into()),
            refresh_url: None,
            scopes: vec!["read".into()],
            custom_parameters: custom
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_plain_provider_signs_in_at_the_definitions_urls() {
        let c = described("oauth2", &[])
            .sign_in(None, Some("s".into()), "https://app/redirect")
            .unwrap();
        assert_eq!(
            (
                c.client_id.as_str(),
                c.authorization_url.as_str(),
                c.token_url.as_str()
            ),
            (
                "from-properties",
                "https://id.example/authorize",
                "https://id.example/token"
            )
        );
        assert_eq!(
            (c.scopes, c.redirect_url),
            (vec!["read".to_string()], "https://app/redirect".to_string())
        );
        assert!(c.generic.is_none());
    }

    #[test]
    fn aad_signs_in_at_the_v2_endpoints_of_its_tenant_for_its_resource() {
        let c = described(
            "aad",
            &[
                ("loginUri", "https://login.windows.net/"),
                ("tenantId", "contoso"),
                ("resourceUri", "https://graph.example/"),
            ],
        )
        .sign_in(Some("mine".into()), None, "r")
        .unwrap();
        assert_eq!(c.client_id, "mine");
        assert_eq!(
            c.authorization_url,
            "https://login.windows.net/contoso/oauth2/v2.0/authorize"
        );
        assert_eq!(
            c.token_url,
            "https://login.windows.net/contoso/oauth2/v2.0/token"
        );
        assert_eq!(
            c.scopes,
            ["https://graph.example/.default", "offline_access"]
        );
        // Without settings: the public cloud, the `common` tenant, the definition's scopes.
        let c = described("aad", &[("resourceUri", "null")])
            .sign_in(None, None, "r")
            .unwrap();
        assert_eq!(
            c.token_url,
            "https://login.microsoftonline.com/common/oauth2/v2.0/token"
        );
        assert_eq!(c.scopes, ["read"]);
    }

    #[test]
    fn oauth2generic_takes_its_templates_from_the_custom_parameters() {
        let mut d = described(
            "oauth2generic",
            &[
                ("authorizationUrlTemplate", "https://{CustomHost}/auth"),
                ("tokenUrlTemplate", "https://{CustomHost}/token"),
                (
                    "refreshBodyTemplate",
                    "grant_type=refresh_token&refresh_token={refreshToken}",
                ),
                ("ScopeListDelimiter", ","),
            ],
        );
        d.authorization_url = None;
        d.token_url = None;
        let c = d.sign_in(None, None, "r").unwrap();
        let g = c.generic.expect("templates");
        assert_eq!(
            (g.authorization_url.as_str(), g.token_url.as_str()),
            ("https://{CustomHost}/auth", "https://{CustomHost}/token")
        );
        assert_eq!(
            (g.scope_delimiter.as_deref(), g.token_body),
            (Some(","), None)
        );
        assert_eq!(c.token_url, "https://{CustomHost}/token");
        let e = described("oauth2generic", &[("tokenUrlTemplate", "t")]).sign_in(None, None, "r");
        assert!(e
            .unwrap_err()
            .to_string()
            .contains("`authorizationUrlTemplate`"));
    }

    #[test]
    fn what_is_missing_is_named() {
        let mut d = described("oauth2", &[]);
        d.client_id = None;
        let e = d.sign_in(None, None, "r").unwrap_err().to_string();
        assert_eq!(
            e,
            "the connector's OAuth settings give no client id: give it as `client_id`"
        );
        d.token_url = None;
        let e = d
            .sign_in(Some("id".into()), None, "r")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "the connector's OAuth settings give no token URL: give it as `token_url`"
        );
    }
}
