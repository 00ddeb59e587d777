//! Rule PP0202 `host-invalid`.

use crate::model::SpecFormat;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports a Swagger 2.0 `host` that is missing, or that contains a scheme (`https://`) or a
    /// path.
    ///
    /// ## Why
    /// `host` is the host name (and port) only; the scheme goes in `schemes` and the path in
    /// `basePath`. Otherwise request URLs are built wrong.
    ///
    /// ## Example
    /// ```json
    /// "host": "https://api.contoso.example/v2"
    /// ```
    ///
    /// ## Fix
    /// `"host": "api.contoso.example", "basePath": "/v2", "schemes": ["https"]`.
    pub struct HostInvalid {
        code: "PP0202",
        name: "host-invalid",
        category: Document,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "host is missing or has a scheme or path",
    }
}

impl Rule for HostInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        if c.format != SpecFormat::Swagger2 {
            return;
        }
        let d = match c.host.as_deref() {
            None | Some("") => cx
                .at(&c.origin, "the definition has no `host`")
                .help("add \"host\": \"api.example.com\""),
            Some(h) if h.contains("://") => cx
                .at_member(
                    &c.origin,
                    &["host"],
                    format!("`host` contains a scheme: {h}"),
                )
                .help("put the scheme in `schemes` and only the host name in `host`"),
            Some(h) if h.contains('/') => cx
                .at_member(&c.origin, &["host"], format!("`host` contains a path: {h}"))
                .help("put the path in `basePath` and only the host name in `host`"),
            Some(_) => return,
        };
        cx.push(d);
    }
}
