//! Rule PP0805 `script-operation-unknown`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports an entry of `scriptOperations` in `apiProperties.json` that names no operation of
    /// the definition.
    ///
    /// ## Why
    /// The platform runs custom code for the operations listed there; a misspelt or removed
    /// operation id means the code never runs for the operation it was written for.
    ///
    /// ## Example
    /// ```json
    /// "scriptOperations": ["ListItem"]
    /// ```
    ///
    /// ## Fix
    /// List the `operationId`s the code handles exactly as the definition writes them.
    pub struct ScriptOperationUnknown {
        code: "PP0805",
        name: "script-operation-unknown",
        category: CustomCode,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "scriptOperations names an operation the definition does not have",
    }
}

impl Rule for ScriptOperationUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(props) = &cx.connector.connection else {
            return;
        };
        for (i, id) in props.script_operations.iter().enumerate() {
            if cx.connector.operation(id).is_some() {
                continue;
            }
            let close = cx
                .connector
                .operations
                .iter()
                .map(|o| (strsim::levenshtein(&o.id, id), &o.id))
                .filter(|(d, _)| *d <= 3)
                .min();
            let d = cx.at_member(
                &props.origin,
                &["scriptOperations", &i.to_string()],
                format!("scriptOperations lists `{id}`, which is no operation of the definition"),
            );
            let d = match close {
                Some((_, near)) => d.help(format!("did you mean `{near}`?")),
                None => d.help("list operationIds of the definition"),
            };
            cx.push(d);
        }
    }
}
