//! Rule PP0903 `package-icon`.

use crate::location::{FileId, Span};
use crate::validate::{Checker, Rule, RuleMeta, Scope};

/// The brand colour every independent publisher's connector has.
pub const INDEPENDENT_PUBLISHER_COLOR: &str = "#da3b01";

crate::rule! {
    /// ## What it does
    /// Reports a connector folder without `icon.png`, and an independent publisher's connector
    /// (a folder inside `independent-publisher-connectors/`, as the platform's connectors
    /// repository keeps them) whose `iconBrandColor` is not `#da3b01`.
    ///
    /// ## Why
    /// The icon is part of every certification submission; independent publishers' connectors
    /// all use the independent-publisher icon on `#da3b01`.
    ///
    /// ## Example
    /// ```json
    /// "iconBrandColor": "#0F6CBD"   (in independent-publisher-connectors/Contoso/apiProperties.json)
    /// ```
    ///
    /// ## Fix
    /// Add `icon.png` (the service's icon, or the independent-publisher icon); for an
    /// independent publisher set `"iconBrandColor": "#da3b01"`.
    pub struct PackageIcon {
        code: "PP0903",
        name: "package-icon",
        category: Package,
        default: None,
        certification: Error,
        summary: "icon.png missing, or an independent publisher's brand colour not #da3b01",
    }
}

impl Rule for PackageIcon {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(p) = cx.package else { return };
        if !p.icon {
            let d = cx.at_text(
                p.definition.unwrap_or(FileId(0)),
                Span::new(0, 0),
                "the connector folder has no icon.png",
            );
            cx.push(d.help("add icon.png: the service's icon (independent publishers: the independent-publisher icon)"));
        }
        let Some(props) = &cx.connector.connection else {
            return;
        };
        let color = props
            .icon_brand_color
            .as_deref()
            .map(str::trim)
            .unwrap_or("");
        if p.independent && !color.eq_ignore_ascii_case(INDEPENDENT_PUBLISHER_COLOR) {
            let d = cx.at_member(
                &props.origin,
                &["iconBrandColor"],
                format!("an independent publisher's connector has the brand colour {INDEPENDENT_PUBLISHER_COLOR}, not \"{color}\""),
            );
            cx.push(d.help(format!("set \"iconBrandColor\": \"{INDEPENDENT_PUBLISHER_COLOR}\" (the colour of the independent-publisher icon)")));
        }
    }
}
