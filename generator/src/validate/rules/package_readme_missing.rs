//! Rule PP0901 `package-readme-missing`.

use crate::location::{FileId, Span};
use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports a connector folder without `readme.md`.
    ///
    /// ## Why
    /// A certification submission is the definition, `apiProperties.json`, a `readme.md` written
    /// from the certification template and the icon; the readme is what users read first.
    ///
    /// ## Example
    /// A folder with only `apiDefinition.swagger.json` and `apiProperties.json`.
    ///
    /// ## Fix
    /// Add `readme.md` with the template's sections (`connector-gen init` writes one).
    pub struct PackageReadmeMissing {
        code: "PP0901",
        name: "package-readme-missing",
        category: Package,
        default: None,
        certification: Error,
        summary: "the connector folder has no readme.md",
    }
}

impl Rule for PackageReadmeMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(p) = cx.package else { return };
        if p.readme.is_none() {
            let d = cx.at_text(
                p.definition.unwrap_or(FileId(0)),
                Span::new(0, 0),
                "the connector folder has no readme.md",
            );
            cx.push(d.help(format!(
                "add readme.md with the certification template's sections: {}",
                super::package_readme_sections::REQUIRED_SECTIONS.join(", ")
            )));
        }
    }
}
