//! What a connector's page shows, in the order the platform's reference pages use: title and
//! description, publisher and metadata, creating a connection, throttling limits, actions,
//! triggers, definitions (and, when asked, the validator's findings).

use super::html::{self, anchor, Unique};
use super::schema::{Table, TypeRef, Types};
use crate::model::*;
use serde::Serialize;
use std::collections::HashMap;

/// One line of the "about" table: a label, the value, and a link when the value is one.
#[derive(Debug, Serialize)]
pub struct Fact {
    /// `Publisher`, `Website`, …
    pub label: String,
    /// The value shown.
    pub value: String,
    /// Where it links, when it is a web or mail address.
    pub href: Option<String>,
}

/// A connection parameter as the "Creating a connection" tables show it.
#[derive(Debug, Serialize)]
pub struct ConnectionParam {
    /// `uiDefinition.displayName`, else the key.
    pub name: String,
    /// The key in `connectionParameters`.
    pub key: String,
    /// The type as written (`securestring`, `oauthSetting`).
    pub ty: String,
    /// Description (and tooltip).
    pub description: String,
    /// Required.
    pub required: bool,
    /// For an OAuth parameter: the identity provider and the redirect URL to register.
    pub oauth: Option<OAuthView>,
}

/// The OAuth details of a connection parameter.
#[derive(Debug, Serialize)]
pub struct OAuthView {
    /// `identityProvider`.
    pub provider: String,
    /// The redirect URL to register in the OAuth app: this connector's own.
    pub redirect_url: String,
    /// Where the URL comes from: the connector id in `settings.json`, the `redirectUrl` of
    /// `apiProperties.json`, or the platform's pattern (with `<connector id>` in it).
    pub redirect_source: String,
    /// `redirectMode` as written.
    pub redirect_mode: String,
    /// True when the mode is not `GlobalPerConnector` (new sign-ins fail with the shared one).
    pub redirect_warning: bool,
    /// `clientId`.
    pub client_id: String,
    /// `scopes`.
    pub scopes: Vec<String>,
}

/// One way to connect: a parameter set, the single set of `connectionParameters`, or a
/// security scheme of the definition when there is no `apiProperties.json`.
#[derive(Debug, Serialize)]
pub struct AuthSet {
    /// `#auth-…`.
    pub anchor: String,
    /// Its name as shown.
    pub name: String,
    /// What it is (a scheme's label, a set's key).
    pub kind: String,
    /// Description.
    pub description: String,
    /// Its parameters.
    pub parameters: Vec<ConnectionParam>,
}

/// A row of the throttling table.
#[derive(Debug, Serialize)]
pub struct Limit {
    /// What is limited.
    pub name: String,
    /// How many calls.
    pub calls: String,
    /// In which period.
    pub period: String,
}

/// An operation that documents a `429 Too Many Requests` response.
#[derive(Debug, Serialize)]
pub struct Throttled {
    /// Its anchor on the page.
    pub anchor: String,
    /// Its summary or id.
    pub name: String,
    /// The 429 response's description.
    pub description: String,
}

/// A parameter row of an operation.
#[derive(Debug, Serialize)]
pub struct Param {
    /// `x-ms-summary`, else the name.
    pub name: String,
    /// The key sent (`taskId`, or a body property's path).
    pub key: String,
    /// `path`, `query`, `header`, `body` …
    pub location: String,
    /// Required.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Description.
    pub description: String,
    /// `x-ms-visibility: advanced`.
    pub advanced: bool,
    /// `deprecated`.
    pub deprecated: bool,
}

/// What an operation returns on success (or a webhook trigger receives).
#[derive(Debug, Serialize)]
pub struct Returns {
    /// `200`, `201`, or `notification`.
    pub status: String,
    /// The response's description.
    pub description: String,
    /// The body's type.
    pub ty: TypeRef,
    /// The body's properties, when it is an inline object.
    pub table: Option<Table>,
}

