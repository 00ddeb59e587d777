//! Operations → the methods of the generated `Client`, and triggers → trigger types.
//!
//! Each action becomes one async method that only describes its operation: a constant
//! `OperationSpec`, the values of its parameters, and the type of its result. Sending, encoding
//! and decoding live once in `connector-sdk`. Required parameters are arguments; optional ones
//! are fields of a per-operation `Options` struct (`Default`), so callers never write a wall of
//! `None`s; internal parameters with a default are sent without being asked for. Pageable actions
//! also get an `_items` method returning a stream of items, long-running ones poll through the
//! SDK. Each trigger becomes a struct of its parameters implementing `connector_sdk::Trigger`.

use super::docs::combine;
use super::names::{field_name, type_name, Namer};
use super::types::{status_word, ModelsGen};
use super::{docs, ident};
use crate::model::*;
use crate::plan::{
    base_url, binary_media, default_text, is_binary, is_plain_string, multipart_file_fields,
    notification_target, operation_server, page_item, policy_templates, sends_form,
    sends_multipart, success_schemas, ArrayFormat, Decode,
};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

fn array_format_tokens(p: &Parameter) -> TokenStream {
    let i = ident(match crate::plan::array_format(p) {
        ArrayFormat::Csv => "Csv",
        ArrayFormat::Ssv => "Ssv",
        ArrayFormat::Tsv => "Tsv",
        ArrayFormat::Pipes => "Pipes",
        ArrayFormat::Multi => "Multi",
    });
    quote! { ::connector_sdk::ArrayFormat::#i }
}

/// The call reading the body of `response`.
fn read_call(decode: Decode) -> TokenStream {
    match decode {
        Decode::Json => quote! { response.json() },
        Decode::Bytes => quote! { response.bytes() },
        Decode::Text => quote! { response.text() },
    }
}

/// Where the values of an operation's parameters come from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Arguments of a client method and fields of its options struct.
    Method,
    /// Fields of a trigger struct (`self`).
    Trigger,
}

/// How one value reaches the request.
enum Source {
    /// Required: an argument, or a field of the trigger.
    Required(Ident),
    /// Optional: a field of the options struct or of the trigger.
    Optional(Ident),
    /// A fixed value (internal with a default).
    Fixed(String),
    /// The trigger's callback URL.
    Callback,
}

/// The parameter handling of one operation.
#[derive(Default)]
struct Parts {
    /// Method arguments (`name: &T`).
    args: Vec<TokenStream>,
    /// Doc lines describing the arguments.
    arg_docs: Vec<String>,
    /// Fields of the options struct (methods) or of the trigger struct (both required and
    /// optional).
    fields: Vec<TokenStream>,
    /// Statements filling `call`.
    sets: Vec<TokenStream>,
    /// True when a statement uses the trigger's `callback_url`.
    uses_callback: bool,
}

