//! Rule PP0902 `package-readme-sections`.

use crate::location::Span;
use crate::validate::{Checker, Rule, RuleMeta, Scope};

/// The sections the certification template marks as required, in its order (`Publisher` is
/// written `## Publisher: NAME`).
pub const REQUIRED_SECTIONS: &[&str] = &[
    "Publisher",
    "Prerequisites",
    "Supported Operations",
    "Obtaining Credentials",
    "Known Issues and Limitations",
    "Deployment Instructions",
];

crate::rule! {
    /// ## What it does
    /// Reports a `readme.md` without a title (`# …`) or without a section the certification
    /// template requires: `## Publisher: …`, `## Prerequisites`, `## Supported Operations`,
    /// `## Obtaining Credentials`, `## Known Issues and Limitations`, `## Deployment
    /// Instructions` (headings in fenced code blocks do not count).
    ///
    /// ## Why
    /// Certification reviews the readme against its template; a missing section sends the
    /// submission back.
    ///
    /// ## Example
    /// ```markdown
    /// # Contoso
    /// Contoso's tasks.
    /// ## Supported Operations
    /// ```
    ///
    /// ## Fix
    /// Add the missing sections, with their text.
    pub struct PackageReadmeSections {
        code: "PP0902",
        name: "package-readme-sections",
        category: Package,
        default: None,
        certification: Error,
        summary: "readme.md lacks a title or a section the certification template requires",
    }
}

/// The headings of a Markdown text, outside fenced code: (level, text, span of the line).
pub fn headings(text: &str) -> Vec<(usize, String, Span)> {
    let mut out = Vec::new();
    let mut fence = false;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let t = line.trim_end();
        let trimmed = t.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence || t.len() - trimmed.len() > 3 {
            continue;
        }
        let level = trimmed.chars().take_while(|&c| c == '#').count();
        let rest = &trimmed[level..];
        if (1..=6).contains(&level) && (rest.is_empty() || rest.starts_with([' ', '\t'])) {
            let title = rest.trim().trim_end_matches('#').trim().to_string();
            out.push((level, title, Span::new(start, start + t.len())));
        }
    }
    out
}

impl Rule for PackageReadmeSections {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(file) = cx.package.and_then(|p| p.readme) else {
            return;
        };
        let text = &cx.sources.get(file).text;
        let hs = headings(text);
        let end = Span::new(text.len(), text.len());
        if !hs.iter().any(|(level, t, _)| *level == 1 && !t.is_empty()) {
            let d = cx.at_text(
                file,
                Span::new(0, 0),
                "readme.md has no title (`# Connector name`)",
            );
            cx.push(d.help("start it with `# <connector title>` and a paragraph about the service and the connector"));
        }
        for section in REQUIRED_SECTIONS {
            let found = hs.iter().any(|(level, t, _)| {
                *level == 2 && {
                    let t = t.to_ascii_lowercase();
                    let want = section.to_ascii_lowercase();
                    t == want
                        || t.strip_prefix(&want)
                            .is_some_and(|r| r.trim_start().starts_with(':'))
                }
            });
            if !found {
                let d = cx.at_text(
                    file,
                    end,
                    format!("readme.md has no `## {section}` section"),
                );
                let example = if *section == "Publisher" {
                    "## Publisher: <company or your name>".to_string()
                } else {
                    format!("## {section}")
                };
                cx.push(d.help(format!(
                    "add `{example}` with its text, as the certification template has it"
                )));
            }
        }
    }
}
