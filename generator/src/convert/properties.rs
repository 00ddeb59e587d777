//! `apiProperties.json` for a converted connector: the connection parameters its security schemes
//! need (OAuth with the per-connector redirect), and a `dynamichosturl` policy template for the
//! operations that another host serves, so that a Postman collection or an OpenAPI 3 document
//! becomes a connector folder the platform imports.

use super::security::{flow_label, preferred_flow};
use super::Converted;
use crate::model::*;
use serde_json::{json, Map, Value};

/// A written `apiProperties.json` and what could not be expressed in it.
#[derive(Debug)]
pub struct Properties {
    /// The document.
    pub document: Value,
    /// What the connector holds that the properties cannot (deduplicated, in order).
    pub notes: Vec<String>,
}

/// The colour of independent publishers' connectors (certification asks for it).
const BRAND_COLOR: &str = "#da3b01";

/// The `apiProperties.json` of `c` written as the Swagger 2.0 document `converted`.
pub fn api_properties(c: &Connector, converted: &Converted) -> Properties {
    let mut notes = Vec::new();
    let mut sets: Vec<(String, String, Map<String, Value>)> = Vec::new();
    for a in &c.auth {
        if let Some((label, params)) = parameters(a, c, &mut notes) {
            sets.push((a.name.clone(), label, params));
        }
    }
    let mut props = Map::new();
    match sets.len() {
        0 => {
            props.insert("connectionParameters".into(), json!({}));
        }
        1 => {
            let (_, _, params) = sets.remove(0);
            props.insert("connectionParameters".into(), params.into());
        }
        _ => {
            // Several ways to connect: one parameter set each, the user picks one.
            let values: Vec<Value> = sets
                .into_iter()
                .map(|(name, label, params)| {
                    json!({
                        "name": name,
                        "uiDefinition": {"displayName": label, "description": label},
                        "parameters": params,
                    })
                })
                .collect();
            props.insert("connectionParameters".into(), json!({}));
            props.insert(
                "connectionParameterSets".into(),
                json!({
                    "uiDefinition": {
                        "displayName": "Authentication type",
                        "description": "The way to sign in to the service."
                    },
                    "values": values,
                }),
            );
        }
    }
    props.insert("iconBrandColor".into(), BRAND_COLOR.into());
    props.insert("capabilities".into(), json!([]));
    let publisher = c
        .metadata
        .contact
        .as_ref()
        .and_then(|k| k.name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| {
            notes.push(
                "apiProperties.json: no contact name to take the publisher from; `publisher` and `stackOwner` are the title"
                    .into(),
            );
            c.title.clone()
        });
    props.insert("publisher".into(), publisher.clone().into());
    props.insert("stackOwner".into(), publisher.into());
    let policies = host_policies(converted, &mut notes);
    if !policies.is_empty() {
        props.insert("policyTemplateInstances".into(), policies.into());
    }
    let mut seen = std::collections::HashSet::new();
    notes.retain(|n| seen.insert(n.clone()));
    Properties {
        document: json!({ "properties": props }),
        notes,
    }
}

fn ui(display: &str, description: &str) -> Value {
    json!({
        "displayName": display,
        "description": description,
        "tooltip": description,
        "constraints": {"tabIndex": 2, "clearText": false, "required": "true"}
    })
}

/// The connection parameters of one security scheme and a label for it, or `None` (with a
/// note) when the platform has no connection for it.
fn parameters(
    a: &AuthScheme,
    c: &Connector,
    notes: &mut Vec<String>,
) -> Option<(String, Map<String, Value>)> {
    let mut m = Map::new();
    let label = match &a.kind {
        AuthKind::ApiKey { name, location } => {
            let place = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Cookie | ApiKeyLocation::Other(_) => return None,
            };
            m.insert(
                "api_key".into(),
                json!({"type": "securestring", "uiDefinition": ui("API key", &format!("The API key, sent in the {place} `{name}`."))}),
            );
            "API key"
        }
        AuthKind::Bearer { .. } => {
            m.insert(
                "api_key".into(),
                json!({"type": "securestring", "uiDefinition": ui("Bearer token", "The token, written as `Bearer <token>`.")}),
            );
            "Bearer token"
        }
        AuthKind::Basic => {
            m.insert(
                "username".into(),
                json!({"type": "string", "uiDefinition": ui("User name", "The user name of your account.")}),
            );
            m.insert(
                "password".into(),
                json!({"type": "securestring", "uiDefinition": ui("Password", "The password of your account.")}),
            );
            "User name and password"
        }
        AuthKind::OAuth2 { flows } => {
            // The flow the Swagger 2.0 document holds.
            let flow = preferred_flow(flows)?;
            let (Some(auth_url), Some(token_url)) = (&flow.authorization_url, &flow.token_url)
            else {
                notes.push(format!(
                    "security scheme `{}`: the platform's OAuth connections sign users in with an authorization and a token URL; this {} flow lacks one, so apiProperties.json has no connection for it",
                    a.name,
                    flow_label(&flow.kind)
                ));
                return None;
            };
            m.insert(
                "token".into(),
                json!({"type": "oauthSetting", "oAuthSettings": oauth_settings(a, flow, auth_url, token_url, c, notes), "uiDefinition": ui("Sign in", "Sign in with your account.")}),
            );
            "OAuth 2.0"
        }
        AuthKind::Http { scheme } => {
            notes.push(format!(
                "security scheme `{}`: HTTP `{scheme}` has no platform connection; apiProperties.json has none for it",
                a.name
            ));
            return None;
        }
        AuthKind::OpenIdConnect { .. } | AuthKind::Other(_) => {
            notes.push(format!(
                "security scheme `{}`: no platform connection for it; apiProperties.json has none",
                a.name
            ));
            return None;
        }
    };
    Some((label.to_string(), m))
}