/// An action or trigger.
#[derive(Debug, Serialize)]
pub struct Op {
    /// `#op-…`.
    pub anchor: String,
    /// `summary`, else the id.
    pub title: String,
    /// `operationId`.
    pub id: String,
    /// Description paragraphs.
    pub description: Vec<String>,
    /// `GET`.
    pub method: String,
    /// The path template.
    pub path: String,
    /// `Action`, `Polling trigger`, `Webhook trigger`.
    pub kind: String,
    /// `single` or `batch` for triggers.
    pub mode: String,
    /// Deprecated (`deprecated: true`, or the annotation's status).
    pub deprecated: bool,
    /// `x-ms-visibility: advanced` on the operation.
    pub advanced: bool,
    /// Parameters, internal ones left out.
    pub parameters: Vec<Param>,
    /// True when a parameter list was cut at the table limit.
    pub parameters_truncated: bool,
    /// Success responses with a body.
    pub returns: Vec<Returns>,
    /// The first paragraph of the description, for the list at the top of the section.
    pub brief: String,
}

/// A definition with its property table.
#[derive(Debug, Serialize)]
pub struct Definition {
    /// `#def-…`.
    pub anchor: String,
    /// Its name.
    pub name: String,
    /// Description paragraphs.
    pub description: Vec<String>,
    /// Its type (for definitions that are not objects).
    pub ty: TypeRef,
    /// Its properties.
    pub table: Table,
}

/// A validator finding.
#[derive(Debug, Serialize)]
pub struct Finding {
    /// `error`, `warning`, `info`.
    pub severity: String,
    /// `PP0012`.
    pub code: String,
    /// `oauth-redirect-not-per-connector`.
    pub name: String,
    /// The message.
    pub message: String,
    /// `apiProperties.json:12:27`, relative to the connector's folder.
    pub location: String,
    /// How to fix it.
    pub help: String,
}

/// Everything on a connector's page.
#[derive(Debug, Serialize)]
pub struct Page {
    /// `info.title`, else the name.
    pub title: String,
    /// The connector's name (folder name).
    pub name: String,
    /// Description paragraphs.
    pub description: Vec<String>,
    /// The first paragraph, shortened, for the index.
    pub brief: String,
    /// `icon.png` when the folder has an icon.
    pub icon: Option<String>,
    /// `iconBrandColor` when it is a plain colour.
    pub brand: Option<String>,
    /// One or two letters shown when there is no icon.
    pub initials: String,
    /// Publisher, metadata, contact, version, format, host.
    pub facts: Vec<Fact>,
    /// Ways to connect.
    pub auth: Vec<AuthSet>,
    /// The platform's limits that apply.
    pub limits: Vec<Limit>,
    /// Operations documenting a 429.
    pub throttled: Vec<Throttled>,
    /// Actions.
    pub actions: Vec<Op>,
    /// Triggers.
    pub triggers: Vec<Op>,
    /// Internal operations, left out as the platform does.
    pub internal: usize,
    /// Definitions.
    pub definitions: Vec<Definition>,
    /// Findings, when asked for.
    pub findings: Option<Vec<Finding>>,
    /// Short auth labels for the index (`OAuth 2.0 (aad)`, `API key`).
    pub auth_kinds: Vec<String>,
    /// The publisher, for the index.
    pub publisher: String,
}

