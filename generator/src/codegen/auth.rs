//! Security schemes and apiProperties → the `auth` module of a generated crate: one function per
//! scheme that builds a `connector_sdk::Connection` with the right credential in the right
//! place, and the OAuth 2.0 settings the connection flow needs.

use super::names::{field_name, Namer};
use super::{docs, ident};
use crate::model::*;
use crate::plan::{accesses, oauth2_description, oauth_settings, Login};
use proc_macro2::TokenStream;
use quote::quote;

fn opt(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote! { ::std::option::Option::Some(#s.to_string()) },
        None => quote! { ::std::option::Option::None },
    }
}

/// The name of the `auth` function for a way to connect.
fn function(login: &Login<'_>) -> &'static str {
    match login {
        Login::ApiKey { .. } => "api_key",
        Login::Basic => "basic",
        Login::OAuth2 { .. } => "oauth2",
        Login::Bearer => "bearer",
    }
}

/// `oauth2_description` as an expression of generated code.
fn oauth_config(c: &Connector, flows: &[OAuthFlow]) -> TokenStream {
    let d = oauth2_description(flows, oauth_settings(c));
    let provider = &d.identity_provider;
    let client_id = opt(d.client_id.as_deref());
    let auth_url = opt(d.authorization_url.as_deref());
    let token_url = opt(d.token_url.as_deref());
    let refresh_url = opt(d.refresh_url.as_deref());
    let scopes = &d.scopes;
    let custom = d
        .custom_parameters
        .iter()
        .map(|(k, v)| quote! { (#k.to_string(), #v.to_string()) });
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
    let string = quote! { impl ::std::convert::Into<::std::string::String> };
    let mut names = Namer::with_taken(&["oauth2_config", "oauth2_tokens"]);
    let mut items = Vec::new();
    let mut config_done = false;
    for access in accesses(c) {
        let (label, source) = match access.scheme {
            Some(s) => (
                s.name.as_str(),
                format!("security scheme {}", super::docs::code(&s.name)),
            ),
            None => ("apiProperties", "apiProperties.json".to_string()),
        };
        // `api_key`, or `api_key_{scheme}` when the connector has several of a kind.
        let kind = function(&access.login);
        let f = if names.is_taken(kind) {
            ident(&names.unique(field_name(&format!("{kind}_{label}"))))
        } else {
            ident(&names.unique(kind.to_string()))
        };
        let mut lines = vec![match access.login {
            Login::ApiKey { name, query } => format!(
                "A connection sending the API key in the {} {} ({source}).",
                super::docs::code(name),
                if query { "query parameter" } else { "header" }
            ),
            Login::Basic => format!("A connection with HTTP basic authentication ({source})."),
            Login::OAuth2 { .. } => format!(
                "A connection sending an OAuth 2.0 access token as a bearer token ({source}); [`oauth2_tokens`] makes one whose tokens refresh themselves."
            ),
            Login::Bearer => format!(
                "A connection sending a bearer token ({source}, {}).",
                access.scheme.map(|s| s.label()).unwrap_or_default()
            ),
        }];
        if let Some(d) = access
            .scheme
            .and_then(|s| s.description.as_deref())
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            lines.push(String::new());
            lines.extend(super::docs::doc_lines(d));
        }
        let doc = docs(lines);
        items.push(match access.login {
            Login::ApiKey { name, query } => {
                let call = if query {
                    quote! { with_api_key_query }
                } else {
                    quote! { with_api_key_header }
                };
                quote! { #doc pub fn #f(key: #string) -> #ret { #new.#call(#name, key) } }
            }
            Login::Basic => quote! {
                #doc
                pub fn #f(username: #string, password: #string) -> #ret {
                    #new.with_basic(username, password)
                }
            },
            Login::OAuth2 { .. } => quote! {
                #doc pub fn #f(access_token: #string) -> #ret { #new.with_bearer(access_token) }
            },
            Login::Bearer => {
                quote! { #doc pub fn #f(token: #string) -> #ret { #new.with_bearer(token) } }
            }
        });
        if let (Login::OAuth2 { flows }, false) = (access.login, config_done) {
            config_done = true;
            let config = oauth_config(c, flows);
            items.push(quote! {
                /// How this connector's OAuth 2.0 authorization works: identity provider,
                /// URLs, scopes and provider settings from the definition and apiProperties.json.
                pub fn oauth2_config() -> ::connector_sdk::OAuth2Config {
                    #config
                }
                /// A connection whose OAuth 2.0 access tokens refresh themselves: before they
                /// expire, and once after a 401, one refresh at a time.
                ///
                /// Sign in first, with the application registered at the provider:
                /// `let config = auth::oauth2_config().sign_in(Some(client_id), Some(secret), redirect_url)?;`
                /// then `let start = config.authorize()?;`, send the user to `start.url`, and
                /// when the provider redirects back with `state` and `code`,
                /// `let tokens = config.finish(start, &state, &code).await?;`
                /// (or `config.client_credentials().await?` for the application itself).
                pub fn oauth2_tokens(
                    config: ::connector_sdk::OAuthConfig,
                    tokens: ::connector_sdk::Tokens,
                ) -> ::std::result::Result<#ret, ::connector_sdk::Error> {
                    let source = ::connector_sdk::TokenSource::new(config, tokens, ::std::option::Option::None)?;
                    ::std::result::Result::Ok(#new.with_oauth2(::std::sync::Arc::new(source)))
                }
            });
        }
    }
    let f = ident(&names.unique("anonymous".into()));
    items.push(quote! {
        /// A connection without credentials, to the default base URL.
        pub fn #f() -> #ret {
            #new
        }
    });
    quote! { #(#items)* }
}

/// A call of the `auth` function of the connector's first way to connect, for examples
/// (`auth::api_key("<key>")`): the first function of each kind has the plain name.
pub fn connection_example(c: &Connector) -> String {
    let mut example: String = match accesses(c).first().map(|a| a.login) {
        Some(Login::ApiKey { .. }) => "auth::api_key(\"<key>\")".into(),
        Some(Login::Basic) => "auth::basic(\"<user>\", \"<password>\")".into(),
        Some(Login::OAuth2 { .. }) => "auth::oauth2(\"<access token>\")".into(),
        Some(Login::Bearer) => "auth::bearer(\"<token>\")".into(),
        None => "auth::anonymous()".into(),
    };
    for name in policy_parameters(c) {
        example.push_str(&format!(".with_parameter({name:?}, \"<{name}>\")"));
    }
    example
}

/// The connection parameters the connector's policy templates read
/// (`@connectionParameters('name')`), in first-use order, without repeats.
pub fn policy_parameters(c: &Connector) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let needle = "connectionparameters('";
    for p in &c.policies {
        for (_, v) in &p.parameters {
            let text = v.to_string();
            let lower = text.to_ascii_lowercase();
            let mut from = 0;
            while let Some(i) = lower[from..].find(needle) {
                let start = from + i + needle.len();
                let Some(len) = text[start..].find('\'') else {
                    break;
                };
                let name = &text[start..start + len];
                if !name.is_empty() && !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
                from = start + len;
            }
        }
    }
    names
}

/// True when the generated `auth` module has `oauth2_config()`.
pub fn has_oauth2_config(c: &Connector) -> bool {
    accesses(c)
        .iter()
        .any(|a| matches!(a.login, Login::OAuth2 { .. }))
}
