//! Doc comments from definition text, escaped so that rustdoc renders them as prose.
//!
//! Definition text is written by strangers and ends up in the doc comments of a crate that its
//! users build and test: rustdoc must never compile or run any of it. Code blocks (fenced with
//! backticks or tildes, or indented) become `text` blocks, which rustdoc shows and never runs;
//! everything else is prose with Markdown's active characters escaped. Control characters and
//! bidirectional overrides are written as visible escapes (`\u{202e}`): raw, rustc refuses
//! them in comments and a reader would see reordered text.

use crate::text::is_unsafe;

/// Turns free text (summaries, descriptions, often with HTML, brackets or code) into doc-comment
/// lines that rustdoc neither links, nor parses as HTML, nor compiles as doctests.
pub fn doc_lines(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // An indented code block cannot interrupt a paragraph: it starts the text or follows a
    // blank line.
    let mut after_blank = true;
    while i < lines.len() {
        let line = lines[i];
        if let Some(fence) = Fence::open(line) {
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && !fence.closes(lines[i]) {
                body.push(strip_indent(lines[i], fence.indent));
                i += 1;
            }
            // The closing fence (an unclosed block runs to the end of the text).
            i += 1;
            code_block(&mut out, &body);
            after_blank = false;
            continue;
        }
        if after_blank && indented_code(line) {
            let mut body = Vec::new();
            while i < lines.len() && (indented_code(lines[i]) || lines[i].trim().is_empty()) {
                body.push(strip_indent(lines[i], 4));
                i += 1;
            }
            while body.last().is_some_and(|l| l.trim().is_empty()) {
                body.pop();
                i -= 1;
            }
            code_block(&mut out, &body);
            after_blank = false;
            continue;
        }
        // Indentation is dropped: an indented line within a paragraph is prose.
        out.push(prose(line.trim()));
        after_blank = line.trim().is_empty();
        i += 1;
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out
}

/// An opening code fence: up to three spaces, then three or more backticks or tildes.
struct Fence {
    char: char,
    len: usize,
    indent: usize,
}

impl Fence {
    fn open(line: &str) -> Option<Fence> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            return None;
        }
        let rest = &line[indent..];
        let char = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let len = rest.len() - rest.trim_start_matches(char).len();
        // A backtick fence's info string holds no backtick (else it is inline code).
        let info = &rest[len..];
        (len >= 3 && !(char == '`' && info.contains('`'))).then_some(Fence { char, len, indent })
    }

    /// Whether `line` closes the block: at least as many of the same character, nothing after.
    fn closes(&self, line: &str) -> bool {
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() > 3 {
            return false;
        }
        let run = trimmed.len() - trimmed.trim_start_matches(self.char).len();
        run >= self.len && trimmed[run..].trim().is_empty()
    }
}

/// A line of an indented code block: four spaces or a tab, then something.
fn indented_code(line: &str) -> bool {
    (line.starts_with("    ") || line.starts_with('\t')) && !line.trim().is_empty()
}

/// `line` without up to `n` leading spaces (a tab counts as four).
fn strip_indent(line: &str, n: usize) -> &str {
    if n >= 4 && line.starts_with('\t') {
        return &line[1..];
    }
    let spaces = line.len() - line.trim_start_matches(' ').len();
    &line[spaces.min(n)..]
}

/// A code block of the definition as a `text` block: shown as code, never compiled or run. The
/// fence is longer than any run of backticks inside, so nothing in it can close it early.
fn code_block(out: &mut Vec<String>, body: &[&str]) {
    let longest = body
        .iter()
        .flat_map(|l| l.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    out.push(format!("{fence}text"));
    out.extend(body.iter().map(|l| visible(l)));
    out.push(fence);
}

/// Text with every unsafe character (see [`is_unsafe`]) written as an escape; tabs kept.
fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c != '\t' && is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// One line of prose: URLs as autolinks, Markdown's active characters escaped, unsafe
/// characters as visible escapes.
fn prose(line: &str) -> String {
    let mut escaped = String::with_capacity(line.len());
    let mut rest = line;
    let mut after_word = false;
    while let Some(c) = rest.chars().next() {
        // A URL becomes an autolink (`<https://…>`, kept as written): escaped, it would be
        // a bare URL, which rustdoc warns about.
        if let Some(url) = url_at(rest).filter(|_| !after_word) {
            escaped.push('<');
            escaped.push_str(url);
            escaped.push('>');
            rest = &rest[url.len()..];
            after_word = true;
            continue;
        }
        match c {
            '[' | ']' | '<' | '>' | '`' | '~' | '*' | '_' | '#' | '|' | '\\' => {
                escaped.push('\\');
                escaped.push(c);
            }
            c if is_unsafe(c) => {
                // `\u{1b}`: the backslash escaped for Markdown.
                escaped.push_str(&format!("\\\\u{{{:x}}}", c as u32));
            }
            c => escaped.push(c),
        }
        after_word = c.is_alphanumeric();
        rest = &rest[c.len_utf8()..];
    }
    escaped
}

/// The `http(s)://` URL at the start of `text`: up to white space or a character that cannot be
/// in an autolink, without trailing punctuation or an unbalanced closing parenthesis (a URL
/// written in parentheses or as a Markdown link target).
fn url_at(text: &str) -> Option<&str> {
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        text.len() > s.len()
            && text
                .get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
    })?;
    let end = text
        .find(|c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '"' | '\'' | '`' | '\\' | '[' | ']' | '{' | '}' | '|'
                )
        })
        .unwrap_or(text.len());
    let mut url = &text[..end];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_']);
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches('(').count() < trimmed.matches(')').count()
        {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    (url.len() > scheme.len()).then_some(url)
}

