//! Rule PP0801 `script-too-large`.

use super::script_checks::MAX_SCRIPT_BYTES;
use crate::location::Span;
use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports a `script.csx` of more than 1 MB (1,048,576 bytes).
    ///
    /// ## Why
    /// The platform refuses custom code over 1 MB when the connector is created or updated.
    ///
    /// ## Example
    /// A `script.csx` holding a large embedded table or a base64 resource.
    ///
    /// ## Fix
    /// Move data out of the code (into the service, or a response the API gives), and keep the
    /// script to what transforms requests and responses.
    pub struct ScriptTooLarge {
        code: "PP0801",
        name: "script-too-large",
        category: CustomCode,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "script.csx is over 1 MB",
    }
}

impl Rule for ScriptTooLarge {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(file) = cx.script.map(|s| s.file) else {
            return;
        };
        let f = cx.sources.get(file);
        let bytes = f.original.as_ref().map_or(f.text.len(), Vec::len);
        if bytes > MAX_SCRIPT_BYTES {
            let d = cx.at_text(
                file,
                Span::new(MAX_SCRIPT_BYTES.min(f.text.len()), MAX_SCRIPT_BYTES.min(f.text.len())),
                format!("script.csx holds {bytes} bytes, more than the platform's limit of {MAX_SCRIPT_BYTES} (1 MB)"),
            );
            cx.push(d.help("keep custom code under 1 MB: move data out of the script"));
        }
    }
}
