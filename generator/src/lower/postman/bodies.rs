//! Request bodies and saved responses → media types and inferred schemas.

use super::infer::infer;
use super::parts::{SavedResponse, Slot};
use super::url::lookup;
use super::Saved;
use crate::load::json;
use crate::lower::Ctx;
use crate::model::*;
use serde_json::Value as Json;

pub(super) fn media_of(v: &str) -> String {
    v.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Reads a JSON body with the loader's tolerances (comments, trailing commas); `{{variables}}`
/// written outside strings become their value when it is a JSON literal, else `null`.
pub(super) fn parse_json_body(text: &str, vars: &[(String, String)]) -> Option<Json> {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '"' {
            in_string = true;
        } else if rest.starts_with("{{") {
            if let Some(end) = rest[2..].find("}}") {
                let name = rest[2..2 + end].trim();
                let value = lookup(vars, name)
                    .filter(|v| {
                        serde_json::from_str::<Json>(v)
                            .is_ok_and(|j| !j.is_object() && !j.is_array())
                    })
                    .unwrap_or("null");
                out.push_str(value);
                rest = &rest[end + 4..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    json::parse(&out, 256).ok().map(|p| p.root.to_json())
}

pub(super) fn saved(r: &Saved<'_>, origin: &Origin) -> SavedResponse {
    let status = match r.code {
        Some(c) if (100..=599).contains(&c) => StatusKey::Code(c),
        _ => StatusKey::Default,
    };
    let description = r
        .status
        .clone()
        .or_else(|| r.name.clone())
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| "Response".into());
    let response = |media: Option<String>, examples: Vec<Json>, text: bool| SavedResponse {
        status: status.clone(),
        description: description.clone(),
        media,
        examples,
        text,
        origin: origin.clone(),
    };
    let body = r.body.as_deref().unwrap_or("");
    if body.trim().is_empty() {
        return response(None, Vec::new(), false);
    }
    let media = r
        .content_type
        .as_deref()
        .map(media_of)
        .filter(|m| !m.is_empty());
    let jsonish = media.as_deref().map_or_else(
        || body.trim_start().starts_with(['{', '[']),
        |m| m.contains("json"),
    );
    if jsonish {
        if let Some(v) = parse_json_body(body, &[]) {
            let media = media.unwrap_or_else(|| "application/json".into());
            return response(Some(media), vec![v], false);
        }
    }
    let media = media.unwrap_or_else(|| "text/plain".into());
    response(Some(media), vec![Json::String(body.to_string())], true)
}

pub(super) fn merge_responses(into: &mut Vec<SavedResponse>, new: Vec<SavedResponse>) {
    for r in new {
        match into.iter_mut().find(|x| x.status == r.status) {
            Some(x) if x.media.is_none() => *x = r,
            Some(x) if r.media.is_none() || x.media == r.media => x.examples.extend(r.examples),
            Some(_) => {}
            None => into.push(r),
        }
    }
}

pub(super) fn finish(ctx: &mut Ctx<'_>, s: Slot) -> Operation {
    let Slot {
        mut op,
        bodies,
        body_origin,
        responses,
        merged,
    } = s;
    if !merged.is_empty() {
        // The merged requests stay visible in the written definition too.
        let list: Vec<String> = merged.iter().map(|n| format!("“{n}”")).collect();
        let note = format!("Also covers the Postman requests {}.", list.join(", "));
        op.description = Some(match op.description.take() {
            Some(d) => format!("{d}\n\n{note}"),
            None => note,
        });
    }
    let text_schema = |ctx: &mut Ctx<'_>, examples: &[Json], origin: &Origin| {
        let mut schema = Schema {
            types: vec![SchemaType::String],
            format: examples.is_empty().then(|| "binary".to_string()),
            origin: origin.clone(),
            ..Schema::default()
        };
        if let Some(first) = examples.first() {
            schema.rare_mut().example = Some(first.clone());
        }
        ctx.types.add(schema)
    };
    if !bodies.is_empty() {
        let origin = body_origin.unwrap_or_else(|| op.origin.clone());
        let content = bodies
            .iter()
            .map(|(media, examples, text)| {
                let schema = if *text {
                    text_schema(ctx, examples, &origin)
                } else {
                    let refs: Vec<&Json> = examples.iter().collect();
                    infer(&mut ctx.types, &refs, &origin)
                };
                MediaType {
                    media_type: media.clone(),
                    schema: Some(schema),
                }
            })
            .collect();
        op.request_body = Some(RequestBody {
            content,
            required: true,
            description: None,
            parameter_name: Some("body".into()),
            origin,
        });
    }
    for SavedResponse {
        status,
        description,
        media,
        examples,
        text,
        origin,
    } in responses
    {
        let content = match media {
            Some(m) => {
                let schema = if examples.is_empty() {
                    None
                } else if text {
                    Some(text_schema(ctx, &examples[..1], &origin))
                } else {
                    let refs: Vec<&Json> = examples.iter().collect();
                    Some(infer(&mut ctx.types, &refs, &origin))
                };
                if !op.produces.contains(&m) {
                    op.produces.push(m.clone());
                }
                vec![MediaType {
                    media_type: m,
                    schema,
                }]
            }
            None => Vec::new(),
        };
        op.responses.push(Response {
            status,
            description: Some(description),
            content,
            headers: Vec::new(),
            extensions: Extensions::default(),
            origin,
        });
    }
    if op.responses.is_empty() {
        op.responses.push(Response {
            status: StatusKey::Code(200),
            description: Some("OK".into()),
            content: Vec::new(),
            headers: Vec::new(),
            extensions: Extensions::default(),
            origin: op.origin.clone(),
        });
    }
    op
}