/// Builds the page of a connector.
pub fn page(c: &Connector, icon: Option<String>, findings: Option<Vec<Finding>>) -> Page {
    let mut ids = Unique::default();
    // Ids the template writes itself.
    for fixed in [
        "overview",
        "connection",
        "throttling",
        "actions",
        "triggers",
        "definitions",
        "findings",
        "top",
    ] {
        ids.take(fixed.to_string());
    }
    let mut anchors = HashMap::new();
    for (id, s) in c.types.named() {
        if let Some(name) = &s.name {
            anchors.insert(id, anchor(&mut ids, "def", name));
        }
    }
    let types = Types {
        space: &c.types,
        anchors,
    };
    let title = if c.title.trim().is_empty() {
        &c.name
    } else {
        &c.title
    };
    let props = c.connection.as_ref();
    let mut internal = 0;
    let mut actions = Vec::new();
    let mut triggers = Vec::new();
    let mut throttled = Vec::new();
    for o in &c.operations {
        if o.visibility == Some(Visibility::Internal) {
            internal += 1;
            continue;
        }
        let op = operation(o, &types, &mut ids);
        if let Some(r) = o
            .responses
            .iter()
            .find(|r| r.status == StatusKey::Code(429))
        {
            throttled.push(Throttled {
                anchor: op.anchor.clone(),
                name: op.title.clone(),
                description: html::line(r.description.as_deref().unwrap_or("")),
            });
        }
        if o.kind.is_trigger() {
            triggers.push(op);
        } else {
            actions.push(op);
        }
    }
    let mut named: Vec<(SchemaId, &Schema)> = c.types.named().collect();
    named.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let definitions = named
        .into_iter()
        .filter_map(|(id, s)| {
            Some(Definition {
                anchor: types.anchors.get(&id)?.clone(),
                name: html::line(s.name.as_deref()?),
                description: html::paragraphs(s.description.as_deref().unwrap_or("")),
                ty: if s.properties.is_empty() && s.all_of.is_empty() {
                    // A definition that is not an object: what it is (its own anchor aside).
                    let mut t = types.type_ref(s.items.unwrap_or(id));
                    if s.items.is_some() {
                        t.label = format!("array of {}", t.label);
                    } else {
                        t.href = None;
                        t.label = super::schema::base_label(s);
                    }
                    t
                } else {
                    TypeRef {
                        label: "object".into(),
                        href: None,
                    }
                },
                table: types.table(id, false),
            })
        })
        .collect();
    Page {
        title: html::line(title),
        name: html::line(&c.name),
        description: html::paragraphs(c.description.as_deref().unwrap_or("")),
        brief: html::summary(c.description.as_deref().unwrap_or(""), 240),
        icon,
        brand: props
            .and_then(|p| p.icon_brand_color.as_deref())
            .and_then(html::color),
        initials: initials(title),
        facts: facts(c),
        auth: auth_sets(c, &mut ids),
        limits: vec![Limit {
            name: "API calls per connection".into(),
            calls: "100".into(),
            period: "60 seconds".into(),
        }],
        throttled,
        actions,
        triggers,
        internal,
        definitions,
        findings,
        auth_kinds: auth_kinds(c),
        publisher: props
            .and_then(|p| p.publisher.as_deref())
            .map(html::line)
            .unwrap_or_default(),
    }
}

fn initials(title: &str) -> String {
    let letters: String = title
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .collect();
    if letters.is_empty() {
        "?".into()
    } else {
        letters.to_uppercase()
    }
}

fn facts(c: &Connector) -> Vec<Fact> {
    let mut out = Vec::new();
    let mut push = |label: &str, value: &str, href: Option<String>| {
        if !value.trim().is_empty() {
            out.push(Fact {
                label: label.into(),
                value: html::line(value),
                href,
            });
        }
    };
    if let Some(p) = &c.connection {
        push("Publisher", p.publisher.as_deref().unwrap_or(""), None);
        push("Stack owner", p.stack_owner.as_deref().unwrap_or(""), None);
    }
    for m in &c.metadata.connector_metadata {
        let href = match m.name.to_ascii_lowercase().as_str() {
            "website" | "privacy policy" => html::web_href(&m.value),
            _ => None,
        };
        let label = if m.name.eq_ignore_ascii_case("categories") {
            "Categories"
        } else {
            m.name.as_str()
        };
        let value = if label == "Categories" {
            m.value
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            m.value.clone()
        };
        push(&html::line(label), &value, href);
    }
    if let Some(contact) = &c.metadata.contact {
        push("Contact", contact.name.as_deref().unwrap_or(""), None);
        if let Some(u) = &contact.url {
            push("Contact URL", u, html::web_href(u));
        }
        if let Some(e) = &contact.email {
            push("Contact email", e, html::mail_href(e));
        }
    }
    push("Version", c.version.as_deref().unwrap_or(""), None);
    push("Definition", &c.format.label(), None);
    let host = match (&c.host, &c.base_path) {
        (Some(h), Some(b)) => format!("{h}{b}"),
        (Some(h), None) => h.clone(),
        (None, Some(b)) => b.clone(),
        (None, None) => c.servers.first().map(|s| s.url.clone()).unwrap_or_default(),
    };
    push("Host", &host, None);
    if let Some(l) = &c.metadata.license {
        push("License", l, None);
    }
    out
}

