//! Rule PP0320 `pageable-next-link-invalid`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports `x-ms-pageable` whose `nextLinkName` is not `nextLink` or `@odata.nextLink`
    /// (errors in certification, a warning otherwise), and a `nextLinkName` that the success
    /// response's schema does not have.
    ///
    /// ## Why
    /// The platform follows the next-page link from that property; certification accepts the two
    /// standard names.
    ///
    /// ## Example
    /// ```json
    /// "x-ms-pageable": { "nextLinkName": "next_page" }
    /// ```
    ///
    /// ## Fix
    /// `"x-ms-pageable": { "nextLinkName": "@odata.nextLink" }` with that property in the response.
    pub struct PageableNextLinkInvalid {
        code: "PP0320",
        name: "pageable-next-link-invalid",
        category: Responses,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        summary: "x-ms-pageable nextLinkName not nextLink/@odata.nextLink",
    }
}

impl Rule for PageableNextLinkInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        for op in &c.operations {
            let Some(p) = &op.rare().pageable else {
                continue;
            };
            let Some(name) = p.next_link_name.as_deref() else {
                continue;
            };
            if name != "nextLink" && name != "@odata.nextLink" {
                let d = cx.at_member(
                    &p.origin,
                    &["nextLinkName"],
                    format!(
                        "nextLinkName \"{name}\" of `{}` is not nextLink or @odata.nextLink",
                        op.id
                    ),
                );
                cx.push(d.help("name the property nextLink or @odata.nextLink"));
                continue;
            }
            let schema = op
                .responses
                .iter()
                .filter(|r| r.status.is_success())
                .find_map(|r| r.schema());
            if let Some(id) = schema {
                let s = c.types.get(c.types.resolve(id));
                let has = s.properties.iter().any(|p| p.name == name)
                    || s.all_of.iter().any(|&a| {
                        c.types
                            .get(c.types.resolve(a))
                            .properties
                            .iter()
                            .any(|p| p.name == name)
                    });
                if !s.properties.is_empty() && !has {
                    let d = cx.at_member(
                        &p.origin,
                        &["nextLinkName"],
                        format!("the response of `{}` has no `{name}` property", op.id),
                    );
                    cx.push(d.help("add the next-link property to the success response's schema"));
                }
            }
        }
    }
}
