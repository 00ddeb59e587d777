//! Rule PP0105 `invalid-extension-value`.

use crate::model::Extension;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports `x-ms-*` extensions with values the platform does not accept:
    /// `x-ms-url-encoding` other than `single`/`double`, `x-ms-trigger` other than
    /// `single`/`batch`, `x-ms-notification-url` that is not a boolean, `x-ms-pageable` that is
    /// not an object with a string (or null) `nextLinkName`, and `x-ms-summary` that is empty.
    /// (`x-ms-visibility` has its own rule.)
    ///
    /// ## Why
    /// Such values are ignored or misread: the trigger does not fire, encoding is wrong.
    ///
    /// ## Example
    /// ```json
    /// "x-ms-trigger": "Single"
    /// ```
    ///
    /// ## Fix
    /// Use one of the documented values, in lower case.
    pub struct InvalidExtensionValue {
        code: "PP0105",
        name: "invalid-extension-value",
        category: Loading,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        fix: Safe,
        summary: "x-ms-* extension with a value the platform does not accept",
    }
}

fn value_at(
    cx: &Checker<'_>,
    e: &Extension,
    message: String,
    help: &str,
) -> crate::diagnostics::Diagnostic {
    // Point at the value: the extension's origin is its key.
    let span = cx
        .sources
        .get(e.origin.file)
        .span_of(&e.origin.pointer.as_string())
        .unwrap_or(e.origin.span);
    let d = cx
        .at_key(e.origin.file, span, &e.origin.pointer, message)
        .help(help.to_string());
    let ed = cx.editor(e.origin.file);
    let pointer = e.origin.pointer.as_string();
    // An empty label goes (the platform shows the name instead).
    if e.key == "x-ms-summary" {
        let edit = ed.and_then(|ed| {
            let (parent, _) = pointer.rsplit_once('/')?;
            ed.remove_member(ed.node(parent)?, &e.key)
        });
        return d.fix(cx.fix("remove the empty x-ms-summary", edit));
    }
    // A value the platform would take once written as it spells it: `"Single"`, `"true"`.
    let Some(right) = respelt(&e.key, &e.value) else {
        return d;
    };
    let edit = ed.and_then(|ed| Some(ed.set_value(ed.node(&pointer)?, &right)));
    d.fix(cx.fix(format!("write {right}"), edit))
}

/// The accepted value `value` of extension `key` stands for when only its case (or its being a
/// string) is wrong.
fn respelt(key: &str, value: &serde_json::Value) -> Option<serde_json::Value> {
    let accepted: &[&str] = match key {
        "x-ms-url-encoding" => &["single", "double"],
        "x-ms-trigger" => &["single", "batch"],
        "x-ms-notification-url" => {
            return match value.as_str()?.trim().to_ascii_lowercase().as_str() {
                "true" => Some(true.into()),
                "false" => Some(false.into()),
                _ => None,
            }
        }
        _ => return None,
    };
    let lower = value.as_str()?.trim().to_ascii_lowercase();
    accepted
        .iter()
        .find(|a| **a == lower)
        .map(|a| serde_json::Value::from(*a))
}

impl Rule for InvalidExtensionValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        let operations = c.operations.iter().flat_map(|op| {
            op.extensions
                .iter()
                .chain(op.parameters.iter().flat_map(|p| p.extensions.iter()))
        });
        let schemas = c.types.iter().flat_map(|(_, s)| s.rare().extensions.iter());
        for e in operations.chain(schemas) {
            let d = match (e.key.as_str(), &e.value) {
                ("x-ms-url-encoding", v) if !matches!(v.as_str(), Some("single" | "double")) => {
                    value_at(
                        cx,
                        e,
                        format!("x-ms-url-encoding is {v}, not \"single\" or \"double\""),
                        "use \"single\" or \"double\"",
                    )
                }
                ("x-ms-trigger", v) if !matches!(v.as_str(), Some("single" | "batch")) => value_at(
                    cx,
                    e,
                    format!("x-ms-trigger is {v}, not \"single\" or \"batch\""),
                    "use \"single\" (one event per response) or \"batch\" (one per item)",
                ),
                ("x-ms-notification-url", v) if !v.is_boolean() => value_at(
                    cx,
                    e,
                    format!("x-ms-notification-url is {v}, not a boolean"),
                    "write true",
                ),
                ("x-ms-pageable", v)
                    if !v.as_object().is_some_and(|m| {
                        m.get("nextLinkName")
                            .is_none_or(|n| n.is_string() || n.is_null())
                    }) =>
                {
                    value_at(
                        cx,
                        e,
                        format!("x-ms-pageable is {v}, not an object with a nextLinkName"),
                        "write { \"nextLinkName\": \"@odata.nextLink\" }",
                    )
                }
                ("x-ms-summary", serde_json::Value::String(s)) if s.trim().is_empty() => value_at(
                    cx,
                    e,
                    "x-ms-summary is empty".into(),
                    "write the label users should see, or remove it",
                ),
                _ => continue,
            };
            cx.push(d);
        }
    }
}
