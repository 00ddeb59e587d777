//! Operations: actions and triggers, with their parameters, bodies and responses.

use super::{Extensions, Origin, SchemaId, SecurityRequirement};

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// The method for a path-item key (`get`, `post`, ...), case-sensitive as the specs are.
    pub fn from_key(key: &str) -> Option<Method> {
        Some(match key {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    /// `GET`, `POST`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// `x-ms-visibility`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// `important`: always shown first.
    Important,
    /// `advanced`: hidden under "advanced".
    Advanced,
    /// `internal`: never shown to the user.
    Internal,
    /// `none` (the platform default).
    None,
    /// Anything else, as written (`"Advanced"`, `""`, a non-string...).
    Other(String),
}

impl Visibility {
    /// Reads the written value exactly (the platform is case-sensitive).
    pub fn parse(value: &serde_json::Value) -> Visibility {
        match value.as_str() {
            Some("important") => Visibility::Important,
            Some("advanced") => Visibility::Advanced,
            Some("internal") => Visibility::Internal,
            Some("none") => Visibility::None,
            Some(other) => Visibility::Other(other.to_string()),
            None => Visibility::Other(value.to_string()),
        }
    }
}

/// `x-ms-url-encoding` of a path parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlEncoding {
    /// Encoded once.
    Single,
    /// Encoded twice (the platform's default for path parameters).
    Double,
    /// Anything else, as written.
    Other(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
    /// The request body (Swagger 2 `in: body`).
    Body,
    /// A form field (Swagger 2 `in: formData`).
    FormData,
    /// Something else, as written.
    Other(String),
}

impl ParameterLocation {
    /// The `in` value.
    pub fn as_str(&self) -> &str {
        match self {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
            ParameterLocation::Body => "body",
            ParameterLocation::FormData => "formData",
            ParameterLocation::Other(o) => o,
        }
    }
}

/// How an array or object parameter is serialised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Serialization {
    /// Swagger 2 `collectionFormat` (`csv`, `ssv`, `tsv`, `pipes`, `multi`).
    CollectionFormat(String),
    /// OpenAPI 3 `style` and `explode`.
    Style {
        /// `form`, `simple`, `label`, `matrix`, `spaceDelimited`, `pipeDelimited`, `deepObject`.
        style: String,
        /// `explode`.
        explode: bool,
    },
}

/// A value given to a parameter of another operation by an `x-ms-dynamic-*` extension.
#[derive(Debug, Clone, PartialEq)]
pub enum DynamicArgument {
    /// Taken from a parameter of this operation (`{"parameter": "x"}` or `{"parameterReference": "x"}`).
    Parameter(String),
    /// A fixed value (`{"value": ...}` or a bare value).
    Value(serde_json::Value),
}

/// Which `x-ms-dynamic-*` extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DynamicKind {
    /// `x-ms-dynamic-values`: a list of choices.
    Values,
    /// `x-ms-dynamic-list`: the newer form of values.
    List,
    /// `x-ms-dynamic-schema`: the schema comes from an operation.
    Schema,
    /// `x-ms-dynamic-properties`: the newer form of schema.
    Properties,
    /// `x-ms-dynamic-tree`: a hierarchical picker.
    Tree,
}

impl DynamicKind {
    /// The extension key.
    pub fn key(self) -> &'static str {
        match self {
            DynamicKind::Values => "x-ms-dynamic-values",
            DynamicKind::List => "x-ms-dynamic-list",
            DynamicKind::Schema => "x-ms-dynamic-schema",
            DynamicKind::Properties => "x-ms-dynamic-properties",
            DynamicKind::Tree => "x-ms-dynamic-tree",
        }
    }

    /// Every kind.
    pub const ALL: [DynamicKind; 5] = [
        DynamicKind::Values,
        DynamicKind::List,
        DynamicKind::Schema,
        DynamicKind::Properties,
        DynamicKind::Tree,
    ];
}

/// An `x-ms-dynamic-*` extension: values or a schema obtained by calling another operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Dynamic {
    /// Which extension.
    pub kind: DynamicKind,
    /// The operation called (`operationId`), when given.
    pub operation_id: Option<String>,
    /// Arguments passed to it.
    pub parameters: Vec<(String, DynamicArgument)>,
    /// `value-path` / `itemValuePath` / `itemsPath` ...: where the value is found in the response.
    pub value_path: Option<String>,
    /// `value-title` / `itemTitlePath`.
    pub value_title: Option<String>,
    /// `value-collection` / `itemsPath`.
    pub value_collection: Option<String>,
    /// The capability form (`"capability": "file-picker"`): served by the platform, not by an
    /// operation of the connector.
    pub capability: bool,
    /// The whole extension value as written.
    pub raw: serde_json::Value,
    /// Where it is written.
    pub origin: Origin,
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name.
    pub name: String,
    /// Where it goes.
    pub location: ParameterLocation,
    /// Required.
    pub required: bool,
    /// Its schema (for body parameters, the body's schema).
    pub schema: SchemaId,
    /// Description.
    pub description: Option<String>,
    /// `x-ms-summary`: the label shown to users.
    pub summary: Option<String>,
    /// `x-ms-visibility`.
    pub visibility: Option<Visibility>,
    /// `x-ms-url-encoding`.
    pub url_encoding: Option<UrlEncoding>,
    /// How arrays/objects are serialised.
    pub serialization: Option<Serialization>,
    /// `allowEmptyValue`.
    pub allow_empty: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `x-ms-dynamic-*` extensions.
    pub dynamic: Vec<Dynamic>,
    /// True when this parameter (or, for a body, a property within it) carries
    /// `x-ms-notification-url: true`.
    pub notification_url: bool,
    /// Extensions.
    pub extensions: Extensions,
    /// Where it is written (after following `$ref`).
    pub origin: Origin,
    /// Where it is used (the `$ref` site, or the same as `origin`).
    pub use_site: Origin,
}

