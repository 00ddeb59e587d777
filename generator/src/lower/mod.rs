//! Lowering: loaded documents → [`crate::model::Connector`].
//!
//! One context ([`Ctx`]) carries the sources, the `$ref` resolver, the type arena and the
//! diagnostics; the Swagger 2.0 and OpenAPI 3.x front ends share its helpers, so extensions,
//! dynamic values, schemas and trigger classification behave the same for every format.

mod common;
mod openapi3;
mod postman;
mod properties;
mod schema;
mod swagger2;

use crate::diagnostics::{codes, Diagnostic};
use crate::load::confine::Unreadable;
use crate::load::input::Input;
use crate::load::node::{Node, PointerBuf, Span};
use crate::load::refs::{RefError, Resolver};
use crate::load::source::{FileId, Sources};
use crate::model::{ConnectionFiles, Connector, Origin, SchemaId, TypeSpace};
use std::collections::HashMap;

/// The files of one connector.
#[derive(Debug, Clone, Copy)]
pub struct Files {
    /// The Swagger/OpenAPI definition.
    pub definition: FileId,
    /// `apiProperties.json`.
    pub properties: Option<FileId>,
    /// `settings.json`.
    pub settings: Option<FileId>,
}

/// The lowering context.
pub(crate) struct Ctx<'a> {
    pub sources: &'a Sources,
    pub resolver: Resolver<'a>,
    pub diags: &'a mut Vec<Diagnostic>,
    pub types: TypeSpace,
    schema_ids: HashMap<(FileId, String), SchemaId>,
    pending: Vec<(SchemaId, FileId, &'a Node, String)>,
}

impl<'a> Ctx<'a> {
    fn new(
        sources: &'a Sources,
        unreadable: &'a Unreadable,
        diags: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Ctx {
            sources,
            resolver: Resolver::new(sources, unreadable),
            diags,
            types: TypeSpace::default(),
            schema_ids: HashMap::new(),
            pending: Vec::new(),
        }
    }

