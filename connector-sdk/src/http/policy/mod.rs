//! Policy templates (`policyTemplateInstances` of `apiProperties.json`) applied at run time, as
//! the platform applies them between the caller and the service.
//!
//! Implemented: `setheader`, `setqueryparameter`, `dynamichosturl`, `routerequesttoendpoint`,
//! `updatenextlink` and `setproperty`. Any other template (and an instance missing a parameter
//! it needs) is listed by [`Policies::not_applied`] and reported once when a client takes the
//! policies, never skipped silently.
//!
//! Templates hold expressions: `@connectionParameters('name'[, 'default'])`,
//! `@queryParameters('name')`, `@headers('name')`, `@body().path` (also written `{@body().a}`
//! inside text and `@{...}`), and `@Request.OriginalHTTPMethod`.

mod expressions;
mod polling;

pub use expressions::ExpressionError;
pub use polling::PollingTemplate;

use crate::auth::connection::Connection;
use crate::http::call::{encode_component, Body, Call, Name, PathEncoding};
use crate::http::response::Response;
use crate::Error;
use expressions::{as_text, property_value, render, set_property, Scope};
use serde_json::{Map, Value};

const PARAM: &str = "x-ms-apimTemplateParameter.";

/// Which side of the call a policy changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Request,
    Response,
}

/// `existsAction` of setheader and setqueryparameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exists {
    /// Replace the values already there.
    Override,
    /// Add a value beside those already there.
    Append,
    /// Leave a value already there alone.
    Skip,
}

#[derive(Debug, Clone)]
enum Rule {
    /// `pollingtrigger`: applied by the trigger runtime, not to requests.
    Polling(PollingTemplate),
    SetHeader {
        name: String,
        value: String,
        exists: Exists,
        section: Section,
    },
    SetQuery {
        name: String,
        value: String,
        exists: Exists,
    },
    HostUrl {
        template: String,
    },
    Route {
        path: String,
        method: Option<String>,
    },
    NextLink {
        property: String,
    },
    SetProperty {
        parent: String,
        sub: String,
        value: String,
        section: Section,
    },
}

#[derive(Debug, Clone)]
struct Instance {
    template: String,
    operations: Vec<String>,
    rule: Rule,
}

impl Instance {
    fn applies_to(&self, operation: &str) -> bool {
        self.operations.is_empty() || self.operations.iter().any(|o| o == operation)
    }
}

/// The policy templates of a connector, ready to apply.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    instances: Vec<Instance>,
    not_applied: Vec<String>,
}

impl Policies {
    /// Policies from JSON text: an array of policy template instances, or a whole
    /// `apiProperties.json` (its `properties.policyTemplateInstances`).
    pub fn from_json(text: &str) -> Result<Policies, Error> {
        let value: Value = serde_json::from_str(text).map_err(|e| Error::Request {
            operation: String::new(),
            message: format!("the policy templates are not JSON: {e}"),
        })?;
        Ok(Policies::from_value(&value))
    }

    /// Policies from a JSON value (see [`Policies::from_json`]); an entry that is not an object
    /// with a `templateId` is listed by [`Policies::not_applied`].
    pub fn from_value(value: &Value) -> Policies {
        let list = value
            .pointer("/properties/policyTemplateInstances")
            .unwrap_or(value);
        let mut out = Policies::default();
        let Some(items) = list.as_array() else {
            if !list.is_null() {
                out.not_applied
                    .push("the policy templates are not a list".to_string());
            }
            return out;
        };
        for (i, item) in items.iter().enumerate() {
            match instance(item) {
                Ok(instance) => out.instances.push(instance),
                Err(why) => {
                    let id = item.get("templateId").and_then(Value::as_str);
                    out.not_applied.push(match id {
                        Some(id) => format!("`{id}`: {why}"),
                        None => format!("policy template #{}: {why}", i + 1),
                    });
                }
            }
        }
        out
    }