impl Parameter {
    /// A parameter with nothing but its name, place, requiredness and schema (no description,
    /// extensions or serialisation), written and used at `origin`: what inputs without
    /// parameter objects (Postman requests, the properties of a multipart body) make.
    pub fn new(
        name: impl Into<String>,
        location: ParameterLocation,
        required: bool,
        schema: SchemaId,
        origin: Origin,
    ) -> Self {
        Parameter {
            name: name.into(),
            location,
            required,
            schema,
            description: None,
            summary: None,
            visibility: None,
            url_encoding: None,
            serialization: None,
            allow_empty: false,
            deprecated: false,
            dynamic: Vec::new(),
            notification_url: false,
            extensions: Extensions::default(),
            use_site: origin.clone(),
            origin,
        }
    }
}

/// One media type of a request or response body.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaType {
    /// e.g. `application/json`.
    pub media_type: String,
    /// The schema, when given.
    pub schema: Option<SchemaId>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Media types offered (Swagger 2: from `consumes`).
    pub content: Vec<MediaType>,
    /// Required.
    pub required: bool,
    /// Description.
    pub description: Option<String>,
    /// The Swagger 2 body parameter's name, when it came from one.
    pub parameter_name: Option<String>,
    /// Where it is written.
    pub origin: Origin,
}

/// A response status key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusKey {
    /// An exact code such as 200.
    Code(u16),
    /// A range such as `2XX` (the leading digit).
    Range(u8),
    /// `default`.
    Default,
    /// Anything else, as written.
    Other(String),
}

impl StatusKey {
    /// Reads a `responses` key.
    pub fn parse(key: &str) -> StatusKey {
        if key == "default" {
            return StatusKey::Default;
        }
        if let Ok(code) = key.parse::<u16>() {
            if (100..=599).contains(&code) {
                return StatusKey::Code(code);
            }
        }
        let b = key.as_bytes();
        if b.len() == 3 && (b'1'..=b'5').contains(&b[0]) && b[1..].eq_ignore_ascii_case(b"XX") {
            return StatusKey::Range(b[0] - b'0');
        }
        StatusKey::Other(key.to_string())
    }

    /// The key as a `responses` key is written (`200`, `2XX`, `default`).
    pub fn as_str(&self) -> String {
        match self {
            StatusKey::Code(c) => c.to_string(),
            StatusKey::Range(r) => format!("{r}XX"),
            StatusKey::Default => "default".into(),
            StatusKey::Other(o) => o.clone(),
        }
    }

    /// True for 2xx codes and the `2XX` range.
    pub fn is_success(&self) -> bool {
        match self {
            StatusKey::Code(c) => (200..300).contains(c),
            StatusKey::Range(r) => *r == 2,
            _ => false,
        }
    }
}

/// A response header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The name.
    pub name: String,
    /// Its schema.
    pub schema: SchemaId,
    /// Description.
    pub description: Option<String>,
}

/// A response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status key.
    pub status: StatusKey,
    /// Description.
    pub description: Option<String>,
    /// Media types (Swagger 2: `schema` with the operation's `produces`).
    pub content: Vec<MediaType>,
    /// Headers.
    pub headers: Vec<Header>,
    /// `x-ms-summary` and others.
    pub extensions: Extensions,
    /// Where it is written.
    pub origin: Origin,
}

impl Response {
    /// The first schema of the response, when it has one.
    pub fn schema(&self) -> Option<SchemaId> {
        self.content.iter().find_map(|m| m.schema)
    }
}

/// `x-ms-trigger`: how a polling trigger yields events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriggerMode {
    /// One event per response.
    Single,
    /// One event per item of the response.
    Batch,
    /// Anything else, as written.
    Other(String),
}

impl TriggerMode {
    /// `single`, `batch`, or as written.
    pub fn as_str(&self) -> &str {
        match self {
            TriggerMode::Single => "single",
            TriggerMode::Batch => "batch",
            TriggerMode::Other(o) => o,
        }
    }
}

/// The notification a webhook trigger receives (`x-ms-notification-content`, a 3.1 webhook's or
/// a 3.0 callback's request body).
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationContent {
    /// Description.
    pub description: Option<String>,
    /// Schema of the notification body.
    pub schema: Option<SchemaId>,
    /// Where it is written.
    pub origin: Origin,
}

