//! Rule PP0306 `summary-invalid`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Checks operation summaries as certification does: at most 80 characters, only letters,
    /// digits, spaces and parentheses, and no punctuation at the end.
    ///
    /// ## Why
    /// Summaries are shown as action names in a list; the platform's validator refuses others.
    ///
    /// ## Example
    /// ```json
    /// "summary": "Gets the item's details."
    /// ```
    ///
    /// ## Fix
    /// `"summary": "Get item details"`.
    pub struct SummaryInvalid {
        code: "PP0306",
        name: "summary-invalid",
        category: Operations,
        default: None,
        certification: Error,
        summary: "Summary too long or with characters certification refuses",
    }
}

impl Rule for SummaryInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for op in &cx.connector.operations {
            let Some(summary) = op
                .summary
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            else {
                continue;
            };
            let mut problems = Vec::new();
            let n = summary.chars().count();
            if n > 80 {
                problems.push(format!("has {n} characters (at most 80)"));
            }
            let bad: Vec<String> = summary
                .chars()
                .filter(|ch| !(ch.is_alphanumeric() || *ch == ' ' || *ch == '(' || *ch == ')'))
                .collect::<std::collections::BTreeSet<char>>()
                .into_iter()
                .map(|ch| format!("`{ch}`"))
                .collect();
            if !bad.is_empty() {
                problems.push(format!("contains {}", bad.join(" ")));
            }
            if summary.ends_with(|ch: char| ch.is_ascii_punctuation() && ch != ')') {
                problems.push("ends with punctuation".into());
            }
            if !problems.is_empty() {
                let d = cx
                    .at_member(&op.origin, &["summary"], format!("summary \"{summary}\" {}", problems.join(", ")))
                    .help("use letters, digits, spaces and parentheses, at most 80 characters, no final punctuation");
                cx.push(d);
            }
        }
    }
}
