//! Rule PP0321 `parameter-duplicate`.

use crate::model::ParameterLocation;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports a parameter that an operation declares twice: the same name in the same place
    /// (query, path, header — header names compared without regard to letter case — form or
    /// body), after the path item's parameters are merged with the operation's.
    ///
    /// ## Why
    /// OpenAPI allows each name once per location. Which of the two a tool uses differs from
    /// tool to tool: the platform, generated code and `call` could send different requests for
    /// the same definition.
    ///
    /// ## Example
    /// ```json
    /// "parameters": [{"name": "top", "in": "query", "type": "integer"},
    ///                {"name": "top", "in": "query", "type": "string"}]
    /// ```
    ///
    /// ## Fix
    /// Keep one of them.
    pub struct ParameterDuplicate {
        code: "PP0321",
        name: "parameter-duplicate",
        category: Parameters,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "A parameter declared twice in one operation",
    }
}

impl Rule for ParameterDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            for (i, p) in op.parameters.iter().enumerate() {
                let same = |q: &&crate::model::Parameter| {
                    q.location == p.location
                        && if p.location == ParameterLocation::Header {
                            q.name.eq_ignore_ascii_case(&p.name)
                        } else {
                            q.name == p.name
                        }
                };
                let Some(first) = op.parameters[..i].iter().find(same) else {
                    continue;
                };
                let d = cx
                    .at(
                        &p.use_site,
                        format!(
                            "`{}` declares the {} parameter `{}` twice",
                            op.id,
                            p.location.as_str(),
                            p.name
                        ),
                    )
                    .related(
                        first.use_site.file,
                        first.use_site.span,
                        "first declared here".to_string(),
                    )
                    .help("remove one of the two declarations");
                cx.push(d);
            }
        }
    }
}
