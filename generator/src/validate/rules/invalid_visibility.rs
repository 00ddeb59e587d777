//! Rule PP0308 `invalid-visibility`.

use crate::model::{Origin, Visibility};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports `x-ms-visibility` values other than `important`, `advanced`, `internal` and
    /// `none` (on operations, parameters and schema properties). Values are case-sensitive.
    ///
    /// ## Why
    /// The designer ignores unknown values, so the element shows where it was not meant to.
    ///
    /// ## Example
    /// ```json
    /// "x-ms-visibility": "Advanced"
    /// ```
    ///
    /// ## Fix
    /// `"x-ms-visibility": "advanced"`.
    pub struct InvalidVisibility {
        code: "PP0308",
        name: "invalid-visibility",
        category: Operations,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "x-ms-visibility is not important/advanced/internal",
    }
}

fn report(cx: &mut Checker<'_>, origin: &Origin, v: &Option<Visibility>) {
    if let Some(Visibility::Other(value)) = v {
        let suggestion = match value.to_ascii_lowercase().as_str() {
            "important" | "advanced" | "internal" | "none" => {
                format!("write \"{}\" in lower case", value.to_ascii_lowercase())
            }
            _ => "use \"important\", \"advanced\" or \"internal\" (or remove it)".to_string(),
        };
        let d = cx
            .at_member(
                origin,
                &["x-ms-visibility"],
                format!("x-ms-visibility \"{value}\" is not a visibility"),
            )
            .help(suggestion);
        cx.push(d);
    }
}

impl Rule for InvalidVisibility {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        for op in &c.operations {
            report(cx, &op.origin, &op.visibility);
            for p in &op.parameters {
                report(cx, &p.origin, &p.visibility);
            }
        }
        for (_, s) in c.types.iter() {
            report(cx, &s.origin, &s.visibility);
        }
    }
}
