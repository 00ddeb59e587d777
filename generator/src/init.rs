//! `connector-gen init`: a new connector's files from a connection template, as the platform's
//! CLI scaffolds them (`pac connector init --connection-template …`): a definition with two
//! operations and a test connection, `apiProperties.json` with the template's connection
//! parameters (OAuth with the per-connector redirect), a `readme.md` with the sections the
//! certification template asks for, and on request `settings.json` and `script.csx`.

use serde_json::{json, Value};
use std::path::Path;

/// The icon a new connector starts with: the independent-publisher colour, to be replaced by the
/// service's icon.
const ICON: &[u8] = include_bytes!("../../templates/init/icon.png");

/// The connection templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthTemplate {
    /// No authentication.
    None,
    /// User name and password.
    Basic,
    /// An API key in a header.
    ApiKey,
    /// OAuth 2.0 through URL and body templates (`oauth2generic`).
    OAuth2Generic,
    /// Microsoft Entra ID (`aad`).
    Aad,
}

impl AuthTemplate {
    /// The name used on the command line and in the readme template.
    pub fn name(self) -> &'static str {
        match self {
            AuthTemplate::None => "none",
            AuthTemplate::Basic => "basic",
            AuthTemplate::ApiKey => "apikey",
            AuthTemplate::OAuth2Generic => "oauth2generic",
            AuthTemplate::Aad => "aad",
        }
    }
}

/// What the new connector is.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The connection template.
    pub auth: AuthTemplate,
    /// `info.title`.
    pub title: String,
    /// Where the API is: `host[:port][/base]`, or a URL `http(s)://host[:port][/base]`.
    pub host: String,
    /// The publisher (`apiProperties.json` and the readme).
    pub publisher: String,
    /// Also write `script.csx` (and list an operation in `scriptOperations`).
    pub script: bool,
    /// Also write `settings.json`.
    pub settings: bool,
}

