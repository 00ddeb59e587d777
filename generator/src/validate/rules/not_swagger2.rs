//! Rule PP0201 `not-swagger-2`.

use crate::model::SpecFormat;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// In the certification profile, reports definitions that are not Swagger 2.0.
    ///
    /// ## Why
    /// Certified connectors are published as Swagger 2.0 (`"swagger": "2.0"`); the platform's
    /// import of OpenAPI 3 is a conversion, not what certification reviews.
    ///
    /// ## Example
    /// ```json
    /// { "openapi": "3.0.3", ... }
    /// ```
    ///
    /// ## Fix
    /// Convert the definition: `connector-gen convert PATH --to swagger2`.
    pub struct NotSwagger2 {
        code: "PP0201",
        name: "not-swagger-2",
        category: Document,
        default: None,
        certification: Error,
        summary: "The definition is not Swagger 2.0",
    }
}

impl Rule for NotSwagger2 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        if c.format != SpecFormat::Swagger2 {
            let d = cx.at_member(
                &c.origin,
                &["openapi"],
                format!(
                    "the definition is {}, certification requires Swagger 2.0",
                    c.format.label()
                ),
            );
            cx.push(d.help("convert it to Swagger 2.0 (\"swagger\": \"2.0\")"));
        }
    }
}
