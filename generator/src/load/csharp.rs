//! A lexer for the C# of a connector's custom code (`script.csx`): enough to tell code from
//! comments, strings and preprocessor lines, and to find `using` directives, the `Script` class
//! and the names the code uses — no C# compiler needed.
//!
//! It never fails: an unterminated comment or string runs to the end of the file (and is said
//! in [`Script::unterminated`]).

use crate::location::Span;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A name or keyword (`@` prefixes removed from the text).
    Ident,
    /// A number.
    Number,
    /// A string or character literal.
    Literal,
    /// One punctuation character.
    Punct(char),
    /// A preprocessor line (`#r "…"`, `#load`, `#if` …), the whole line.
    Directive,
}

/// A token of code (comments and white space are dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Where it is in the file.
    pub span: Span,
}

/// A `using` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Using {
    /// The namespace (or type, for `using static`), dotted.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// `using static T;` or `using A = T;`: the name may be a type rather than a namespace.
    pub may_be_type: bool,
}

/// A dotted name in code: `System.IO.File.ReadAllText`, with what comes before and after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The segments.
    pub parts: Vec<String>,
    /// Where it is written.
    pub span: Span,
    /// It follows `new`.
    pub after_new: bool,
    /// It follows a `.` (a member of something else: `x.GetType().GetMethod`).
    pub after_dot: bool,
    /// It is followed by `(`.
    pub called: bool,
}

/// What the lexer found in a script.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// Every token of code.
    pub tokens: Vec<Token>,
    /// The `using` directives outside any braces.
    pub usings: Vec<Using>,
    /// The class `Script`, when declared: the span of its name, its base types and the span of
    /// an `ExecuteAsync` method declared in its body.
    pub class: Option<ScriptClass>,
    /// Every dotted name of the code.
    pub names: Vec<Name>,
    /// Where a comment or string that never ends begins.
    pub unterminated: Option<usize>,
}

/// The `Script` class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptClass {
    /// Where `Script` is written.
    pub name: Span,
    /// The base types after `:`.
    pub bases: Vec<String>,
    /// Where `ExecuteAsync` is declared in its body.
    pub execute_async: Option<Span>,
}

/// Reads `text`.
pub fn lex(text: &str) -> Script {
    let mut s = Script::default();
    // Interpolation holes are code: each is lexed in turn (a queue, not recursion, so nesting
    // cannot exhaust the stack).
    let mut queue = vec![(0, text.len(), 0)];
    while let Some((start, end, level)) = queue.pop() {
        let mut holes = Vec::new();
        lex_range(text, start, end, &mut s, &mut holes);
        // Each level is one more pass over the text at most: bounded, so hostile nesting costs
        // at most MAX_NESTING passes.
        if level + 1 < MAX_NESTING {
            queue.extend(holes.into_iter().map(|(a, b)| (a, b, level + 1)));
        }
    }
    s.tokens.sort_by_key(|t| (t.span.start, t.span.end));
    analyse(text, &mut s);
    s
}

