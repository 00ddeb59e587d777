//! Rule PP0017 `secret-in-definition`.

use crate::model::AuthKind;
use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports credentials written into the connector's files: a client secret, password or
    /// token value in `oAuthSettings`, or a default value for the `Authorization` header or the
    /// API key parameter.
    ///
    /// ## Why
    /// Connector files are shared and published; a secret in them is a leaked secret.
    ///
    /// ## Example
    /// ```json
    /// "oAuthSettings": { "clientId": "abc", "clientSecret": "s3cr3t-value", ... }
    /// ```
    ///
    /// ## Fix
    /// Remove the value; secrets are entered when a connection is created.
    pub struct SecretInDefinition {
        code: "PP0017",
        name: "secret-in-definition",
        category: Auth,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "A client secret or token is written into the definition",
    }
}

const SECRET_KEYS: [&str; 8] = [
    "clientsecret",
    "client_secret",
    "password",
    "secret",
    "accesstoken",
    "access_token",
    "refreshtoken",
    "refresh_token",
];

/// Values that stand for a secret rather than being one: `[[DUMMY]]`, `{clientSecret}`,
/// `@connectionParameters(...)`, `<secret>`, `YOUR_CLIENT_SECRET`, `Value-From-Your-App`, `xxxx`.
fn is_placeholder(v: &str) -> bool {
    let v = v.trim();
    let upper = v.to_ascii_uppercase();
    v.is_empty()
        || v.starts_with("[[")
        || v.starts_with('{')
        || v.starts_with('@')
        || v.starts_with('<')
        || upper == "DUMMY"
        || upper.contains("YOUR")
        || upper.contains("PLACEHOLDER")
        || v.chars().all(|c| c == 'x' || c == 'X' || c == '*')
}

/// Finds secret-looking keys with real-looking values; returns their JSON-pointer paths.
fn find_secrets(value: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                path.push(k.clone());
                let secret_key = SECRET_KEYS.contains(&k.to_ascii_lowercase().as_str());
                let literal = match v {
                    serde_json::Value::String(s) => Some(s.as_str()),
                    serde_json::Value::Object(o) => o.get("value").and_then(|x| x.as_str()),
                    _ => None,
                };
                if secret_key && literal.is_some_and(|s| !is_placeholder(s)) {
                    out.push(path.clone());
                } else {
                    find_secrets(v, path, out);
                }
                path.pop();
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                find_secrets(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

impl Rule for SecretInDefinition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let c = cx.connector;
        for (p, o) in cx.oauth_parameters() {
            let mut found = Vec::new();
            find_secrets(&o.raw, &mut Vec::new(), &mut found);
            for path in found {
                let refs: Vec<&str> = path.iter().map(String::as_str).collect();
                let d = cx
                    .at_member(&o.origin, &refs, format!("connection `{}` has a secret value at `{}`", p.name, path.join(".")))
                    .help("remove the value: secrets are entered when a connection is created, never stored in the connector");
                cx.push(d);
            }
        }
        let key_names: Vec<String> = c
            .auth
            .iter()
            .filter_map(|a| match &a.kind {
                AuthKind::ApiKey { name, .. } => Some(name.to_ascii_lowercase()),
                _ => None,
            })
            .chain(std::iter::once("authorization".to_string()))
            .collect();
        for op in &c.operations {
            for p in &op.parameters {
                if !key_names.contains(&p.name.to_ascii_lowercase()) {
                    continue;
                }
                let default = c
                    .types
                    .get(p.schema)
                    .rare()
                    .default
                    .as_ref()
                    .and_then(|d| d.as_str())
                    .filter(|d| !is_placeholder(d));
                if default.is_some() {
                    let d = cx
                        .at_member(
                            &p.origin,
                            &["default"],
                            format!(
                                "parameter `{}` of {} has a credential as its default value",
                                p.name, op.id
                            ),
                        )
                        .help("remove the default: the credential comes from the connection");
                    cx.push(d);
                }
            }
        }
    }
}
