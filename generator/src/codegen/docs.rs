//! Doc comments from definition text, escaped so that rustdoc renders them as prose.

/// Turns free text (summaries, descriptions, often with HTML, brackets or code) into doc-comment
/// lines that rustdoc neither links, nor parses as HTML, nor compiles as doctests.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        // Indented lines would be code blocks, which rustdoc compiles as tests.
        let line = line.trim();
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
                '[' | ']' | '<' | '>' | '`' | '*' | '_' | '#' | '|' | '\\' => {
                    escaped.push('\\');
                    escaped.push(c);
                }
                c if c.is_control() => {}
                c => escaped.push(c),
            }
            after_word = c.is_alphanumeric();
            rest = &rest[c.len_utf8()..];
        }
        out.push(escaped);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out
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
    let inner: String = text
        .chars()
        .filter(|c| !c.is_control())
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
    fn markup_and_code_are_neutralised() {
        let lines = doc_lines(
            "  Returns <b>all</b> items [see docs]\n\n    let x = 1;\n```rust\nfn main() {}\n```\n",
        );
        assert_eq!(
            lines,
            [
                "Returns \\<b\\>all\\</b\\> items \\[see docs\\]",
                "",
                "let x = 1;",
                "\\`\\`\\`rust",
                "fn main() {}",
                "\\`\\`\\`"
            ]
        );
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
        assert_eq!(code("a`b\nc"), "`a'bc`");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("<T>[0]"), "`<T>[0]`");
        assert_eq!(or_else(Vec::new(), || "x".into()), ["x"]);
        assert_eq!(or_else(vec!["y".into()], || "x".into()), ["y"]);
    }
}