/// Lexes `text[start..end]` into `s`, adding the interpolation holes it finds to `holes`.
fn lex_range(
    text: &str,
    start: usize,
    end: usize,
    s: &mut Script,
    holes: &mut Vec<(usize, usize)>,
) {
    let b = &text.as_bytes()[..end];
    let mut i = start;
    let mut line_start = start == 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let at_line_start = line_start;
        line_start = false;
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => match find(b, i + 2, b"*/") {
                Some(end) => i = end + 2,
                None => {
                    s.unterminated.get_or_insert(i);
                    i = b.len();
                }
            },
            b'#' if at_line_start => {
                let end = line_end(b, i);
                s.tokens.push(Token {
                    kind: Kind::Directive,
                    span: Span::new(i, end),
                });
                i = end;
            }
            b'"' | b'@' | b'$' if string_start(b, i).is_some() => {
                let end = string(b, i, &mut s.unterminated, Some(holes));
                s.tokens.push(Token {
                    kind: Kind::Literal,
                    span: Span::new(i, end),
                });
                i = end;
            }
            b'\'' => {
                let end = char_literal(b, i, &mut s.unterminated);
                s.tokens.push(Token {
                    kind: Kind::Literal,
                    span: Span::new(i, end),
                });
                i = end;
            }
            c if c.is_ascii_digit() => {
                let mut end = i;
                while end < b.len()
                    && (b[end].is_ascii_alphanumeric()
                        || b[end] == b'_'
                        || b[end] == b'.' && b.get(end + 1).is_some_and(u8::is_ascii_digit))
                {
                    end += 1;
                }
                s.tokens.push(Token {
                    kind: Kind::Number,
                    span: Span::new(i, end),
                });
                i = end;
            }
            c if c == b'_' || c == b'@' || c.is_ascii_alphabetic() || c >= 0x80 => {
                let start = if c == b'@' { i + 1 } else { i };
                let mut end = start;
                while end < b.len()
                    && (b[end] == b'_' || b[end].is_ascii_alphanumeric() || b[end] >= 0x80)
                {
                    end += 1;
                }
                if end == start {
                    // A lone `@`.
                    s.tokens.push(Token {
                        kind: Kind::Punct('@'),
                        span: Span::new(i, i + 1),
                    });
                    i += 1;
                } else {
                    s.tokens.push(Token {
                        kind: Kind::Ident,
                        span: Span::new(start, end),
                    });
                    i = end;
                }
            }
            _ => {
                // One character (of any width).
                let ch = text[i..].chars().next().unwrap_or('?');
                s.tokens.push(Token {
                    kind: Kind::Punct(ch),
                    span: Span::new(i, i + ch.len_utf8()),
                });
                i += ch.len_utf8();
            }
        }
    }
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| from + p)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > b.len() {
        return None;
    }
    b[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// For a string literal starting at `i`: (verbatim, interpolated, index of its first `"`).
fn string_start(b: &[u8], i: usize) -> Option<(bool, bool, usize)> {
    let mut verbatim = false;
    let mut interpolated = false;
    let mut j = i;
    while j < b.len() && j < i + 3 {
        match b[j] {
            b'@' if !verbatim => verbatim = true,
            b'$' => interpolated = true,
            b'"' => return Some((verbatim, interpolated, j)),
            _ => return None,
        }
        j += 1;
    }
    None
}

/// The end (exclusive) of the string literal starting at `i`; its interpolation holes go to
/// `holes` when given (a string inside a hole is skipped: its hole is lexed with it).
fn string(
    b: &[u8],
    i: usize,
    unterminated: &mut Option<usize>,
    mut holes: Option<&mut Vec<(usize, usize)>>,
) -> usize {
    string_at(b, i, unterminated, holes.take(), 0)
}

/// Interpolated strings nested deeper than this in one another's holes are skipped as text
/// (their holes not told apart): hostile nesting cannot exhaust the stack.
const MAX_NESTING: usize = 64;

fn string_at(
    b: &[u8],
    i: usize,
    unterminated: &mut Option<usize>,
    mut holes: Option<&mut Vec<(usize, usize)>>,
    nesting: usize,
) -> usize {
    let Some((verbatim, interpolated, q)) = string_start(b, i) else {
        return i + 1;
    };
    // Raw strings: three or more quotes, closed by as many.
    let quotes = b[q..].iter().take_while(|&&c| c == b'"').count();
    if quotes >= 3 {
        let close = vec![b'"'; quotes];
        return match find(b, q + quotes, &close) {
            Some(end) => end + quotes,
            None => {
                unterminated.get_or_insert(i);
                b.len()
            }
        };
    }
    let mut j = q + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if !verbatim => j += 2,
            b'"' if verbatim && b.get(j + 1) == Some(&b'"') => j += 2,
            b'"' => return j + 1,
            b'\n' if !verbatim => {
                unterminated.get_or_insert(i);
                return j;
            }
            b'{' if interpolated && b.get(j + 1) == Some(&b'{') => j += 2,
            b'{' if interpolated && nesting < MAX_NESTING => {
                let end = hole(b, j + 1, unterminated, nesting + 1);
                if let Some(h) = holes.as_deref_mut() {
                    h.push((j + 1, end.saturating_sub(1).max(j + 1)));
                }
                j = end;
            }
            _ => j += 1,
        }
    }
    unterminated.get_or_insert(i);
    b.len()
}

