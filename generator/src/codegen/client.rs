//! Operations → the methods of the generated `Client`.
//!
//! Each action becomes one async method that only describes its operation: a constant
//! `OperationSpec`, the values of its parameters, and the type of its result. Sending, encoding
//! and decoding live once in `connector-sdk`. Required parameters are arguments; optional ones
//! are fields of a per-operation `Options` struct (`Default`), so callers never write a wall of
//! `None`s; internal parameters with a default are sent without being asked for.

use super::docs::combine;
use super::names::{field_name, type_name, Namer};
use super::types::ModelsGen;
use super::{docs, ident};
use crate::model::*;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A default value as the text sent on the wire.
fn default_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_plain_string(types: &TypeSpace, id: SchemaId) -> bool {
    let s = types.get(types.resolve(id));
    s.types == [SchemaType::String]
        && s.enum_values.is_empty()
        && s.format
            .as_deref()
            .is_none_or(|f| !matches!(f, "date-time" | "date" | "uuid" | "byte" | "binary"))
}

fn array_format(p: &Parameter) -> TokenStream {
    let f = match &p.serialization {
        Some(Serialization::CollectionFormat(f)) => match f.as_str() {
            "multi" => "Multi",
            "ssv" => "Ssv",
            "tsv" => "Tsv",
            "pipes" => "Pipes",
            _ => "Csv",
        },
        Some(Serialization::Style { style, explode }) => match (style.as_str(), explode) {
            ("form", true) => "Multi",
            ("spaceDelimited", _) => "Ssv",
            ("pipeDelimited", _) => "Pipes",
            _ => "Csv",
        },
        None => "Csv",
    };
    let i = ident(f);
    quote! { ::connector_sdk::ArrayFormat::#i }
}

/// How a parameter reaches the method.
enum Source {
    /// A required argument.
    Argument(Ident),
    /// A field of the options struct.
    Option(Ident),
    /// A fixed value (internal with a default).
    Fixed(String),
}

/// The `Client` struct, its methods and the options structs, for the connector at `root`
/// (`crate` in a generated crate).
pub fn client_items(
    c: &Connector,
    models: &mut ModelsGen<'_>,
    root: &TokenStream,
) -> (TokenStream, Vec<TokenStream>) {
    let mut methods = Vec::new();
    let mut options = Vec::new();
    let mut method_names = Namer::with_taken(&["new", "connection", "inner"]);
    let mut option_names = Namer::default();
    for op in c
        .operations
        .iter()
        .filter(|o| matches!(o.kind, OperationKind::Action { .. }))
    {
        let base = type_name(&op.id);
        let method = ident(&method_names.unique(field_name(&op.id)));
        let mut arg_names = Namer::with_taken(&["self", "options", "call", "response"]);
        let mut opt_fields = Vec::new();
        let mut args = Vec::new();
        let mut arg_docs: Vec<String> = Vec::new();
        let mut sets = Vec::new();
        for p in &op.parameters {
            let default = c
                .types
                .get(p.schema)
                .default
                .clone()
                .or_else(|| c.types.get(c.types.resolve(p.schema)).default.clone());
            let internal = p.visibility == Some(Visibility::Internal);
            let source = if internal && default.is_some() && p.location != ParameterLocation::Body {
                Source::Fixed(default_text(
                    default.as_ref().unwrap_or(&serde_json::Value::Null),
                ))
            } else if internal && !p.required {
                continue;
            } else if p.required {
                Source::Argument(ident(&arg_names.unique(field_name(&p.name))))
            } else {
                Source::Option(ident(&arg_names.unique(field_name(&p.name))))
            };
            let is_file = c.types.get(p.schema).types == [SchemaType::File];
            let ty = if is_file {
                quote! { ::std::vec::Vec<u8> }
            } else {
                models.type_ref(p.schema, &format!("{base}{}", type_name(&p.name)))
            };
            let pname = p.name.as_str();
            let pdoc = docs(combine([p.summary.as_deref(), p.description.as_deref()]));
            // The expression of the value, as a reference.
            let value = match &source {
                Source::Argument(a) => {
                    let about = combine([p.summary.as_deref(), p.description.as_deref()]).join(" ");
                    let shown = a.to_string();
                    arg_docs.push(if about.trim().is_empty() {
                        format!("- `{}`", shown.trim_start_matches("r#"))
                    } else {
                        format!("- `{}`: {about}", shown.trim_start_matches("r#"))
                    });
                    if is_file {
                        args.push(quote! { #a: &[u8] });
                    } else if is_plain_string(&c.types, p.schema) {
                        args.push(quote! { #a: &str });
                    } else {
                        args.push(quote! { #a: &#ty });
                    }
                    quote! { #a }
                }
                Source::Option(a) => {
                    opt_fields.push(quote! { #pdoc pub #a: ::std::option::Option<#ty>, });
                    quote! { &options.#a }
                }
                Source::Fixed(text) => quote! { #text },
            };
            let set = match (&p.location, &source) {
                (ParameterLocation::Path, _) => {
                    let enc = if p.url_encoding == Some(UrlEncoding::Single) {
                        quote! { Single }
                    } else {
                        quote! { Double }
                    };
                    quote! { call.path(#pname, #value, ::connector_sdk::PathEncoding::#enc)?; }
                }
                (ParameterLocation::Query, _) => {
                    let fmt = array_format(p);
                    quote! { call.query(#pname, #value, #fmt)?; }
                }
                (ParameterLocation::Header, _) => quote! { call.header(#pname, #value)?; },
                (ParameterLocation::FormData, Source::Argument(a)) if is_file => {
                    quote! { call.file(#pname, #pname, #a.to_vec()); }
                }
                (ParameterLocation::FormData, Source::Option(a)) if is_file => {
                    quote! { if let ::std::option::Option::Some(data) = &options.#a { call.file(#pname, #pname, data.clone()); } }
                }
                (ParameterLocation::FormData, _) => quote! { call.form(#pname, #value)?; },
                (ParameterLocation::Body, _) => body_set(op, &value),
                // Cookies and unknown locations are sent as headers would be wrong; leave them out.
                _ => continue,
            };
            sets.push(set);
        }
        // An OpenAPI 3 request body.
        if op.request_body.as_ref().is_some_and(|b| {
            b.parameter_name.is_none()
                || !op
                    .parameters
                    .iter()
                    .any(|p| p.location == ParameterLocation::Body)
        }) {
            if let Some(body) = &op.request_body {
                if let Some(schema) = body.content.iter().find_map(|m| m.schema) {
                    let ty = models.type_ref(schema, &format!("{base}Request"));
                    let name = arg_names.unique("body".to_string());
                    let a = ident(&name);
                    let value = if body.required {
                        args.push(quote! { #a: &#ty });
                        quote! { #a }
                    } else {
                        opt_fields.push(quote! { /// The request body.
                        pub #a: ::std::option::Option<#ty>, });
                        quote! { &options.#a }
                    };
                    sets.push(body_set(op, &value));
                }
            }
        }
        let success = op
            .responses
            .iter()
            .filter(|r| r.status.is_success())
            .find_map(|r| r.schema());
        let with_schema = op.responses.iter().filter(|r| r.schema().is_some()).count();
        let (ret, finish) = match success {
            Some(s) => {
                let status = op
                    .responses
                    .iter()
                    .find(|r| r.schema() == Some(s))
                    .map(|r| r.status.clone());
                let hint = if with_schema == 1 {
                    format!("{base}Response")
                } else {
                    format!(
                        "{base}Response{}",
                        match status {
                            Some(StatusKey::Code(c)) => c.to_string(),
                            _ => "Default".into(),
                        }
                    )
                };
                let ty = models.type_ref(s, &hint);
                (ty, quote! { response.json() })
            }
            None => (
                quote! { () },
                quote! { let _ = response; ::std::result::Result::Ok(()) },
            ),
        };
        let options_arg = if opt_fields.is_empty() {
            quote! {}
        } else {
            let oname = ident(&option_names.unique(format!("{base}Options")));
            let odoc = format!(
                " Optional parameters of [`Client::{}`].",
                method.to_string().trim_start_matches("r#")
            );
            options.push(quote! {
                #[doc = #odoc]
                #[derive(Debug, Clone, Default, PartialEq)]
                pub struct #oname {
                    #(#opt_fields)*
                }
            });
            quote! { options: #root::options::#oname }
        };
        let comma = if !args.is_empty() && !opt_fields.is_empty() {
            quote! {,}
        } else {
            quote! {}
        };
        let mut doc_lines = combine([op.summary.as_deref(), op.description.as_deref()]);
        if !arg_docs.is_empty() {
            if !doc_lines.is_empty() {
                doc_lines.push(String::new());
            }
            doc_lines.push("Parameters:".into());
            doc_lines.extend(arg_docs);
        }
        let mdoc = docs(doc_lines);
        let mutable = (!sets.is_empty()).then(|| quote! { mut });
        let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
        let (id, m, path) = (op.id.as_str(), op.method.as_str(), op.path.as_str());
        methods.push(quote! {
            #mdoc
            #deprecated
            pub async fn #method(&self, #(#args),* #comma #options_arg) -> ::std::result::Result<#ret, ::connector_sdk::Error> {
                const SPEC: ::connector_sdk::OperationSpec = ::connector_sdk::OperationSpec { id: #id, method: #m, path: #path };
                let #mutable call = ::connector_sdk::Call::new(SPEC);
                #(#sets)*
                let response = self.inner.send(call).await?;
                #finish
            }
        });
    }
    let name = c.name.as_str();
    let base_url = c
        .servers
        .first()
        .map(|s| {
            let mut url = s.url.clone();
            for v in &s.variables {
                if let Some(d) = &v.default {
                    url = url.replace(&format!("{{{}}}", v.name), d);
                }
            }
            url
        })
        .unwrap_or_default();
    let title_doc = format!(
        " A client of {}.",
        if c.title.is_empty() {
            &c.name
        } else {
            &c.title
        }
    );
    let client = quote! {
        #[doc = #title_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: ::connector_sdk::Client,
        }

        impl Client {
            /// The service's URL as the definition gives it.
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            /// A client that sends requests through `connection`.
            pub fn new(connection: ::connector_sdk::Connection) -> ::std::result::Result<Self, ::connector_sdk::Error> {
                ::std::result::Result::Ok(Client { inner: ::connector_sdk::Client::new(connection, #name)? })
            }

            /// The connection it uses.
            pub fn connection(&self) -> &::connector_sdk::Connection {
                self.inner.connection()
            }

            #(#methods)*
        }
    };
    (client, options)
}

fn body_set(op: &Operation, value: &TokenStream) -> TokenStream {
    let media = op
        .consumes
        .first()
        .map(|m| m.to_ascii_lowercase())
        .unwrap_or_else(|| "application/json".into());
    if media.starts_with("application/x-www-form-urlencoded")
        || media.starts_with("multipart/form-data")
    {
        quote! { call.form_fields(#value)?; }
    } else {
        quote! { call.json(#value)?; }
    }
}

/// The Rust source of a connector crate's `lib.rs` (models, options and client in one file)
/// for the connector placed at `root` (`crate`, or `crate::name` when several share a crate).
pub fn crate_source(c: &Connector, root: &str) -> Result<String, String> {
    let root_path: syn::Path =
        syn::parse_str(root).map_err(|e| format!("invalid path `{root}`: {e}"))?;
    let root_tokens = quote! { #root_path };
    let mut models = ModelsGen::connector(c, quote! { #root_path::models });
    let (client, options) = client_items(c, &mut models, &root_tokens);
    let model_items = models.finish();
    let file = quote! {
        #client

        /// Types of the connector's requests and responses.
        pub mod models {
            #(#model_items)*
        }

        /// Optional parameters of the client's methods.
        pub mod options {
            #(#options)*
        }
    };
    super::types::format_file(file)
}
