//! Rule PP0310 `path-parameter-not-required`.

use crate::model::ParameterLocation;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports path parameters without `"required": true`.
    ///
    /// ## Why
    /// A path segment cannot be left out; both specifications require it, and tools that trust
    /// the flag build broken URLs.
    ///
    /// ## Example
    /// ```json
    /// { "name": "id", "in": "path", "type": "string" }
    /// ```
    ///
    /// ## Fix
    /// Add `"required": true`.
    pub struct PathParameterNotRequired {
        code: "PP0310",
        name: "path-parameter-not-required",
        category: Parameters,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        fix: Safe,
        summary: "Path parameter not marked required",
    }
}

impl Rule for PathParameterNotRequired {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            for p in op
                .parameters
                .iter()
                .filter(|p| p.location == ParameterLocation::Path && !p.required)
            {
                let d = cx
                    .at(
                        &p.origin,
                        format!("path parameter `{}` is not marked required", p.name),
                    )
                    .help("add \"required\": true");
                let edit = cx.editor(p.origin.file).and_then(|ed| {
                    let param = ed.node(&p.origin.pointer.as_string())?;
                    param.get("$ref").is_none().then_some(())?;
                    ed.set_member(param, "required", &true.into(), &["name", "in"])
                });
                let fix = cx.fix("set \"required\": true", edit);
                cx.push(d.fix(fix));
            }
        }
    }
}
