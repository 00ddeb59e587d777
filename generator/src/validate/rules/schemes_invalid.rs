//! Rule PP0204 `schemes-invalid`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports `schemes` entries other than `http` and `https`.
    ///
    /// ## Why
    /// Connectors call REST APIs over HTTP(S); other schemes (`ws`, `wss`, typos) cannot be called.
    ///
    /// ## Example
    /// ```json
    /// "schemes": ["https", "wss"]
    /// ```
    ///
    /// ## Fix
    /// Keep `https` (and `http` only when the service has no TLS).
    pub struct SchemesInvalid {
        code: "PP0204",
        name: "schemes-invalid",
        category: Document,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "schemes other than http/https",
    }
}

impl Rule for SchemesInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        if c.format != crate::model::SpecFormat::Swagger2 {
            return;
        }
        for (i, s) in c.schemes.iter().enumerate() {
            if s != "http" && s != "https" {
                let d = cx
                    .at_member(
                        &c.origin,
                        &["schemes", &i.to_string()],
                        format!("scheme \"{s}\" is not http or https"),
                    )
                    .help("use \"https\"");
                cx.push(d);
            }
        }
    }
}
