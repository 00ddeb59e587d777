//! Rule PP0324 `parameter-summary-missing`.

use crate::model::{ParameterLocation, Visibility};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports parameters users fill in (path, query, header and form parameters that are not
    /// `internal`) without an `x-ms-summary`.
    ///
    /// ## Why
    /// `x-ms-summary` is the label the designer shows; without it users see the raw name
    /// (`$top`, `site_id`). Certification asks for a label on every parameter.
    ///
    /// ## Example
    /// ```json
    /// { "name": "site_id", "in": "path", "required": true, "type": "string" }
    /// ```
    ///
    /// ## Fix
    /// A parameter whose label is under a misspelt key (`x-ms-summmary`) is left to PP0104.
    ///
    /// Add `"x-ms-summary": "Site ID"`. `--fix --unsafe-fixes` adds one made from the name
    /// (`site_id` → `Site Id`); it is unsafe because it is text users read: check the wording.
    pub struct ParameterSummaryMissing {
        code: "PP0324",
        name: "parameter-summary-missing",
        category: Parameters,
        default: None,
        certification: Warning,
        fix: Unsafe,
        summary: "Parameter without x-ms-summary",
    }
}

/// A label made from a parameter's name: its words in title case (`$top` → `Top`,
/// `siteId` → `Site Id`).
pub fn label(name: &str) -> String {
    use heck::ToTitleCase;
    name.to_title_case()
}

impl Rule for ParameterSummaryMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            for p in &op.parameters {
                if matches!(p.location, ParameterLocation::Body)
                    || p.visibility == Some(Visibility::Internal)
                    || p.summary.as_deref().is_some_and(|s| !s.trim().is_empty())
                    // A misspelt `x-ms-summary` is PP0104's finding: its fix renames the key.
                    || p.extensions.iter().any(|e| {
                        super::misspelt_extension::suggestion(&e.key) == Some("x-ms-summary")
                    })
                {
                    continue;
                }
                let text = label(&p.name);
                let edit = cx
                    .editor(p.origin.file)
                    .filter(|_| !text.is_empty())
                    .and_then(|ed| {
                        let param = ed.node(&p.origin.pointer.as_string())?;
                        param.get("$ref").is_none().then_some(())?;
                        ed.set_member(
                            param,
                            "x-ms-summary",
                            &text.as_str().into(),
                            &["name", "in", "required"],
                        )
                    });
                let fix = cx.fix(format!("add \"x-ms-summary\": \"{text}\""), edit);
                let d = cx
                    .at(
                        &p.origin,
                        format!("parameter `{}` has no x-ms-summary", p.name),
                    )
                    .help(format!(
                        "add \"x-ms-summary\" with the label users should see, e.g. \"{text}\""
                    ))
                    .fix(fix);
                cx.push(d);
            }
        }
    }
}