/// What an operation is.
#[derive(Debug, Clone, PartialEq)]
pub enum OperationKind {
    /// An action a workflow calls.
    Action {
        /// True when the platform's asynchronous pattern applies (a declared `202` response, or
        /// `x-ms-long-running-operation: true`).
        long_running: bool,
    },
    /// A trigger the runtime polls.
    PollingTrigger {
        /// `x-ms-trigger`.
        mode: TriggerMode,
    },
    /// A trigger that registers a callback URL and is then called.
    WebhookTrigger {
        /// `x-ms-trigger`, when written.
        mode: Option<TriggerMode>,
        /// The parameter carrying `x-ms-notification-url` (body parameters: `name/property/...`).
        notification_url_param: Option<String>,
        /// What a notification holds.
        notification: Option<NotificationContent>,
        /// For an OpenAPI 3.0 callback: the id of the operation that registers it.
        subscribed_by: Option<String>,
    },
}

impl OperationKind {
    /// `action`, `polling-trigger` or `webhook-trigger` (the stable names of `inspect --format json`).
    pub fn label(&self) -> &'static str {
        match self {
            OperationKind::Action { .. } => "action",
            OperationKind::PollingTrigger { .. } => "polling-trigger",
            OperationKind::WebhookTrigger { .. } => "webhook-trigger",
        }
    }

    /// True for triggers.
    pub fn is_trigger(&self) -> bool {
        !matches!(self, OperationKind::Action { .. })
    }
}

/// `x-ms-pageable`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pageable {
    /// `nextLinkName`: the response property holding the next page's URL (`None` when the
    /// extension says `null`: one page only).
    pub next_link_name: Option<String>,
    /// `itemName` (default `value`).
    pub item_name: Option<String>,
    /// Where it is written.
    pub origin: Origin,
}

/// An operation of the connector.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` (generated from method and path when missing: see `id_generated`).
    pub id: String,
    /// True when the definition has no `operationId` and one was made up.
    pub id_generated: bool,
    /// The HTTP method.
    pub method: Method,
    /// The path template, relative to the base path.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `x-ms-visibility`.
    pub visibility: Option<Visibility>,
    /// `tags`.
    pub tags: Vec<String>,
    /// Parameters: path-level ones merged with the operation's (operation wins).
    pub parameters: Vec<Parameter>,
    /// The request body, when any.
    pub request_body: Option<RequestBody>,
    /// Responses in written order.
    pub responses: Vec<Response>,
    /// Media types consumed (Swagger 2: operation's or the document's `consumes`).
    pub consumes: Vec<String>,
    /// Media types produced.
    pub produces: Vec<String>,
    /// Action or trigger.
    pub kind: OperationKind,
    /// `deprecated` (also `x-ms-api-annotation.status: "Deprecated"` is kept in extensions).
    pub deprecated: bool,
    /// Extensions.
    pub extensions: Extensions,
    /// Where it is written.
    pub origin: Origin,
    /// The rest, when the operation has any of it (read with [`Operation::rare`], changed with
    /// [`Operation::rare_mut`]).
    pub rare: super::Rare<OperationRare>,
}

/// The parts of an [`Operation`] few operations have. A definition of 100,000 operations holds
/// 100,000 of them; these parts (three JSON values of 72 bytes each among them) took 360 of the
/// 888 bytes an operation held.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OperationRare {
    /// `x-ms-pageable`.
    pub pageable: Option<Pageable>,
    /// `x-ms-trigger-hint`.
    pub trigger_hint: Option<String>,
    /// `x-ms-trigger-metadata`.
    pub trigger_metadata: Option<serde_json::Value>,
    /// `x-ms-capabilities`.
    pub capabilities: Option<serde_json::Value>,
    /// `x-ms-api-annotation`.
    pub api_annotation: Option<serde_json::Value>,
    /// The operation's own security requirements, when it overrides the document's.
    pub security: Option<Vec<SecurityRequirement>>,
    /// Servers of this operation when it is not reached at the connector's own (OpenAPI 3
    /// operation or path `servers`; a Postman request to another host). Empty: the connector's.
    pub servers: Vec<super::Server>,
}

/// What [`Operation::rare`] gives for an operation without any of its parts.
static NO_OPERATION_RARE: OperationRare = OperationRare {
    pageable: None,
    trigger_hint: None,
    trigger_metadata: None,
    capabilities: None,
    api_annotation: None,
    security: None,
    servers: Vec::new(),
};

impl super::Scarce for OperationRare {
    fn none() -> &'static OperationRare {
        &NO_OPERATION_RARE
    }
}

impl Operation {
    /// The parts few operations have (empty ones when this operation has none of them).
    pub fn rare(&self) -> &OperationRare {
        self.rare.get()
    }

    /// The parts few operations have, to change them (made when the operation had none).
    pub fn rare_mut(&mut self) -> &mut OperationRare {
        self.rare.get_mut()
    }
}

/// A path template with its parameter names blanked: `/a/{x}` and `/a/{y}` become `/a/{}`, one
/// OpenAPI path.
pub fn template_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('{');
            }
            '}' => {
                depth -= 1;
                out.push('}');
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}
