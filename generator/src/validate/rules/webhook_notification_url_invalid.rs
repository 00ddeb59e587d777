//! Rule PP0601 `webhook-notification-url-invalid`.

use crate::model::{OperationKind, ParameterLocation, SchemaType, Visibility};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Checks the callback URL of webhook triggers: the parameter (or body property) carrying
    /// `x-ms-notification-url: true` must be `internal`, required and a string.
    ///
    /// ## Why
    /// The platform fills it with the flow's callback URL; a visible or optional one lets users
    /// break the subscription, and a non-string cannot hold a URL.
    ///
    /// ## Example
    /// ```json
    /// "callbackUrl": { "type": "string", "x-ms-notification-url": true }
    /// ```
    ///
    /// ## Fix
    /// Add `"x-ms-visibility": "internal"` and list it in `required`.
    pub struct WebhookNotificationUrlInvalid {
        code: "PP0601",
        name: "webhook-notification-url-invalid",
        category: Triggers,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "Webhook callback URL not internal, required and string",
    }
}

impl Rule for WebhookNotificationUrlInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        for op in &c.operations {
            let OperationKind::WebhookTrigger {
                notification_url_param: Some(path),
                ..
            } = &op.kind
            else {
                continue;
            };
            let mut parts = path.split('/');
            let Some(param) = parts
                .next()
                .and_then(|n| op.parameters.iter().find(|p| p.name == n))
            else {
                continue;
            };
            // Walk to the property: (schema, required, origin).
            let mut schema_id = c.types.resolve(param.schema);
            let mut required = param.required;
            let mut visibility = param.visibility.clone();
            let mut origin = param.origin.clone();
            for name in parts {
                let s = c.types.get(schema_id);
                let Some(prop) = s.properties.iter().find(|p| p.name == name) else {
                    break;
                };
                required = prop.required;
                let ps = c.types.get(prop.schema);
                visibility = ps.visibility.clone();
                origin = ps.origin.clone();
                schema_id = c.types.resolve(prop.schema);
            }
            let s = c.types.get(schema_id);
            let is_string = s.types.is_empty() || s.types == [SchemaType::String];
            let mut problems = Vec::new();
            if visibility != Some(Visibility::Internal) {
                problems.push("is not internal");
            }
            if !required {
                problems.push("is not required");
            }
            if !is_string
                || (param.location != ParameterLocation::Body
                    && c.types.get(param.schema).types != [SchemaType::String])
            {
                problems.push("is not a string");
            }
            if !problems.is_empty() {
                let d = cx.at(
                    &origin,
                    format!(
                        "the callback URL `{path}` of webhook trigger `{}` {}",
                        op.id,
                        problems.join(", ")
                    ),
                );
                cx.push(d.help(
                    "make it \"type\": \"string\", \"x-ms-visibility\": \"internal\", and required",
                ));
            }
        }
    }
}
