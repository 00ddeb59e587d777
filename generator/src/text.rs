//! Text from definitions and servers, made safe to show on a terminal.
//!
//! A definition's titles, descriptions, names and file names, and a server's error bodies, are
//! written by strangers. Printed as they are, an escape sequence clears the screen, rewrites the
//! window title or hides the lines before it, and a bidirectional override makes a line read
//! differently from what it holds. Every human-format output passes such text through
//! [`printable`] (multi-line text) or [`printable_line`] (text within one line).

use std::borrow::Cow;

/// Whether `c` changes how a terminal shows what follows: control characters (C0 and C1, DEL)
/// and the invisible characters that reorder bidirectional text.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The bidirectional formatting characters (embeddings, overrides, isolates and marks).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with every unsafe character (see [`is_unsafe`]) written as an escape (`\u{1b}`); line
/// breaks and tabs are kept.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, |c| c != '\n' && c != '\t' && is_unsafe(c))
}

/// `text` for one line of output: like [`printable`], and line breaks, tabs and the Unicode line
/// and paragraph separators are escaped too (`\n`, `\t`), so that the text cannot start a line
/// that looks like the tool's own.
pub fn printable_line(text: &str) -> Cow<'_, str> {
    escape(text, |c| {
        is_unsafe(c) || matches!(c, '\u{2028}' | '\u{2029}')
    })
}

/// One line of a diff (without its line end): like [`printable_line`], but tabs are kept (they
/// are the indentation of many files) and a byte-order mark is escaped (`\u{feff}`: it is
/// invisible, and a fix may be its removal).
pub fn printable_diff_line(text: &str) -> Cow<'_, str> {
    escape(text, |c| {
        c != '\t' && (is_unsafe(c) || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
    })
}

/// `text` of ASCII letters and digits only: the others dropped, and a letter that followed them
/// made upper case (`get_forms` → `getForms`, `Update item!` → `UpdateItem`).
pub fn alphanumeric_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut upper = false;
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(if upper { ch.to_ascii_uppercase() } else { ch });
            upper = false;
        } else {
            upper = !out.is_empty();
        }
    }
    out
}

fn escape(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !unsafe_char(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// The text of a doc comment gathered by a macro (`concat!` of its `#[doc]` lines): each line's
/// one leading space removed.
pub fn doc_comment_text(doc: &str) -> String {
    doc.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_controls_are_shown_not_obeyed() {
        let hostile = "Tasks\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m \u{202e}gnp.exe\u{2066}";
        let shown = printable(hostile);
        assert_eq!(
            shown,
            "Tasks\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{9b}31m \\u{202e}gnp.exe\\u{2066}"
        );
        assert!(!shown.chars().any(is_unsafe));
        assert_eq!(printable("two\nlines\tand é"), "two\nlines\tand é");
        assert_eq!(
            printable_line("two\nlines\r\tx\u{2028}"),
            "two\\nlines\\r\\tx\\u{2028}"
        );
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
    }
}
