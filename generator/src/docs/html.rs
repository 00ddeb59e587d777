//! Text and links from a definition, made safe for a page.
//!
//! Every value goes through the templates' HTML escaping (minijinja's auto-escape for `.html`
//! templates); what is done here comes before it: control characters and bidirectional
//! overrides become visible escapes (as on a terminal), links are kept only for `http(s)` and
//! `mailto` targets, anchors and slugs are made of a small alphabet, and a brand colour is used
//! only when it is a plain `#rrggbb`.

use std::collections::HashSet;

/// Text within one line (names, titles, types): escapes for control and bidi characters and
/// line breaks.
pub fn line(text: &str) -> String {
    crate::text::printable_line(text.trim()).into_owned()
}

/// Text of several lines (descriptions) as paragraphs: split at blank lines, each paragraph's
/// control and bidi characters made visible (line breaks kept; the stylesheet shows them).
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for l in text.trim().lines() {
        if l.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(l.trim_end());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
        .map(|p| crate::text::printable(&p).into_owned())
        .collect()
}

/// The first paragraph of `text`, at most `max` characters (for the index).
pub fn summary(text: &str, max: usize) -> String {
    let first = paragraphs(text).into_iter().next().unwrap_or_default();
    let one = first.replace('\n', " ");
    if one.chars().count() <= max {
        return one;
    }
    let mut cut: String = one.chars().take(max).collect();
    cut.push('…');
    cut
}

/// A link target from a definition, when it is one a reader may follow: an absolute `http` or
/// `https` URL without spaces, quotes or control characters. Anything else (`javascript:`,
/// `data:`, relative paths, text) is shown as text.
pub fn web_href(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let scheme = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = url.len() <= 2048
        && url.len() > "http://".len()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || crate::text::is_unsafe(c) || "\"'<>`\\".contains(c));
    (scheme && clean).then(|| url.to_string())
}

/// A `mailto:` link for an address that looks like one (one `@`, no spaces or markup).
pub fn mail_href(address: &str) -> Option<String> {
    let a = address.trim();
    let mut parts = a.split('@');
    let (Some(user), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 254
            && s.chars().all(|c| c.is_alphanumeric() || "._+-".contains(c))
    };
    (ok(user) && ok(domain) && domain.contains('.')).then(|| format!("mailto:{a}"))
}

/// A brand colour usable in a stylesheet: `#rgb` or `#rrggbb` and nothing else.
pub fn color(value: &str) -> Option<String> {
    let v = value.trim();
    let hex = v.strip_prefix('#')?;
    ((hex.len() == 6 || hex.len() == 3) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| v.to_ascii_lowercase())
}

/// `text` reduced to `a-z`, `0-9` and `-` (runs of anything else become one `-`), at most 64
/// characters; `fallback` when nothing is left.
pub fn slug(text: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 64 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// Hands out names that are unique within one page or one site: the second `x` is `x-2`.
#[derive(Default)]
pub struct Unique(HashSet<String>);

impl Unique {
    /// A unique name made from `base` (already reduced to a safe alphabet).
    pub fn take(&mut self, base: String) -> String {
        if self.0.insert(base.clone()) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| self.0.insert(c.clone()))
            .unwrap_or(base)
    }
}

/// An anchor id made from a name: `prefix-` then the name's letters, digits, `_`, `.` and `-`
/// (anything else becomes `-`), unique within the page.
pub fn anchor(ids: &mut Unique, prefix: &str, name: &str) -> String {
    let mut base = String::with_capacity(prefix.len() + 1 + name.len());
    base.push_str(prefix);
    base.push('-');
    for c in name.chars().take(80) {
        base.push(if c.is_ascii_alphanumeric() || "_.-".contains(c) {
            c
        } else {
            '-'
        });
    }
    ids.take(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links_are_links() {
        assert_eq!(
            web_href(" https://contoso.example/x "),
            Some("https://contoso.example/x".into())
        );
        assert_eq!(
            web_href("HTTP://a.example"),
            Some("HTTP://a.example".into())
        );
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<b>",
            "//evil.example",
            "https://a.example/\"onmouseover=x",
            "https://a b",
            "https://a.example/\u{202e}x",
            "http://",
        ] {
            assert_eq!(web_href(bad), None, "{bad}");
        }
        assert_eq!(
            mail_href("ops@contoso.example"),
            Some("mailto:ops@contoso.example".into())
        );
        assert_eq!(mail_href("a@b@c.example"), None);
        assert_eq!(mail_href("x\"@y.example"), None);
    }

    #[test]
    fn colours_slugs_and_anchors_are_plain() {
        assert_eq!(color("#DA3B01"), Some("#da3b01".into()));
        assert_eq!(color("#fff"), Some("#fff".into()));
        assert_eq!(color("red;background:url(x)"), None);
        assert_eq!(color("#12345g"), None);
        assert_eq!(
            slug("Contoso Tasks (Preview)", "c"),
            "contoso-tasks-preview"
        );
        assert_eq!(slug("<script>", "c"), "script");
        assert_eq!(slug("\u{202e}", "connector"), "connector");
        let mut ids = Unique::default();
        assert_eq!(anchor(&mut ids, "op", "Get<Item>"), "op-Get-Item-");
        assert_eq!(anchor(&mut ids, "op", "Get(Item)"), "op-Get-Item--2");
    }

    #[test]
    fn text_shows_controls_and_keeps_paragraphs() {
        assert_eq!(line("a\u{202e}b\nc"), "a\\u{202e}b\\nc");
        assert_eq!(
            paragraphs("one\ntwo\n\n\nthree\u{1b}[2J"),
            vec!["one\ntwo".to_string(), "three\\u{1b}[2J".to_string()]
        );
        assert_eq!(summary("a long first paragraph\n\nsecond", 6), "a long…");
    }
}
