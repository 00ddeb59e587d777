//! `apiProperties.json` and `settings.json` → model.

use super::Ctx;
use crate::diagnostics::{codes, Diagnostic};
use crate::load::node::{Node, PointerBuf, Span, Value};
use crate::location::FileId;
use crate::model::*;

fn text(v: &Node) -> Option<String> {
    match &v.value {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        _ => Some(v.to_json().to_string()),
    }
}

fn truthy(v: Option<&Node>) -> bool {
    match v.map(|v| &v.value) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

impl<'a> Ctx<'a> {
    fn connection_parameter(
        &mut self,
        file: FileId,
        name: &str,
        node: &'a Node,
        ptr: &PointerBuf,
    ) -> ConnectionParameter {
        let type_raw = self.str_field(file, node, ptr, "type");
        let ui = node.get("uiDefinition");
        let ui_str = |k: &str| ui.and_then(|u| u.get(k)).and_then(text);
        let constraints = ui.and_then(|u| u.get("constraints"));
        let oauth = node
            .get("oAuthSettings")
            .filter(|o| o.as_object().is_some())
            .map(|o| {
                let optr = ptr.join("oAuthSettings");
                let custom_parameters = o
                    .get("customParameters")
                    .and_then(Node::as_object)
                    .unwrap_or(&[])
                    .iter()
                    .map(|m| (m.key.clone(), m.value.get("value").and_then(text)))
                    .collect();
                OAuthSettings {
                    identity_provider: o.get_str("identityProvider").map(IdentityProvider::parse),
                    client_id: o.get("clientId").and_then(text),
                    scopes: o
                        .get("scopes")
                        .and_then(Node::as_array)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(text)
                        .collect(),
                    redirect_mode: o.get("redirectMode").and_then(text),
                    redirect_url: o.get("redirectUrl").and_then(text),
                    custom_parameters,
                    properties: match o.get("properties").map(Node::to_json) {
                        Some(serde_json::Value::Object(m)) => m,
                        _ => serde_json::Map::new(),
                    },
                    raw: o.to_json(),
                    origin: self.origin(file, &optr, o),
                }
            });
        ConnectionParameter {
            name: name.to_string(),
            kind: type_raw
                .as_deref()
                .map(ConnectionParameterType::parse)
                .unwrap_or_else(|| ConnectionParameterType::Other(String::new())),
            type_raw,
            display_name: ui_str("displayName"),
            description: ui_str("description"),
            tooltip: ui_str("tooltip"),
            required: truthy(constraints.and_then(|c| c.get("required"))),
            hidden: truthy(constraints.and_then(|c| c.get("hidden"))),
            allowed_values: constraints
                .and_then(|c| c.get("allowedValues"))
                .and_then(Node::as_array)
                .unwrap_or(&[])
                .iter()
                .filter_map(|v| v.get("value").and_then(text))
                .collect(),
            oauth,
            raw: node.to_json(),
            origin: self.origin(file, ptr, node),
        }
    }

    fn connection_parameters(
        &mut self,
        file: FileId,
        map: &'a Node,
        ptr: &PointerBuf,
    ) -> Vec<ConnectionParameter> {
        let mut out = Vec::new();
        for m in map.as_object().unwrap_or(&[]) {
            let p = ptr.join(&m.key);
            if m.value.as_object().is_none() {
                self.push(
                    Diagnostic::new(
                        &codes::UNEXPECTED_TYPE,
                        format!(
                            "connection parameter `{}` should be an object, found {}",
                            m.key,
                            m.value.type_name()
                        ),
                    )
                    .at(file, m.value.span)
                    .pointer(p.as_string()),
                );
                continue;
            }
            out.push(self.connection_parameter(file, &m.key, &m.value, &p));
        }
        out
    }
}

/// Reads `apiProperties.json`: the connection and the policy templates.
pub(super) fn api_properties<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
) -> (Option<ApiProperties>, Vec<PolicyTemplate>) {
    let Some(root) = ctx.sources.get(file).root.as_ref() else {
        // The syntax error has been reported while reading.
        return (None, Vec::new());
    };
    let ptr = PointerBuf::root();
    let Some(props) = root.get("properties").filter(|p| p.as_object().is_some()) else {
        ctx.push(
            Diagnostic::new(
                &codes::INVALID_PROPERTIES,
                "apiProperties.json has no `properties` object",
            )
            .at(
                file,
                Span::new(root.span.start as usize, root.span.start as usize + 1),
            )
            .help(
                "apiProperties.json holds {\"properties\": {\"connectionParameters\": {...}, ...}}",
            ),
        );
        return (None, Vec::new());
    };
    let pptr = ptr.join("properties");
    let mut out = ApiProperties {
        origin: ctx.origin(file, &pptr, props),
        ..ApiProperties::default()
    };
    let mut policies = Vec::new();
    for m in props.as_object().unwrap_or(&[]) {
        let mptr = pptr.join(&m.key);
        match m.key.as_str() {
            "connectionParameters" => {
                out.parameters = ctx.connection_parameters(file, &m.value, &mptr)
            }
            "connectionParameterSets" => {
                let vptr = mptr.join("values");
                for (i, set) in m
                    .value
                    .get("values")
                    .and_then(Node::as_array)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    let sptr = vptr.index(i);
                    let parameters = match set.get("parameters") {
                        Some(p) => ctx.connection_parameters(file, p, &sptr.join("parameters")),
                        None => Vec::new(),
                    };
                    out.parameter_sets.push(ConnectionParameterSet {
                        name: set.get_str("name").unwrap_or_default().to_string(),
                        display_name: set
                            .get("uiDefinition")
                            .and_then(|u| u.get_str("displayName"))
                            .map(str::to_string),
                        parameters,
                        origin: ctx.origin(file, &sptr, set),
                    });
                }
            }
            "iconBrandColor" => out.icon_brand_color = text(&m.value),
            "capabilities" => out.capabilities = ctx.str_list(file, props, &pptr, "capabilities"),
            "publisher" => out.publisher = text(&m.value),
            "stackOwner" => out.stack_owner = text(&m.value),
            "scriptOperations" => {
                out.script_operations = ctx.str_list(file, props, &pptr, "scriptOperations")
            }
            "policyTemplateInstances" => {
                for (i, p) in m.value.as_array().unwrap_or(&[]).iter().enumerate() {
                    let tptr = mptr.index(i);
                    let template_id = p.get_str("templateId").unwrap_or_default().to_string();
                    policies.push(PolicyTemplate {
                        kind: PolicyKind::parse(&template_id),
                        template_id,
                        title: p.get_str("title").map(str::to_string),
                        parameters: p
                            .get("parameters")
                            .and_then(Node::as_object)
                            .unwrap_or(&[])
                            .iter()
                            .map(|m| (m.key.clone(), m.value.to_json()))
                            .collect(),
                        origin: ctx.origin(file, &tptr, p),
                    });
                }
            }
            _ => out.other.push((m.key.clone(), m.value.to_json())),
        }
    }
    (Some(out), policies)
}

/// Reads `settings.json`.
pub(super) fn settings(ctx: &mut Ctx<'_>, file: FileId) -> Option<Settings> {
    let root = ctx.sources.get(file).root.as_ref()?;
    let ptr = PointerBuf::root();
    if root.as_object().is_none() {
        ctx.push(
            Diagnostic::new(
                &codes::INVALID_PROPERTIES,
                format!(
                    "settings.json should hold an object, found {}",
                    root.type_name()
                ),
            )
            .at(file, root.span),
        );
        return None;
    }
    Some(Settings {
        connector_id: root.get_str("connectorId").map(str::to_string),
        environment: root.get_str("environment").map(str::to_string),
        raw: root.to_json(),
        origin: ctx.origin(file, &ptr, root),
    })
}
