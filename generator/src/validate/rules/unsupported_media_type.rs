//! Rule PP0316 `unsupported-media-type`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// In the certification profile, reports `consumes` and `produces` media types other than
    /// `application/json`, `text/plain`, `multipart/form-data` and
    /// `application/x-www-form-urlencoded` (parameters such as `; charset=utf-8` are ignored).
    ///
    /// ## Why
    /// These are the media types the designer can build and show; others pass through as opaque
    /// content.
    ///
    /// ## Example
    /// ```json
    /// "produces": ["application/xml"]
    /// ```
    ///
    /// ## Fix
    /// Offer JSON when the service can, or accept the warning for binary content.
    pub struct UnsupportedMediaType {
        code: "PP0316",
        name: "unsupported-media-type",
        category: Parameters,
        default: None,
        certification: Warning,
        summary: "Media type the designer does not support",
    }
}

/// The media types certification accepts.
pub const SUPPORTED: [&str; 4] = [
    "application/json",
    "text/plain",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
];

impl Rule for UnsupportedMediaType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        let unsupported = |m: &String| {
            let base = m
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            !SUPPORTED.contains(&base.as_str())
        };
        // Lists written on the document apply to every operation that has none: report them once.
        for (key, list) in [("consumes", &c.consumes), ("produces", &c.produces)] {
            for (i, m) in list.iter().enumerate().filter(|(_, m)| unsupported(m)) {
                let d = cx.at_member(
                    &c.origin,
                    &[key, &i.to_string()],
                    format!("document {key} {m} is not supported by the designer"),
                );
                cx.push(d.help(format!("use one of {}", SUPPORTED.join(", "))));
            }
        }
        for op in &c.operations {
            for (key, list) in [("consumes", &op.consumes), ("produces", &op.produces)] {
                let own = op.origin.pointer.join(key);
                if cx
                    .sources
                    .get(op.origin.file)
                    .span_of(&own.as_string())
                    .is_none()
                {
                    continue; // inherited from the document, or derived from OpenAPI content maps
                }
                for (i, m) in list.iter().enumerate().filter(|(_, m)| unsupported(m)) {
                    let d = cx.at_member(
                        &op.origin,
                        &[key, &i.to_string()],
                        format!("`{}` {key} {m}, which the designer does not support", op.id),
                    );
                    cx.push(d.help(format!("use one of {}", SUPPORTED.join(", "))));
                }
            }
        }
    }
}
