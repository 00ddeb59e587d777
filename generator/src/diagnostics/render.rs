//! Compiler-style rendering of diagnostics for people.

use super::{Diagnostic, Severity};
use crate::location::{FileId, SourceMap};
use crate::text::printable_line;
use anstyle::{AnsiColor, Style};
use std::fmt::Write;

/// Lines of up to this many characters are shown whole.
const SNIPPET_WHOLE: usize = 160;
/// Characters of a longer source line shown before the flagged place, and after it.
const SNIPPET_BEFORE: usize = 60;
const SNIPPET_AFTER: usize = 100;

/// The part of the line around byte `offset` that a snippet shows (at most [`SNIPPET_BEFORE`]
/// characters before it and [`SNIPPET_AFTER`] from it, `…` where the line goes on), made
/// printable, and the column of `offset` within it (0-based). Long minified lines are cut
/// around the place rather than from their start.
fn snippet(
    sources: &(impl SourceMap + ?Sized),
    file: FileId,
    line: u32,
    offset: usize,
) -> (String, usize) {
    let text = sources.line_text(file, line);
    let line_start = text.as_ptr() as usize - sources.text(file).as_ptr() as usize;
    let mut at = offset.saturating_sub(line_start).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (head, tail) = text.split_at(at);
    // A line that fits is shown whole; a longer one around the place.
    // (Characters are counted only in lines short enough: a minified line is megabytes long.)
    if text.len() <= 4 * SNIPPET_WHOLE && text.chars().count() <= SNIPPET_WHOLE {
        let shown = printable_line(&text.replace('\t', " ")).into_owned();
        let caret = printable_line(&head.replace('\t', " ")).chars().count();
        return (shown, caret);
    }
    let from = head
        .char_indices()
        .rev()
        .nth(SNIPPET_BEFORE - 1)
        .map_or(0, |(i, _)| i);
    let to = tail
        .char_indices()
        .nth(SNIPPET_AFTER)
        .map_or(tail.len(), |(i, _)| i);
    let mut before = String::new();
    if from > 0 {
        before.push('…');
    }
    before.push_str(&printable_line(&head[from..].replace('\t', " ")));
    let mut shown = before.clone();
    shown.push_str(&printable_line(&tail[..to].replace('\t', " ")));
    if to < tail.len() {
        shown.push('…');
    }
    (shown, before.chars().count())
}

/// Renders `d` like a compiler message: header, `--> file:line:col`, the source line with a caret,
/// related places and a `help:` line. `color` adds ANSI styles.
pub fn human(d: &Diagnostic, sources: &(impl SourceMap + ?Sized), color: bool) -> String {
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
        paint(bold, &format!(": {}", printable_line(&d.message)))
    );
    if let Some(file) = d.file {
        let path = printable_line(&sources.path(file).display().to_string()).into_owned();
        match d.span {
            Some(span) => {
                let lc = sources.line_col(file, span.start);
                let gutter = lc.line.to_string().len();
                let pad = " ".repeat(gutter);
                let _ = writeln!(
                    out,
                    "{pad}{} {}:{}:{}",
                    paint(blue, "-->"),
                    path,
                    lc.line,
                    lc.column
                );
                let (shown, caret_col) = snippet(sources, file, lc.line, span.start as usize);
                let _ = writeln!(out, "{pad} {}", paint(blue, "|"));
                let _ = writeln!(
                    out,
                    "{} {} {}",
                    paint(blue, &lc.line.to_string()),
                    paint(blue, "|"),
                    shown
                );
                let end = sources.line_col(file, span.end.max(span.start + 1));
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
                let _ = writeln!(out, " {} {}", paint(blue, "-->"), path);
            }
        }
    }
    for r in &d.related {
        let lc = sources.line_col(r.file, r.span.start);
        let _ = writeln!(
            out,
            "  {} {}:{}:{}: {}",
            paint(blue, "="),
            printable_line(&sources.path(r.file).display().to_string()),
            lc.line,
            lc.column,
            printable_line(&r.message)
        );
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  {} {}", paint(bold, "= help:"), printable_line(help));
    }
    if let Some(fix) = &d.fix {
        let how = match fix.safety {
            super::fix::Safety::Safe => "--fix",
            super::fix::Safety::Unsafe => "--fix --unsafe-fixes",
        };
        let _ = writeln!(
            out,
            "  {} {} ({how})",
            paint(bold, "= fix:"),
            printable_line(&fix.title)
        );
    }
    out
}

/// `file:line:col` of a diagnostic, when it has a position.
pub fn location(d: &Diagnostic, sources: &(impl SourceMap + ?Sized)) -> Option<(String, u32, u32)> {
    let file = d.file?;
    let lc = d.span.map(|s| sources.line_col(file, s.start));
    Some((
        sources.path(file).display().to_string(),
        lc.map_or(0, |l| l.line),
        lc.map_or(0, |l| l.column),
    ))
}
