//! Rule PP0301 `operation-id-not-alphanumeric`.

use crate::diagnostics::fix::{Fix, Safety};
use crate::load::node::{Span, Value};
use crate::location::FileId;
use crate::validate::{Checker, Rule, RuleMeta};
use std::collections::{HashMap, HashSet};

crate::rule! {
    /// ## What it does
    /// Reports operation ids with characters other than ASCII letters and digits.
    ///
    /// ## Why
    /// The id names the action in flows and in generated code; certification requires letters and
    /// digits only.
    ///
    /// ## Example
    /// ```json
    /// "operationId": "Get_Forms"
    /// ```
    ///
    /// ## Fix
    /// `"operationId": "GetForms"`. `--fix --unsafe-fixes` renames it (the other characters
    /// dropped and the letter after them made upper case: `get_forms` → `getForms`; a number
    /// added when the name is taken) and every place that names it: `operationId` of dynamic
    /// values, schemas, lists and trees, `scriptOperations` and the operations of policy
    /// templates. It is unsafe: flows and code that call the operation by its old name stop
    /// finding it.
    pub struct OperationIdNotAlphanumeric {
        code: "PP0301",
        name: "operation-id-not-alphanumeric",
        category: Operations,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        fix: Unsafe,
        summary: "operationId has characters other than letters and digits",
    }
}

/// Every place of the connector's JSON files that names an operation by its id: `operationId`
/// members (the operations' own, and those of dynamic values, schemas, lists and trees), and
/// the items of `scriptOperations` and of policy templates' `x-ms-apimTemplate-operationName`.
fn id_references(cx: &Checker<'_>) -> HashMap<String, Vec<(FileId, Span)>> {
    let mut refs: HashMap<String, Vec<(FileId, Span)>> = HashMap::new();
    for (file, src) in cx.sources.iter() {
        let Some(root) = &src.root else { continue };
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            match &node.value {
                Value::Object(members) => {
                    for m in members {
                        match (m.key.as_str(), &m.value.value) {
                            ("operationId", Value::String(id)) => {
                                refs.entry(id.clone())
                                    .or_default()
                                    .push((file, m.value.span));
                            }
                            (
                                "scriptOperations" | "x-ms-apimTemplate-operationName",
                                Value::Array(items),
                            ) => {
                                for item in items {
                                    if let Value::String(id) = &item.value {
                                        refs.entry(id.clone()).or_default().push((file, item.span));
                                    }
                                }
                            }
                            _ => stack.push(&m.value),
                        }
                    }
                }
                Value::Array(items) => stack.extend(items.iter()),
                _ => {}
            }
        }
    }
    refs
}

/// `base`, or `base2`, `base3`… : the first not in `taken` (compared without case, as the
/// platform compares operation ids).
fn unique(base: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(&base.to_ascii_lowercase()) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|c| !taken.contains(&c.to_ascii_lowercase()))
        .unwrap_or_default()
}

impl Rule for OperationIdNotAlphanumeric {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let bad: Vec<_> = cx
            .connector
            .operations
            .iter()
            .filter(|op| !op.id_generated && !op.id.chars().all(|ch| ch.is_ascii_alphanumeric()))
            .collect();
        if bad.is_empty() {
            return;
        }
        let refs = id_references(cx);
        let mut taken: HashSet<String> = cx
            .connector
            .operations
            .iter()
            .map(|op| op.id.to_ascii_lowercase())
            .collect();
        let mut renamed: HashMap<&str, String> = HashMap::new();
        for op in bad {
            let fixed = crate::text::alphanumeric_words(&op.id);
            let d = cx
                .at_member(
                    &op.origin,
                    &["operationId"],
                    format!("operationId `{}` is not alphanumeric", op.id),
                )
                .help(format!("use letters and digits only, e.g. `{fixed}`"));
            // An id written twice gets one new name.
            let new = match renamed.get(op.id.as_str()) {
                Some(n) => n.clone(),
                None if fixed.is_empty() => {
                    cx.push(d);
                    continue;
                }
                None => {
                    let n = unique(&fixed, &taken);
                    taken.insert(n.to_ascii_lowercase());
                    renamed.insert(&op.id, n.clone());
                    n
                }
            };
            let edits: Option<Vec<_>> = refs
                .get(&op.id)
                .into_iter()
                .flatten()
                .map(|(file, span)| {
                    Some(
                        cx.editor(*file)?
                            .replace(*span, serde_json::Value::from(new.as_str()).to_string()),
                    )
                })
                .collect();
            let fix = edits.filter(|e| !e.is_empty()).map(|edits| {
                Fix::new(
                    Safety::Unsafe,
                    format!(
                        "rename `{}` to `{new}` where it is named ({} place{})",
                        op.id,
                        edits.len(),
                        if edits.len() == 1 { "" } else { "s" }
                    ),
                    edits,
                )
            });
            cx.push(d.fix(fix));
        }
    }
}
