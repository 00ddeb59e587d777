//! Rule PP0309 `internal-required-without-default`.

use crate::model::{ParameterLocation, Visibility};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports parameters (and properties of a body) that are `internal`, required and have no
    /// `default`.
    ///
    /// ## Why
    /// Users never see internal parameters, so nobody can give the required value: every call
    /// fails.
    ///
    /// ## Example
    /// ```json
    /// { "name": "api-version", "in": "query", "required": true, "x-ms-visibility": "internal", "type": "string" }
    /// ```
    ///
    /// ## Fix
    /// Add `"default": "2024-01-01"`, or make it visible.
    pub struct InternalRequiredWithoutDefault {
        code: "PP0309",
        name: "internal-required-without-default",
        category: Parameters,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "Internal required parameter without default",
    }
}

impl Rule for InternalRequiredWithoutDefault {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        for op in &c.operations {
            for p in &op.parameters {
                let schema = c.types.get(c.types.resolve(p.schema));
                if p.location != ParameterLocation::Body
                    && p.required
                    && p.visibility == Some(Visibility::Internal)
                    && c.types.get(p.schema).rare().default.is_none()
                    && schema.rare().default.is_none()
                    && !p.notification_url
                {
                    let d = cx
                        .at(
                            &p.origin,
                            format!(
                                "parameter `{}` is internal and required but has no default",
                                p.name
                            ),
                        )
                        .help("add a \"default\" value, or make the parameter visible");
                    cx.push(d);
                }
                if p.location == ParameterLocation::Body {
                    for prop in &schema.properties {
                        let ps = c.types.get(prop.schema);
                        let resolved = c.types.get(c.types.resolve(prop.schema));
                        let internal = ps.visibility == Some(Visibility::Internal);
                        if prop.required
                            && internal
                            && ps.rare().default.is_none()
                            && resolved.rare().default.is_none()
                            && !ps.notification_url
                            && !resolved.notification_url
                        {
                            let d = cx
                                .at(&ps.origin, format!("body property `{}` is internal and required but has no default", prop.name))
                                .help("add a \"default\" value, or make the property visible");
                            cx.push(d);
                        }
                    }
                }
            }
        }
    }
}
