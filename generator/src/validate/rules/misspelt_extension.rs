//! Rule PP0104 `misspelt-extension`.

use crate::model::Extensions;
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports `x-ms-*` keys that are not extensions the platform knows but are close to one
    /// (`x-ms-visibilty`, `x-ms-sumamry`, `x-ms-summary title`), and suggests the right key.
    ///
    /// ## Why
    /// A misspelt extension is silently ignored: the parameter is shown when it should be hidden,
    /// the label is missing.
    ///
    /// ## Example
    /// ```json
    /// "x-ms-visibilty": "internal"
    /// ```
    ///
    /// ## Fix
    /// `"x-ms-visibility": "internal"`.
    pub struct MisspeltExtension {
        code: "PP0104",
        name: "misspelt-extension",
        category: Loading,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        fix: Safe,
        summary: "x-ms-* key close to a known extension",
    }
}

/// The `x-ms-*` extensions the platform documents or the certified connectors use.
pub const KNOWN: &[&str] = &[
    "x-ms-summary",
    "x-ms-visibility",
    "x-ms-url-encoding",
    "x-ms-dynamic-values",
    "x-ms-dynamic-list",
    "x-ms-dynamic-schema",
    "x-ms-dynamic-properties",
    "x-ms-dynamic-tree",
    "x-ms-trigger",
    "x-ms-trigger-hint",
    "x-ms-trigger-metadata",
    "x-ms-notification-content",
    "x-ms-notification-url",
    "x-ms-connector-metadata",
    "x-ms-api-annotation",
    "x-ms-capabilities",
    "x-ms-pageable",
    "x-ms-enum-values",
    "x-ms-test-value",
    "x-ms-enum",
    "x-ms-no-generic-test",
    "x-ms-openai-data",
    "x-ms-openai-manifest",
    "x-ms-require-user-confirmation",
    "x-ms-mutability",
    "x-ms-discriminator-value",
    "x-ms-correlation-id",
    "x-ms-apihub-cached-response",
    "x-ms-client-name",
    "x-ms-identifiers",
    "x-ms-long-running-operation",
    "x-ms-long-running-operation-options",
    "x-ms-parameter-location",
    "x-ms-secret",
    "x-ms-navigationProperty",
    "x-ms-async-operation-timeout",
    "x-ms-keywords",
    "x-ms-deployment-version",
    "x-ms-editor-options",
    "x-ms-editor",
    "x-ms-docs-operation-type",
    "x-ms-client-flatten",
    "x-ms-examples",
    "x-ms-parameterized-host",
    "x-ms-media-kind",
    "x-ms-request-id",
    "x-ms-azure-resource",
    "x-ms-api-version",
    "x-ms-paths",
    "x-ms-skip-url-encoding",
    "x-ms-docs",
    "x-ms-openai-published-to-copilots",
    "x-ms-property-name-for-dynamic-properties",
    "x-ms-capabilities-info",
];

/// The known key a written key was probably meant to be.
pub fn suggestion(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    if !lower.starts_with("x-ms") || KNOWN.contains(&key) {
        return None;
    }
    // A known key in another case, or followed by stray words ("x-ms-summary title").
    if let Some(k) = KNOWN.iter().find(|k| {
        k.to_ascii_lowercase() == lower
            || lower.split_whitespace().next() == Some(&k.to_ascii_lowercase())
    }) {
        return Some(k);
    }
    KNOWN
        .iter()
        .map(|k| {
            (
                strsim::damerau_levenshtein(&lower, &k.to_ascii_lowercase()),
                k,
            )
        })
        .filter(|(d, k)| *d <= 2 && *d < k.len() / 4)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| *k)
}

fn report(cx: &mut Checker<'_>, ext: &Extensions) {
    for e in ext.iter() {
        let Some(right) = suggestion(&e.key) else {
            continue;
        };
        let d = cx
            .at_key(
                e.origin.file,
                e.origin.span,
                &e.origin.pointer,
                format!("`{}` is not a known extension; it is ignored", e.key),
            )
            .help(format!("did you mean `{right}`?"));
        // The key renamed, unless its object holds the right one already.
        let edit = cx.editor(e.origin.file).and_then(|ed| {
            let pointer = e.origin.pointer.as_string();
            let (parent, _) = pointer.rsplit_once('/')?;
            let object = ed.node(parent)?;
            if object.member(right).is_some() {
                return None;
            }
            Some(ed.rename_key(object.member(&e.key)?, right))
        });
        let fix = cx.fix(format!("rename `{}` to `{right}`", e.key), edit);
        cx.push(d.fix(fix));
    }
}

impl Rule for MisspeltExtension {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        report(cx, &c.extensions);
        for a in &c.auth {
            report(cx, &a.extensions);
        }
        for op in &c.operations {
            report(cx, &op.extensions);
            for p in &op.parameters {
                report(cx, &p.extensions);
            }
            for r in &op.responses {
                report(cx, &r.extensions);
            }
        }
        for (_, s) in c.types.iter() {
            report(cx, &s.rare().extensions);
        }
    }
}