    /// True when there is nothing to apply and nothing to report.
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty() && self.not_applied.is_empty()
    }

    /// The templates this runtime does not apply, each with its name and why.
    pub fn not_applied(&self) -> &[String] {
        &self.not_applied
    }

    fn for_operation<'a>(&'a self, operation: &'a str) -> impl Iterator<Item = &'a Instance> + 'a {
        self.instances
            .iter()
            .filter(move |i| i.applies_to(operation))
    }

    /// The base URL of `operation` when a `dynamichosturl` gives it from the connection alone
    /// (for deciding where followed links may carry the credential).
    pub(crate) fn base_url(&self, operation: &str, connection: &Connection) -> Option<String> {
        self.for_operation(operation).find_map(|i| match &i.rule {
            Rule::HostUrl { template } => {
                let scope = Scope::new(connection, "GET");
                render(template, &scope, false).ok().map(trim_base)
            }
            _ => None,
        })
    }

    /// The headers the request policies of `operation` set, for a followed link (a next page, a
    /// `Location` polled) on the connector's own origin.
    pub(crate) fn follow_headers(
        &self,
        operation: &str,
        connection: &Connection,
    ) -> Result<Vec<(Name, String)>, Error> {
        let call = Call::new(crate::OperationSpec::owned(operation, "GET", ""));
        Ok(self.apply(call, connection, true, true)?.headers)
    }

    /// Applies the request side of the policies of the call's operation, in written order;
    /// `fixed_base`: the client sends to a base URL of its own, `dynamichosturl` is not used.
    pub(crate) fn apply_request(
        &self,
        call: Call,
        connection: &Connection,
        fixed_base: bool,
    ) -> Result<Call, Error> {
        self.apply(call, connection, false, fixed_base)
    }

    fn apply(
        &self,
        mut call: Call,
        connection: &Connection,
        headers_only: bool,
        fixed_base: bool,
    ) -> Result<Call, Error> {
        let operation: &str = &call.spec.id;
        for inst in self.for_operation(operation) {
            let sets_header = match &inst.rule {
                Rule::SetHeader { .. } => true,
                Rule::SetProperty { parent, .. } => parent
                    .trim()
                    .trim_start_matches('@')
                    .eq_ignore_ascii_case("headers()"),
                _ => false,
            };
            if (headers_only && !sets_header)
                || (fixed_base && matches!(inst.rule, Rule::HostUrl { .. }))
            {
                continue;
            }
            let fail = |e: &dyn std::fmt::Display| Error::Policy {
                operation: operation.to_string(),
                template: inst.template.clone(),
                message: e.to_string(),
            };
            let body = match &call.body {
                Some(Body::Json(v)) => Some(v.clone()),
                _ => None,
            };
            let method = call.method().to_string();
            let scope = Scope {
                connection,
                query: &call.query,
                headers: &call.headers,
                body: body.as_ref(),
                method: &method,
            };
            match &inst.rule {
                Rule::SetHeader {
                    name,
                    value,
                    exists,
                    section: Section::Request,
                } => {
                    let value = render(value, &scope, false).map_err(|e| fail(&e))?;
                    set_pair(&mut call.headers, name, value, *exists, true);
                }
                Rule::SetHeader { .. } | Rule::NextLink { .. } | Rule::Polling(_) => {}
                Rule::SetQuery {
                    name,
                    value,
                    exists,
                } => {
                    let value = render(value, &scope, false).map_err(|e| fail(&e))?;
                    set_pair(&mut call.query, name, value, *exists, false);
                }
                Rule::HostUrl { template } => {
                    let url = render(template, &scope, false).map_err(|e| fail(&e))?;
                    if !(url.starts_with("https://") || url.starts_with("http://")) {
                        return Err(fail(&format!(
                            "the host URL `{url}` does not start with https:// or http://; check the connection parameters it is made of"
                        )));
                    }
                    call.base_url = Some(trim_base(url));
                }
                Rule::Route { path, method } => {
                    // Placeholders are encoded in the path; query values stay as they are (the
                    // URL encodes them once).
                    let filled = match path.split_once('?') {
                        Some((p, q)) => format!(
                            "{}?{}",
                            fill_placeholders(p, &call, true),
                            fill_placeholders(q, &call, false)
                        ),
                        None => fill_placeholders(path, &call, true),
                    };
                    let scope = Scope {
                        connection,
                        query: &call.query,
                        headers: &call.headers,
                        body: body.as_ref(),
                        method: &method_of(&call),
                    };
                    let rendered = render(&filled, &scope, false).map_err(|e| fail(&e))?;
                    let (path, query) = match rendered.split_once('?') {
                        Some((p, q)) => (p.to_string(), Some(q.to_string())),
                        None => (rendered, None),
                    };
                    if let Some(m) = method {
                        let m = render(m, &scope, false)
                            .map_err(|e| fail(&e))?
                            .to_ascii_uppercase();
                        call.method = Some(m);
                    }
                    for pair in query.iter().flat_map(|q| q.split('&')) {
                        if pair.is_empty() {
                            continue;
                        }
                        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                        set_pair(&mut call.query, k, v.to_string(), Exists::Override, false);
                    }
                    call.route = Some(path);
                }
                Rule::SetProperty {
                    parent,
                    sub,
                    value,
                    section: Section::Request,
                } => {
                    let new = property_value(value, &scope).map_err(|e| fail(&e))?;
                    // `@headers()` and `@queryParameters()` as the parent set a header or a
                    // query parameter.
                    let p = parent.trim().trim_start_matches('@').to_ascii_lowercase();
                    if p == "headers()" || p == "queryparameters()" {
                        let pairs = if p == "headers()" {
                            &mut call.headers
                        } else {
                            &mut call.query
                        };
                        let sub = sub.trim().trim_start_matches("['").trim_end_matches("']");
                        set_pair(
                            pairs,
                            sub,
                            as_text(&new),
                            Exists::Override,
                            p == "headers()",
                        );
                        continue;
                    }
                    let mut body = body.unwrap_or_else(|| Value::Object(Map::new()));
                    set_property(&mut body, parent, sub, new).map_err(|e| fail(&e))?;
                    call.body = Some(Body::Json(body));
                }
                Rule::SetProperty { .. } => {}
            }
        }
        Ok(call)
    }

    /// Applies the response side of the policies of `operation`: headers set, JSON properties
    /// set, next links made absolute on the connector's base URL.
    pub(crate) fn apply_response(
        &self,
        response: &mut Response,
        connection: &Connection,
        base_url: &str,
    ) -> Result<(), Error> {
        let operation: &str = &response.operation.clone();
        let mut json: Option<Value> = None;
        let mut changed = false;
        for inst in self.for_operation(operation) {
            let fail = |e: &dyn std::fmt::Display| Error::Policy {
                operation: operation.to_string(),
                template: inst.template.clone(),
                message: e.to_string(),
            };
            match &inst.rule {
                Rule::SetHeader {
                    name,
                    value,
                    exists,
                    section: Section::Response,
                } => {
                    let scope = Scope::new(connection, "GET");
                    let value = render(value, &scope, false).map_err(|e| fail(&e))?;
                    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|e| fail(&format!("`{name}` is not a header name: {e}")))?;
                    let value = reqwest::header::HeaderValue::from_str(&value)
                        .map_err(|e| fail(&format!("not a header value: {e}")))?;
                    let headers = &mut response.headers;
                    match exists {
                        Exists::Skip if headers.contains_key(&name) => {}
                        Exists::Append => {
                            headers.append(name, value);
                        }
                        _ => {
                            headers.insert(name, value);
                        }
                    }
                }
                Rule::SetProperty {
                    parent,
                    sub,
                    value,
                    section: Section::Response,
                } => {
                    let Some(body) = parsed(&mut json, &response.body) else {
                        continue;
                    };
                    let scope = Scope {
                        body: Some(&*body),
                        ..Scope::new(connection, "GET")
                    };
                    let new = property_value(value, &scope).map_err(|e| fail(&e))?;
                    set_property(body, parent, sub, new).map_err(|e| fail(&e))?;
                    changed = true;
                }
                Rule::NextLink { property } => {
                    let Some(Value::Object(map)) = parsed(&mut json, &response.body) else {
                        continue;
                    };
                    if let Some(Value::String(link)) = map.get_mut(property) {
                        let absolute =
                            reqwest::Url::parse(&format!("{base_url}/")).and_then(|b| b.join(link));
                        if let Ok(url) = absolute {
                            *link = url.to_string();
                            changed = true;
                        }
                    }
                }
                _ => {}
            }
        }
        if changed {
            if let Some(v) = json {
                response.body = serde_json::to_vec(&v).unwrap_or_default();
            }
        }
        Ok(())
    }
}

