//! How an operation's request is written: array formats, form or JSON bodies, multipart files.

use super::schemas::{is_binary, merged_properties};
use crate::model::*;

/// How an array parameter's items are written (the runtime's `ArrayFormat`).
pub use connector_sdk::ArrayFormat;

/// The array format of parameter `p`: `collectionFormat`, or OpenAPI `style` + `explode`
/// (`csv` for anything unknown).
pub fn array_format(p: &Parameter) -> ArrayFormat {
    match &p.serialization {
        Some(Serialization::CollectionFormat(f)) => match f.as_str() {
            "multi" => ArrayFormat::Multi,
            "ssv" => ArrayFormat::Ssv,
            "tsv" => ArrayFormat::Tsv,
            "pipes" => ArrayFormat::Pipes,
            _ => ArrayFormat::Csv,
        },
        Some(Serialization::Style { style, explode }) => match (style.as_str(), explode) {
            ("form", true) => ArrayFormat::Multi,
            ("spaceDelimited", _) => ArrayFormat::Ssv,
            ("pipeDelimited", _) => ArrayFormat::Pipes,
            _ => ArrayFormat::Csv,
        },
        None => ArrayFormat::Csv,
    }
}

/// A default value as the text sent on the wire.
pub fn default_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The media type a raw (non-JSON) body is sent as: the first non-JSON `consumes`, else
/// `application/octet-stream`.
pub fn binary_media(op: &Operation) -> String {
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

/// The properties of an OpenAPI 3 `multipart/form-data` body as formData parameters, when one
/// of them is a file (`format: binary`): a struct field could only carry it as text. Empty for
/// every other operation, whose body stays one typed argument.
pub fn multipart_file_fields(c: &Connector, op: &Operation) -> Vec<Parameter> {
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
    let properties = merged_properties(&c.types, c.types.get(c.types.resolve(schema)));
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