/// `scheme://host` and the path of an absolute http(s) URL.
fn split_url(url: &str) -> Option<(String, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(end);
    (!host.is_empty()).then(|| (format!("{scheme}://{host}"), host, path))
}

/// Whether `url` is a Microsoft Entra ID endpoint, with the tenant its path names.
fn entra_tenant(url: &str) -> Option<String> {
    let (_, host, path) = split_url(url)?;
    let host = host.to_ascii_lowercase();
    if !matches!(
        host.as_str(),
        "login.microsoftonline.com" | "login.windows.net" | "login.microsoft.com"
    ) {
        return None;
    }
    let tenant = path
        .trim_start_matches('/')
        .split(['/', '?', '#'])
        .next()
        .filter(|t| !t.is_empty() && !t.starts_with("oauth2"))
        .unwrap_or("common");
    Some(tenant.to_string())
}

/// `oAuthSettings`: Entra ID when the endpoints are Microsoft's, else the generic OAuth 2.0
/// provider with its three URLs; always the per-connector redirect (no `redirectUrl`: the
/// platform makes the connector's own when it is created).
fn oauth_settings(
    a: &AuthScheme,
    flow: &OAuthFlow,
    auth_url: &str,
    token_url: &str,
    c: &Connector,
    notes: &mut Vec<String>,
) -> Value {
    let scopes: Vec<&str> = flow.scopes.iter().map(|(s, _)| s.as_str()).collect();
    if !matches!(flow.kind, OAuthFlowKind::AuthorizationCode) {
        notes.push(format!(
            "security scheme `{}`: the platform's OAuth connections use the authorization code flow, not the {} flow the definition names; check that the service allows it",
            a.name,
            flow_label(&flow.kind)
        ));
    }
    if let Some(tenant) = entra_tenant(auth_url) {
        // The resource: the origin of a scope URL (`https://graph.microsoft.com/.default`), else
        // the API's own host.
        let resource = scopes
            .iter()
            .find_map(|s| split_url(s).map(|(origin, _, _)| origin))
            .or_else(|| c.host.as_ref().map(|h| format!("https://{h}")))
            .unwrap_or_else(|| {
                notes.push(format!("security scheme `{}`: Entra ID needs the resource the tokens are for; `resourceUri` is a placeholder to replace", a.name));
                "[[resource uri]]".into()
            });
        return json!({
            "identityProvider": "aad",
            "clientId": "[[client id]]",
            "scopes": scopes,
            "redirectMode": "GlobalPerConnector",
            "properties": {
                "IsFirstParty": "False",
                "AzureActiveDirectoryResourceId": resource,
                "IsOnbehalfofLoginSupported": false
            },
            "customParameters": {
                "loginUri": {"value": "https://login.microsoftonline.com"},
                "tenantId": {"value": tenant},
                "resourceUri": {"value": resource},
                "enableOnbehalfOfLogin": {"value": "false"}
            }
        });
    }
    json!({
        "identityProvider": "oauth2",
        "clientId": "[[client id]]",
        "scopes": scopes,
        "redirectMode": "GlobalPerConnector",
        "properties": {"IsFirstParty": "False"},
        "customParameters": {
            "authorizationUrl": {"value": auth_url},
            "tokenUrl": {"value": token_url},
            "refreshUrl": {"value": flow.refresh_url.as_deref().unwrap_or(token_url)}
        }
    })
}

/// A `dynamichosturl` policy template for each other host the Swagger 2.0 document could not
/// hold, limited to the operations it serves.
fn host_policies(converted: &Converted, notes: &mut Vec<String>) -> Vec<Value> {
    let mut out = Vec::new();
    for (url, ids) in &converted.other_hosts {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            notes.push(format!(
                "operations served by `{url}` (not an absolute http(s) URL): no policy template routes them"
            ));
            continue;
        }
        out.push(json!({
            "templateId": "dynamichosturl",
            "title": format!("Host of {} operation{}", ids.len(), if ids.len() == 1 { "" } else { "s" }),
            "parameters": {
                "x-ms-apimTemplateParameter.urlTemplate": url.trim_end_matches('/'),
                "x-ms-apimTemplate-operationName": ids,
            }
        }));
    }
    out
}
