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
        fix: Safe,
        summary: "x-ms-visibility is not important/advanced/internal",
    }
}

fn report(cx: &mut Checker<'_>, origin: &Origin, v: &Option<Visibility>) {
    if let Some(Visibility::Other(value)) = v {
        let lower = value.to_ascii_lowercase();
        let cased = matches!(
            lower.as_str(),
            "important" | "advanced" | "internal" | "none"
        );
        let suggestion = if cased {
            format!("write \"{lower}\" in lower case")
        } else {
            "use \"important\", \"advanced\" or \"internal\" (or remove it)".to_string()
        };
        // A wrongly cased visibility is written as the platform spells it; an empty one (which
        // the platform reads as the default) goes.
        let empty = value.trim().is_empty();
        let edit = cx
            .editor(origin.file)
            .filter(|_| cased || empty)
            .and_then(|ed| {
                let element = ed.node(&origin.pointer.as_string())?;
                let node = element.get("x-ms-visibility")?;
                node.as_str()?;
                if empty {
                    ed.remove_member(element, "x-ms-visibility")
                } else {
                    Some(ed.set_value(node, &lower.as_str().into()))
                }
            });
        let title = if empty {
            "remove the empty x-ms-visibility".to_string()
        } else {
            format!("write \"{lower}\"")
        };
        let fix = cx.fix(title, edit);
        let d = cx
            .at_member(
                origin,
                &["x-ms-visibility"],
                format!("x-ms-visibility \"{value}\" is not a visibility"),
            )
            .help(suggestion)
            .fix(fix);
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
