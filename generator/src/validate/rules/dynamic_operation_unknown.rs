//! Rule PP0401 `dynamic-operation-unknown`.

use crate::model::Dynamic;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports `x-ms-dynamic-values`, `-list`, `-schema`, `-properties` and `-tree` without an
    /// `operationId`, or naming an operation the connector does not have. The platform's
    /// capability form (`"capability": "file-picker"`) needs no operation.
    ///
    /// ## Why
    /// The designer calls that operation to fill a dropdown or build a schema; when it does not
    /// exist the field is empty and users cannot fill it.
    ///
    /// ## Example
    /// ```json
    /// "x-ms-dynamic-values": { "operationId": "ListProjcts", "value-path": "id" }
    /// ```
    ///
    /// ## Fix
    /// Name an existing operation (ids are case-sensitive).
    pub struct DynamicOperationUnknown {
        code: "PP0401",
        name: "dynamic-operation-unknown",
        category: Dynamic,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "x-ms-dynamic-* names no existing operation",
    }
}

/// Every dynamic extension of a connector: on parameters and on schemas.
pub fn all_dynamics(c: &crate::model::Connector) -> impl Iterator<Item = &Dynamic> {
    c.operations
        .iter()
        .flat_map(|o| o.parameters.iter().flat_map(|p| p.dynamic.iter()))
        .chain(c.types.iter().flat_map(|(_, s)| s.rare().dynamic.iter()))
}

impl Rule for DynamicOperationUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        for dy in all_dynamics(c) {
            let key = dy.kind.key();
            // The capability form (`"capability": "file-picker"`) is served by the platform, not
            // by an operation of the connector.
            if dy.capability {
                continue;
            }
            let d = match dy.operation_id.as_deref() {
                None => cx
                    .at(&dy.origin, format!("{key} has no operationId"))
                    .help("add \"operationId\": \"<the operation that returns the values>\""),
                Some(id) if c.operation(id).is_none() => {
                    let close = c.operations.iter().find(|o| {
                        o.id.eq_ignore_ascii_case(id) || strsim::levenshtein(&o.id, id) <= 2
                    });
                    let help = match close {
                        Some(o) => format!("did you mean `{}`?", o.id),
                        None => "name an operation of this connector".to_string(),
                    };
                    cx.at_member(
                        &dy.origin,
                        &["operationId"],
                        format!("{key} refers to operation `{id}`, which does not exist"),
                    )
                    .help(help)
                }
                Some(_) => continue,
            };
            cx.push(d);
        }
    }
}
