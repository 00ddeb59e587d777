//! Parameters and request bodies: Swagger 2.0 parameters (body and formData included) or
//! OpenAPI 3 parameters and `requestBody`.

use super::{extensions, is_form, platform_extensions, Target, Writer};
use crate::model::*;
use crate::plan::{array_format, ArrayFormat};
use serde_json::{json, Map, Value};

impl Writer<'_> {
    pub(super) fn parameters(&mut self, op: &Operation) -> Vec<Value> {
        let swagger = self.target == Target::Swagger2;
        let mut out = Vec::new();
        for p in &op.parameters {
            let location = match &p.location {
                ParameterLocation::Body => continue, // written from the request body
                ParameterLocation::FormData if !swagger => continue, // part of the request body
                ParameterLocation::Cookie if swagger => {
                    self.notes.push(format!(
                        "operation `{}`: cookie parameter `{}` has no Swagger 2.0 form; left out",
                        op.id, p.name
                    ));
                    continue;
                }
                ParameterLocation::Other(o) => {
                    self.notes.push(format!(
                        "operation `{}`: parameter `{}` in `{o}` cannot be written; left out",
                        op.id, p.name
                    ));
                    continue;
                }
                l => l.as_str().to_string(),
            };
            let mut m = Map::new();
            m.insert("name".into(), p.name.clone().into());
            m.insert("in".into(), location.into());
            if let Some(d) = &p.description {
                m.insert("description".into(), d.clone().into());
            }
            m.insert(
                "required".into(),
                (p.required || p.location == ParameterLocation::Path).into(),
            );
            if p.deprecated && !swagger {
                m.insert("deprecated".into(), true.into());
            }
            if p.allow_empty
                && matches!(
                    p.location,
                    ParameterLocation::Query | ParameterLocation::FormData
                )
            {
                m.insert("allowEmptyValue".into(), true.into());
            }
            if swagger {
                let what = format!("operation `{}` parameter `{}`", op.id, p.name);
                m.extend(self.schemas.inline_primitive(p.schema, &what));
                if let Some(Serialization::CollectionFormat(cf)) = &p.serialization {
                    m.insert("collectionFormat".into(), cf.clone().into());
                } else if let Some(Serialization::Style { .. }) = &p.serialization {
                    let cf = array_format(p).collection_format();
                    if m.get("type").and_then(Value::as_str) == Some("array") {
                        m.insert("collectionFormat".into(), cf.into());
                    }
                }
            } else {
                let schema = self.schemas.schema(p.schema);
                m.insert("schema".into(), schema);
                match &p.serialization {
                    Some(Serialization::Style { style, explode }) => {
                        m.insert("style".into(), style.clone().into());
                        m.insert("explode".into(), (*explode).into());
                    }
                    Some(Serialization::CollectionFormat(_)) => {
                        let (style, explode) = match array_format(p) {
                            ArrayFormat::Multi => ("form", true),
                            ArrayFormat::Ssv => ("spaceDelimited", false),
                            ArrayFormat::Pipes => ("pipeDelimited", false),
                            _ if p.location == ParameterLocation::Path
                                || p.location == ParameterLocation::Header =>
                            {
                                ("simple", false)
                            }
                            _ => ("form", false),
                        };
                        m.insert("style".into(), style.into());
                        m.insert("explode".into(), explode.into());
                    }
                    None => {}
                }
            }
            if let Some(e) = &p.url_encoding {
                m.insert(
                    "x-ms-url-encoding".into(),
                    match e {
                        UrlEncoding::Single => "single".into(),
                        UrlEncoding::Double => "double".into(),
                        UrlEncoding::Other(o) => o.clone().into(),
                    },
                );
            }
            platform_extensions(
                &mut m,
                p.summary.as_deref(),
                p.visibility.as_ref(),
                p.notification_url,
                &p.dynamic,
            );
            extensions(&mut m, &p.extensions);
            out.push(m.into());
        }
        if swagger {
            out.extend(self.body_parameters2(op));
        }
        out
    }

    /// Swagger 2.0: the request body as one `in: body` parameter, or a form body as `formData`
    /// parameters.
    fn body_parameters2(&mut self, op: &Operation) -> Vec<Value> {
        let Some(body) = &op.request_body else {
            return Vec::new();
        };
        let Some(first) = body.content.first() else {
            return Vec::new();
        };
        let has_form_params = op
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::FormData);
        if is_form(&first.media_type) && !has_form_params {
            // An OpenAPI 3 form body: its properties become formData parameters.
            if let Some(id) = first.schema {
                let s = self.c.types.get(self.c.types.resolve(id));
                if !s.properties.is_empty() {
                    return s
                        .properties
                        .iter()
                        .map(|prop| {
                            let what = format!("operation `{}` form field `{}`", op.id, prop.name);
                            let mut m = Map::new();
                            m.insert("name".into(), prop.name.clone().into());
                            m.insert("in".into(), "formData".into());
                            m.insert("required".into(), prop.required.into());
                            let mut fields = self.schemas.inline_primitive(prop.schema, &what);
                            if fields.get("format").and_then(Value::as_str) == Some("binary") {
                                fields.insert("type".into(), "file".into());
                                fields.remove("format");
                            }
                            m.extend(fields);
                            m.into()
                        })
                        .collect();
                }
            }
        }
        if body.content.len() > 1 {
            let distinct: std::collections::HashSet<Option<SchemaId>> =
                body.content.iter().map(|m| m.schema).collect();
            if distinct.len() > 1 {
                self.notes.push(format!(
                    "operation `{}`: Swagger 2.0 has one body schema; the one for {} is written",
                    op.id, first.media_type
                ));
            }
        }
        let mut m = Map::new();
        m.insert(
            "name".into(),
            body.parameter_name
                .clone()
                .unwrap_or_else(|| "body".into())
                .into(),
        );
        m.insert("in".into(), "body".into());
        m.insert("required".into(), body.required.into());
        if let Some(d) = &body.description {
            m.insert("description".into(), d.clone().into());
        }
        let schema = match first.schema {
            Some(id) => self.schemas.schema(id),
            None => json!({}),
        };
        m.insert("schema".into(), schema);
        // Body parameters of a Swagger 2.0 source keep their x-ms-* extensions.
        if let Some(p) = op
            .parameters
            .iter()
            .find(|p| p.location == ParameterLocation::Body)
        {
            platform_extensions(
                &mut m,
                p.summary.as_deref(),
                p.visibility.as_ref(),
                false,
                &p.dynamic,
            );
            extensions(&mut m, &p.extensions);
        }
        vec![m.into()]
    }

    pub(super) fn request_body3(&mut self, op: &Operation) -> Option<Value> {
        let form: Vec<&Parameter> = op
            .parameters
            .iter()
            .filter(|p| p.location == ParameterLocation::FormData)
            .collect();
        if !form.is_empty() {
            let media = op
                .consumes
                .iter()
                .find(|m| is_form(m))
                .cloned()
                .unwrap_or_else(|| {
                    if form.iter().any(|p| {
                        self.c
                            .types
                            .get(self.c.types.resolve(p.schema))
                            .types
                            .contains(&SchemaType::File)
                    }) {
                        "multipart/form-data".into()
                    } else {
                        "application/x-www-form-urlencoded".into()
                    }
                });
            let mut props = Map::new();
            let mut required = Vec::new();
            for p in &form {
                let mut s = self.schemas.schema(p.schema);
                if let (Some(d), Some(obj)) = (&p.description, s.as_object_mut()) {
                    obj.entry("description").or_insert_with(|| d.clone().into());
                }
                if let Some(obj) = s.as_object_mut() {
                    platform_extensions(
                        obj,
                        p.summary.as_deref(),
                        p.visibility.as_ref(),
                        false,
                        &p.dynamic,
                    );
                }
                props.insert(p.name.clone(), s);
                if p.required {
                    required.push(Value::from(p.name.clone()));
                }
            }
            let mut schema = json!({ "type": "object", "properties": props });
            if !required.is_empty() {
                schema["required"] = required.into();
            }
            return Some(json!({ "content": { media: { "schema": schema } } }));
        }
        let body = op.request_body.as_ref()?;
        let mut content = Map::new();
        for mt in &body.content {
            let schema = match mt.schema {
                Some(id) => self.schemas.schema(id),
                None => json!({}),
            };
            content.insert(mt.media_type.clone(), json!({ "schema": schema }));
        }
        if content.is_empty() {
            content.insert("application/json".into(), json!({ "schema": {} }));
        }
        let mut m = Map::new();
        if let Some(d) = &body.description {
            m.insert("description".into(), d.clone().into());
        }
        m.insert("content".into(), content.into());
        if body.required {
            m.insert("required".into(), true.into());
        }
        if let Some(name) = &body.parameter_name {
            m.insert("x-bodyName".into(), name.clone().into());
        }
        Some(m.into())
    }
}
