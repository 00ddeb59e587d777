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

/// True for a schema of raw bytes (`type: file`, or a `binary` string).
fn is_binary(types: &TypeSpace, id: SchemaId) -> bool {
    let s = types.get(types.resolve(id));
    s.types == [SchemaType::File]
        || (s.types == [SchemaType::String] && s.format.as_deref() == Some("binary"))
}

/// How a success response's body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decode {
    /// JSON into the schema's type.
    Json,
    /// The bytes as received (`type: file`, `format: binary`): `Vec<u8>`.
    Bytes,
    /// Text: a plain string schema whose media types are none of them JSON (`text/plain`...).
    Text,
}

fn decode_of(types: &TypeSpace, response: &Response, schema: SchemaId) -> Decode {
    if is_binary(types, schema) {
        return Decode::Bytes;
    }
    let json = |m: &MediaType| {
        let m = m.media_type.to_ascii_lowercase();
        m.contains("json") || m == "*/*"
    };
    if is_plain_string(types, schema)
        && !response.content.is_empty()
        && !response.content.iter().any(json)
    {
        return Decode::Text;
    }
    Decode::Json
}

impl Decode {
    /// The call reading the body of `response`.
    fn call(self) -> TokenStream {
        match self {
            Decode::Json => quote! { response.json() },
            Decode::Bytes => quote! { response.bytes() },
            Decode::Text => quote! { response.text() },
        }
    }
}

/// How an array parameter is written, by the name of its `connector_sdk::ArrayFormat` variant
/// (`collectionFormat`, or OpenAPI `style` + `explode`).
pub fn array_format_name(p: &Parameter) -> &'static str {
    match &p.serialization {
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
    }
}

