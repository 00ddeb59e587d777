//! Security schemes and apiProperties → the `auth` module of a generated crate: one function per
//! scheme that builds a `connector_sdk::Connection` with the right credential in the right
//! place, and the OAuth 2.0 settings the connection flow needs.

use super::names::{field_name, Namer};
use super::{docs, ident};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

fn opt(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote! { ::std::option::Option::Some(#s.to_string()) },
        None => quote! { ::std::option::Option::None },
    }
}

/// The OAuth settings of apiProperties.json, if any connection parameter has them.
fn oauth_settings(c: &Connector) -> Option<&OAuthSettings> {
    c.connection
        .as_ref()?
        .all_parameters()
        .find_map(|p| p.oauth.as_ref())
}

fn oauth_config(c: &Connector, flows: &[OAuthFlow]) -> TokenStream {
    let settings = oauth_settings(c);
    let flow = flows
        .iter()
        .find(|f| f.kind == OAuthFlowKind::AuthorizationCode)
        .or_else(|| flows.first());
    let provider = settings
        .and_then(|s| s.identity_provider.as_ref())
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "oauth2".into());
    let client_id = opt(settings.and_then(|s| s.client_id.as_deref()));
    let auth_url = opt(flow.and_then(|f| f.authorization_url.as_deref()));
    let token_url = opt(flow.and_then(|f| f.token_url.as_deref()));
    let refresh_url = opt(flow.and_then(|f| f.refresh_url.as_deref()));
    let mut scopes: Vec<String> = settings.map(|s| s.scopes.clone()).unwrap_or_default();
    if let Some(f) = flow {
        for (s, _) in &f.scopes {
            if !scopes.contains(s) {
                scopes.push(s.clone());
            }
        }
    }
    let custom: Vec<TokenStream> = settings
        .map(|s| {
            s.custom_parameters
                .iter()
                .filter_map(|(k, v)| v.as_deref().map(|v| (k.as_str(), v)))
                .map(|(k, v)| quote! { (#k.to_string(), #v.to_string()) })
                .collect()
        })
        .unwrap_or_default();
    quote! {
        ::connector_sdk::OAuth2Config {
            identity_provider: #provider.to_string(),
            client_id: #client_id,
            authorization_url: #auth_url,
            token_url: #token_url,
            refresh_url: #refresh_url,
            scopes: ::std::vec![#(#scopes.to_string()),*],
            custom_parameters: ::std::vec![#(#custom),*],
        }
    }
}

/// The items of the `auth` module for the connector at `root`.
pub fn auth_items(c: &Connector, root: &TokenStream) -> TokenStream {
    let base = quote! { #root::Client::DEFAULT_BASE_URL };
    let new = quote! { ::connector_sdk::Connection::new(#base) };
    let ret = quote! { ::connector_sdk::Connection };
    let mut names = Namer::default();
    let mut items = Vec::new();
    let mut config_done = false;
    // `api_key`, or `api_key_{scheme}` when the connector has several of a kind.
    let name_for = |kind: &str, scheme: &str, names: &mut Namer| {
        let plain = field_name(kind);
        if !names.is_taken(&plain) {
            return ident(&names.unique(plain));
        }
        ident(&names.unique(field_name(&format!("{kind}_{scheme}"))))
    };
    for s in &c.auth {
        let scheme = s.name.as_str();
        let desc = s
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        let with_desc = |line: String| {
            let mut lines = vec![line];
            if let Some(d) = desc {
                lines.push(String::new());
                lines.extend(super::docs::doc_lines(d));
            }
            docs(lines)
        };
        match &s.kind {
            AuthKind::ApiKey { name, location } => {
                let f = name_for("api_key", scheme, &mut names);
                let (call, place) = match location {
                    ApiKeyLocation::Query => (quote! { with_api_key_query }, "query parameter"),
                    _ => (quote! { with_api_key_header }, "header"),
                };
                let doc = with_desc(format!(
                    "A connection sending the API key in the `{name}` {place} (security scheme `{scheme}`)."
                ));
                items.push(quote! {
                    #doc
                    pub fn #f(key: impl ::std::convert::Into<::std::string::String>) -> #ret {
                        #new.#call(#name, key)
                    }
                });
            }
            AuthKind::Basic | AuthKind::Http { .. }
                if matches!(&s.kind, AuthKind::Basic)
                    || matches!(&s.kind, AuthKind::Http { scheme } if scheme.eq_ignore_ascii_case("basic")) =>
            {
                let f = name_for("basic", scheme, &mut names);
                let doc = with_desc(format!(
                    "A connection with HTTP basic authentication (security scheme `{scheme}`)."
                ));
                items.push(quote! {
                    #doc
                    pub fn #f(username: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>) -> #ret {
                        #new.with_basic(username, password)
                    }
                });
            }
            AuthKind::OAuth2 { flows } => {
                let f = name_for("oauth2", scheme, &mut names);
                let doc = with_desc(format!(
                    "A connection sending an OAuth 2.0 access token as a bearer token (security scheme `{scheme}`); see [`oauth2_config`] for how to obtain one."
                ));
                items.push(quote! {
                    #doc
                    pub fn #f(access_token: impl ::std::convert::Into<::std::string::String>) -> #ret {
                        #new.with_bearer(access_token)
                    }
                });
                if !config_done {
                    config_done = true;
                    names.unique("oauth2_config".into());
                    let config = oauth_config(c, flows);
                    items.push(quote! {
                        /// How this connector's OAuth 2.0 authorization works: identity provider,
                        /// URLs, scopes and provider settings from the definition and apiProperties.json.
                        pub fn oauth2_config() -> ::connector_sdk::OAuth2Config {
                            #config
                        }
                    });
                }
            }
            // Bearer tokens, other HTTP schemes, OpenID Connect and unknown types: a token.
            _ => {
                let f = name_for("bearer", scheme, &mut names);
                let doc = with_desc(format!(
                    "A connection sending a bearer token (security scheme `{scheme}`, {}).",
                    s.label()
                ));
                items.push(quote! {
                    #doc
                    pub fn #f(token: impl ::std::convert::Into<::std::string::String>) -> #ret {
                        #new.with_bearer(token)
                    }
                });
            }
        }
    }
    // apiProperties can declare OAuth without a security scheme in the definition.
    if !config_done && oauth_settings(c).is_some() {
        let f = name_for("oauth2", "apiProperties", &mut names);
        names.unique("oauth2_config".into());
        let config = oauth_config(c, &[]);
        items.push(quote! {
            /// A connection sending an OAuth 2.0 access token as a bearer token (apiProperties.json).
            pub fn #f(access_token: impl ::std::convert::Into<::std::string::String>) -> #ret {
                #new.with_bearer(access_token)
            }
            /// How this connector's OAuth 2.0 authorization works (apiProperties.json).
            pub fn oauth2_config() -> ::connector_sdk::OAuth2Config {
                #config
            }
        });
    }
    let f = name_for("anonymous", "none", &mut names);
    items.push(quote! {
        /// A connection without credentials, to the default base URL.
        pub fn #f() -> #ret {
            #new
        }
    });
    quote! { #(#items)* }
}

/// A call of the `auth` function for the connector's first security scheme, for examples
/// (`auth::api_key("<key>")`).
pub fn connection_example(c: &Connector) -> String {
    match c.auth.first().map(|s| &s.kind) {
        Some(AuthKind::ApiKey { .. }) => "auth::api_key(\"<key>\")".into(),
        Some(AuthKind::Basic) => "auth::basic(\"<user>\", \"<password>\")".into(),
        Some(AuthKind::Http { scheme }) if scheme.eq_ignore_ascii_case("basic") => {
            "auth::basic(\"<user>\", \"<password>\")".into()
        }
        Some(AuthKind::OAuth2 { .. }) => "auth::oauth2(\"<access token>\")".into(),
        Some(_) => "auth::bearer(\"<token>\")".into(),
        None if oauth_settings(c).is_some() => "auth::oauth2(\"<access token>\")".into(),
        None => "auth::anonymous()".into(),
    }
}
