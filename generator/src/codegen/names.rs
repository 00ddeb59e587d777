//! Rust names from definition names: valid, never empty, never starting with a digit, keywords
//! escaped, collisions resolved deterministically (first come keeps the name, then `2`, `3`...).

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;

/// Words that cannot be identifiers (strict and reserved keywords of every edition).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "union",
];

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Keeps ASCII letters, digits and underscores; other characters separate words.
fn words(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A type or variant name (`UpperCamelCase`).
pub fn type_name(raw: &str) -> String {
    let mut n = words(raw).to_upper_camel_case();
    if n.is_empty() {
        n = "Unnamed".into();
    }
    if n.starts_with(|c: char| c.is_ascii_digit()) {
        n.insert(0, 'T');
    }
    if n == "Self" {
        n.push('_');
    }
    n
}

/// A field, method or module name (`snake_case`), as it must be written in code (raw
/// identifier for keywords: `r#type`).
pub fn field_name(raw: &str) -> String {
    let mut n = words(raw).to_snake_case();
    if n.is_empty() {
        n = "field".into();
    }
    if n.starts_with(|c: char| c.is_ascii_digit()) {
        n.insert_str(0, "n_");
    }
    escape_keyword(n)
}

fn escape_keyword(n: String) -> String {
    if NOT_RAW.contains(&n.as_str()) {
        format!("{n}_")
    } else if KEYWORDS.contains(&n.as_str()) {
        format!("r#{n}")
    } else {
        n
    }
}

/// Hands out unique names within one scope.
#[derive(Debug, Default)]
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    /// A namer with some names already taken.
    pub fn with_taken(names: &[&str]) -> Self {
        Namer {
            taken: names.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// True when `name` is already handed out.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `name`, or `name2`, `name3`... (for raw identifiers `r#type` → `type2`) if taken.
    pub fn unique(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = name.trim_start_matches("r#").to_string();
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|i| format!("{base}{sep}{i}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_rust() {
        assert_eq!(type_name("ticket-list_item"), "TicketListItem");
        assert_eq!(type_name("2FA settings"), "T2faSettings");
        assert_eq!(type_name("@@@"), "Unnamed");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(field_name("@odata.nextLink"), "odata_next_link");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("$top"), "top");
        assert_eq!(field_name("123"), "n_123");
        assert_eq!(field_name(""), "field");
        assert_eq!(field_name("ÄÖÜ"), "field");
    }

    #[test]
    fn collisions_get_numbers_in_order() {
        let mut n = Namer::default();
        assert_eq!(n.unique("item".into()), "item");
        assert_eq!(n.unique("item".into()), "item2");
        assert_eq!(n.unique("item".into()), "item3");
        assert_eq!(n.unique("r#type".into()), "r#type");
        assert_eq!(n.unique("r#type".into()), "type2");
        assert_eq!(n.unique("v1".into()), "v1");
        assert_eq!(n.unique("v1".into()), "v1_2");
    }
}
