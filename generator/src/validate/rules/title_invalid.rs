//! Rule PP0205 `title-invalid`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Checks `info.title` as certification does: at most 30 characters, no "API" or
    /// "Connector", no platform product names, and ending with a letter or digit.
    ///
    /// ## Why
    /// The title is the connector's name in the gallery; the platform adds "connector" itself and
    /// reserves its product names.
    ///
    /// ## Example
    /// ```json
    /// "title": "Contoso Tasks API Connector for Power Automate."
    /// ```
    ///
    /// ## Fix
    /// `"title": "Contoso Tasks"`.
    pub struct TitleInvalid {
        code: "PP0205",
        name: "title-invalid",
        category: Document,
        default: None,
        certification: Error,
        summary: "Title longer than 30 characters, or with API/Connector/product names",
    }
}

const RESERVED_WORDS: [&str; 2] = ["api", "connector"];
const PRODUCT_NAMES: [&str; 7] = [
    "power automate",
    "power apps",
    "powerapps",
    "logic apps",
    "microsoft flow",
    "copilot studio",
    "power platform",
];

impl Rule for TitleInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        let title = c.title.trim();
        let mut problems = Vec::new();
        if title.is_empty() {
            problems.push("is empty".to_string());
        }
        let len = title.chars().count();
        if len > 30 {
            problems.push(format!("has {len} characters (at most 30)"));
        }
        let lower = title.to_lowercase();
        for w in lower.split(|ch: char| !ch.is_alphanumeric()) {
            if RESERVED_WORDS.contains(&w) {
                problems.push(format!("contains the word \"{w}\""));
            }
        }
        for p in PRODUCT_NAMES {
            if lower.contains(p) {
                problems.push(format!("names the product \"{p}\""));
            }
        }
        if title.chars().last().is_some_and(|ch| !ch.is_alphanumeric()) {
            problems.push("does not end with a letter or digit".to_string());
        }
        if !problems.is_empty() {
            let d = cx
                .at_member(
                    &c.origin,
                    &["info", "title"],
                    format!("title \"{title}\" {}", problems.join(", ")),
                )
                .help("use the service's name alone, at most 30 characters");
            cx.push(d);
        }
    }
}