/// Doc-comment lines from several optional pieces, separated by empty lines.
pub fn combine<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in parts.into_iter().flatten() {
        let lines = doc_lines(part);
        if lines.is_empty() || out.iter().any(|l| *l == lines.join(" ")) {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(lines);
    }
    out
}

/// `lines`, or, when the definition gives nothing to say, the one line `fallback` makes: every
/// public item of a generated crate has a doc.
pub fn or_else(lines: Vec<String>, fallback: impl FnOnce() -> String) -> Vec<String> {
    if lines.is_empty() {
        vec![fallback()]
    } else {
        lines
    }
}

/// A name from the definition as inline code in a doc line (a backtick would end the span, a
/// control character the line).
pub fn code(text: &str) -> String {
    let inner: String = visible(&text.replace('\t', " "))
        .chars()
        .map(|c| if c == '`' { '\'' } else { c })
        .collect();
    if inner.trim().is_empty() {
        // An empty code span is not one: say what it is.
        format!("`\"{inner}\"`")
    } else {
        format!("`{inner}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_code_blocks_become_text_blocks() {
        let lines = doc_lines(
            "  Returns <b>all</b> items [see docs]\n\n    let x = 1;\n```rust\nfn main() {}\n```\n",
        );
        assert_eq!(
            lines,
            [
                "Returns \\<b\\>all\\</b\\> items \\[see docs\\]",
                "",
                "```text",
                "let x = 1;",
                "```",
                "```text",
                "fn main() {}",
                "```"
            ]
        );
    }

    #[test]
    fn no_code_of_a_description_can_become_a_doctest() {
        // Tilde fences, a longer fence holding a shorter one, an unclosed fence, an indented
        // block after a blank line, and fence-like text inside paragraphs.
        let text = "Run this:\n~~~\nstd::process::Command::new(\"touch\").arg(\"/tmp/x\").status();\n~~~\n\
                    ````rust\n```\ninner\n```\n````\n\
                    text\n      ~~~\nnot a fence here\n\n\tindented();\n\n```\nnever closed";
        let lines = doc_lines(text);
        assert_eq!(
            lines,
            [
                "Run this:",
                "```text",
                "std::process::Command::new(\"touch\").arg(\"/tmp/x\").status();",
                "```",
                "````text",
                "```",
                "inner",
                "```",
                "````",
                "text",
                "\\~\\~\\~",
                "not a fence here",
                "",
                "```text",
                "indented();",
                "```",
                "",
                "```text",
                "never closed",
                "```",
            ]
        );
        // Every fence that opens a block says `text`.
        let mut open = None::<String>;
        for l in &lines {
            match &open {
                None if l.starts_with("```") => {
                    assert!(l.ends_with("text"), "{l}");
                    open = Some(l.trim_end_matches("text").to_string());
                }
                Some(f) if l == f => open = None,
                _ => {}
            }
        }
        assert!(open.is_none());
    }

    #[test]
    fn control_and_bidi_characters_are_visible_escapes() {
        assert_eq!(
            doc_lines("a\u{202e}b\u{1b}[2J\n```\nx\u{2066}y\n```"),
            [
                "a\\\\u{202e}b\\\\u{1b}\\[2J",
                "```text",
                "x\\u{2066}y",
                "```"
            ]
        );
        assert_eq!(code("r\u{202e}t"), "`r\\u{202e}t`");
    }

    #[test]
    fn urls_become_autolinks() {
        assert_eq!(
            doc_lines("See [RFD-21](https://rfd.example/rfd/0021#concept-router) for more."),
            ["See \\[RFD-21\\](<https://rfd.example/rfd/0021#concept-router>) for more."]
        );
        assert_eq!(
            doc_lines("Docs: https://x.example/a_(b)?q=1&r=<2>. Or (http://y.example/p), nohttps://z"),
            ["Docs: <https://x.example/a_(b)?q=1&r=>\\<2\\>. Or (<http://y.example/p>), nohttps://z"]
        );
        assert_eq!(doc_lines("just https:// here"), ["just https:// here"]);
        // Text that is not ASCII around and in URLs.
        assert_eq!(
            doc_lines("h\u{a0}groups: é https://é.example/ü?q=ß."),
            ["h\u{a0}groups: é <https://é.example/ü?q=ß>."]
        );
    }

    #[test]
    fn names_become_code_spans_and_empty_text_gets_a_fallback() {
        assert_eq!(code("a`b\nc"), "`a'b\\u{a}c`");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("<T>[0]"), "`<T>[0]`");
        assert_eq!(or_else(Vec::new(), || "x".into()), ["x"]);
        assert_eq!(or_else(vec!["y".into()], || "x".into()), ["y"]);
    }
}