/// Skips an interpolation hole's code (with its own strings and braces) to after its `}`.
fn hole(b: &[u8], mut j: usize, unterminated: &mut Option<usize>, nesting: usize) -> usize {
    let mut depth = 1;
    while j < b.len() {
        match b[j] {
            b'{' => {
                depth += 1;
                j += 1;
            }
            b'}' => {
                depth -= 1;
                j += 1;
                if depth == 0 {
                    return j;
                }
            }
            b'"' | b'@' | b'$' if string_start(b, j).is_some() => {
                j = string_at(b, j, unterminated, None, nesting)
            }
            b'\'' => j = char_literal(b, j, unterminated),
            _ => j += 1,
        }
    }
    b.len()
}

fn char_literal(b: &[u8], i: usize, unterminated: &mut Option<usize>) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'\'' => return j + 1,
            b'\n' => break,
            _ => j += 1,
        }
    }
    unterminated.get_or_insert(i);
    j.min(b.len())
}

fn analyse(text: &str, s: &mut Script) {
    let t = &s.tokens;
    let word = |k: usize| -> &str {
        match t.get(k) {
            Some(tok) if tok.kind == Kind::Ident => {
                &text[tok.span.start as usize..tok.span.end as usize]
            }
            _ => "",
        }
    };
    let punct = |k: usize, c: char| t.get(k).is_some_and(|tok| tok.kind == Kind::Punct(c));
    let mut depth = 0usize;
    let mut class_body: Option<usize> = None;
    let mut k = 0;
    while k < t.len() {
        match t[k].kind {
            Kind::Punct('{') => depth += 1,
            Kind::Punct('}') => {
                depth = depth.saturating_sub(1);
                if class_body.is_some_and(|d| depth < d) {
                    class_body = None;
                }
            }
            _ => {}
        }
        // `using [static] A.B.C;` and `using Alias = A.B;` outside braces (a `using (…)` statement
        // is inside a method).
        if depth == 0 && word(k) == "using" && !punct(k + 1, '(') {
            let mut j = k + 1;
            let mut may_be_type = false;
            if word(j) == "static" {
                j += 1;
                may_be_type = true;
            }
            if punct(j + 1, '=') {
                j += 2;
                may_be_type = true;
            }
            let (name, span, next) = dotted(text, t, j);
            if !name.is_empty() && punct(next, ';') {
                s.usings.push(Using {
                    name: name.join("."),
                    span,
                    may_be_type,
                });
            }
        }
        if word(k) == "class" && word(k + 1) == "Script" && s.class.is_none() {
            let mut bases = Vec::new();
            let mut j = k + 2;
            if punct(j, ':') {
                j += 1;
                while j < t.len() && !punct(j, '{') {
                    if t[j].kind == Kind::Ident {
                        bases.push(word(j).to_string());
                    }
                    j += 1;
                }
            }
            s.class = Some(ScriptClass {
                name: t[k + 1].span,
                bases,
                execute_async: None,
            });
            class_body = Some(depth + 1);
        }
        if class_body == Some(depth) && word(k) == "ExecuteAsync" && punct(k + 1, '(') {
            if let Some(c) = s.class.as_mut() {
                c.execute_async.get_or_insert(t[k].span);
            }
        }
        k += 1;
    }
    // Dotted names, each once (the longest chain from where it starts).
    let mut k = 0;
    while k < t.len() {
        if t[k].kind != Kind::Ident {
            k += 1;
            continue;
        }
        let (parts, span, next) = dotted(text, t, k);
        let prev = k.checked_sub(1);
        s.names.push(Name {
            parts,
            span,
            after_new: prev.is_some_and(|p| word(p) == "new"),
            after_dot: prev.is_some_and(|p| punct(p, '.')),
            called: punct(next, '('),
        });
        k = next.max(k + 1);
    }
}

