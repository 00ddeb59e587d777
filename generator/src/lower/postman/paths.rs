//! Where a request goes: origin, base path, path template, operation ids and servers.

use super::parts::Target;
use super::url::{split_raw, substitute, template_name, templated};
use super::Req;
use crate::lower::common::generated_id;
use crate::model::*;
use heck::ToUpperCamelCase;
use std::collections::HashSet;

/// Where a request goes, or `None` when it has no URL at all.
pub(super) fn target(req: &Req<'_>) -> Option<Target> {
    let u = &req.url;
    let (prefix_text, path, query) = if u.host.is_some() || u.path.is_some() {
        let mut prefix = String::new();
        if let Some(p) = u.protocol.as_deref().filter(|p| !p.is_empty()) {
            prefix.push_str(p.trim_end_matches("://").trim_end_matches(':'));
            prefix.push_str("://");
        }
        prefix.push_str(u.host.as_deref().unwrap_or(""));
        if let Some(port) = u.port.as_deref().filter(|p| !p.is_empty()) {
            prefix.push(':');
            prefix.push_str(port);
        }
        let raw_query = u
            .raw
            .as_deref()
            .map(|r| split_raw(r).query)
            .unwrap_or_default();
        let mut path = vec![String::new()];
        path.extend(u.path.clone().unwrap_or_default());
        (prefix, path, raw_query)
    } else {
        let raw = u.raw.as_deref()?.trim();
        if raw.is_empty() {
            return None;
        }
        let p = split_raw(raw);
        (p.prefix, p.path, p.query)
    };
    // Variables in the prefix are resolved; what they bring beyond the host is path.
    let resolved = substitute(prefix_text.trim(), &req.vars);
    let host_start = resolved.find("://").map_or(0, |i| i + 3);
    let (origin, rest) = match resolved[host_start..].find('/') {
        Some(i) => resolved.split_at(host_start + i),
        None => (resolved.as_str(), ""),
    };
    let mut origin = origin.trim_end_matches(':').to_string();
    // Credentials in the authority (`https://user:pass@host`, typically from a variable's value)
    // never reach the host of a definition.
    let mut had_credentials = false;
    let authority_start = origin.find("://").map_or(0, |i| i + 3);
    if let Some(at) = origin[authority_start..].rfind('@') {
        origin.replace_range(authority_start..authority_start + at + 1, "");
        had_credentials = true;
    }
    if !origin.is_empty() && !origin.contains("://") && !origin.starts_with("{{") {
        origin = format!("https://{origin}");
    }
    let (origin, server_vars) = templated(&origin);
    let rest_split = split_raw(&format!("/{}", rest.trim_start_matches('/')));
    let prefix: Vec<String> = rest_split
        .path
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let query = rest_split.query.into_iter().chain(query).collect();
    // A trailing slash is part of the address (`/me/` and `/me` may differ on a server).
    let trailing_slash = path.len() > 1 && path.last().is_some_and(String::is_empty);
    let path = path.into_iter().filter(|s| !s.is_empty()).collect();
    Some(Target {
        origin,
        server_vars,
        prefix,
        path,
        trailing_slash,
        query,
        had_credentials,
    })
}

/// The `{names}` of a path template, in order.
pub(super) fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
        .collect()
}

/// An operation id from the request name: words in UpperCamelCase, ASCII letters and digits
/// only, not starting with a digit, at most 80 characters, unique.
pub(super) fn operation_id(
    name: &str,
    method: Method,
    path: &str,
    used: &mut HashSet<String>,
) -> String {
    let words: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut id = words.to_upper_camel_case();
    if id.is_empty() {
        id = generated_id(method, path).to_upper_camel_case();
    }
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert_str(0, "Op");
    }
    id.truncate(76);
    let base = id.clone();
    let mut k = 2;
    while !used.insert(id.to_ascii_lowercase()) {
        id = format!("{base}{k}");
        k += 1;
    }
    id
}

pub(super) fn server_of(url: &str, vars: &[String]) -> Option<Server> {
    if url.is_empty() {
        return None;
    }
    let mut variables: Vec<ServerVariable> = Vec::new();
    for v in vars {
        let name = template_name(v);
        if variables.iter().any(|x| x.name == name) {
            continue;
        }
        variables.push(ServerVariable {
            name,
            default: Some(String::new()),
            allowed: Vec::new(),
            description: Some(format!("The Postman variable `{{{{{v}}}}}`.")),
        });
    }
    Some(Server {
        url: url.to_string(),
        description: None,
        variables,
    })
}

/// Host, base path and scheme of a server URL (no host when it is a variable).
pub(super) fn split_server(url: &str) -> (Option<String>, Option<String>, Vec<String>) {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (Some(s.to_string()), r),
        None => (None, url),
    };
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = Some(host.to_string()).filter(|h| !h.is_empty() && !h.contains(['{', '}']));
    let path = Some(path.to_string()).filter(|p| !p.is_empty());
    (
        host,
        path,
        scheme
            .filter(|s| !s.contains(['{', '}']))
            .into_iter()
            .collect(),
    )
}
