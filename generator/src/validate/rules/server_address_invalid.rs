//! Rule PP0212 `server-address-invalid`.

use crate::model::{Origin, SpecFormat};
use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports a host or server URL that carries credentials (`user:password@host`) or a port
    /// that is not a port (not a number from 1 to 65535): the Swagger 2.0 `host`, OpenAPI 3
    /// `servers`, and the servers of single operations.
    ///
    /// ## Why
    /// Credentials in a definition are published with it, and HTTP clients send
    /// `user:password@` as Basic authentication to that host, with every request, whatever
    /// connection the user chose. A port such as 99999 makes every request fail.
    ///
    /// ## Example
    /// ```json
    /// "host": "admin:s3cret@api.contoso.example:99999"
    /// ```
    ///
    /// ## Fix
    /// Remove the credentials (describe them as a security scheme, entered when a connection
    /// is made) and write the port the API listens on, or none.
    pub struct ServerAddressInvalid {
        code: "PP0212",
        name: "server-address-invalid",
        category: Document,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "A host or server URL with credentials or an invalid port",
    }
}

/// What is wrong with the authority (`user:password@host:port`) of an address.
pub fn authority_problem(authority: &str) -> Option<String> {
    let mut problems = Vec::new();
    let host = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            problems.push(format!(
                "it carries credentials (`{user}:…@`): they would be published with the definition and sent as Basic authentication"
            ));
            host
        }
        None => authority,
    };
    // The port: after the last `:` that is not inside an IPv6 `[...]`.
    let host_end = host.rfind(']').map_or(0, |i| i + 1);
    if let Some((_, port)) = host[host_end..].rsplit_once(':') {
        if !port.is_empty() && !port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p)) {
            problems.push(format!("its port `{port}` is not a port (1 to 65535)"));
        }
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

/// The authority of a URL: after `scheme://`, up to the path, query or fragment.
fn authority_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

impl Rule for ServerAddressInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        let mut found: Vec<(Origin, Vec<String>, String, String)> = Vec::new();
        if c.format == SpecFormat::Swagger2 {
            if let Some(host) = c.host.as_deref() {
                if let Some(why) = authority_problem(authority_of(host)) {
                    found.push((c.origin.clone(), vec!["host".into()], host.to_string(), why));
                }
            }
        } else if !matches!(c.format, SpecFormat::Postman(_)) {
            for (i, s) in c.servers.iter().enumerate() {
                if let Some(why) = authority_problem(authority_of(&s.url_with_defaults())) {
                    found.push((
                        c.origin.clone(),
                        vec!["servers".into(), i.to_string(), "url".into()],
                        s.url.clone(),
                        why,
                    ));
                }
            }
        }
        for op in &c.operations {
            for (i, s) in op.rare().servers.iter().enumerate() {
                if let Some(why) = authority_problem(authority_of(&s.url_with_defaults())) {
                    found.push((
                        op.origin.clone(),
                        vec!["servers".into(), i.to_string(), "url".into()],
                        s.url.clone(),
                        why,
                    ));
                }
            }
        }
        for (origin, path, address, why) in found {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            let shown = match address.rsplit_once('@') {
                // The password is not repeated in the report.
                Some((_, host)) => format!("…@{host}"),
                None => address,
            };
            let d = cx
                .at_member(&origin, &path, format!("the server address `{shown}` is invalid: {why}"))
                .help("remove the credentials (a security scheme asks for them when a connection is made) and write a port from 1 to 65535, or none");
            cx.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_and_ports_are_checked_in_authorities() {
        assert!(authority_problem("api.example.com").is_none());
        assert!(authority_problem("api.example.com:8443").is_none());
        assert!(authority_problem("[::1]:8080").is_none());
        assert!(authority_problem("[::1]").is_none());
        assert!(authority_problem("user:secret@api.example.com")
            .unwrap()
            .contains("credentials"));
        assert!(authority_problem("api.example.com:99999")
            .unwrap()
            .contains("`99999` is not a port"));
        assert!(authority_problem("api.example.com:0").is_some());
        assert!(authority_problem("api.example.com:http").is_some());
        assert_eq!(
            authority_of("https://u:p@h.example:1/x?y"),
            "u:p@h.example:1"
        );
    }
}
