//! Rule PP0701 `icon-brand-color`.

use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Checks `iconBrandColor` in `apiProperties.json`: present, a `#rrggbb` colour, and not
    /// white (`#ffffff`) or the default blue (`#007ee5`).
    ///
    /// ## Why
    /// The colour is the background of the connector's icon; certification requires the brand's
    /// own.
    ///
    /// ## Example
    /// ```json
    /// "iconBrandColor": "#007ee5"
    /// ```
    ///
    /// ## Fix
    /// Use the service's brand colour, e.g. `"#0F6CBD"`.
    pub struct IconBrandColor {
        code: "PP0701",
        name: "icon-brand-color",
        category: Properties,
        default: None,
        certification: Error,
        summary: "iconBrandColor missing, invalid or a default colour",
    }
}

impl Rule for IconBrandColor {
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
        let d = match props.icon_brand_color.as_deref().map(str::trim) {
            None => cx.at(&props.origin, "apiProperties.json has no iconBrandColor"),
            Some(c)
                if c.len() != 7
                    || !c.starts_with('#')
                    || !c[1..].chars().all(|ch| ch.is_ascii_hexdigit()) =>
            {
                cx.at_member(
                    &props.origin,
                    &["iconBrandColor"],
                    format!("iconBrandColor \"{c}\" is not a #rrggbb colour"),
                )
            }
            Some(c) if c.eq_ignore_ascii_case("#ffffff") || c.eq_ignore_ascii_case("#007ee5") => cx
                .at_member(
                    &props.origin,
                    &["iconBrandColor"],
                    format!("iconBrandColor \"{c}\" is a default colour, not a brand colour"),
                ),
            Some(_) => return,
        };
        cx.push(d.help("set \"iconBrandColor\" to the brand's colour, e.g. \"#0F6CBD\""));
    }
}
