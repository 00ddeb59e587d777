//! Rule PP0702 `publisher-missing`.

use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports an `apiProperties.json` without `publisher` or `stackOwner`.
    ///
    /// ## Why
    /// Certification shows who publishes the connector and who owns the service behind it.
    ///
    /// ## Example
    /// ```json
    /// "properties": { "connectionParameters": { ... }, "iconBrandColor": "#0F6CBD" }
    /// ```
    ///
    /// ## Fix
    /// Add `"publisher": "Contoso Ltd"` and `"stackOwner": "Contoso Ltd"`.
    pub struct PublisherMissing {
        code: "PP0702",
        name: "publisher-missing",
        category: Properties,
        default: None,
        certification: Error,
        summary: "publisher or stackOwner missing",
    }
}

impl Rule for PublisherMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(props) = &cx.connector.connection else {
            return;
        };
        for (key, value) in [
            ("publisher", &props.publisher),
            ("stackOwner", &props.stack_owner),
        ] {
            if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                let d = cx.at(&props.origin, format!("apiProperties.json has no {key}"));
                cx.push(d.help(format!("add \"{key}\": \"<company name>\"")));
            }
        }
    }
}
