//! Doc comments from definition text, escaped so that rustdoc renders them as prose.

/// Turns free text (summaries, descriptions, often with HTML, brackets or code) into doc-comment
/// lines that rustdoc neither links, nor parses as HTML, nor compiles as doctests.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        // Indented lines would be code blocks, which rustdoc compiles as tests.
        let line = line.trim();
        let mut escaped = String::with_capacity(line.len());
        for c in line.chars() {
            match c {
                '[' | ']' | '<' | '>' | '`' | '*' | '_' | '#' | '|' | '\\' => {
                    escaped.push('\\');
                    escaped.push(c);
                }
                c if c.is_control() => {}
                c => escaped.push(c),
            }
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
}
