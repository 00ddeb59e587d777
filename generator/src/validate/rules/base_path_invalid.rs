//! Rule PP0203 `base-path-invalid`.

use crate::model::SpecFormat;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports a Swagger 2.0 `basePath` that does not start with `/`.
    ///
    /// ## Why
    /// The base path is joined to the host; without the leading slash URLs are malformed.
    ///
    /// ## Example
    /// ```json
    /// "basePath": "v2"
    /// ```
    ///
    /// ## Fix
    /// `"basePath": "/v2"`.
    pub struct BasePathInvalid {
        code: "PP0203",
        name: "base-path-invalid",
        category: Document,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "basePath does not start with /",
    }
}

impl Rule for BasePathInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        if c.format != SpecFormat::Swagger2 {
            return;
        }
        if let Some(b) = c.base_path.as_deref().filter(|b| !b.starts_with('/')) {
            let d = cx
                .at_member(
                    &c.origin,
                    &["basePath"],
                    format!("`basePath` \"{b}\" does not start with `/`"),
                )
                .help(format!("write \"/{b}\""));
            cx.push(d);
        }
    }
}
