//! Compiler-style rendering of diagnostics for people.

use super::{Diagnostic, Severity};
use crate::load::source::Sources;
use anstyle::{AnsiColor, Style};
use std::fmt::Write;

/// Renders `d` like a compiler message: header, `--> file:line:col`, the source line with a caret,
/// related places and a `help:` line. `color` adds ANSI styles.
pub fn human(d: &Diagnostic, sources: &Sources, color: bool) -> String {
    let paint = |style: Style, text: &str| -> String {
        if color {
            format!("{}{}{}", style.render(), text, style.render_reset())
        } else {
            text.to_string()
        }
    };
    let level_style = match d.severity {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Cyan.on_default().bold(),
    };
    let blue = AnsiColor::Blue.on_default().bold();
    let bold = Style::new().bold();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}",
        paint(level_style, &format!("{}[{}]", d.severity.as_str(), d.code)),
        paint(bold, &format!(": {}", d.message))
    );
    if let Some(file) = d.file {
        let f = sources.get(file);
        match d.span {
            Some(span) => {
                let lc = f.line_col(span.start);
                let gutter = lc.line.to_string().len();
                let pad = " ".repeat(gutter);
                let _ = writeln!(
                    out,
                    "{pad}{} {}:{}:{}",
                    paint(blue, "-->"),
                    f.path.display(),
                    lc.line,
                    lc.column
                );
                let line = f.line_text(lc.line);
                let shown: String = line.chars().take(160).collect();
                let _ = writeln!(out, "{pad} {}", paint(blue, "|"));
                let _ = writeln!(
                    out,
                    "{} {} {}",
                    paint(blue, &lc.line.to_string()),
                    paint(blue, "|"),
                    shown.replace('\t', " ")
                );
                let caret_col = (lc.column as usize - 1).min(shown.chars().count());
                let end = f.line_col(span.end.max(span.start + 1));
                let width = if end.line == lc.line && end.column > lc.column {
                    (end.column - lc.column) as usize
                } else {
                    1
                }
                .min(80);
                let _ = writeln!(
                    out,
                    "{pad} {} {}{}",
                    paint(blue, "|"),
                    " ".repeat(caret_col),
                    paint(level_style, &"^".repeat(width))
                );
            }
            None => {
                let _ = writeln!(out, " {} {}", paint(blue, "-->"), f.path.display());
            }
        }
    }
    for r in &d.related {
        let f = sources.get(r.file);
        let lc = f.line_col(r.span.start);
        let _ = writeln!(
            out,
            "  {} {}:{}:{}: {}",
            paint(blue, "="),
            f.path.display(),
            lc.line,
            lc.column,
            r.message
        );
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  {} {}", paint(bold, "= help:"), help);
    }
    out
}

/// `file:line:col` of a diagnostic, when it has a position.
pub fn location(d: &Diagnostic, sources: &Sources) -> Option<(String, u32, u32)> {
    let file = d.file?;
    let f = sources.get(file);
    let lc = d.span.map(|s| f.line_col(s.start));
    Some((
        f.path.display().to_string(),
        lc.map_or(0, |l| l.line),
        lc.map_or(0, |l| l.column),
    ))
}
