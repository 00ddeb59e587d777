//! Findings with resolved locations, and the output formats of `validate`: `human`, `json`,
//! `sarif` (SARIF 2.1.0 for code scanning) and `github` (workflow-command annotations).

use super::{all_rules, Profile};
use crate::diagnostics::{render, Diagnostic, Severity};
use crate::load::source::Sources;
use crate::text::{printable, printable_line};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::borrow::Cow;
use std::fmt::Write;
use std::sync::Arc;

/// A diagnostic with its location resolved to file, line and column (what every format prints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule code.
    pub code: Cow<'static, str>,
    /// Rule name.
    pub name: Cow<'static, str>,
    /// `error`, `warning` or `info`.
    pub severity: Cow<'static, str>,
    /// What is wrong.
    pub message: String,
    /// The file, as given on the command line (joined with the path inside it); shared by the
    /// findings of one file.
    pub file: Arc<str>,
    /// 1-based line (0 when the finding concerns the whole file).
    pub line: u32,
    /// 1-based column in characters (0 when the finding concerns the whole file).
    pub column: u32,
    /// Where the flagged text ends (line).
    #[serde(rename = "endLine")]
    pub end_line: u32,
    /// Where the flagged text ends (column, exclusive).
    #[serde(rename = "endColumn")]
    pub end_column: u32,
    /// JSON pointer of the element.
    pub pointer: Option<String>,
    /// What to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Cow<'static, str>>,
    /// The fix offered for it, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Box<FixNote>>,
    /// The compiler-style rendering, made while the sources were at hand (human format only).
    #[serde(skip)]
    pub rendered: Option<String>,
}

// `validate` makes its findings in the list of the diagnostics they come from (an in-place
// collect, which needs the two types to have one size and alignment): a finding grown past a
// diagnostic would need a second list as large as the first for a large definition.
const _: () = assert!(
    std::mem::size_of::<Finding>() == std::mem::size_of::<Diagnostic>()
        && std::mem::align_of::<Finding>() == std::mem::align_of::<Diagnostic>(),
    "a Finding must keep the size of a Diagnostic (see cli::validate::report_of)"
);

/// What fix a finding offers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FixNote {
    /// `safe` (applied by `--fix`) or `unsafe` (only with `--unsafe-fixes`).
    pub safety: Cow<'static, str>,
    /// What it does.
    pub title: String,
}

impl Finding {
    /// Resolves a diagnostic against its sources. `fallback_file` names the input when the
    /// diagnostic has no file.
    pub fn from_diagnostic(
        d: Diagnostic,
        sources: &Sources,
        fallback_file: &str,
        render_color: Option<bool>,
    ) -> Finding {
        // Rendered while the diagnostic is whole; its texts are then moved, not copied.
        let rendered = render_color.map(|color| render::human(&d, sources, color));
        let (file, line, column, end_line, end_column) = match d.file {
            Some(f) => {
                let src = sources.get(f);
                let path = src.shown_path();
                match d.span {
                    Some(span)
                        if !(span.start == 0
                            && span.end == 0
                            && d.pointer.as_deref() == Some("")) =>
                    {
                        let a = src.line_col(span.start);
                        let b = src.line_col(span.end.max(span.start + 1));
                        (path, a.line, a.column, b.line, b.column)
                    }
                    _ => (path, 0, 0, 0, 0),
                }
            }
            None => (Arc::from(fallback_file), 0, 0, 0, 0),
        };
        Finding {
            code: Cow::Borrowed(d.code),
            name: Cow::Borrowed(d.name),
            severity: Cow::Borrowed(d.severity.as_str()),
            message: d.message,
            file,
            line,
            column,
            end_line,
            end_column,
            pointer: d.pointer,
            help: d.help,
            fix: d.fix.map(|f| {
                Box::new(FixNote {
                    safety: Cow::Borrowed(f.safety.as_str()),
                    title: f.title,
                })
            }),
            rendered,
        }
    }

    /// The severity as an enum.
    pub fn level(&self) -> Severity {
        match &*self.severity {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        }
    }
}

