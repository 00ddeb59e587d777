//! Connections: where the service is and how to authenticate.

/// A secret value: never shown by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for sending it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

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
    OAuth2(std::sync::Arc<crate::oauth::TokenSource>),
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
    pub fn with_oauth2(mut self, tokens: std::sync::Arc<crate::oauth::TokenSource>) -> Self {
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