/// Why the files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A file is there already.
    #[error("{0} exists; nothing was written (init never overwrites: choose another directory, or move the file away)")]
    Exists(String),
    /// The host is not one.
    #[error("--host {0:?}: give a host name (`api.contoso.com`, `api.contoso.com:8443/v1`) or an http(s) URL")]
    Host(String),
    /// A template is broken (a bug of this tool).
    #[error("init template {0}: {1}")]
    Template(&'static str, minijinja::Error),
    /// A file could not be written.
    #[error(transparent)]
    Write(#[from] crate::fs::WriteError),
    /// A directory could not be made.
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

/// The files `init` writes: name and contents.
pub fn files(o: &InitOptions) -> Result<Vec<(&'static str, Vec<u8>)>, InitError> {
    let (scheme, host, base) =
        split_host(&o.host).ok_or_else(|| InitError::Host(o.host.clone()))?;
    let mut out = vec![
        (
            "apiDefinition.swagger.json",
            pretty(&definition(o, &scheme, &host, &base)),
        ),
        ("apiProperties.json", pretty(&properties(o, &host))),
        ("readme.md", readme(o, &host)?),
    ];
    if o.settings {
        out.push(("settings.json", pretty(&settings())));
    }
    if o.script {
        out.push((
            "script.csx",
            include_str!("../../templates/init/script.csx").to_string(),
        ));
    }
    let mut out: Vec<(&'static str, Vec<u8>)> =
        out.into_iter().map(|(n, t)| (n, t.into_bytes())).collect();
    out.push(("icon.png", ICON.to_vec()));
    Ok(out)
}

/// Writes the files into `dir` (made when missing). Nothing is written when any of them exists
/// already; each file is written atomically.
pub fn write(dir: &Path, files: &[(&'static str, Vec<u8>)]) -> Result<(), InitError> {
    for (name, _) in files {
        let p = dir.join(name);
        if std::fs::symlink_metadata(&p).is_ok() {
            return Err(InitError::Exists(p.display().to_string()));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| InitError::Io(dir.display().to_string(), e))?;
    for (name, text) in files {
        crate::fs::write_atomic(&dir.join(name), text)?;
    }
    Ok(())
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// `(scheme, host[:port], base path)` of `--host`.
fn split_host(h: &str) -> Option<(String, String, String)> {
    let h = h.trim();
    let (scheme, rest) = match h.split_once("://") {
        Some((s, r)) if s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http") => {
            (s.to_ascii_lowercase(), r)
        }
        Some(_) => return None,
        None => ("https".to_string(), h),
    };
    let (host, base) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        && base.chars().all(|c| c.is_ascii_graphic());
    ok.then(|| (scheme, host.to_string(), base.to_string()))
}

/// The domain the OAuth templates' endpoints are made from: the API host without `api.` and
/// the port.
fn domain(host: &str) -> String {
    let name = host.split(':').next().unwrap_or(host);
    name.strip_prefix("api.").unwrap_or(name).to_string()
}

fn definition(o: &InitOptions, scheme: &str, host: &str, base: &str) -> Value {
    let item = json!({
        "type": "object",
        "description": "An item.",
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "description": "The item's id.", "x-ms-summary": "Item ID"},
            "name": {"type": "string", "description": "The item's name.", "x-ms-summary": "Name"},
            "created": {"type": "string", "format": "date-time", "description": "When the item was created.", "x-ms-summary": "Created"}
        }
    });
    let mut d = json!({
        "swagger": "2.0",
        "info": {
            "title": o.title,
            "description": format!("Lists and reads the items of a {} account.", o.title),
            "version": "1.0.0",
            "contact": {"name": o.publisher, "url": format!("https://{}/support", domain(host)), "email": format!("support@{}", domain(host))}
        },
        "host": host,
        "basePath": base,
        "schemes": [scheme],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": {
            "/items": {"get": {
                "operationId": "ListItems",
                "summary": "List items",
                "description": "Lists the items of the account.",
                "x-ms-visibility": "important",
                "parameters": [{
                    "name": "top", "in": "query", "type": "integer", "format": "int32", "required": false,
                    "description": "How many items to return at most.", "x-ms-summary": "Top",
                    "x-ms-visibility": "advanced"
                }],
                "responses": {"200": {"description": "The items.", "schema": {"$ref": "#/definitions/ItemList"}}}
            }},
            "/items/{itemId}": {"get": {
                "operationId": "GetItem",
                "summary": "Get an item",
                "description": "Gets one item by its id.",
                "parameters": [{
                    "name": "itemId", "in": "path", "type": "string", "required": true,
                    "description": "The id of the item.", "x-ms-summary": "Item ID", "x-ms-url-encoding": "single"
                }],
                "responses": {"200": {"description": "The item.", "schema": {"$ref": "#/definitions/Item"}}}
            }}
        },
        "definitions": {
            "Item": item,
            "ItemList": {
                "type": "object",
                "description": "A list of items.",
                "properties": {"value": {"type": "array", "description": "The items.", "items": {"$ref": "#/definitions/Item"}, "x-ms-summary": "Items"}}
            }
        },
        "x-ms-connector-metadata": [
            {"propertyName": "Website", "propertyValue": format!("https://{}", domain(host))},
            {"propertyName": "Privacy policy", "propertyValue": format!("https://{}/privacy", domain(host))},
            {"propertyName": "Categories", "propertyValue": "Productivity"}
        ]
    });
    let scheme_def = match o.auth {
        AuthTemplate::None => None,
        AuthTemplate::Basic => Some(("basic_auth", json!({"type": "basic"}))),
        AuthTemplate::ApiKey => Some((
            "api_key",
            json!({"type": "apiKey", "in": "header", "name": "X-API-Key"}),
        )),
        AuthTemplate::OAuth2Generic => Some((
            "oauth2_auth",
            json!({
                "type": "oauth2", "flow": "accessCode",
                "authorizationUrl": format!("https://{}/oauth2/authorize", domain(host)),
                "tokenUrl": format!("https://{}/oauth2/token", domain(host)),
                "scopes": {"items.read": "Read items"}
            }),
        )),
        AuthTemplate::Aad => Some((
            "oauth2_auth",
            json!({
                "type": "oauth2", "flow": "accessCode",
                "authorizationUrl": "https://login.microsoftonline.com/common/oauth2/authorize",
                "tokenUrl": "https://login.windows.net/common/oauth2/authorize",
                "scopes": {}
            }),
        )),
    };
    if let Some((name, def)) = scheme_def {
        d["securityDefinitions"] = json!({ name: def });
        let scopes: Vec<&str> = if o.auth == AuthTemplate::OAuth2Generic {
            vec!["items.read"]
        } else {
            vec![]
        };
        d["security"] = json!([{ name: scopes }]);
    } else {
        d["securityDefinitions"] = json!({});
    }
    if o.auth != AuthTemplate::None {
        d["x-ms-capabilities"] =
            json!({"testConnection": {"operationId": "ListItems", "parameters": {}}});
    }
    d
}

fn ui(display: &str, description: &str, required: bool) -> Value {
    json!({
        "displayName": display,
        "description": description,
        "tooltip": description,
        "constraints": {"tabIndex": 2, "clearText": false, "required": if required { "true" } else { "false" }}
    })
}

fn properties(o: &InitOptions, host: &str) -> Value {
    // No `redirectUrl`: with `GlobalPerConnector` the platform makes the connector's own
    // (`…/redirect/<connector id>`) when the connector is created.
    let params = match o.auth {
        AuthTemplate::None => json!({}),
        AuthTemplate::Basic => json!({
            "username": {"type": "string", "uiDefinition": ui("User name", "The user name of your account.", true)},
            "password": {"type": "securestring", "uiDefinition": ui("Password", "The password of your account.", true)}
        }),
        AuthTemplate::ApiKey => json!({
            "api_key": {"type": "securestring", "uiDefinition": ui("API key", "The API key from your account settings.", true)}
        }),
        AuthTemplate::OAuth2Generic => json!({
            "token": {"type": "oauthSetting", "oAuthSettings": {
                "identityProvider": "oauth2generic",
                "clientId": "[[client id]]",
                "scopes": ["items.read"],
                "redirectMode": "GlobalPerConnector",
                "properties": {"IsFirstParty": "False", "IsOnbehalfofLoginSupported": false},
                "customParameters": {
                    "authorizationUrlTemplate": {"value": format!("https://{}/oauth2/authorize", domain(host))},
                    "authorizationUrlQueryStringTemplate": {"value": "?client_id={clientId}&response_type=code&redirect_uri={redirectUrl}&scope={Scopes}&state={State}"},
                    "tokenUrlTemplate": {"value": format!("https://{}/oauth2/token", domain(host))},
                    "tokenBodyTemplate": {"value": "grant_type=authorization_code&code={code}&redirect_uri={redirectUrl}&client_id={clientId}&client_secret={clientSecret}"},
                    "refreshUrlTemplate": {"value": format!("https://{}/oauth2/token", domain(host))},
                    "refreshBodyTemplate": {"value": "grant_type=refresh_token&refresh_token={refreshToken}&redirect_uri={redirectUrl}&client_id={clientId}&client_secret={clientSecret}"}
                }
            }, "uiDefinition": ui("Sign in", "Sign in with your account.", true)}
        }),
        AuthTemplate::Aad => json!({
            "token": {"type": "oauthSetting", "oAuthSettings": {
                "identityProvider": "aad",
                "clientId": "[[client id]]",
                "scopes": [],
                "redirectMode": "GlobalPerConnector",
                "properties": {
                    "IsFirstParty": "False",
                    "AzureActiveDirectoryResourceId": format!("https://{host}"),
                    "IsOnbehalfofLoginSupported": true
                },
                "customParameters": {
                    "loginUri": {"value": "https://login.microsoftonline.com"},
                    "tenantId": {"value": "common"},
                    "resourceUri": {"value": format!("https://{host}")},
                    "enableOnbehalfOfLogin": {"value": "false"}
                }
            }, "uiDefinition": ui("Sign in", "Sign in with your Microsoft Entra ID account.", true)}
        }),
    };
    let mut p = json!({"properties": {
        "connectionParameters": params,
        "iconBrandColor": "#da3b01",
        "capabilities": [],
        "publisher": o.publisher,
        "stackOwner": o.publisher
    }});
    if o.script {
        p["properties"]["scriptOperations"] = json!(["ListItems"]);
    }
    p
}

fn settings() -> Value {
    json!({
        "connectorId": "",
        "environment": "",
        "apiProperties": "apiProperties.json",
        "apiDefinition": "apiDefinition.swagger.json",
        "icon": "icon.png",
        "script": "script.csx",
        "powerAppsUrl": "https://make.powerapps.com",
        "flowUrl": "https://make.powerautomate.com"
    })
}

fn readme(o: &InitOptions, host: &str) -> Result<String, InitError> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.add_template(
        "readme.md",
        include_str!("../../templates/init/readme.md.j2"),
    )
    .map_err(|e| InitError::Template("readme.md", e))?;
    env.get_template("readme.md")
        .and_then(|t| {
            t.render(minijinja::context! {
                title => o.title.as_str(), host => host, publisher => o.publisher.as_str(), auth => o.auth.name(),
            })
        })
        .map(|mut s| {
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        })
        .map_err(|e| InitError::Template("readme.md", e))
}