fn auth_kinds(c: &Connector) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    fn add(kinds: &mut Vec<String>, k: String) {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    if let Some(p) = &c.connection {
        for param in p.all_parameters() {
            match (&param.kind, &param.oauth) {
                (ConnectionParameterType::OAuthSetting, Some(o)) => add(
                    &mut kinds,
                    format!(
                        "OAuth 2.0 ({})",
                        html::line(
                            o.identity_provider
                                .as_ref()
                                .map(IdentityProvider::as_str)
                                .unwrap_or("oauth2")
                        )
                    ),
                ),
                (ConnectionParameterType::OAuthSetting, None) => {
                    add(&mut kinds, "OAuth 2.0".into())
                }
                (ConnectionParameterType::GatewaySetting, _) => add(&mut kinds, "Gateway".into()),
                (ConnectionParameterType::ClientCertificate, _) => {
                    add(&mut kinds, "Client certificate".into())
                }
                _ => {}
            }
        }
    }
    for a in &c.auth {
        match &a.kind {
            AuthKind::ApiKey { .. } => add(&mut kinds, "API key".into()),
            AuthKind::Basic => add(&mut kinds, "Basic".into()),
            AuthKind::OAuth2 { .. } if !kinds.iter().any(|k| k.starts_with("OAuth")) => {
                add(&mut kinds, "OAuth 2.0".into())
            }
            AuthKind::OAuth2 { .. } => {}
            other => {
                let _ = other;
                add(&mut kinds, html::line(&a.label()));
            }
        }
    }
    if kinds.is_empty() {
        kinds.push("No authentication".into());
    }
    kinds
}

fn connection_param(p: &ConnectionParameter, c: &Connector) -> ConnectionParam {
    let mut description = p.description.as_deref().unwrap_or("").trim().to_string();
    if let Some(t) = p
        .tooltip
        .as_deref()
        .filter(|t| !t.trim().is_empty() && *t != description)
    {
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str(t.trim());
    }
    let oauth = p.oauth.as_ref().map(|o| {
        let id = c.settings.as_ref().and_then(|s| s.connector_id.as_deref());
        let mode = o.redirect_mode.clone().unwrap_or_default();
        let global = connector_sdk::oauth::GLOBAL_REDIRECT_URL;
        let written = o
            .redirect_url
            .as_deref()
            .and_then(html::web_href)
            .filter(|u| !u.trim_end_matches('/').eq_ignore_ascii_case(global));
        let redirect = match (id, written) {
            (Some(id), _) => (
                html::line(&connector_sdk::oauth::per_connector_redirect_url(id)),
                "(from the connector id in settings.json)",
            ),
            (None, Some(u)) => (html::line(&u), "(the redirectUrl of apiProperties.json)"),
            (None, None) => redirect_to_come(),
        };
        OAuthView {
            provider: html::line(
                o.identity_provider
                    .as_ref()
                    .map(IdentityProvider::as_str)
                    .unwrap_or("oauth2"),
            ),
            redirect_url: redirect.0,
            redirect_source: redirect.1.into(),
            redirect_warning: !mode.eq_ignore_ascii_case("GlobalPerConnector"),
            redirect_mode: html::line(if mode.is_empty() {
                "(not set: Global)"
            } else {
                &mode
            }),
            client_id: html::line(o.client_id.as_deref().unwrap_or("")),
            scopes: o.scopes.iter().map(|s| html::line(s)).collect(),
        }
    });
    ConnectionParam {
        name: shown_name(p.display_name.as_deref(), &p.name),
        key: html::line(&p.name),
        ty: html::line(p.type_raw.as_deref().unwrap_or("string")),
        description: crate::text::printable(&description).into_owned(),
        required: p.required,
        oauth,
    }
}

/// A `uiDefinition.displayName` as shown, the key when it has none.
fn shown_name(display: Option<&str>, key: &str) -> String {
    html::line(display.filter(|d| !d.trim().is_empty()).unwrap_or(key))
}

