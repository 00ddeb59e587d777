//! Rule PP0210 `file-too-large`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports a definition file larger than 1 MB (1,048,576 bytes).
    ///
    /// ## Why
    /// The platform refuses definition files above that size.
    ///
    /// ## Example
    /// A 1.4 MB `apiDefinition.swagger.json` with inlined examples.
    ///
    /// ## Fix
    /// Remove examples and unused definitions, share schemas through `$ref`, or split the connector.
    pub struct FileTooLarge {
        code: "PP0210",
        name: "file-too-large",
        category: Document,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "Definition file larger than 1 MB",
    }
}

/// The platform's limit in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;

impl Rule for FileTooLarge {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let file = cx.connector.origin.file;
        let size = cx.sources.get(file).text.len();
        if size > MAX_BYTES {
            let d = cx.in_file(
                file,
                format!("the definition is {size} bytes, more than the limit of {MAX_BYTES}"),
            );
            cx.push(d.help("remove examples and unused definitions, or split the connector"));
        }
    }
}
