//! Rule PP0206 `description-length`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Checks that `info.description` is present and 30 to 500 characters long.
    ///
    /// ## Why
    /// It is the connector's description in the gallery and in certification review.
    ///
    /// ## Example
    /// ```json
    /// "description": "Tasks."
    /// ```
    ///
    /// ## Fix
    /// Say in a sentence or two what the service does and what the connector offers.
    pub struct DescriptionLength {
        code: "PP0206",
        name: "description-length",
        category: Document,
        default: None,
        certification: Error,
        summary: "info.description missing or not 30-500 characters",
    }
}

impl Rule for DescriptionLength {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        let d = match c.description.as_deref().map(|d| d.trim().chars().count()) {
            None => cx.at_member(&c.origin, &["info"], "info has no description"),
            Some(n) if n < 30 => cx.at_member(
                &c.origin,
                &["info", "description"],
                format!("the description has {n} characters (at least 30)"),
            ),
            Some(n) if n > 500 => cx.at_member(
                &c.origin,
                &["info", "description"],
                format!("the description has {n} characters (at most 500)"),
            ),
            Some(_) => return,
        };
        cx.push(d.help("describe the service and what the connector does in 30 to 500 characters"));
    }
}
