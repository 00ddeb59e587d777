//! How an operation's responses are read: which success responses have a schema, how each
//! body is decoded, and the items of a page.

use super::schemas::{is_binary, is_plain_string, merged_properties};
use crate::model::*;

/// How a success response's body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// JSON into the schema's type.
    Json,
    /// The bytes as received (`type: file`, `format: binary`): `Vec<u8>`.
    Bytes,
    /// Text: a plain string schema whose media types are none of them JSON (`text/plain`...).
    Text,
}

/// How the body of `response` (whose schema is `schema`) is read.
pub fn decode_of(types: &TypeSpace, response: &Response, schema: SchemaId) -> Decode {
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

/// The success responses with a schema, in written order, one per distinct schema, with how
/// each body is read.
pub fn success_schemas(types: &TypeSpace, op: &Operation) -> Vec<(StatusKey, SchemaId, Decode)> {
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

/// The schema of the items of a page (`itemName` of an object, or the items of an array).
pub fn page_item(types: &TypeSpace, page: SchemaId, item_name: &str) -> Option<SchemaId> {
    let s = types.get(types.resolve(page));
    if s.types == [SchemaType::Array] {
        return s.items;
    }
    let (_, prop, _) = merged_properties(types, s)
        .into_iter()
        .find(|(n, _, _)| n == item_name)?;
    types.get(types.resolve(prop)).items
}