/// The dotted name starting at token `k` (`A . B . C`): its parts, span, and the token after it.
fn dotted(text: &str, t: &[Token], k: usize) -> (Vec<String>, Span, usize) {
    let mut parts = Vec::new();
    let mut j = k;
    let start = t.get(k).map_or(0, |x| x.span.start as usize);
    let mut end = start;
    while let Some(tok) = t.get(j) {
        if tok.kind != Kind::Ident {
            break;
        }
        parts.push(text[tok.span.start as usize..tok.span.end as usize].to_string());
        end = tok.span.end as usize;
        j += 1;
        if t.get(j).is_some_and(|x| x.kind == Kind::Punct('.'))
            && t.get(j + 1).is_some_and(|x| x.kind == Kind::Ident)
        {
            j += 1;
        } else {
            break;
        }
    }
    (parts, Span::new(start, end), j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_strings_and_directives_are_not_code() {
        let src = r#"#r "System.Data"
using System;
using System.Net.Http;
using static System.Math;
using J = Newtonsoft.Json.Linq;
// using System.IO; File.ReadAllText("x")
/* System.Reflection.Assembly.Load */
public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        var a = "File.Delete(\"x\")";
        var b = @"Process.Start(""x"")";
        var c = $"{d["key"]} and {{File}} {e.ToString()}";
        var q = '"';
        using (var x = new Thing()) { }
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
    }
}
"#;
        let s = lex(src);
        let usings: Vec<&str> = s.usings.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(
            usings,
            [
                "System",
                "System.Net.Http",
                "System.Math",
                "Newtonsoft.Json.Linq"
            ]
        );
        let class = s.class.expect("the Script class");
        assert_eq!(class.bases, ["ScriptBase"]);
        assert!(class.execute_async.is_some());
        let names: Vec<String> = s.names.iter().map(|n| n.parts.join(".")).collect();
        assert!(
            !names
                .iter()
                .any(|n| n.contains("File") || n.contains("Process") || n.contains("Reflection")),
            "{names:?}"
        );
        assert!(
            names.contains(&"this.Context.SendAsync".to_string()),
            "{names:?}"
        );
        // The code in interpolation holes is code.
        assert!(
            names.contains(&"e.ToString".to_string()) && names.contains(&"d".to_string()),
            "{names:?}"
        );
        let hidden = lex("var s = $\"{File.ReadAllText($\"{Process.Start(\\\"x\\\")}\")}\";");
        let found: Vec<String> = hidden.names.iter().map(|n| n.parts.join(".")).collect();
        assert!(
            found.contains(&"File.ReadAllText".to_string())
                && found.contains(&"Process.Start".to_string()),
            "{found:?}"
        );
        assert_eq!(
            s.tokens
                .iter()
                .filter(|t| t.kind == Kind::Directive)
                .count(),
            1
        );
        assert_eq!(s.unterminated, None);
    }

    #[test]
    fn an_unterminated_comment_or_string_is_said_and_ends_the_file() {
        assert_eq!(lex("class Script { /* never closed").unterminated, Some(15));
        assert_eq!(lex("var s = @\"open").unterminated, Some(8));
        let s = lex("var s = \"no end\nFile.Delete(x);");
        assert!(s.unterminated.is_some());
        assert!(
            s.names.iter().any(|n| n.parts == ["File", "Delete"]),
            "the next line is code again"
        );
    }

    #[test]
    fn deep_nesting_neither_recurses_without_end_nor_hangs() {
        let n = 100_000;
        let text = format!("{}x{}", "$\"{".repeat(n), "}\"".repeat(n));
        let s = lex(&text);
        assert!(!s.tokens.is_empty());
        let braces = "{".repeat(200_000);
        assert!(lex(&braces).tokens.len() == 200_000);
    }
}
