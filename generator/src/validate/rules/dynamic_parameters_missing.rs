//! Rule PP0402 `dynamic-parameters-missing`.

use super::dynamic_operation_unknown::all_dynamics;
use crate::model::{ParameterLocation, Visibility};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports `x-ms-dynamic-*` references that do not pass a required parameter of the operation
    /// they call (parameters with a default, internal ones and bodies are not required to be
    /// passed).
    ///
    /// ## Why
    /// The call fails without it, and the dropdown or schema stays empty.
    ///
    /// ## Example
    /// ```json
    /// "x-ms-dynamic-values": { "operationId": "ListTasks", "value-path": "id" }
    /// // ListTasks requires the path parameter projectId
    /// ```
    ///
    /// ## Fix
    /// `"parameters": { "projectId": { "parameter": "projectId" } }`.
    pub struct DynamicParametersMissing {
        code: "PP0402",
        name: "dynamic-parameters-missing",
        category: Dynamic,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        summary: "x-ms-dynamic-* does not pass a required parameter",
    }
}

impl Rule for DynamicParametersMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        for dy in all_dynamics(c) {
            let Some(target) = dy.operation_id.as_deref().and_then(|id| c.operation(id)) else {
                continue;
            };
            let missing: Vec<&str> = target
                .parameters
                .iter()
                .filter(|p| p.required && p.location != ParameterLocation::Body)
                .filter(|p| p.visibility != Some(Visibility::Internal))
                .filter(|p| c.types.get(p.schema).rare().default.is_none())
                .filter(|p| !dy.parameters.iter().any(|(n, _)| n == &p.name))
                .map(|p| p.name.as_str())
                .collect();
            if !missing.is_empty() {
                let d = cx.at(
                    &dy.origin,
                    format!(
                        "{} calls `{}` without its required {}",
                        dy.kind.key(),
                        target.id,
                        missing.join(", ")
                    ),
                );
                let example = missing
                    .iter()
                    .map(|m| format!("\"{m}\": {{ \"parameter\": \"...\" }}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                cx.push(d.help(format!("add \"parameters\": {{ {example} }}")));
            }
        }
    }
}
