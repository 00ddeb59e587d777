//! Rule PP0703 `policy-parameters-missing`.

use crate::model::PolicyKind;
use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports policy template instances that lack a parameter their `templateId` requires (for
    /// example `setheader` without `x-ms-apimTemplateParameter.name` or `.value`,
    /// `dynamichosturl` without `.urlTemplate`).
    ///
    /// ## Why
    /// The policy cannot run; requests go out without the header, to the wrong host, and so on.
    ///
    /// ## Example
    /// ```json
    /// { "templateId": "setheader", "parameters": { "x-ms-apimTemplateParameter.name": "X-Key" } }
    /// ```
    ///
    /// ## Fix
    /// Add the missing parameters.
    pub struct PolicyParametersMissing {
        code: "PP0703",
        name: "policy-parameters-missing",
        category: Properties,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "Policy template without a parameter it requires",
    }
}

/// The parameters (after `x-ms-apimTemplateParameter.`) each known template needs.
pub fn required_parameters(kind: &PolicyKind) -> &'static [&'static str] {
    match kind {
        PolicyKind::SetHeader | PolicyKind::SetQueryParameter => &["name", "value"],
        PolicyKind::DynamicHostUrl => &["urlTemplate"],
        PolicyKind::RouteRequestToEndpoint => &["newPath"],
        PolicyKind::UpdateNextLink => &["nextLinkPropertyName"],
        PolicyKind::SetProperty => &[
            "newPropertyParentPathTemplate",
            "newPropertySubPathTemplate",
            "propertyValuePathTemplate",
        ],
        PolicyKind::PollingTrigger => &["triggerConfig", "triggerDataPath"],
        PolicyKind::SetValueFromUrl => &[
            "parameterTemplate",
            "parameterValueUrl",
            "parameterValuePathTemplate",
        ],
        PolicyKind::StringReplace => &[
            "propertyParentPath",
            "propertySubPath",
            "sourceString",
            "replacementString",
        ],
        _ => &[],
    }
}

impl Rule for PolicyParametersMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for p in &cx.connector.policies {
            let missing: Vec<String> = required_parameters(&p.kind)
                .iter()
                .map(|n| format!("x-ms-apimTemplateParameter.{n}"))
                .filter(|full| {
                    !p.parameters
                        .iter()
                        .any(|(k, _)| k.eq_ignore_ascii_case(full))
                })
                .collect();
            if !missing.is_empty() {
                let d = cx.at(
                    &p.origin,
                    format!("policy `{}` lacks {}", p.template_id, missing.join(", ")),
                );
                cx.push(d.help("add the missing parameters to the policy's \"parameters\""));
            }
        }
    }
}
