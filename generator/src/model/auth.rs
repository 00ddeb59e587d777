//! Security schemes of a definition.

use super::{Extensions, Origin};

/// Where an API key is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
    /// Something else, as written.
    Other(String),
}

/// The OAuth 2.0 flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthFlowKind {
    /// Authorization code (Swagger 2 `accessCode`).
    AuthorizationCode,
    /// Implicit.
    Implicit,
    /// Resource owner password.
    Password,
    /// Client credentials (Swagger 2 `application`).
    ClientCredentials,
    /// Something else, as written.
    Other(String),
}

/// One OAuth 2.0 flow with its endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthFlow {
    /// Which flow.
    pub kind: OAuthFlowKind,
    /// Authorization endpoint.
    pub authorization_url: Option<String>,
    /// Token endpoint.
    pub token_url: Option<String>,
    /// Refresh endpoint.
    pub refresh_url: Option<String>,
    /// Scopes: name and description.
    pub scopes: Vec<(String, String)>,
}

/// What kind of credential a scheme takes.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthKind {
    /// An API key.
    ApiKey {
        /// The header, query or cookie name.
        name: String,
        /// Where it goes.
        location: ApiKeyLocation,
    },
    /// HTTP basic.
    Basic,
    /// HTTP bearer (OpenAPI 3).
    Bearer {
        /// `bearerFormat`.
        format: Option<String>,
    },
    /// Another HTTP scheme (OpenAPI 3 `http` with e.g. `digest`).
    Http {
        /// The scheme.
        scheme: String,
    },
    /// OAuth 2.0.
    OAuth2 {
        /// Its flows.
        flows: Vec<OAuthFlow>,
    },
    /// OpenID Connect discovery.
    OpenIdConnect {
        /// The discovery URL.
        url: Option<String>,
    },
    /// A type this tool does not know, as written.
    Other(String),
}

/// A security scheme (`securityDefinitions` / `components.securitySchemes`).
#[derive(Debug, Clone, PartialEq)]
pub struct AuthScheme {
    /// Its name in the definition.
    pub name: String,
    /// What it is.
    pub kind: AuthKind,
    /// Description.
    pub description: Option<String>,
    /// Extensions.
    pub extensions: Extensions,
    /// Where it is written.
    pub origin: Origin,
}

impl AuthScheme {
    /// A short label, e.g. `apiKey (header api_key)`, `oauth2 (authorizationCode)`.
    pub fn label(&self) -> String {
        match &self.kind {
            AuthKind::ApiKey { name, location } => {
                let loc = match location {
                    ApiKeyLocation::Header => "header",
                    ApiKeyLocation::Query => "query",
                    ApiKeyLocation::Cookie => "cookie",
                    ApiKeyLocation::Other(o) => o,
                };
                format!("apiKey ({loc} `{name}`)")
            }
            AuthKind::Basic => "basic".into(),
            AuthKind::Bearer { .. } => "bearer".into(),
            AuthKind::Http { scheme } => format!("http {scheme}"),
            AuthKind::OAuth2 { flows } => {
                let names: Vec<String> = flows
                    .iter()
                    .map(|f| match &f.kind {
                        OAuthFlowKind::AuthorizationCode => "authorizationCode".to_string(),
                        OAuthFlowKind::Implicit => "implicit".to_string(),
                        OAuthFlowKind::Password => "password".to_string(),
                        OAuthFlowKind::ClientCredentials => "clientCredentials".to_string(),
                        OAuthFlowKind::Other(o) => o.clone(),
                    })
                    .collect();
                format!("oauth2 ({})", names.join(", "))
            }
            AuthKind::OpenIdConnect { .. } => "openIdConnect".into(),
            AuthKind::Other(t) => t.clone(),
        }
    }

    /// The type name as used in the stable JSON output.
    pub fn type_name(&self) -> &str {
        match &self.kind {
            AuthKind::ApiKey { .. } => "apiKey",
            AuthKind::Basic => "basic",
            AuthKind::Bearer { .. } => "bearer",
            AuthKind::Http { .. } => "http",
            AuthKind::OAuth2 { .. } => "oauth2",
            AuthKind::OpenIdConnect { .. } => "openIdConnect",
            AuthKind::Other(t) => t,
        }
    }
}

/// One alternative of a security requirement: scheme names with their scopes (all required).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SecurityRequirement {
    /// Scheme name and scopes.
    pub schemes: Vec<(String, Vec<String>)>,
}
