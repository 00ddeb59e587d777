//! `connector-gen rules`.

use clap::ValueEnum;
use connector_gen::diagnostics::Severity;
use connector_gen::validate::{all_rules, report};
use std::io::Write;
use std::process::ExitCode;

/// Output format of `rules`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table.
    Human,
    /// The documentation page (docs/rules.md).
    Markdown,
    /// One object per rule.
    Json,
}

pub fn run(format: RulesFormat, changes: bool) -> ExitCode {
    let text = if changes {
        change_rules(format)
    } else {
        validation_rules(format)
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write the output: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// The change rules of `diff`.
fn change_rules(format: RulesFormat) -> String {
    let all = connector_gen::diff::all_change_rules();
    match format {
        RulesFormat::Markdown => connector_gen::diff::report::rules_markdown(),
        RulesFormat::Json => {
            let rules: Vec<_> = all
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({
                        "code": m.code, "name": m.name, "level": m.level.as_str(),
                        "summary": m.summary,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"
        }
        RulesFormat::Human => all
            .iter()
            .map(|r| {
                let m = r.meta();
                format!(
                    "{}  {:<36} {:<8} {}\n",
                    m.code,
                    m.name,
                    m.level.as_str(),
                    m.summary
                )
            })
            .collect(),
    }
}

/// The validation rules.
fn validation_rules(format: RulesFormat) -> String {
    match format {
        RulesFormat::Markdown => report::rules_markdown(),
        RulesFormat::Json => {
            let rules: Vec<_> = all_rules()
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({
                        "code": m.code, "name": m.name, "category": m.category.title(),
                        "default": m.default.map_or("off", Severity::as_str),
                        "certification": m.certification.as_str(), "summary": m.summary,
                        "fix": m.fix.map(|f| f.as_str()),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"
        }
        RulesFormat::Human => all_rules()
            .iter()
            .map(|r| {
                let m = r.meta();
                format!(
                    "{}  {:<36} {:<8} {:<8} {:<6} {}\n",
                    m.code,
                    m.name,
                    m.default.map_or("off", Severity::as_str),
                    m.certification.as_str(),
                    m.fix.map_or("-", |f| f.as_str()),
                    m.summary
                )
            })
            .collect(),
    }
}