    pub fn origin(&self, file: FileId, ptr: &PointerBuf, node: &Node) -> Origin {
        Origin {
            file,
            pointer: ptr.clone(),
            span: node.span,
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Reports a reference that could not be followed, at the `$ref` value.
    pub fn ref_error(&mut self, file: FileId, node: &Node, ptr: &PointerBuf, e: &RefError) {
        let (code, help) = match e {
            RefError::Url(_) => (
                &codes::UNSUPPORTED_REF,
                "copy the referenced schema into the definition (e.g. under `definitions`) and refer to it with `#/...`",
            ),
            RefError::Loop(_) => (&codes::REF_LOOP, "make one of the references point at a real definition"),
            RefError::File(_, crate::load::confine::FileError::NotAllowed(_)) => (
                &codes::FILE_NOT_ALLOWED,
                "keep the definition's files as regular files in its folder, or allow another folder with --root DIR",
            ),
            _ => (&codes::UNRESOLVED_REF, "check the spelling of the reference and that the target exists"),
        };
        let span = node.member("$ref").map_or(node.span, |m| m.value.span);
        let pointer = ptr.join("$ref");
        self.push(
            Diagnostic::new(
                code,
                match e {
                    RefError::Url(_) => format!("reference not followed: {e}"),
                    RefError::Loop(_) => format!("reference loop: {e}"),
                    RefError::File(_, crate::load::confine::FileError::NotAllowed(_)) => {
                        format!("reference not followed: {e}")
                    }
                    _ => format!("unresolved reference: {e}"),
                },
            )
            .at(file, span)
            .pointer(pointer.as_string())
            .help(help),
        );
    }
}

fn connection_files(ctx: &mut Ctx<'_>, files: Files) -> ConnectionFiles {
    let (properties, policies) = match files.properties {
        Some(p) => properties::api_properties(ctx, p),
        None => (None, Vec::new()),
    };
    ConnectionFiles {
        properties,
        policies,
        settings: files.settings.and_then(|s| properties::settings(ctx, s)),
    }
}

/// Reads only the connection files of a connector (used when its definition cannot be read, so
/// that their own rules still run).
pub fn lower_connection_files(
    sources: &Sources,
    unreadable: &Unreadable,
    files: Files,
    diags: &mut Vec<Diagnostic>,
) -> ConnectionFiles {
    let mut ctx = Ctx::new(sources, unreadable, diags);
    connection_files(&mut ctx, files)
}

/// Lowers the connector whose files are `files`. Returns `None` when the definition could not
/// be read at all (its diagnostics say why).
pub fn lower(
    sources: &Sources,
    unreadable: &Unreadable,
    input: &Input,
    files: Files,
    diags: &mut Vec<Diagnostic>,
) -> Option<Connector> {
    let def = sources.get(files.definition);
    let root = def.root.as_ref()?;
    let mut ctx = Ctx::new(sources, unreadable, diags);
    let Some(obj) = root.as_object() else {
        ctx.push(
            Diagnostic::new(
                &codes::NOT_A_DEFINITION,
                format!(
                    "expected a Swagger 2.0 or OpenAPI 3.x object or a Postman collection, found {}",
                    root.type_name()
                ),
            )
            .at(
                files.definition,
                Span::new(root.span.start as usize, root.span.start as usize + 1),
            ),
        );
        return None;
    };
    let version_of = |key: &str| obj.iter().find(|m| m.key == key);
    let mut connector = if let Some(m) = version_of("swagger") {
        let v = m.value.to_json();
        if v != serde_json::Value::String("2.0".into()) {
            ctx.push(
                Diagnostic::new(
                    &codes::UNSUPPORTED_VERSION,
                    format!("`swagger` is {v}; only \"2.0\" is read (the document is read as Swagger 2.0)"),
                )
                .at(files.definition, m.value.span)
                .pointer("/swagger")
                .help("set \"swagger\": \"2.0\""),
            );
        }
        swagger2::lower(&mut ctx, files.definition, root)
    } else if let Some(m) = version_of("openapi") {
        let v = m.value.as_str().unwrap_or("").to_string();
        let minor = if v.starts_with("3.0") {
            Some(false)
        } else if v.starts_with("3.1") {
            Some(true)
        } else {
            None
        };
        let Some(is_31) = minor else {
            ctx.push(
                Diagnostic::new(
                    &codes::UNSUPPORTED_VERSION,
                    format!(
                        "`openapi` is {}; versions 3.0.x and 3.1.x are read",
                        m.value.to_json()
                    ),
                )
                .at(files.definition, m.value.span)
                .pointer("/openapi"),
            );
            return None;
        };
        openapi3::lower(&mut ctx, files.definition, root, v, is_31)
    } else if let Some(found) = postman::detect(root) {
        match found {
            Ok(version) => postman::lower(&mut ctx, files.definition, root, version),
            Err(what) => {
                let at = root
                    .get("info")
                    .and_then(|i| i.get("schema"))
                    .map_or(root.span, |s| s.span);
                ctx.push(
                    Diagnostic::new(
                        &codes::UNSUPPORTED_VERSION,
                        format!("a Postman collection with {what}; versions v1, v2.0.0 and v2.1.0 are read"),
                    )
                    .at(files.definition, at)
                    .pointer("/info/schema")
                    .help("export the collection from Postman as Collection v2.1"),
                );
                return None;
            }
        }
    } else {
        ctx.push(
            Diagnostic::new(
                &codes::NOT_A_DEFINITION,
                "not a Swagger 2.0 or OpenAPI 3.x definition or a Postman collection: the root object has no `swagger` or `openapi` field, and no Postman `info.schema` or `item` list",
            )
            .at(files.definition, Span::new(root.span.start as usize, root.span.start as usize + 1))
            .help("a Swagger 2.0 definition starts with \"swagger\": \"2.0\"; an OpenAPI one with \"openapi\": \"3.x.y\"; a Postman collection has `info.schema` naming its version"),
        );
        return None;
    };
    let connection = connection_files(&mut ctx, files);
    connector.connection = connection.properties;
    connector.policies = connection.policies;
    connector.settings = connection.settings;
    connector.name = input
        .folder
        .as_ref()
        .and_then(|f| f.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != ".")
        .or_else(|| Some(connector.title.clone()).filter(|t| !t.trim().is_empty()))
        .or_else(|| {
            input
                .definition
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "connector".into());
    // The model lives as long as the findings made of it: the room the lists grew into is
    // given back (up to half of each, for a definition of many operations).
    connector.operations.shrink_to_fit();
    for op in &mut connector.operations {
        // One parameter or response takes a list of four places.
        op.parameters.shrink_to_fit();
        op.responses.shrink_to_fit();
    }
    connector.types.shrink_to_fit();
    Some(connector)
}
