//! Postman auth settings → security schemes.

use super::url::substitute;
use super::{text, Vars};
use crate::load::node::{Node, Value};
use crate::model::{ApiKeyLocation, AuthKind, OAuthFlow, OAuthFlowKind};

/// What an auth setting becomes.
pub(super) enum Mapped {
    /// `noauth`: no credentials.
    NoAuth,
    /// A security scheme of this kind; the string is its base name.
    Scheme(AuthKind, &'static str),
    /// A Postman auth type that no OpenAPI security scheme expresses.
    Unsupported(String),
}

/// The parameters of an auth type: v2.1 writes `[{"key", "value"}]`, v2.0 an object.
fn params(node: Option<&Node>) -> Vec<(String, &Node)> {
    match node.map(|n| &n.value) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| Some((text(i.get("key"))?, i.get("value")?)))
            .collect(),
        Some(Value::Object(members)) => members.iter().map(|m| (m.key.clone(), &m.value)).collect(),
        _ => Vec::new(),
    }
}

fn param(list: &[(String, &Node)], key: &str, vars: &Vars) -> Option<String> {
    list.iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| text(Some(v)))
        .map(|v| substitute(&v, vars))
        .filter(|v| !v.trim().is_empty())
}

/// Maps the auth node `node` (a v2 `auth` object, or a v1 request with `currentHelper`).
pub(super) fn map(node: &Node, vars: &Vars) -> Mapped {
    if let Some(helper) = node.get_str("currentHelper") {
        let attrs = params(node.get("helperAttributes"));
        return match helper {
            "basicAuth" => Mapped::Scheme(AuthKind::Basic, "basic"),
            "bearerAuth" => Mapped::Scheme(AuthKind::Bearer { format: None }, "bearer"),
            "digestAuth" => Mapped::Scheme(
                AuthKind::Http {
                    scheme: "digest".into(),
                },
                "digest",
            ),
            "oAuth2" => oauth2(&attrs, vars),
            other => Mapped::Unsupported(match other {
                "oAuth1" => "oauth1".into(),
                "hawkAuth" => "hawk".into(),
                "awsSigV4" => "awsv4".into(),
                "ntlmAuth" => "ntlm".into(),
                o => o.to_string(),
            }),
        };
    }
    let kind = node.get_str("type").unwrap_or("");
    let list = params(node.get(kind));
    match kind {
        "noauth" => Mapped::NoAuth,
        "basic" => Mapped::Scheme(AuthKind::Basic, "basic"),
        "bearer" => Mapped::Scheme(AuthKind::Bearer { format: None }, "bearer"),
        "digest" => Mapped::Scheme(
            AuthKind::Http {
                scheme: "digest".into(),
            },
            "digest",
        ),
        "apikey" => {
            let name = param(&list, "key", vars)
                .map(|k| k.replace(['{', '}'], ""))
                .unwrap_or_else(|| "api_key".into());
            let location = match param(&list, "in", vars).as_deref() {
                Some("query") => ApiKeyLocation::Query,
                _ => ApiKeyLocation::Header,
            };
            Mapped::Scheme(AuthKind::ApiKey { name, location }, "apiKey")
        }
        "oauth2" => oauth2(&list, vars),
        other => Mapped::Unsupported(other.to_string()),
    }
}

/// OAuth 2.0 with the URLs its grant needs; without them Postman only sends a token it was
/// given, which is a bearer scheme.
fn oauth2(list: &[(String, &Node)], vars: &Vars) -> Mapped {
    let auth_url = param(list, "authUrl", vars).filter(|u| !u.contains("{{"));
    let token_url = param(list, "accessTokenUrl", vars).filter(|u| !u.contains("{{"));
    let grant = param(list, "grant_type", vars).unwrap_or_else(|| "authorization_code".into());
    let kind = match grant.as_str() {
        "client_credentials" => OAuthFlowKind::ClientCredentials,
        "password_credentials" | "password" => OAuthFlowKind::Password,
        "implicit" => OAuthFlowKind::Implicit,
        _ => OAuthFlowKind::AuthorizationCode,
    };
    let complete = match kind {
        OAuthFlowKind::AuthorizationCode => auth_url.is_some() && token_url.is_some(),
        OAuthFlowKind::Implicit => auth_url.is_some(),
        _ => token_url.is_some(),
    };
    if !complete {
        return Mapped::Scheme(AuthKind::Bearer { format: None }, "bearer");
    }
    let scopes = param(list, "scope", vars)
        .map(|s| {
            s.split([' ', ','])
                .filter(|x| !x.is_empty())
                .map(|x| (x.to_string(), String::new()))
                .collect()
        })
        .unwrap_or_default();
    Mapped::Scheme(
        AuthKind::OAuth2 {
            flows: vec![OAuthFlow {
                kind,
                authorization_url: auth_url,
                token_url,
                refresh_url: param(list, "refreshTokenUrl", vars).filter(|u| !u.contains("{{")),
                scopes,
            }],
        },
        "oauth2",
    )
}