impl Parts {
    fn value(&self, style: Style, source: &Source) -> TokenStream {
        match (style, source) {
            (Style::Method, Source::Required(a)) => quote! { #a },
            (Style::Method, Source::Optional(a)) => quote! { &options.#a },
            (Style::Trigger, Source::Required(a) | Source::Optional(a)) => quote! { &self.#a },
            (_, Source::Fixed(text)) => quote! { #text },
            (_, Source::Callback) => quote! { callback_url },
        }
    }
}

fn operation_parts(
    c: &Connector,
    op: &Operation,
    models: &mut ModelsGen<'_>,
    style: Style,
) -> Parts {
    let base = type_name(&op.id);
    let mut parts = Parts::default();
    if let Some(url) = operation_server(op) {
        parts.sets.push(quote! { call.server(#url); });
    }
    if sends_multipart(op) {
        parts.sets.push(quote! { call.multipart(); });
    }
    let mut names = Namer::with_taken(&["self", "options", "call", "response", "callback_url"]);
    let notify = notification_target(op);
    let mut body_callback: Option<Vec<String>> = None;
    // An OpenAPI webhook or callback (no notification URL parameter) is registered out of
    // band: its request body is the notification itself, not something the trigger sends.
    let sends_body = !(style == Style::Trigger
        && matches!(
            &op.kind,
            OperationKind::WebhookTrigger {
                notification_url_param: None,
                ..
            }
        ));
    // An OpenAPI 3 multipart body with files: its properties are sent as Swagger 2.0 formData
    // parameters are (files as file parts, the rest as fields).
    let form_parts = if sends_body {
        multipart_file_fields(c, op)
    } else {
        Vec::new()
    };
    for p in op.parameters.iter().chain(&form_parts) {
        if p.location == ParameterLocation::Body && !sends_body {
            continue;
        }
        let default = c.types.get(p.schema).rare().default.clone().or_else(|| {
            c.types
                .get(c.types.resolve(p.schema))
                .rare()
                .default
                .clone()
        });
        let internal = p.visibility == Some(Visibility::Internal);
        let is_callback = style == Style::Trigger
            && notify
                .as_ref()
                .is_some_and(|(n, rest)| n == &p.name && rest.is_empty());
        if style == Style::Trigger {
            if let Some((n, rest)) = &notify {
                if n == &p.name && !rest.is_empty() {
                    body_callback = Some(rest.clone());
                }
            }
        }
        let source = if is_callback {
            Source::Callback
        } else if internal && default.is_some() && p.location != ParameterLocation::Body {
            Source::Fixed(default_text(
                default.as_ref().unwrap_or(&serde_json::Value::Null),
            ))
        } else if internal && !p.required {
            continue;
        } else if p.required {
            Source::Required(ident(&names.unique(field_name(&p.name))))
        } else {
            Source::Optional(ident(&names.unique(field_name(&p.name))))
        };
        let binary = is_binary(&c.types, p.schema);
        let ty = if binary {
            quote! { ::std::vec::Vec<u8> }
        } else {
            models.type_ref(p.schema, &format!("{base}{}", type_name(&p.name)))
        };
        let pname = p.name.as_str();
        let about = combine([p.summary.as_deref(), p.description.as_deref()]);
        let pdoc = docs(super::docs::or_else(about.clone(), || {
            format!("The {} parameter.", super::docs::code(pname))
        }));
        match (&source, style) {
            (Source::Required(a), Style::Method) => {
                let about = about.join(" ");
                let shown = a.to_string();
                let shown = shown.trim_start_matches("r#");
                parts.arg_docs.push(if about.trim().is_empty() {
                    format!("- `{shown}`")
                } else {
                    format!("- `{shown}`: {about}")
                });
                if binary {
                    parts.args.push(quote! { #a: &[u8] });
                } else if is_plain_string(&c.types, p.schema) {
                    parts.args.push(quote! { #a: &str });
                } else {
                    parts.args.push(quote! { #a: &#ty });
                }
            }
            (Source::Required(a), Style::Trigger) => {
                parts.fields.push(quote! { #pdoc pub #a: #ty, });
            }
            (Source::Optional(a), _) => {
                parts
                    .fields
                    .push(quote! { #pdoc pub #a: ::std::option::Option<#ty>, });
            }
            _ => {}
        }
        let value = parts.value(style, &source);
        let set = match (&p.location, &source) {
            (ParameterLocation::Path, _) => {
                let enc = if p.url_encoding == Some(UrlEncoding::Single) {
                    quote! { Single }
                } else {
                    quote! { Double }
                };
                quote! { call.path(#pname, #value, ::connector_sdk::PathEncoding::#enc); }
            }
            (ParameterLocation::Query, _) => {
                let fmt = array_format_tokens(p);
                quote! { call.query(#pname, #value, #fmt); }
            }
            (ParameterLocation::Header, _) => quote! { call.header(#pname, #value); },
            (ParameterLocation::FormData, Source::Required(_)) if binary => {
                quote! { call.file(#pname, #pname, #value.to_vec()); }
            }
            (ParameterLocation::FormData, Source::Optional(_)) if binary => {
                quote! { if let ::std::option::Option::Some(data) = #value { call.file(#pname, #pname, data.clone()); } }
            }
            (ParameterLocation::FormData, _) => quote! { call.form(#pname, #value); },
            (ParameterLocation::Body, Source::Required(_)) if binary => {
                let media = binary_media(op);
                quote! { call.bytes(#value.to_vec(), #media); }
            }
            (ParameterLocation::Body, Source::Optional(_)) if binary => {
                let media = binary_media(op);
                quote! { if let ::std::option::Option::Some(data) = #value { call.bytes(data.clone(), #media); } }
            }
            (ParameterLocation::Body, _) => body_set(op, &value),
            // Cookies and unknown locations cannot be sent as anything else; leave them out.
            _ => continue,
        };
        parts.uses_callback |= matches!(source, Source::Callback);
        parts.sets.push(set);
    }
    // An OpenAPI 3 request body.
    let body_from_parameter = op
        .parameters
        .iter()
        .any(|p| p.location == ParameterLocation::Body);
    if let Some(body) = op
        .request_body
        .as_ref()
        .filter(|_| sends_body && !body_from_parameter && form_parts.is_empty())
    {
        if let Some(schema) = body.content.iter().find_map(|m| m.schema) {
            let ty = models.type_ref(schema, &format!("{base}Request"));
            let a = ident(&names.unique("body".to_string()));
            let source = if body.required {
                Source::Required(a.clone())
            } else {
                Source::Optional(a.clone())
            };
            match (&source, style) {
                (Source::Required(_), Style::Method) => {
                    parts.args.push(quote! { #a: &#ty });
                    parts.arg_docs.push("- `body`: the request body".into());
                }
                (Source::Required(_), Style::Trigger) => parts.fields.push(quote! {
                    /// The request body.
                    pub #a: #ty,
                }),
                _ => parts.fields.push(quote! {
                    /// The request body.
                    pub #a: ::std::option::Option<#ty>,
                }),
            }
            let value = parts.value(style, &source);
            parts.sets.push(body_set(op, &value));
        }
    }
    if let Some(path) = body_callback {
        parts.uses_callback = true;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        parts.sets.push(quote! {
            if let ::std::option::Option::Some(url) = callback_url {
                call.set_body_field(&[#(#path),*], url);
            }
        });
    }
    parts
}

fn body_set(op: &Operation, value: &TokenStream) -> TokenStream {
    if sends_form(op) {
        quote! { call.form_fields(#value); }
    } else {
        quote! { call.json(#value); }
    }
}

/// The naming hint of a response schema (as `ModelsGen::connector` registers them).
fn response_hint(op: &Operation, status: &StatusKey) -> String {
    let base = type_name(&op.id);
    let with_schema = op.responses.iter().filter(|r| r.schema().is_some()).count();
    if with_schema == 1 {
        format!("{base}Response")
    } else {
        format!("{base}Response{}", status_word(status))
    }
}

/// A rustdoc link to the client method `method` from any module of the crate (`root` is where
/// the connector stands: `crate` or `crate::name`). Rustdoc paths name a raw identifier
/// without its `r#`.
fn method_link(root: &TokenStream, method: &proc_macro2::Ident) -> String {
    let m = method.to_string();
    let name = m.trim_start_matches("r#");
    let path = root.to_string().replace(' ', "");
    format!("[`Client::{name}`]({path}::Client::{name})")
}

/// What a generated crate's client, options, responses and triggers are.
pub struct ClientItems {
    /// The `Client` struct.
    pub client: TokenStream,
    /// The members of `impl Client`: constants, constructors, one method per action.
    pub members: Vec<TokenStream>,
    /// Items of the `options` module.
    pub options: Vec<TokenStream>,
    /// Items of the `responses` module (enums of several typed responses).
    pub responses: Vec<TokenStream>,
    /// Items of the `triggers` module.
    pub triggers: Vec<TokenStream>,
}

/// The `Client` struct, its methods, the options structs, the response enums and the trigger
/// types of the connector at `root` (`crate` in a generated crate).
pub fn client_items(c: &Connector, models: &mut ModelsGen<'_>, root: &TokenStream) -> ClientItems {
    let mut methods = Vec::new();
    let mut options = Vec::new();
    let mut responses = Vec::new();
    let mut triggers = Vec::new();
    let mut method_names = Namer::with_taken(&["new", "from_sdk", "sdk", "connection", "inner"]);
    let mut option_names = Namer::default();
    let mut response_names = Namer::default();
    let mut trigger_names = Namer::default();
    for op in &c.operations {
        match &op.kind {
            OperationKind::Action { long_running } => {
                let (method, extra) = action(
                    c,
                    op,
                    *long_running,
                    models,
                    root,
                    &mut method_names,
                    &mut option_names,
                    &mut response_names,
                    &mut options,
                    &mut responses,
                );
                methods.push(method);
                methods.extend(extra);
            }
            _ => triggers.push(trigger(c, op, models, &mut trigger_names)),
        }
    }
    let name = c.name.as_str();
    let base_url = base_url(c);
    let title_doc = format!(
        " A client of {}.",
        super::docs::doc_lines(if c.title.is_empty() {
            &c.name
        } else {
            &c.title
        })
        .join(" ")
    );
    let client = quote! {
        #[doc = #title_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: ::connector_sdk::Client,
        }
    };
    let policies = policy_templates(c);
    let mut members = vec![
        quote! {
            /// The service's URL as the definition gives it.
            pub const DEFAULT_BASE_URL: &'static str = #base_url;
        },
        quote! {
            /// A client that sends requests through `connection` (see the `auth` module for
            /// connections that match this connector's authentication).
            pub fn new(connection: ::connector_sdk::Connection) -> ::std::result::Result<Self, ::connector_sdk::Error> {
                Self::from_sdk(::connector_sdk::Client::new(connection, #name)?)
            }
        },
        match &policies {
            Some(json) => quote! {
                /// The connector's policy templates (`policyTemplateInstances` of
                /// apiProperties.json), which the client applies to requests and responses.
                pub const POLICY_TEMPLATES: &'static str = #json;

                /// A client around a configured SDK client (page limits, timeouts), with the
                /// connector's policy templates applied.
                pub fn from_sdk(inner: ::connector_sdk::Client) -> ::std::result::Result<Self, ::connector_sdk::Error> {
                    let policies = ::connector_sdk::Policies::from_json(Self::POLICY_TEMPLATES)?;
                    ::std::result::Result::Ok(Client { inner: inner.with_policies(policies) })
                }
            },
            None => quote! {
                /// A client around a configured SDK client (page limits, timeouts).
                pub fn from_sdk(inner: ::connector_sdk::Client) -> ::std::result::Result<Self, ::connector_sdk::Error> {
                    ::std::result::Result::Ok(Client { inner })
                }
            },
        },
        quote! {
            /// The SDK client it uses (to run triggers, for instance).
            pub fn sdk(&self) -> &::connector_sdk::Client {
                &self.inner
            }
        },
        quote! {
            /// The connection it uses.
            pub fn connection(&self) -> &::connector_sdk::Connection {
                self.inner.connection()
            }
        },
    ];
    members.extend(methods);
    ClientItems {
        client,
        members,
        options,
        responses,
        triggers,
    }
}

#[allow(clippy::too_many_arguments)]
fn action(
    c: &Connector,
    op: &Operation,
    long_running: bool,
    models: &mut ModelsGen<'_>,
    root: &TokenStream,
    method_names: &mut Namer,
    option_names: &mut Namer,
    response_names: &mut Namer,
    options: &mut Vec<TokenStream>,
    responses: &mut Vec<TokenStream>,
) -> (TokenStream, Option<TokenStream>) {
    let base = type_name(&op.id);
    let method = ident(&method_names.unique(field_name(&op.id)));
    let parts = operation_parts(c, op, models, Style::Method);
    let success = success_schemas(&c.types, op);
    // The Rust type of a response body: bytes for files, else the schema's type.
    let mut body_type = |status: &StatusKey, s: SchemaId, decode: Decode| match decode {
        Decode::Bytes => quote! { ::std::vec::Vec<u8> },
        _ => models.type_ref(s, &response_hint(op, status)),
    };
    let (ret, finish) = match success.as_slice() {
        [] => (quote! { () }, quote! { |_| ::std::result::Result::Ok(()) }),
        [(status, s, decode)] => {
            let read = read_call(*decode);
            (body_type(status, *s, *decode), quote! { |response| #read })
        }
        several => {
            // Several success statuses with their own schemas: an enum, decoded by status.
            let ename = ident(&response_names.unique(format!("{base}Response")));
            let mut variants = Vec::new();
            let mut arms = Vec::new();
            let mut fallback = None;
            for (status, s, decode) in several {
                let ty = body_type(status, *s, *decode);
                let read = read_call(*decode);
                let v = ident(&format!("Status{}", status_word(status)));
                let vdoc = format!(" The `{}` response.", status_word(status));
                variants.push(quote! { #[doc = #vdoc] #v(#ty), });
                match status {
                    StatusKey::Code(code) => arms.push(quote! {
                        #code => ::std::result::Result::Ok(#root::responses::#ename::#v(#read?)),
                    }),
                    _ => {
                        fallback.get_or_insert(quote! {
                            _ => ::std::result::Result::Ok(#root::responses::#ename::#v(#read?)),
                        });
                    }
                }
            }
            let fallback = fallback.unwrap_or_else(|| {
                let (status, _, decode) = &several[0];
                let v = ident(&format!("Status{}", status_word(status)));
                let read = read_call(*decode);
                quote! { _ => ::std::result::Result::Ok(#root::responses::#ename::#v(#read?)), }
            });
            let edoc = format!(
                " The success responses of {}, by status.",
                method_link(root, &method)
            );
            responses.push(quote! {
                #[doc = #edoc]
                #[derive(Debug, Clone)]
                pub enum #ename {
                    #(#variants)*
                }
            });
            (
                quote! { #root::responses::#ename },
                quote! {
                    |response| match response.status {
                        #(#arms)*
                        #fallback
                    }
                },
            )
        }
    };
    let has_options = !parts.fields.is_empty();
    let oname = has_options.then(|| ident(&option_names.unique(format!("{base}Options"))));
    let options_param = match &oname {
        Some(oname) => {
            let odoc = format!(" Optional parameters of {}.", method_link(root, &method));
            let fields = &parts.fields;
            options.push(quote! {
                #[doc = #odoc]
                #[derive(Debug, Clone, Default)]
                pub struct #oname {
                    #(#fields)*
                }
            });
            quote! { options: #root::options::#oname }
        }
        None => quote! {},
    };
    let args = &parts.args;
    let comma = if !args.is_empty() && has_options {
        quote! {,}
    } else {
        quote! {}
    };
    let mut doc_lines = combine([op.summary.as_deref(), op.description.as_deref()]);
    if !parts.arg_docs.is_empty() {
        if !doc_lines.is_empty() {
            doc_lines.push(String::new());
        }
        doc_lines.push("Parameters:".into());
        doc_lines.extend(parts.arg_docs.iter().cloned());
    }
    if long_running {
        doc_lines.push(String::new());
        doc_lines.push(
            "Long-running: while the service answers `202 Accepted`, its `Location` is polled until the result is ready."
                .into(),
        );
    }
    let mdoc = docs(super::docs::or_else(doc_lines, || {
        format!(
            "Calls {} (operation {}).",
            super::docs::code(&format!("{} {}", op.method.as_str(), op.path)),
            super::docs::code(&op.id)
        )
    }));
    let sets = &parts.sets;
    let mutable = (!sets.is_empty()).then(|| quote! { mut });
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let (id, m, path) = (op.id.as_str(), op.method.as_str(), op.path.as_str());
    let spec = quote! {
        const SPEC: ::connector_sdk::OperationSpec = ::connector_sdk::OperationSpec { id: #id, method: #m, path: #path };
    };
    // The request is built before the future is made, so the future borrows only `self`, and
    // the generated code holds no `async` body (sending is one generic function of the SDK).
    let main = quote! {
        #mdoc
        #deprecated
        pub fn #method(&self, #(#args),* #comma #options_param) -> impl ::std::future::Future<Output = ::std::result::Result<#ret, ::connector_sdk::Error>> + '_ {
            #spec
            let #mutable call = ::connector_sdk::Call::new(SPEC);
            #(#sets)*
            self.inner.run(call, #long_running, #finish)
        }
    };
    // A pageable action also streams the items of every page.
    let items = op
        .rare().pageable
        .as_ref()
        .and_then(|p| p.next_link_name.clone().map(|n| (n, p.item_name.clone())))
        .map(|(next_link, item_name)| {
            let item_name = item_name.unwrap_or_else(|| "value".into());
            let item = success
                .first()
                .and_then(|(status, s, _)| {
                    page_item(&c.types, *s, &item_name)
                        .map(|i| (i, format!("{}Item", response_hint(op, status))))
                })
                .map(|(i, hint)| models.type_ref(i, &hint))
                .unwrap_or_else(|| quote! { ::connector_sdk::serde_json::Value });
            let items_method = ident(&method_names.unique(format!(
                "{}_items",
                method.to_string().trim_start_matches("r#")
            )));
            let idoc = format!(
                " The items ({}) of every page of {}, following {} as the stream is read.",
                super::docs::code(&item_name),
                method_link(root, &method),
                super::docs::code(&next_link)
            );
            quote! {
                #[doc = #idoc]
                #deprecated
                pub fn #items_method(&self, #(#args),* #comma #options_param) -> ::connector_sdk::ItemStream<'_, #item> {
                    #spec
                    let #mutable call = ::connector_sdk::Call::new(SPEC);
                    #(#sets)*
                    self.inner.items(call, ::connector_sdk::Paging { item_name: #item_name, next_link_name: #next_link })
                }
            }
        });
    (main, items)
}

fn trigger(
    c: &Connector,
    op: &Operation,
    models: &mut ModelsGen<'_>,
    names: &mut Namer,
) -> TokenStream {
    let base = type_name(&op.id);
    let tname = ident(&names.unique(format!("{base}Trigger")));
    let parts = operation_parts(c, op, models, Style::Trigger);
    let (kind, mode) = match &op.kind {
        OperationKind::PollingTrigger { mode } => (quote! { Polling }, mode.clone()),
        OperationKind::WebhookTrigger { mode, .. } => (
            quote! { Webhook },
            mode.clone().unwrap_or(TriggerMode::Single),
        ),
        OperationKind::Action { .. } => (quote! { Polling }, TriggerMode::Single),
    };
    let batch = mode == TriggerMode::Batch;
    // The event: the notification content of a webhook, else the success response (or, for a
    // batch, one item of it).
    let source = match &op.kind {
        OperationKind::WebhookTrigger { notification, .. } => notification
            .as_ref()
            .and_then(|n| n.schema)
            .map(|s| (s, format!("{base}Notification"))),
        _ => success_schemas(&c.types, op)
            .first()
            .map(|(status, s, _)| (*s, response_hint(op, status))),
    };
    let mut split_on = quote! { ::std::option::Option::None };
    let event = match source {
        Some((s, hint)) if batch => {
            let resolved = c.types.get(c.types.resolve(s));
            if resolved.types == [SchemaType::Array] {
                match resolved.items {
                    Some(i) => models.type_ref(i, &format!("{hint}Item")),
                    None => quote! { ::connector_sdk::serde_json::Value },
                }
            } else {
                match page_item(&c.types, s, "value") {
                    Some(i) => {
                        split_on = quote! { ::std::option::Option::Some("value") };
                        models.type_ref(i, &format!("{hint}Item"))
                    }
                    None => models.type_ref(s, &hint),
                }
            }
        }
        Some((s, hint)) => models.type_ref(s, &hint),
        None => quote! { ::connector_sdk::serde_json::Value },
    };
    let mode_tokens = if batch {
        quote! { Batch }
    } else {
        quote! { Single }
    };
    let mut doc_lines = combine([op.summary.as_deref(), op.description.as_deref()]);
    if !doc_lines.is_empty() {
        doc_lines.push(String::new());
    }
    doc_lines.push(format!(
        "The {} trigger {} ({}), run by the connector-sdk trigger runtime.",
        if kind.to_string() == "Webhook" {
            "webhook"
        } else {
            "polling"
        },
        super::docs::code(&op.id),
        if batch {
            "one event per item"
        } else {
            "one event per response"
        }
    ));
    let tdoc = docs(doc_lines);
    let fields = &parts.fields;
    let sets = &parts.sets;
    let mutable = (!sets.is_empty()).then(|| quote! { mut });
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let (id, m, path) = (op.id.as_str(), op.method.as_str(), op.path.as_str());
    let callback_arg = if parts.uses_callback {
        quote! { callback_url }
    } else {
        quote! { _callback_url }
    };
    let derive_default = if fields.is_empty() {
        quote! { #[derive(Debug, Clone, Default)] }
    } else {
        quote! { #[derive(Debug, Clone)] }
    };
    quote! {
        #tdoc
        #deprecated
        #derive_default
        pub struct #tname {
            #(#fields)*
        }

        #[allow(deprecated)]
        impl ::connector_sdk::Trigger for #tname {
            type Event = #event;

            fn spec(&self) -> ::connector_sdk::TriggerSpec {
                ::connector_sdk::TriggerSpec {
                    operation: ::connector_sdk::OperationSpec { id: #id, method: #m, path: #path },
                    kind: ::connector_sdk::TriggerKind::#kind,
                    mode: ::connector_sdk::TriggerMode::#mode_tokens,
                    split_on: #split_on,
                }
            }

            fn request(&self, #callback_arg: ::std::option::Option<&str>) -> ::std::result::Result<::connector_sdk::Call, ::connector_sdk::Error> {
                let #mutable call = ::connector_sdk::Call::new(self.spec().operation);
                #(#sets)*
                call.check()
            }
        }
    }
}
