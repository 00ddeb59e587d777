//! Rule PP0303 `operation-id-duplicate`.

use crate::validate::{Checker, Rule, RuleMeta};
use std::collections::HashMap;

crate::rule! {
    /// ## What it does
    /// Reports operation ids used by more than one operation (compared without regard to case).
    ///
    /// ## Why
    /// Flows, dynamic references and generated code find operations by id.
    ///
    /// ## Example
    /// ```json
    /// "/a": { "get": { "operationId": "GetItem" } }, "/b": { "get": { "operationId": "getitem" } }
    /// ```
    ///
    /// ## Fix
    /// Give each operation its own id.
    pub struct OperationIdDuplicate {
        code: "PP0303",
        name: "operation-id-duplicate",
        category: Operations,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "operationId used more than once",
    }
}

impl Rule for OperationIdDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, op) in c.operations.iter().enumerate() {
            if op.id_generated {
                continue;
            }
            match seen.get(&op.id.to_ascii_lowercase()) {
                Some(&first) => {
                    let other = &c.operations[first];
                    let d = cx
                        .at_member(
                            &op.origin,
                            &["operationId"],
                            format!(
                                "operationId `{}` is also used by {} {}",
                                op.id,
                                other.method.as_str(),
                                other.path
                            ),
                        )
                        .related(
                            other.origin.file,
                            other.origin.span,
                            format!("`{}` first used here", other.id),
                        )
                        .help("give each operation a distinct operationId");
                    cx.push(d);
                }
                None => {
                    seen.insert(op.id.to_ascii_lowercase(), i);
                }
            }
        }
    }
}