fn array_format(p: &Parameter) -> TokenStream {
    let i = ident(array_format_name(p));
    quote! { ::connector_sdk::ArrayFormat::#i }
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

/// The body parameter that carries the notification URL, and the property path inside it
/// (`body/callbackUrl` → (`body`, [`callbackUrl`])).
pub fn notification_target(op: &Operation) -> Option<(String, Vec<String>)> {
    let OperationKind::WebhookTrigger {
        notification_url_param: Some(p),
        ..
    } = &op.kind
    else {
        return None;
    };
    let mut segments = p.split('/').map(str::to_string);
    let first = segments.next()?;
    Some((first, segments.collect()))
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
        multipart_file_fields(c, op, models)
    } else {
        Vec::new()
    };
    for p in op.parameters.iter().chain(&form_parts) {
        if p.location == ParameterLocation::Body && !sends_body {
            continue;
        }
        let default = c
            .types
            .get(p.schema)
            .default
            .clone()
            .or_else(|| c.types.get(c.types.resolve(p.schema)).default.clone());
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
                let fmt = array_format(p);
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

fn binary_media(op: &Operation) -> String {
    op.consumes
        .iter()
        .find(|m| !m.to_ascii_lowercase().contains("json"))
        .cloned()
        .unwrap_or_else(|| "application/octet-stream".into())
}

/// True when the operation's body is sent as form fields (it consumes
/// `application/x-www-form-urlencoded` or `multipart/form-data`), else as JSON.
pub fn sends_form(op: &Operation) -> bool {
    op.consumes.first().is_some_and(|m| {
        let m = m.to_ascii_lowercase();
        m.starts_with("application/x-www-form-urlencoded") || m.starts_with("multipart/form-data")
    })
}

/// True when the operation's body is `multipart/form-data` (its first `consumes`) and it has
/// form fields or a body: sent as multipart even when no file is given.
pub fn sends_multipart(op: &Operation) -> bool {
    op.consumes
        .first()
        .is_some_and(|m| m.to_ascii_lowercase().starts_with("multipart/form-data"))
        && (op.request_body.is_some()
            || op.parameters.iter().any(|p| {
                matches!(
                    p.location,
                    ParameterLocation::FormData | ParameterLocation::Body
                )
            }))
}

fn body_set(op: &Operation, value: &TokenStream) -> TokenStream {
    if sends_form(op) {
        quote! { call.form_fields(#value); }
    } else {
        quote! { call.json(#value); }
    }
}

/// The success responses with a schema, in written order, one per distinct schema, with how
/// each body is read.
fn success_schemas(types: &TypeSpace, op: &Operation) -> Vec<(StatusKey, SchemaId, Decode)> {
    let mut out: Vec<(StatusKey, SchemaId, Decode)> = Vec::new();
    for r in op.responses.iter().filter(|r| r.status.is_success()) {
        if let Some(s) = r.schema() {
            if !out.iter().any(|(_, x, _)| *x == s) {
                out.push((r.status.clone(), s, decode_of(types, r, s)));
            }
        }
    }
    out
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

/// The properties of an OpenAPI 3 `multipart/form-data` body as formData parameters, when one
/// of them is a file (`format: binary`): a struct field could only carry it as text. Empty for
/// every other operation, whose body stays one typed argument.
fn multipart_file_fields(c: &Connector, op: &Operation, models: &ModelsGen<'_>) -> Vec<Parameter> {
    let Some(body) = op
        .request_body
        .as_ref()
        .filter(|b| b.parameter_name.is_none())
    else {
        return Vec::new();
    };
    let from_parameter = op.parameters.iter().any(|p| {
        matches!(
            p.location,
            ParameterLocation::Body | ParameterLocation::FormData
        )
    });
    let Some(schema) = body.content.first().and_then(|m| m.schema) else {
        return Vec::new();
    };
    if from_parameter || !sends_multipart(op) {
        return Vec::new();
    }
    let properties = models.merged_properties(c.types.get(c.types.resolve(schema)));
    if !properties.iter().any(|(_, id, _)| is_binary(&c.types, *id)) {
        return Vec::new();
    }
    properties
        .into_iter()
        .map(|(name, id, required)| {
            let s = c.types.get(c.types.resolve(id));
            Parameter {
                description: s.description.clone(),
                summary: s.title.clone(),
                ..Parameter::new(
                    name,
                    ParameterLocation::FormData,
                    required && body.required,
                    id,
                    body.origin.clone(),
                )
            }
        })
        .collect()
}

/// The schema of the items of a page (`itemName` of an object, or the items of an array).
fn page_item(
    types: &TypeSpace,
    models: &ModelsGen<'_>,
    page: SchemaId,
    item_name: &str,
) -> Option<SchemaId> {
    let s = types.get(types.resolve(page));
    if s.types == [SchemaType::Array] {
        return s.items;
    }
    let (_, prop, _) = models
        .merged_properties(s)
        .into_iter()
        .find(|(n, _, _)| n == item_name)?;
    types.get(types.resolve(prop)).items
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

/// The connector's policy templates (apiProperties.json `policyTemplateInstances`) as the JSON
/// array the SDK's `Policies::from_json` reads; `None` when it has none.
pub fn policy_templates(c: &Connector) -> Option<String> {
    if c.policies.is_empty() {
        return None;
    }
    let list: Vec<serde_json::Value> = c
        .policies
        .iter()
        .map(|p| {
            let mut m = serde_json::Map::new();
            m.insert("templateId".into(), p.template_id.clone().into());
            if let Some(t) = &p.title {
                m.insert("title".into(), t.clone().into());
            }
            m.insert(
                "parameters".into(),
                p.parameters
                    .iter()
                    .cloned()
                    .collect::<serde_json::Map<_, _>>()
                    .into(),
            );
            serde_json::Value::Object(m)
        })
        .collect();
    Some(serde_json::Value::Array(list).to_string())
}

/// The URL of an operation's own server (with its variables' defaults), when it has one that
/// is complete (a server with a variable that has no value is left to the connection).
pub fn operation_server(op: &Operation) -> Option<String> {
    let s = op.servers.first()?;
    let complete = s
        .variables
        .iter()
        .all(|v| v.default.as_deref().is_some_and(|d| !d.is_empty()));
    let url = s.url_with_defaults();
    (complete && url.contains("://") && !url.contains(['{', '}'])).then_some(url)
}

/// The first server's URL with its variables' defaults.
pub fn base_url(c: &Connector) -> String {
    c.servers
        .first()
        .map(Server::url_with_defaults)
        .unwrap_or_default()
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
            let read = decode.call();
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
                let read = decode.call();
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
                let read = decode.call();
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
        .pageable
        .as_ref()
        .and_then(|p| p.next_link_name.clone().map(|n| (n, p.item_name.clone())))
        .map(|(next_link, item_name)| {
            let item_name = item_name.unwrap_or_else(|| "value".into());
            let item = success
                .first()
                .and_then(|(status, s, _)| {
                    page_item(&c.types, models, *s, &item_name)
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
                match page_item(&c.types, models, s, "value") {
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

/// Index of the `models` section in [`sections`].
const MODELS: usize = 2;

/// The sections of a connector crate's `lib.rs` (client, impl, models, options, responses,
/// triggers and auth) for the connector placed at `root` (`crate`, or `crate::name` when
/// several share a crate). The models section is left empty and its generator returned: its
/// items are only known when every other section has named the types it uses.
fn early_sections<'c>(
    c: &'c Connector,
    root: &str,
) -> Result<(Vec<super::types::Section>, ModelsGen<'c>), String> {
    use super::types::{Section, Wrapper};
    let root_path: syn::Path =
        syn::parse_str(root).map_err(|e| format!("invalid path `{root}`: {e}"))?;
    let root_tokens = quote! { #root_path };
    let mut models = ModelsGen::connector(c, quote! { #root_path::models });
    let items = client_items(c, &mut models, &root_tokens);
    let auth = super::auth::auth_items(c, &root_tokens);
    let ClientItems {
        client,
        members,
        options,
        responses,
        triggers,
    } = items;
    let module = |doc: &'static str, name: &'static str, items: Vec<TokenStream>| Section {
        wrapper: Wrapper::Module { doc, name },
        items,
    };
    let mut sections = vec![
        Section {
            wrapper: Wrapper::None,
            items: vec![client],
        },
        Section {
            wrapper: Wrapper::Impl("Client"),
            items: members,
        },
        module(
            " Types of the connector's requests and responses.",
            "models",
            Vec::new(),
        ),
        module(
            " Optional parameters of the client's methods.",
            "options",
            options,
        ),
    ];
    if !responses.is_empty() {
        sections.push(module(
            " Results of actions with several typed success responses.",
            "responses",
            responses,
        ));
    }
    sections.push(module(
        " The connector's triggers, as values the connector-sdk trigger runtime runs.",
        "triggers",
        triggers,
    ));
    sections.push(module(
        " Connections matching the connector's authentication.",
        "auth",
        vec![auth],
    ));
    Ok((sections, models))
}

/// The Rust source of a connector crate's `lib.rs` (client, models, options, responses,
/// triggers and auth in one file) for the connector placed at `root` (`crate`, or
/// `crate::name` when several share a crate). Formatted in pieces, in parallel: the pieces of
/// the client are formatted while the models are generated.
pub fn crate_source(c: &Connector, root: &str) -> Result<String, String> {
    use super::types::{assemble, format_pieces, to_pieces, Wrapper};
    let (mut sections, models) = early_sections(c, root)?;
    let early = to_pieces(&sections, None);
    // In this thread's pool (no thread of its own): the client's pieces are formatted by
    // another worker while this one generates the models.
    let mut early_done = Vec::new();
    let mut late = Vec::new();
    let mut late_done = Vec::new();
    rayon::in_place_scope(|scope| {
        scope.spawn(|_| early_done = format_pieces(&early));
        sections[MODELS].items = models.finish();
        late = to_pieces(&sections, Some(MODELS));
        late_done = format_pieces(&late);
    });
    let wrappers: Vec<Wrapper> = sections.iter().map(|s| s.wrapper).collect();
    let pieces = early
        .iter()
        .map(|(i, _)| *i)
        .zip(early_done)
        .chain(late.iter().map(|(i, _)| *i).zip(late_done))
        .collect();
    assemble(&wrappers, pieces)
}

/// [`crate_source`] formatted as one file in one piece: the text [`crate_source`] must equal.
pub fn crate_source_whole(c: &Connector, root: &str) -> Result<String, String> {
    let (mut sections, models) = early_sections(c, root)?;
    sections[MODELS].items = models.finish();
    let parts = sections.iter().map(super::types::Section::whole);
    super::types::format_file(quote! { #(#parts)* })
}
