//! What the passes over a collection share: where a request goes ([`Target`]), the operation
//! being assembled from its requests ([`Slot`]) with their saved responses, and the findings
//! every pass may report.

use super::Req;
use crate::diagnostics::{codes, Diagnostic};
use crate::load::node::{Node, PointerBuf};
use crate::location::FileId;
use crate::lower::Ctx;
use crate::model::*;
use serde_json::Value as Json;
use std::collections::HashSet;

/// Where a request goes: its origin (scheme, host, port; `{variables}` for unknown parts), the
/// path segments a `{{baseUrl}}`-like variable contributed, and the URL's own path segments.
pub(super) struct Target {
    pub origin: String,
    pub server_vars: Vec<String>,
    pub prefix: Vec<String>,
    pub path: Vec<String>,
    pub query: Vec<(String, String)>,
    pub trailing_slash: bool,
    /// The URL carried credentials (`user:password@`, often through a variable): they were
    /// taken out of the origin.
    pub had_credentials: bool,
}

/// Body examples by media type: the examples, and whether the body is text (no schema).
pub(super) type Bodies = Vec<(String, Vec<Json>, bool)>;

/// One operation being assembled from one or more requests.
pub(super) struct Slot {
    pub op: Operation,
    /// Request body examples by media type (text bodies keep `None` for the schema-less case).
    pub bodies: Bodies,
    pub body_origin: Option<Origin>,
    /// Saved responses by status: description, media type, examples, text-only.
    pub responses: Vec<SavedResponse>,
    /// Names of the requests merged into this operation after the first.
    pub merged: Vec<String>,
}

/// A saved response, read: what it becomes (merged with others of its status) once every
/// request of the operation is known.
pub(super) struct SavedResponse {
    pub status: StatusKey,
    pub description: String,
    /// The media type of its body; `None` when it has none.
    pub media: Option<String>,
    /// Body examples (JSON, or one text).
    pub examples: Vec<Json>,
    /// The body is text, not JSON.
    pub text: bool,
    pub origin: Origin,
}

/// Where a node of the collection is written.
pub(super) fn origin(file: FileId, ptr: &PointerBuf, node: &Node) -> Origin {
    Origin {
        file,
        pointer: ptr.clone(),
        span: node.span,
    }
}

/// A request's name for messages.
pub(super) fn label(req: &Req<'_>) -> String {
    if req.name.trim().is_empty() {
        "(unnamed)".to_string()
    } else {
        req.name.clone()
    }
}

/// A URL scheme as written, for a message (at most 20 characters).
pub(super) fn printable_scheme(scheme: &str) -> String {
    scheme.chars().take(20).collect()
}

pub(super) fn skipped(ctx: &mut Ctx<'_>, file: FileId, req: &Req<'_>, message: String) {
    ctx.push(
        Diagnostic::new(&codes::POSTMAN_REQUEST_SKIPPED, message)
            .at(file, req.node.member("name").map_or(req.node.span, |m| m.value.span))
            .pointer(req.ptr.as_string())
            .help("the request is left out of the converted definition; change it if it should be an operation"),
    );
}

/// Says once per variable that `{{name}}` has no value (Postman's own `{{$guid}}`-like dynamic
/// variables are filled when sending, so they are not reported).
pub(super) fn note_undefined(
    ctx: &mut Ctx<'_>,
    file: FileId,
    req: &Req<'_>,
    name: &str,
    becomes: String,
    seen: &mut HashSet<String>,
) {
    if name.starts_with('$') || !seen.insert(name.to_string()) {
        return;
    }
    ctx.push(
        Diagnostic::new(
            &codes::POSTMAN_UNDEFINED_VARIABLE,
            format!("the variable `{{{{{name}}}}}` has no value in the collection; {becomes}"),
        )
        .at(
            file,
            req.node
                .member("name")
                .map_or(req.node.span, |m| m.value.span),
        )
        .pointer(req.ptr.as_string())
        .help(
            "give the variable a value in the collection's `variable` list to make it the default",
        ),
    );
}
