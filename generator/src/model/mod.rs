//! The connector model: one shape for Swagger 2.0, OpenAPI 3.x definitions and Postman collections.
//!
//! Every output (validation, code generation, conversion, the runtime) reads only this model and
//! the source map. Elements keep an [`Origin`] so that anything said about them can point at the
//! file, line and column they came from. Values the platform defines as enumerations keep what
//! was actually written when it is not one of the known values (`Other(..)` variants), and every
//! element keeps its raw `x-*` extensions, so that a misspelt or invalid extension stays visible
//! to the validator.

mod auth;
mod operation;
mod properties;
mod rare;
mod types;

pub use auth::*;
pub use operation::*;
pub use properties::*;
pub use rare::{Rare, Scarce};
pub use types::*;

use crate::location::{FileId, PointerBuf, Span};

/// Where a model element was written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file.
    pub file: FileId,
    /// JSON pointer of the element in that file (text made on demand: `origin.pointer.to_string()`).
    pub pointer: PointerBuf,
    /// Byte span of the element.
    pub span: Span,
}

/// An `x-*` key kept as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Extension {
    /// The key, e.g. `x-ms-visibility` (or a misspelling of it).
    pub key: String,
    /// The value.
    pub value: serde_json::Value,
    /// Where the key is written.
    pub origin: Origin,
}

/// The `x-*` extensions of an element, in written order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extensions(pub Vec<Extension>);

impl Extensions {
    /// The value of `key`, when present.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.iter().find(|e| e.key == key).map(|e| &e.value)
    }

    /// Every extension.
    pub fn iter(&self) -> impl Iterator<Item = &Extension> {
        self.0.iter()
    }
}

/// Which kind of document the connector was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecFormat {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x (the version string as written).
    OpenApi30(String),
    /// OpenAPI 3.1.x.
    OpenApi31(String),
    /// A Postman collection (`v1`, `v2.0.0`, `v2.1.0`).
    Postman(String),
}

impl SpecFormat {
    /// A label such as `Swagger 2.0` or `OpenAPI 3.1.0`.
    pub fn label(&self) -> String {
        match self {
            SpecFormat::Swagger2 => "Swagger 2.0".into(),
            SpecFormat::OpenApi30(v) | SpecFormat::OpenApi31(v) => format!("OpenAPI {v}"),
            SpecFormat::Postman(v) => format!("Postman collection {v}"),
        }
    }
}

/// A server the API is reached at (OpenAPI 3 `servers`, or Swagger 2 scheme + host + basePath).
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL, possibly with `{variables}`.
    pub url: String,
    /// What it is.
    pub description: Option<String>,
    /// Server variables: name, default, allowed values.
    pub variables: Vec<ServerVariable>,
}

impl Server {
    /// The URL with each variable that has a default replaced by it (others stay `{name}`).
    pub fn url_with_defaults(&self) -> String {
        let mut url = self.url.clone();
        for v in &self.variables {
            if let Some(d) = &v.default {
                url = url.replace(&format!("{{{}}}", v.name), d);
            }
        }
        url
    }
}

/// A `{variable}` of a server URL.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// The name.
    pub name: String,
    /// The default value.
    pub default: Option<String>,
    /// Allowed values.
    pub allowed: Vec<String>,
    /// What it is.
    pub description: Option<String>,
}

/// Contact details from `info.contact`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contact {
    /// Name.
    pub name: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Where it is written.
    pub origin: Origin,
}

/// One entry of `x-ms-connector-metadata`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetadataEntry {
    /// `propertyName`, e.g. `Website`, `Privacy policy`, `Categories`.
    pub name: String,
    /// `propertyValue`.
    pub value: String,
    /// Where it is written.
    pub origin: Origin,
}

/// Descriptive metadata of a connector.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// `x-ms-connector-metadata` entries.
    pub connector_metadata: Vec<MetadataEntry>,
    /// Where `x-ms-connector-metadata` is written, when it is.
    pub connector_metadata_origin: Option<Origin>,
    /// `info.contact`.
    pub contact: Option<Contact>,
    /// `info.license.name`.
    pub license: Option<String>,
    /// Document-level `x-ms-capabilities` (e.g. `testConnection`).
    pub capabilities: Option<serde_json::Value>,
    /// Tags declared at the top level: name and description.
    pub tags: Vec<(String, Option<String>)>,
}

/// A custom connector: the whole model.
#[derive(Debug, Clone, PartialEq)]
pub struct Connector {
    /// A short name: the connector folder's name, else the title, else the file stem.
    pub name: String,
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: Option<String>,
    /// The kind of document it was read from.
    pub format: SpecFormat,
    /// Host (Swagger 2 `host`, or the host of the first OpenAPI 3 server).
    pub host: Option<String>,
    /// Base path (Swagger 2 `basePath`, or the path of the first OpenAPI 3 server).
    pub base_path: Option<String>,
    /// Schemes (`https`, `http`).
    pub schemes: Vec<String>,
    /// Servers, as OpenAPI 3 would write them.
    pub servers: Vec<Server>,
    /// Media types consumed by default (Swagger 2 `consumes`).
    pub consumes: Vec<String>,
    /// Media types produced by default (Swagger 2 `produces`).
    pub produces: Vec<String>,
    /// Security schemes.
    pub auth: Vec<AuthScheme>,
    /// Security requirements that apply to every operation unless it has its own.
    pub security: Vec<SecurityRequirement>,
    /// `apiProperties.json`, when the connector folder has one that could be read.
    pub connection: Option<ApiProperties>,
    /// `settings.json`, when present.
    pub settings: Option<Settings>,
    /// Policy templates from `apiProperties.json`.
    pub policies: Vec<PolicyTemplate>,
    /// Operations: actions and triggers, in document order.
    pub operations: Vec<Operation>,
    /// Every schema, named and anonymous.
    pub types: TypeSpace,
    /// Descriptive metadata.
    pub metadata: Metadata,
    /// Top-level `x-*` extensions.
    pub extensions: Extensions,
    /// Where the definition's root is.
    pub origin: Origin,
}

impl Connector {
    /// The operation with this id.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// How many actions, polling triggers and webhook triggers.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for op in &self.operations {
            match op.kind {
                OperationKind::Action { .. } => c.0 += 1,
                OperationKind::PollingTrigger { .. } => c.1 += 1,
                OperationKind::WebhookTrigger { .. } => c.2 += 1,
            }
        }
        c
    }
}
