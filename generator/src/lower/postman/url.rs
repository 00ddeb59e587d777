//! Postman URLs: raw strings split into host, path and query; `{{variables}}` substituted or
//! turned into `{templates}`.

/// A raw URL split into its prefix (scheme, host, port as written), path segments and query.
pub struct RawParts {
    pub prefix: String,
    pub path: Vec<String>,
    pub query: Vec<(String, String)>,
}

/// Splits `raw` (`{{baseUrl}}/users/:id?x=1`, `https://h/p`, `/p`) without decoding anything.
pub fn split_raw(raw: &str) -> RawParts {
    let raw = raw.trim();
    let raw = match find_outside_vars(raw, '#') {
        Some(i) => &raw[..i],
        None => raw,
    };
    let (before, query) = match find_outside_vars(raw, '?') {
        Some(i) => (&raw[..i], &raw[i + 1..]),
        None => (raw, ""),
    };
    let host_start = before.find("://").map_or(0, |i| i + 3);
    let (prefix, path) = if before.starts_with('/') {
        ("", before)
    } else {
        match find_outside_vars(&before[host_start..], '/') {
            Some(i) => before.split_at(host_start + i),
            None => (before, ""),
        }
    };
    RawParts {
        prefix: prefix.to_string(),
        path: path.split('/').map(str::to_string).collect(),
        query: query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (p.to_string(), String::new()),
            })
            .collect(),
    }
}

/// The first `c` not inside `{{...}}`.
fn find_outside_vars(s: &str, c: char) -> Option<usize> {
    let mut depth = 0usize;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"{{") {
            depth += 1;
            i += 2;
            continue;
        }
        if b[i..].starts_with(b"}}") && depth > 0 {
            depth -= 1;
            i += 2;
            continue;
        }
        if depth == 0 && b[i] == c as u8 {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The value of variable `name`, when it has a non-empty one.
pub fn lookup<'v>(vars: &'v [(String, String)], name: &str) -> Option<&'v str> {
    vars.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// Replaces every `{{name}}` that has a value (values may refer to other variables; at most 8
/// levels are followed, so self-references stop). Unknown variables stay as written.
pub fn substitute(text: &str, vars: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for _ in 0..8 {
        if !out.contains("{{") {
            break;
        }
        let mut next = String::with_capacity(out.len());
        let mut rest = out.as_str();
        let mut changed = false;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start + 2..].find("}}") else {
                break;
            };
            let name = &rest[start + 2..start + 2 + len];
            next.push_str(&rest[..start]);
            match lookup(vars, name.trim()) {
                Some(v) if !v.contains(&format!("{{{{{}}}}}", name.trim())) => {
                    next.push_str(v);
                    changed = true;
                }
                _ => next.push_str(&rest[start..start + 4 + len]),
            }
            rest = &rest[start + 4 + len..];
        }
        next.push_str(rest);
        out = next;
        if !changed {
            break;
        }
    }
    out
}

/// A name usable inside a `{template}`: letters, digits, `_`, `-`, `.`; anything else `_`.
pub fn template_name(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "param".into()
    } else {
        s
    }
}

/// Turns the `{{name}}`s left in `text` into `{name}`, returning the text and the original
/// names in order (braces that are not `{{...}}` are dropped: they cannot stay in a URL template).
pub fn templated(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start].replace(['{', '}'], ""));
        let name = rest[start + 2..start + 2 + len].trim().to_string();
        out.push('{');
        out.push_str(&template_name(&name));
        out.push('}');
        names.push(name);
        rest = &rest[start + 4 + len..];
    }
    out.push_str(&rest.replace(['{', '}'], ""));
    (out, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_urls_split() {
        let p = split_raw("{{baseUrl}}/users/:id?expand=a&flag#frag");
        assert_eq!(p.prefix, "{{baseUrl}}");
        assert_eq!(p.path, vec!["", "users", ":id"]);
        assert_eq!(
            p.query,
            vec![
                ("expand".into(), "a".into()),
                ("flag".into(), String::new())
            ]
        );
        let p = split_raw("https://api.x.com:8443/v1/a");
        assert_eq!(p.prefix, "https://api.x.com:8443");
        assert_eq!(p.path, vec!["", "v1", "a"]);
        let p = split_raw("/relative/only");
        assert_eq!(p.prefix, "");
        let p = split_raw("{{a/b}}/x");
        assert_eq!(p.prefix, "{{a/b}}");
    }

    #[test]
    fn variables_substitute_recursively_and_stop_on_loops() {
        let vars = vec![
            ("Site".to_string(), "https://x.com".to_string()),
            ("Me".to_string(), "{{Site}}/me".to_string()),
            ("loop".to_string(), "{{loop}}".to_string()),
            ("empty".to_string(), String::new()),
        ];
        assert_eq!(substitute("{{Me}}/notes", &vars), "https://x.com/me/notes");
        assert_eq!(substitute("{{loop}}", &vars), "{{loop}}");
        assert_eq!(
            substitute("{{empty}}/{{unknown}}", &vars),
            "{{empty}}/{{unknown}}"
        );
        assert_eq!(
            templated("https://{{host name}}:{{port}}/a"),
            (
                "https://{host_name}:{port}/a".to_string(),
                vec!["host name".to_string(), "port".to_string()]
            )
        );
    }
}
