//! How a connection authenticates: the ways to connect a definition declares, and its OAuth
//! 2.0 description.

use crate::model::*;

/// The OAuth settings of apiProperties.json, if any connection parameter has them.
pub fn oauth_settings(c: &Connector) -> Option<&OAuthSettings> {
    c.connection
        .as_ref()?
        .all_parameters()
        .find_map(|p| p.oauth.as_ref())
}

/// How the connector's OAuth 2.0 authorization works, from the flows of its security scheme
/// and the OAuth settings of apiProperties.json: the value generated crates return from
/// `auth::oauth2_config()`, and what `connector-gen connect` signs in with.
pub fn oauth2_description(
    flows: &[OAuthFlow],
    settings: Option<&OAuthSettings>,
) -> connector_sdk::OAuth2Config {
    let flow = flows
        .iter()
        .find(|f| f.kind == OAuthFlowKind::AuthorizationCode)
        .or_else(|| flows.first());
    let mut scopes: Vec<String> = settings.map(|s| s.scopes.clone()).unwrap_or_default();
    for (s, _) in flow.map(|f| f.scopes.as_slice()).unwrap_or_default() {
        if !scopes.contains(s) {
            scopes.push(s.clone());
        }
    }
    connector_sdk::OAuth2Config {
        identity_provider: settings
            .and_then(|s| s.identity_provider.as_ref())
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "oauth2".into()),
        client_id: settings.and_then(|s| s.client_id.clone()),
        authorization_url: flow.and_then(|f| f.authorization_url.clone()),
        token_url: flow.and_then(|f| f.token_url.clone()),
        refresh_url: flow.and_then(|f| f.refresh_url.clone()),
        scopes,
        custom_parameters: settings
            .map(|s| {
                s.custom_parameters
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.clone()?)))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// How a connection authenticates for a scheme: what its `auth` function takes.
#[derive(Debug, Clone, Copy)]
pub enum Login<'a> {
    /// An API key in the header or query parameter `name`.
    ApiKey {
        /// Header or query parameter name.
        name: &'a str,
        /// In the query string rather than a header.
        query: bool,
    },
    /// HTTP basic (`basic`, or `http` with scheme `basic`).
    Basic,
    /// OAuth 2.0: an access token obtained through these flows.
    OAuth2 {
        /// The flows the definition declares (none when only apiProperties.json declares it).
        flows: &'a [OAuthFlow],
    },
    /// Any other token sent as a bearer token (`bearer`, other HTTP schemes, OpenID Connect).
    Bearer,
}

/// One way to connect: a security scheme of the definition, or OAuth declared only in
/// apiProperties.json.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    /// The security scheme, when the definition declares one.
    pub scheme: Option<&'a AuthScheme>,
    /// What the connection needs.
    pub login: Login<'a>,
}

/// The ways to connect to `c`, in the definition's order; the first is the one examples and
/// `connector-gen call` use.
pub fn accesses(c: &Connector) -> Vec<Access<'_>> {
    let mut out: Vec<Access<'_>> = c
        .auth
        .iter()
        .map(|s| Access {
            scheme: Some(s),
            login: match &s.kind {
                AuthKind::ApiKey { name, location } => Login::ApiKey {
                    name,
                    query: *location == ApiKeyLocation::Query,
                },
                AuthKind::Basic => Login::Basic,
                AuthKind::Http { scheme } if scheme.eq_ignore_ascii_case("basic") => Login::Basic,
                AuthKind::OAuth2 { flows } => Login::OAuth2 { flows },
                _ => Login::Bearer,
            },
        })
        .collect();
    let oauth = out.iter().any(|a| matches!(a.login, Login::OAuth2 { .. }));
    if !oauth && oauth_settings(c).is_some() {
        out.push(Access {
            scheme: None,
            login: Login::OAuth2 { flows: &[] },
        });
    }
    out
}
