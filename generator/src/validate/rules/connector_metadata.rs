//! Rule PP0207 `connector-metadata`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Checks `x-ms-connector-metadata`: present, with a `Website` and a `Privacy policy`, and at
    /// most two `Categories` from the platform's list.
    ///
    /// ## Why
    /// Certification requires them; the gallery shows them and files the connector by category.
    ///
    /// ## Example
    /// ```json
    /// "x-ms-connector-metadata": [ { "propertyName": "Categories", "propertyValue": "Tools;Data;AI" } ]
    /// ```
    ///
    /// ## Fix
    /// Add `Website` and `Privacy policy` entries and choose one or two categories from: AI,
    /// Business Management, Business Intelligence, Collaboration, Commerce, Communication,
    /// Content and Files, Data, Finance, Human Resources, Internet of Things, IT Operations,
    /// Lifestyle and Entertainment, Marketing, Productivity, Sales and CRM, Security, Social
    /// Media, Website.
    pub struct ConnectorMetadata {
        code: "PP0207",
        name: "connector-metadata",
        category: Document,
        default: None,
        certification: Error,
        summary: "x-ms-connector-metadata incomplete or with unknown categories",
    }
}

/// The categories the platform offers.
pub const CATEGORIES: [&str; 19] = [
    "AI",
    "Business Management",
    "Business Intelligence",
    "Collaboration",
    "Commerce",
    "Communication",
    "Content and Files",
    "Data",
    "Finance",
    "Human Resources",
    "Internet of Things",
    "IT Operations",
    "Lifestyle and Entertainment",
    "Marketing",
    "Productivity",
    "Sales and CRM",
    "Security",
    "Social Media",
    "Website",
];

impl Rule for ConnectorMetadata {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        let md = &c.metadata;
        let Some(origin) = &md.connector_metadata_origin else {
            let d = cx
                .at(&c.origin, "the definition has no x-ms-connector-metadata")
                .help("add Website, Privacy policy and Categories entries");
            cx.push(d);
            return;
        };
        let find = |name: &str| {
            md.connector_metadata
                .iter()
                .find(|e| e.name.eq_ignore_ascii_case(name))
        };
        for required in ["Website", "Privacy policy"] {
            if find(required).is_none_or(|e| e.value.trim().is_empty()) {
                let d = cx
                    .at(
                        origin,
                        format!("x-ms-connector-metadata has no \"{required}\""),
                    )
                    .help(format!(
                    "add {{ \"propertyName\": \"{required}\", \"propertyValue\": \"https://...\" }}"
                ));
                cx.push(d);
            }
        }
        match find("Categories") {
            None => {
                let d = cx
                    .at(origin, "x-ms-connector-metadata has no \"Categories\"")
                    .help("add one or two categories separated by ';'");
                cx.push(d);
            }
            Some(e) => {
                let cats: Vec<&str> = e
                    .value
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                if cats.len() > 2 || cats.is_empty() {
                    let d = cx.at(
                        &e.origin,
                        format!("{} categories given; choose one or two", cats.len()),
                    );
                    cx.push(d);
                }
                for cat in cats {
                    if !CATEGORIES.contains(&cat) {
                        let d = cx
                            .at(&e.origin, format!("\"{cat}\" is not a connector category"))
                            .help(format!("choose from: {}", CATEGORIES.join(", ")));
                        cx.push(d);
                    }
                }
            }
        }
    }
}
