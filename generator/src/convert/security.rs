//! Security schemes written as Swagger 2.0 `securityDefinitions` or OpenAPI 3 `securitySchemes`.

use super::{extensions, Target, Writer};
use crate::model::*;
use serde_json::{Map, Value};

impl Writer<'_> {
    pub(super) fn security_schemes(&mut self) -> Map<String, Value> {
        let swagger = self.target == Target::Swagger2;
        let mut out = Map::new();
        for a in &self.c.auth {
            let mut m = Map::new();
            match &a.kind {
                AuthKind::ApiKey { name, location } => {
                    let loc = match location {
                        ApiKeyLocation::Header => "header",
                        ApiKeyLocation::Query => "query",
                        ApiKeyLocation::Cookie if !swagger => "cookie",
                        _ => {
                            self.notes.push(format!("security scheme `{}`: an API key in this place cannot be written; left out", a.name));
                            continue;
                        }
                    };
                    m.insert("type".into(), "apiKey".into());
                    m.insert("name".into(), name.clone().into());
                    m.insert("in".into(), loc.into());
                }
                AuthKind::Basic => {
                    if swagger {
                        m.insert("type".into(), "basic".into());
                    } else {
                        m.insert("type".into(), "http".into());
                        m.insert("scheme".into(), "basic".into());
                    }
                }
                AuthKind::Bearer { format } => {
                    if swagger {
                        // The platform's way: an API key in `Authorization` holding "Bearer <token>".
                        m.insert("type".into(), "apiKey".into());
                        m.insert("name".into(), "Authorization".into());
                        m.insert("in".into(), "header".into());
                        m.insert(
                            "description".into(),
                            "A bearer token, sent as `Authorization: Bearer <token>`.".into(),
                        );
                    } else {
                        m.insert("type".into(), "http".into());
                        m.insert("scheme".into(), "bearer".into());
                        if let Some(f) = format {
                            m.insert("bearerFormat".into(), f.clone().into());
                        }
                    }
                }
                AuthKind::Http { scheme } if !swagger => {
                    m.insert("type".into(), "http".into());
                    m.insert("scheme".into(), scheme.clone().into());
                }
                AuthKind::OAuth2 { flows } => {
                    m.insert("type".into(), "oauth2".into());
                    if swagger {
                        // The platform signs users in with the authorization code flow: that
                        // one when there are several.
                        let Some(f) = preferred_flow(flows) else {
                            self.notes.push(format!(
                                "security scheme `{}`: OAuth 2.0 without a flow; left out",
                                a.name
                            ));
                            continue;
                        };
                        if flows.len() > 1 {
                            self.notes.push(format!("security scheme `{}`: Swagger 2.0 holds one OAuth 2.0 flow; the {} flow is written", a.name, flow_label(&f.kind)));
                        }
                        let flow = match &f.kind {
                            OAuthFlowKind::AuthorizationCode => "accessCode",
                            OAuthFlowKind::Implicit => "implicit",
                            OAuthFlowKind::Password => "password",
                            OAuthFlowKind::ClientCredentials => "application",
                            OAuthFlowKind::Other(o) => o.as_str(),
                        };
                        m.insert("flow".into(), flow.into());
                        flow_urls(&mut m, f);
                    } else {
                        let mut fm = Map::new();
                        for f in flows {
                            let key = match &f.kind {
                                OAuthFlowKind::AuthorizationCode => "authorizationCode",
                                OAuthFlowKind::Implicit => "implicit",
                                OAuthFlowKind::Password => "password",
                                OAuthFlowKind::ClientCredentials => "clientCredentials",
                                OAuthFlowKind::Other(o) => {
                                    self.notes.push(format!("security scheme `{}`: OAuth 2.0 flow `{o}` is not an OpenAPI flow; left out", a.name));
                                    continue;
                                }
                            };
                            let mut flow = Map::new();
                            flow_urls(&mut flow, f);
                            if let Some(r) = &f.refresh_url {
                                flow.insert("refreshUrl".into(), r.clone().into());
                            }
                            fm.insert(key.into(), flow.into());
                        }
                        m.insert("flows".into(), fm.into());
                    }
                }
                AuthKind::OpenIdConnect { url } if !swagger => {
                    m.insert("type".into(), "openIdConnect".into());
                    m.insert(
                        "openIdConnectUrl".into(),
                        url.clone().unwrap_or_default().into(),
                    );
                }
                other => {
                    self.notes.push(format!(
                        "security scheme `{}` ({}) has no {} form; left out",
                        a.name,
                        a.label(),
                        if swagger {
                            "Swagger 2.0"
                        } else {
                            "OpenAPI 3.0"
                        }
                    ));
                    let _ = other;
                    continue;
                }
            }
            if let Some(d) = &a.description {
                m.entry("description").or_insert_with(|| d.clone().into());
            }
            extensions(&mut m, &a.extensions);
            out.insert(a.name.clone(), m.into());
        }
        out
    }
}

/// The URLs a flow needs (authorization for code and implicit, token for all but implicit)
/// and its scopes, written the same way in Swagger 2.0 and OpenAPI 3.
fn flow_urls(m: &mut Map<String, Value>, f: &OAuthFlow) {
    if matches!(
        f.kind,
        OAuthFlowKind::AuthorizationCode | OAuthFlowKind::Implicit
    ) {
        let url = f.authorization_url.clone().unwrap_or_default();
        m.insert("authorizationUrl".into(), url.into());
    }
    if !matches!(f.kind, OAuthFlowKind::Implicit) {
        m.insert(
            "tokenUrl".into(),
            f.token_url.clone().unwrap_or_default().into(),
        );
    }
    m.insert("scopes".into(), scopes(&f.scopes));
}

pub(super) fn scopes(list: &[(String, String)]) -> Value {
    list.iter()
        .map(|(k, v)| (k.clone(), Value::from(v.clone())))
        .collect::<Map<_, _>>()
        .into()
}

/// The OAuth 2.0 flow a Swagger 2.0 document (and a platform connection) keeps of several: the
/// authorization code flow when there is one, else the first.
pub fn preferred_flow(flows: &[OAuthFlow]) -> Option<&OAuthFlow> {
    flows
        .iter()
        .find(|f| f.kind == OAuthFlowKind::AuthorizationCode)
        .or_else(|| flows.first())
}

/// A flow's name in prose.
pub fn flow_label(k: &OAuthFlowKind) -> &str {
    match k {
        OAuthFlowKind::AuthorizationCode => "authorization code",
        OAuthFlowKind::Implicit => "implicit",
        OAuthFlowKind::Password => "password",
        OAuthFlowKind::ClientCredentials => "client credentials",
        OAuthFlowKind::Other(o) => o,
    }
}