/// The JSON of a response body, parsed once; `None` when the body is not JSON.
fn parsed<'a>(json: &'a mut Option<Value>, body: &[u8]) -> Option<&'a mut Value> {
    if json.is_none() {
        *json = serde_json::from_slice(body).ok();
    }
    json.as_mut()
}

fn trim_base(url: String) -> String {
    url.trim_end_matches('/').to_string()
}

fn method_of(call: &Call) -> String {
    call.method().to_string()
}

/// Why a policy template instance is not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The entry names no template.
    #[error("no `templateId`")]
    NoTemplateId,
    /// A parameter the template needs is missing.
    #[error("no `x-ms-apimTemplateParameter.{0}` parameter")]
    MissingParameter(String),
    /// An `existsAction` other than append, skip or override.
    #[error("unknown existsAction `{0}`")]
    UnknownExistsAction(String),
    /// `setqueryparameter` in the response section.
    #[error("a query parameter cannot be set on a response")]
    QueryOnResponse,
    /// A template this runtime does not apply.
    #[error("not implemented by this runtime")]
    NotImplemented,
}

/// Reads one `policyTemplateInstances` entry.
fn instance(item: &Value) -> Result<Instance, TemplateError> {
    let id = item
        .get("templateId")
        .and_then(Value::as_str)
        .ok_or(TemplateError::NoTemplateId)?;
    let params = item.get("parameters").and_then(Value::as_object);
    let get = |name: &str| -> Option<&Value> {
        params.and_then(|p| {
            p.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    };
    let text = |name: &str| -> Option<String> {
        get(&format!("{PARAM}{name}")).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        })
    };
    let need =
        |name: &str| text(name).ok_or_else(|| TemplateError::MissingParameter(name.to_string()));
    let operations = match get("x-ms-apimTemplate-operationName") {
        Some(Value::Array(ops)) => ops
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(op)) => vec![op.clone()],
        _ => Vec::new(),
    };
    let section = match get("x-ms-apimTemplate-policySection").and_then(Value::as_str) {
        Some(s) if s.eq_ignore_ascii_case("response") => Section::Response,
        _ => Section::Request,
    };
    let exists = || match text("existsAction").as_deref().map(str::to_ascii_lowercase) {
        Some(a) if a == "append" => Ok(Exists::Append),
        Some(a) if a == "skip" => Ok(Exists::Skip),
        Some(a) if a == "override" => Ok(Exists::Override),
        None => Ok(Exists::Override),
        Some(a) => Err(TemplateError::UnknownExistsAction(a)),
    };
    let rule = match id.to_ascii_lowercase().as_str() {
        "setheader" => Rule::SetHeader {
            name: need("name")?,
            value: need("value")?,
            exists: exists()?,
            section,
        },
        "setqueryparameter" => {
            if section == Section::Response {
                return Err(TemplateError::QueryOnResponse);
            }
            Rule::SetQuery {
                name: need("name")?,
                value: need("value")?,
                exists: exists()?,
            }
        }
        "dynamichosturl" => Rule::HostUrl {
            template: need("urlTemplate")?,
        },
        "routerequesttoendpoint" => Rule::Route {
            path: need("newPath")?,
            method: text("httpMethod")
                .filter(|m| !m.eq_ignore_ascii_case("@Request.OriginalHTTPMethod")),
        },
        "pollingtrigger" => {
            let data_path = need("triggerDataPath")?;
            let config = match get(&format!("{PARAM}triggerConfig")) {
                Some(Value::Object(m)) => m
                    .iter()
                    .filter(|(k, _)| !k.is_empty())
                    .map(|(k, v)| {
                        let text = match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        (k.clone(), text)
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Rule::Polling(PollingTemplate { config, data_path })
        }
        "updatenextlink" => Rule::NextLink {
            property: need("nextLinkPropertyName")?,
        },
        "setproperty" => Rule::SetProperty {
            parent: need("newPropertyParentPathTemplate")?,
            sub: need("newPropertySubPathTemplate")?,
            value: need("propertyValuePathTemplate")?,
            section,
        },
        _ => return Err(TemplateError::NotImplemented),
    };
    Ok(Instance {
        template: id.to_string(),
        operations,
        rule,
    })
}

/// Sets a name/value pair in a header or query list by `exists`.
fn set_pair(
    pairs: &mut Vec<(Name, String)>,
    name: &str,
    value: String,
    exists: Exists,
    ignore_case: bool,
) {
    let same = |k: &str| {
        if ignore_case {
            k.eq_ignore_ascii_case(name)
        } else {
            k == name
        }
    };
    let present = pairs.iter().any(|(k, _)| same(k));
    match exists {
        Exists::Skip if present => {}
        Exists::Override => {
            pairs.retain(|(k, _)| !same(k));
            pairs.push((Name::Owned(name.to_string()), value));
        }
        _ => pairs.push((Name::Owned(name.to_string()), value)),
    }
}

/// `{name}` placeholders of a route filled from the call's path parameters or query parameters
/// (encoded as each parameter says when `encode`); `{@...}` expressions are left for [`render`].
fn fill_placeholders(template: &str, call: &Call, encode: bool) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        match close {
            Some(close) if !after.starts_with('@') => {
                let name = &after[..close];
                let path = call.path.iter().find(|(n, _, _)| n == name);
                let value = match path {
                    Some((_, v, _)) if !encode => Some(v.clone()),
                    Some((_, v, PathEncoding::Single)) => Some(encode_component(v)),
                    Some((_, v, PathEncoding::Double)) => {
                        Some(encode_component(&encode_component(v)))
                    }
                    None => call.query.iter().find(|(n, _)| n == name).map(|(_, v)| {
                        if encode {
                            encode_component(v)
                        } else {
                            v.clone()
                        }
                    }),
                };
                match value {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::expressions::*;
    use super::*;
    use serde_json::json;

    fn scope_test(f: impl FnOnce(&Scope)) {
        let conn = Connection::new("https://x.example")
            .with_parameter("host", "tenant.example")
            .with_parameter("key", "k1");
        let query = vec![(Name::Borrowed("type"), "ip".to_string())];
        let headers = vec![(Name::Borrowed("X-Id"), "7".to_string())];
        let body = json!({"next": "n", "gifts": {"payments": {"amount": 3}}, "state": "open"});
        let scope = Scope {
            connection: &conn,
            query: &query,
            headers: &headers,
            body: Some(&body),
            method: "POST",
        };
        f(&scope);
    }

    #[test]
    fn templates_fill_in_every_kind_of_expression() {
        scope_test(|s| {
            let r = |t: &str| render(t, s, false).unwrap();
            assert_eq!(
                r("https://@connectionParameters('host')/api"),
                "https://tenant.example/api"
            );
            assert_eq!(
                r("https://@ConnectionParameters( 'host' ).alisqi.com"),
                "https://tenant.example.alisqi.com"
            );
            assert_eq!(r("@connectionParameters('missing', 'dflt')"), "dflt");
            assert_eq!(r("/search?@queryParameters('type')=1"), "/search?ip=1");
            assert_eq!(r("@headers('x-id')"), "7");
            assert_eq!(r("@Request.OriginalHTTPMethod"), "POST");
            assert_eq!(r("eq(state, '{@body().state}')"), "eq(state, 'open')");
            assert_eq!(r("a@{body().next}b"), "anb");
            assert_eq!(r("mail@example.com"), "mail@example.com");
            let e = render("@connectionParameters('token:tenantId')", s, false)
                .unwrap_err()
                .to_string();
            assert!(e.contains("no parameter `token:tenantId`"), "{e}");
            let e = render("@utcNow()", s, false).unwrap_err().to_string();
            assert!(e.contains("`@utcnow(...)` is not supported"), "{e}");
        });
    }

    #[test]
    fn property_values_are_json_values_or_text() {
        scope_test(|s| {
            let v = |t: &str| property_value(t, s).unwrap();
            assert_eq!(v("{@body().next}"), json!("n"));
            assert_eq!(v("[{@body().gifts.payments}]"), json!([{"amount": 3}]));
            assert_eq!(v("[\"contract.created\"]"), json!(["contract.created"]));
            assert_eq!(v("v1"), json!("v1"));
            assert_eq!(v(" !"), json!(" !"));
        });
    }

    #[test]
    fn properties_are_set_at_their_path() {
        let mut body = json!({"gifts": [{"a": 1}, {"a": 2}]});
        set_property(&mut body, "@body()", "version", json!("v1")).unwrap();
        set_property(&mut body, "@body()", "['@odata.type']", json!("t")).unwrap();
        set_property(&mut body, "body().gifts", "b", json!(true)).unwrap();
        set_property(&mut body, "@body().new.deep", "c", json!(1)).unwrap();
        assert_eq!(
            body,
            json!({"gifts": [{"a": 1, "b": true}, {"a": 2, "b": true}], "version": "v1",
                   "@odata.type": "t", "new": {"deep": {"c": 1}}})
        );
        assert!(set_property(&mut body, "@headers('x')", "a", json!(1)).is_err());
    }

    #[test]
    fn unknown_and_incomplete_templates_are_listed_not_dropped() {
        let p = Policies::from_value(&json!([
            {"templateId": "setheader", "parameters": {
                "x-ms-apimTemplateParameter.name": "X-A", "x-ms-apimTemplateParameter.value": "1"}},
            {"templateId": "stringreplace", "parameters": {}},
            {"templateId": "setheader", "parameters": {"x-ms-apimTemplateParameter.name": "X"}},
            {"parameters": {}}
        ]));
        assert_eq!(p.instances.len(), 1);
        assert_eq!(
            p.not_applied(),
            [
                "`stringreplace`: not implemented by this runtime",
                "`setheader`: no `x-ms-apimTemplateParameter.value` parameter",
                "policy template #4: no `templateId`"
            ]
        );
        let whole = Policies::from_json(
            r#"{"properties": {"policyTemplateInstances": [{"templateId": "dynamicHostUrl",
                "parameters": {"x-ms-apimTemplateParameter.urlTemplate": "https://h"}}]}}"#,
        )
        .unwrap();
        assert_eq!(whole.instances.len(), 1);
        assert!(whole.not_applied().is_empty());
    }
}