/// Counts for the summary; serialized as the `summary` of the JSON report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Connectors (definitions) checked.
    pub connectors: usize,
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
    /// Findings left out because the baseline knows them.
    pub baselined: usize,
    /// Findings whose safe fix `--fix` would apply.
    pub fixable: usize,
    /// Findings whose fix needs `--unsafe-fixes`.
    #[serde(rename = "unsafeFixable")]
    pub unsafe_fixable: usize,
    /// Fixes applied (`Some` with `--fix`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
}

impl Summary {
    /// Counts findings by severity.
    pub fn count(&mut self, findings: &[Finding]) {
        for f in findings {
            match f.level() {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            match f.fix.as_ref().map(|n| &*n.safety) {
                Some("safe") => self.fixable += 1,
                Some(_) => self.unsafe_fixable += 1,
                None => {}
            }
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The human report: every finding compiler style, then a summary line.
pub fn human(findings: &[Finding], summary: &Summary) -> String {
    let mut out = String::new();
    for f in findings {
        match &f.rendered {
            Some(r) => out.push_str(r),
            None => {
                let _ = writeln!(
                    out,
                    "{}[{}]: {}\n  --> {}:{}:{}",
                    f.severity,
                    f.code,
                    printable_line(&f.message),
                    printable_line(&f.file),
                    f.line,
                    f.column
                );
            }
        }
    }
    if !findings.is_empty() {
        out.push('\n');
    }
    let _ = write!(
        out,
        "{}: {}, {} in {} ({} checked)",
        if summary.errors > 0 { "failed" } else { "ok" },
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.files, "file"),
        plural(summary.connectors, "connector"),
    );
    if summary.baselined > 0 {
        let _ = write!(out, "; {} known from the baseline", summary.baselined);
    }
    let remaining = summary.errors + summary.warnings + summary.infos;
    let unsafe_more = |out: &mut String| {
        if summary.unsafe_fixable > 0 {
            let _ = write!(
                out,
                " ({} more with --unsafe-fixes)",
                summary.unsafe_fixable
            );
        }
    };
    match summary.fixed {
        Some(fixed) => {
            let _ = write!(out, "; {fixed} fixed, {remaining} remaining");
            unsafe_more(&mut out);
        }
        None if summary.fixable > 0 => {
            let _ = write!(out, "; {} fixable with --fix", summary.fixable);
            unsafe_more(&mut out);
        }
        None if summary.unsafe_fixable > 0 => {
            let _ = write!(
                out,
                "; {} fixable with --fix --unsafe-fixes",
                summary.unsafe_fixable
            );
        }
        None => {}
    }
    out.push('\n');
    out
}

/// The JSON report (shape documented in docs/validate.md): every finding, then the counts.
/// Serialized straight to its writer: a report of 100,000 operations' findings is hundreds of
/// megabytes, and no tree of it is built.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// The findings.
    pub diagnostics: &'a [Finding],
    /// The counts.
    pub summary: &'a Summary,
}

/// The JSON report of `findings` and `summary`.
pub fn json<'a>(findings: &'a [Finding], summary: &'a Summary) -> JsonReport<'a> {
    JsonReport {
        diagnostics: findings,
        summary,
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file path as a SARIF artifact URI: relative paths stay relative (to the repository root,
/// as code scanning expects), with forward slashes; absolute paths become `file://` URIs.
pub fn artifact_uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let encoded: String = p
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '#' => "%23".to_string(),
            '?' => "%3F".to_string(),
            '%' => "%25".to_string(),
            c => c.to_string(),
        })
        .collect();
    let trimmed = encoded.trim_start_matches("./").to_string();
    if p.starts_with('/') {
        format!("file://{trimmed}")
    } else {
        trimmed
    }
}

/// A SARIF 2.1.0 log of one run of connector-gen: its rules and its results.
pub fn sarif_log(rules: Vec<Value>, results: Vec<Value>) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "connector-gen",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// The SARIF 2.1.0 log: every rule of the profile with its help, and one result per finding.
pub fn sarif(findings: &[Finding], profile: Profile) -> Value {
    let rules: Vec<&'static super::RuleMeta> = all_rules()
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.severity(profile).is_some() || findings.iter().any(|f| f.code == m.code))
        .collect();
    let rules_json: Vec<Value> = rules
        .iter()
        .map(|m| {
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": m.summary},
                "help": {"text": m.doc_text(), "markdown": m.doc_text()},
                "defaultConfiguration": {"level": sarif_level(m.severity(profile).unwrap_or(m.certification))},
                "properties": {"tags": [format!("{:?}", m.category).to_lowercase()]},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut location = json!({"physicalLocation": {"artifactLocation": {"uri": artifact_uri(&f.file)}}});
            if f.line > 0 {
                location["physicalLocation"]["region"] = json!({
                    "startLine": f.line, "startColumn": f.column,
                    "endLine": f.end_line.max(f.line), "endColumn": f.end_column.max(1),
                });
            }
            let mut r = json!({
                "ruleId": f.code,
                "level": sarif_level(f.level()),
                "message": {"text": match &f.help { Some(h) => format!("{} (help: {h})", f.message), None => f.message.clone() }},
                "locations": [location],
            });
            if let Some(i) = rules.iter().position(|m| m.code == f.code) {
                r["ruleIndex"] = json!(i);
            }
            if let Some(p) = &f.pointer {
                r["properties"] = json!({"jsonPointer": p});
            }
            r
        })
        .collect();
    sarif_log(rules_json, results)
}

/// Text of a workflow command: the runner's log is shown like a terminal, so control
/// characters are escaped before the command's own `%`, CR and LF encoding.
pub fn escape_data(s: &str) -> String {
    printable(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Text as a property of a GitHub Actions workflow command.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding.
pub fn github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let kind = match f.level() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = format!("file={}", escape_property(&f.file));
        if f.line > 0 {
            let _ = write!(
                props,
                ",line={},col={},endLine={},endColumn={}",
                f.line,
                f.column,
                f.end_line.max(f.line),
                f.end_column
            );
        }
        let _ = write!(
            props,
            ",title={}",
            escape_property(&format!("{} {}", f.code, f.name))
        );
        let message = match &f.help {
            Some(h) => format!("{}\nhelp: {h}", f.message),
            None => f.message.clone(),
        };
        let _ = writeln!(out, "::{kind} {props}::{}", escape_data(&message));
    }
    out
}

/// The rule catalogue as markdown (`docs/rules.md`).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Validation rules\n\n<!-- Generated by `connector-gen rules --format markdown`; do not edit by hand. -->\n\n\
         Every rule has a stable code and name. `default` is its severity with `--profile default`\n\
         (`off`: only with `--profile certification`), `certification` its severity with\n\
         `--profile certification`. Severities can be changed per rule with `--config`. `fix` says\n\
         whether `validate --fix` mends the finding: `safe` (applied by `--fix`), `unsafe` (only with\n\
         `--fix --unsafe-fixes`: it renames something or writes text users read) or `-` (no fix).\n\n\
         | code | name | default | certification | fix | summary |\n|---|---|---|---|---|---|\n",
    );
    let mut metas: Vec<&super::RuleMeta> = all_rules().iter().map(|r| r.meta()).collect();
    metas.sort_by_key(|m| m.code);
    for m in &metas {
        let _ = writeln!(
            out,
            "| {} | [`{}`](#{}) | {} | {} | {} | {} |",
            m.code,
            m.name,
            m.name,
            m.default.map_or("off", Severity::as_str),
            m.certification.as_str(),
            m.fix.map_or("-", |f| f.as_str()),
            m.summary.replace('|', "\\|")
        );
    }
    let mut categories: Vec<_> = metas.iter().map(|m| m.category).collect();
    categories.sort();
    categories.dedup();
    for cat in categories {
        let _ = write!(out, "\n## {}\n", cat.title());
        for m in metas.iter().filter(|m| m.category == cat) {
            let doc = m.doc_text().replace("## ", "#### ");
            let fix = match m.fix {
                Some(f) => format!(" · fix: {}", f.as_str()),
                None => String::new(),
            };
            let _ = write!(
                out,
                "\n### {}\n\n`{}` · {}{fix}\n\n{}\n",
                m.name,
                m.code,
                m.summary,
                doc.trim_end()
            );
        }
    }
    out
}