/// The redirect URL to register before the connector exists: the platform's per-connector
/// pattern, and where its id will come from.
fn redirect_to_come() -> (String, &'static str) {
    (
        format!(
            "{}/<connector id>",
            connector_sdk::oauth::GLOBAL_REDIRECT_URL
        ),
        "(the connector id is in settings.json once the connector is created)",
    )
}

fn auth_sets(c: &Connector, ids: &mut Unique) -> Vec<AuthSet> {
    if let Some(p) = &c.connection {
        if !p.parameter_sets.is_empty() {
            return p
                .parameter_sets
                .iter()
                .map(|s| AuthSet {
                    anchor: anchor(ids, "auth", &s.name),
                    name: shown_name(s.display_name.as_deref(), &s.name),
                    kind: html::line(&s.name),
                    description: String::new(),
                    parameters: s
                        .parameters
                        .iter()
                        .filter(|p| !p.hidden)
                        .map(|p| connection_param(p, c))
                        .collect(),
                })
                .collect();
        }
        if !p.parameters.is_empty() {
            return vec![AuthSet {
                anchor: anchor(ids, "auth", "default"),
                name: "Default".into(),
                kind: "connectionParameters".into(),
                description: String::new(),
                parameters: p
                    .parameters
                    .iter()
                    .filter(|p| !p.hidden)
                    .map(|p| connection_param(p, c))
                    .collect(),
            }];
        }
    }
    // No apiProperties.json: what the definition's security schemes ask for.
    c.auth
        .iter()
        .map(|a| {
            let param = |name: &str, ty: &str, description: String| ConnectionParam {
                name: html::line(name),
                key: html::line(name),
                ty: ty.into(),
                description,
                required: true,
                oauth: None,
            };
            let parameters = match &a.kind {
                AuthKind::ApiKey { name, location } => vec![param(
                    name,
                    "securestring",
                    format!(
                        "Sent as the {} `{}`.",
                        match location {
                            ApiKeyLocation::Header => "header",
                            ApiKeyLocation::Query => "query parameter",
                            ApiKeyLocation::Cookie => "cookie",
                            ApiKeyLocation::Other(o) => o.as_str(),
                        },
                        html::line(name)
                    ),
                )],
                AuthKind::Basic => vec![
                    param("username", "string", "The user name.".into()),
                    param("password", "securestring", "The password.".into()),
                ],
                AuthKind::Bearer { .. } => {
                    vec![param("token", "securestring", "The bearer token.".into())]
                }
                AuthKind::OAuth2 { flows } => flows
                    .iter()
                    .map(|f| {
                        let urls: Vec<String> = [&f.authorization_url, &f.token_url]
                            .into_iter()
                            .flatten()
                            .map(|u| html::line(u))
                            .collect();
                        ConnectionParam {
                            name: "OAuth 2.0 sign-in".into(),
                            key: html::line(&a.name),
                            ty: "oauthSetting".into(),
                            description: urls.join(" · "),
                            required: true,
                            oauth: Some(OAuthView {
                                provider: "oauth2".into(),
                                redirect_url: redirect_to_come().0,
                                redirect_source: redirect_to_come().1.into(),
                                redirect_mode: "(no apiProperties.json)".into(),
                                redirect_warning: false,
                                client_id: String::new(),
                                scopes: f.scopes.iter().map(|(s, _)| html::line(s)).collect(),
                            }),
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            };
            AuthSet {
                anchor: anchor(ids, "auth", &a.name),
                name: html::line(&a.name),
                kind: html::line(&a.label()),
                description: crate::text::printable(a.description.as_deref().unwrap_or("").trim())
                    .into_owned(),
                parameters,
            }
        })
        .collect()
}

fn operation(o: &Operation, types: &Types<'_>, ids: &mut Unique) -> Op {
    let mut parameters = Vec::new();
    let mut truncated = false;
    for p in &o.parameters {
        if p.location == ParameterLocation::Body || p.visibility == Some(Visibility::Internal) {
            continue;
        }
        parameters.push(Param {
            name: html::line(p.summary.as_deref().unwrap_or(&p.name)),
            key: html::line(&p.name),
            location: p.location.as_str().to_string(),
            required: p.required,
            ty: types.type_ref(p.schema),
            description: types.describe(p.description.as_deref(), p.schema),
            advanced: p.visibility == Some(Visibility::Advanced),
            deprecated: p.deprecated,
        });
    }
    if let Some(body) = &o.request_body {
        let body_param = o
            .parameters
            .iter()
            .find(|p| p.location == ParameterLocation::Body);
        if let Some(schema) = body.content.iter().find_map(|m| m.schema) {
            if types.has_inline_properties(schema) || is_named_object(types, schema) {
                let table = types.table(schema, true);
                truncated = table.truncated;
                for r in table.rows {
                    parameters.push(Param {
                        name: r.name,
                        key: r.path,
                        location: "body".into(),
                        required: r.required,
                        ty: r.ty,
                        description: r.description,
                        advanced: r.advanced,
                        deprecated: false,
                    });
                }
            } else {
                let name = body.parameter_name.as_deref().unwrap_or("body");
                parameters.push(Param {
                    name: html::line(
                        body_param
                            .and_then(|p| p.summary.as_deref())
                            .unwrap_or(name),
                    ),
                    key: html::line(name),
                    location: "body".into(),
                    required: body.required,
                    ty: types.type_ref(schema),
                    description: types.describe(
                        body_param
                            .and_then(|p| p.description.as_deref())
                            .or(body.description.as_deref()),
                        schema,
                    ),
                    advanced: false,
                    deprecated: false,
                });
            }
        }
    }
    let mut returns = Vec::new();
    let mut add_return = |status: String, description: Option<&str>, schema: SchemaId| {
        returns.push(Returns {
            status,
            description: html::line(description.unwrap_or("")),
            ty: types.type_ref(schema),
            table: types
                .has_inline_properties(schema)
                .then(|| types.table(schema, false)),
        });
    };
    match &o.kind {
        OperationKind::WebhookTrigger {
            notification: Some(n),
            ..
        } if n.schema.is_some() => {
            if let Some(s) = n.schema {
                add_return("notification".into(), n.description.as_deref(), s);
            }
        }
        _ => {
            for r in o.responses.iter().filter(|r| r.status.is_success()) {
                if let Some(s) = r.schema() {
                    add_return(r.status.as_str(), r.description.as_deref(), s);
                }
            }
        }
    }
    let annotated_deprecated = o
        .rare()
        .api_annotation
        .as_ref()
        .and_then(|a| a.get("status"))
        .and_then(|s| s.as_str())
        .is_some_and(|s| s.eq_ignore_ascii_case("deprecated"));
    let (kind, mode) = match &o.kind {
        OperationKind::Action { long_running: true } => ("Action (long-running)", String::new()),
        OperationKind::Action { .. } => ("Action", String::new()),
        OperationKind::PollingTrigger { mode } => ("Polling trigger", html::line(mode.as_str())),
        OperationKind::WebhookTrigger { mode, .. } => (
            "Webhook trigger",
            mode.as_ref()
                .map(|m| html::line(m.as_str()))
                .unwrap_or_default(),
        ),
    };
    let title = o
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(&o.id);
    Op {
        anchor: anchor(ids, "op", &o.id),
        title: html::line(title),
        id: html::line(&o.id),
        description: html::paragraphs(o.description.as_deref().unwrap_or("")),
        brief: html::summary(o.description.as_deref().unwrap_or(""), 200),
        method: o.method.as_str().into(),
        path: html::line(&o.path),
        kind: kind.into(),
        mode,
        deprecated: o.deprecated || annotated_deprecated,
        advanced: o.visibility == Some(Visibility::Advanced),
        parameters,
        parameters_truncated: truncated,
        returns,
    }
}

/// True for a body that is a definition with properties (its properties are the action's
/// parameters, as on the platform's pages).
fn is_named_object(types: &Types<'_>, id: SchemaId) -> bool {
    let (_, s) = types.resolved(id);
    s.name.is_some() && (!s.properties.is_empty() || !s.all_of.is_empty())
}
