//! Running one action: the call built from the model and the given values, the connection it
//! goes through (a stored connection or a connection file), the retry policy and the policies.

use super::Error;
use crate::model::*;
use crate::pipeline;
use crate::plan::{
    accesses, array_format, base_url, operation_server, policy_templates, sends_form,
    sends_multipart, Login,
};
use connector_sdk::{Call, Connection, Name, OperationSpec, PathEncoding, StreamExt};
use serde_json::Value;
use std::path::Path;

/// Connection values that belong to basic authentication, never to an API key.
const BASIC_NAMES: [&str; 3] = ["username", "user", "password"];

/// The one connector at `path` (`call`, `connect` and `watch` run one).
pub fn load_one(path: &Path, opts: &crate::load::LoadOptions) -> Result<Connector, Error> {
    let loaded = match pipeline::load_path(path, opts) {
        Ok(mut l) if l.len() == 1 => l.remove(0),
        Ok(l) => {
            return Err(Error::SeveralConnectors {
                path: path.to_path_buf(),
                count: l.len(),
            })
        }
        Err(e) => return Err(Error::Discover(e)),
    };
    loaded
        .connector
        .ok_or_else(|| Error::Unreadable(path.to_path_buf()))
}

/// The async runtime of a command (one thread: a command runs one action or trigger).
pub fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)
}

/// The action `id` of `c`, and whether it is long-running. An unknown id names the nearest
/// one; a trigger is pointed at `watch`.
pub fn find_action<'c>(c: &'c Connector, id: &str) -> Result<(&'c Operation, bool), Error> {
    let Some(op) = c.operations.iter().find(|o| o.id == id) else {
        let near = c
            .operations
            .iter()
            .map(|o| (strsim::jaro_winkler(&o.id, id), &o.id))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| id.clone());
        return Err(Error::NoOperation {
            id: id.to_string(),
            connector: c.name.clone(),
            near,
        });
    };
    match op.kind {
        OperationKind::Action { long_running } => Ok((op, long_running)),
        _ => Err(Error::IsTrigger(op.id.clone())),
    }
}

/// `NAME=VALUE` arguments as pairs.
pub fn parse_params(params: &[String]) -> Result<Vec<(String, String)>, Error> {
    params
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| Error::ParamSyntax(p.clone()))
        })
        .collect()
}

/// A retry policy from `--retry`: `none`, `default`, or the workflow form as JSON.
pub fn retry_policy(text: &str) -> Result<connector_sdk::RetryPolicy, Error> {
    let t = text.trim();
    let v: Value = if t.starts_with('{') {
        serde_json::from_str(t).map_err(|e| Error::RetryNotJson(e.to_string()))?
    } else {
        serde_json::json!({ "type": t })
    };
    let get = |k: &str| v.get(k).and_then(Value::as_str);
    let count = v
        .get("count")
        .map(|c| match c.as_u64() {
            Some(n) => u32::try_from(n).map_err(|_| Error::RetryCount(n)),
            None => Err(Error::RetryCountNotWhole(c.to_string())),
        })
        .transpose()?;
    connector_sdk::RetryPolicy::from_config(
        get("type").unwrap_or("default"),
        count,
        get("interval"),
        get("minimumInterval"),
        get("maximumInterval"),
    )
    .map_err(Error::Retry)
}

/// The connection a JSON file describes (see [`connection_from_values`]); no file: the
/// definition's host without credentials.
pub fn connection(c: &Connector, file: Option<&Path>) -> Result<(Connection, bool), Error> {
    let values: serde_json::Map<String, Value> = match file {
        None => serde_json::Map::new(),
        Some(f) => {
            let text = crate::fs::read_text(f).map_err(Error::Read)?;
            match serde_json::from_str(&text) {
                Ok(Value::Object(m)) => m,
                Ok(_) => return Err(Error::ConnectionNotObject(f.to_path_buf())),
                Err(e) => return Err(Error::ConnectionJson(f.to_path_buf(), e.to_string())),
            }
        }
    };
    connection_from_values(c, &values)
}

/// The connection the values of a connection file describe, for the connector's first way to
/// connect that they fill (the same reading of the security schemes as the generated `auth`
/// module): a user name and password never go out as an API key. Says whether the values gave
/// `base_url` (which then wins over a `dynamichosturl` policy).
pub fn connection_from_values(
    c: &Connector,
    values: &serde_json::Map<String, Value>,
) -> Result<(Connection, bool), Error> {
    let get = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            values
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(k))
                .and_then(|(_, v)| v.as_str().map(str::to_string))
        })
    };
    let explicit = get(&["base_url"]);
    let fixed = explicit.is_some();
    let base_url = match explicit {
        Some(url) => url,
        None => {
            let url = base_url(c);
            let dynamic = c
                .policies
                .iter()
                .any(|p| p.kind == PolicyKind::DynamicHostUrl);
            if url.is_empty() && !dynamic {
                return Err(Error::NoHost(c.name.clone()));
            }
            url
        }
    };
    // Every value of the file is also a connection parameter, for the policy templates that
    // read them (`@connectionParameters('hostName')`).
    let conn = values
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("base_url"))
        .fold(Connection::new(base_url), |conn, (k, v)| match v {
            Value::String(s) => conn.with_parameter(k, s),
            Value::Null => conn,
            other => conn.with_parameter(k, other.to_string()),
        });
    let all = accesses(c);
    if all.is_empty() {
        return Ok((conn, fixed));
    }
    let secure: Vec<&str> = c
        .connection
        .iter()
        .flat_map(|p| p.all_parameters())
        .filter(|p| p.kind == ConnectionParameterType::SecureString)
        .map(|p| p.name.as_str())
        .filter(|n| !BASIC_NAMES.iter().any(|b| n.eq_ignore_ascii_case(b)))
        .collect();
    let mut expected = Vec::new();
    for access in &all {
        let scheme = access.scheme.map_or("apiProperties", |s| s.name.as_str());
        let filled = match access.login {
            Login::ApiKey { name, query } => {
                let mut keys: Vec<&str> = vec![scheme, "api_key", "apiKey"];
                keys.extend(secure.iter().copied());
                keys.retain(|k| !BASIC_NAMES.iter().any(|b| k.eq_ignore_ascii_case(b)));
                expected.push(format!("`{scheme}` (API key) needs `{}`", keys[0]));
                get(&keys).map(|key| {
                    if query {
                        conn.clone().with_api_key_query(name, key)
                    } else {
                        conn.clone().with_api_key_header(name, key)
                    }
                })
            }
            Login::Basic => {
                expected.push(format!(
                    "`{scheme}` (basic) needs `username` and `password`"
                ));
                match (get(&["username", "user"]), get(&["password"])) {
                    (Some(user), Some(password)) => Some(conn.clone().with_basic(user, password)),
                    _ => None,
                }
            }
            Login::OAuth2 { .. } | Login::Bearer => {
                expected.push(format!("`{scheme}` (bearer token) needs `access_token`"));
                get(&["access_token", "token", scheme]).map(|t| conn.clone().with_bearer(t))
            }
        };
        if let Some(conn) = filled {
            return Ok((conn, fixed));
        }
    }
    Err(Error::ConnectionFits {
        connector: c.name.clone(),
        expected,
    })
}

/// A parameter value from the command line: text for string parameters, else JSON when it
/// parses (numbers, booleans, arrays), else text.
pub fn value_of(types: &TypeSpace, p: &Parameter, text: &str) -> Value {
    let s = types.get(types.resolve(p.schema));
    if s.types == [SchemaType::String] {
        return Value::String(text.to_string());
    }
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// The call of `op` with the given `NAME=VALUE` parameters (the others take their defaults)
/// and `body` (JSON, or `@FILE`), written as generated code writes it.
pub fn build(
    c: &Connector,
    op: &Operation,
    params: &[String],
    body: Option<&str>,
) -> Result<Call, Error> {
    let given = parse_params(params)?;
    for (k, _) in &given {
        if !op.parameters.iter().any(|p| &p.name == k) {
            return Err(Error::UnknownParam {
                operation: op.id.clone(),
                name: k.clone(),
                known: op.parameters.iter().map(|p| p.name.clone()).collect(),
            });
        }
    }
    let body = match body {
        None => None,
        Some(b) => {
            let text = match b.strip_prefix('@') {
                Some(file) => crate::fs::read_text(Path::new(file))
                    .map_err(|e| Error::BodyFile(file.to_string(), e))?,
                None => b.to_string(),
            };
            Some(
                serde_json::from_str::<Value>(&text)
                    .map_err(|e| Error::BodyNotJson(e.to_string()))?,
            )
        }
    };
    let mut call = Call::new(OperationSpec::owned(
        op.id.clone(),
        op.method.as_str(),
        op.path.clone(),
    ));
    if let Some(url) = operation_server(op) {
        call.server(&url);
    }
    if sends_multipart(op) {
        call.multipart();
    }
    let mut missing = Vec::new();
    let form = sends_form(op);
    // The body goes as form fields or JSON, as generated code sends it.
    let set_body = |call: &mut Call, b: &Value| {
        if form {
            call.form_fields(b);
        } else {
            call.json(b);
        }
    };
    for p in &op.parameters {
        let value = match given.iter().find(|(k, _)| k == &p.name) {
            Some((_, v)) => Some(value_of(&c.types, p, v)),
            None => c
                .types
                .get(c.types.resolve(p.schema))
                .rare()
                .default
                .clone(),
        };
        if p.location == ParameterLocation::Body {
            match &body {
                Some(b) => set_body(&mut call, b),
                None if p.required => missing.push(format!("{} (--body)", p.name)),
                None => {}
            }
            continue;
        }
        let Some(value) = value else {
            if p.required {
                missing.push(p.name.clone());
            }
            continue;
        };
        match p.location {
            ParameterLocation::Path => {
                let enc = if p.url_encoding == Some(UrlEncoding::Single) {
                    PathEncoding::Single
                } else {
                    PathEncoding::Double
                };
                call.path(p.name.clone(), &value, enc);
            }
            ParameterLocation::Query => {
                call.query(p.name.clone(), &value, array_format(p));
            }
            ParameterLocation::Header => {
                call.header(p.name.clone(), &value);
            }
            ParameterLocation::FormData
                if c.types.get(c.types.resolve(p.schema)).types == [SchemaType::File] =>
            {
                let file = value.as_str().unwrap_or_default();
                let path = file.strip_prefix('@').unwrap_or(file);
                let data = crate::fs::read_input(Path::new(path))
                    .map_err(|e| Error::ParamFile(p.name.clone(), e))?;
                call.file(&p.name, path, data);
            }
            ParameterLocation::FormData => {
                call.form(&p.name, &value);
            }
            _ => {}
        }
    }
    if op.request_body.is_some()
        && !op
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Body)
    {
        match &body {
            Some(b) => set_body(&mut call, b),
            None if op.request_body.as_ref().is_some_and(|r| r.required) => {
                missing.push("the request body (--body)".into())
            }
            None => {}
        }
    }
    if !missing.is_empty() {
        return Err(Error::MissingParams {
            operation: op.id.clone(),
            missing,
        });
    }
    Ok(call)
}

/// The connector's policy templates for the SDK.
pub fn policies_of(c: &Connector) -> Result<connector_sdk::Policies, Error> {
    Ok(policy_templates(c)
        .map(|json| connector_sdk::Policies::from_json(&json))
        .transpose()
        .map_err(Error::Policies)?
        .unwrap_or_default())
}

/// The SDK client for `c` through `connection` (a stored connection's name, or a connection
/// file; none: the definition's host without credentials), with the connector's policies and
/// the `retry` policy (none: the default). Also says which policy templates are not applied.
pub fn client_for(
    c: &Connector,
    connection_arg: Option<&Path>,
    retry: Option<&str>,
) -> Result<(connector_sdk::Client, Vec<String>), Error> {
    let retry = retry.map(retry_policy).transpose()?.unwrap_or_default();
    // A NAME is a word; something that looks like a path is a file, even a missing one.
    let stored = connection_arg.filter(|p| {
        let text = p.to_string_lossy();
        !p.exists() && !text.contains(['/', '\\']) && !text.ends_with(".json")
    });
    let (conn, fixed_base) = match stored {
        Some(name) => {
            let name = name.to_string_lossy();
            connector_sdk::Store::open()
                .and_then(|s| s.get(&name))
                .and_then(|s| {
                    let fixed = s.base_url != base_url(c);
                    s.connection(&name).map(|conn| (conn, fixed))
                })
                .map_err(Error::Sdk)?
        }
        None => connection(c, connection_arg)?,
    };
    let policies = policies_of(c)?;
    let not_applied = policies.not_applied().to_vec();
    let base = fixed_base.then(|| conn.base_url.clone());
    let client = connector_sdk::Client::new(conn, &c.name)
        .map_err(Error::Sdk)?
        .with_policies(policies)
        .with_retry(retry);
    let client = match base {
        Some(url) => client.with_base_url(url),
        None => client,
    };
    Ok((client, not_applied))
}

/// How a pageable action's pages are followed, when it has a next link.
pub fn paging_of(op: &Operation) -> Option<connector_sdk::Paging<Name>> {
    op.rare().pageable.as_ref().and_then(|p| {
        p.next_link_name
            .as_deref()
            .map(|next| connector_sdk::Paging {
                item_name: p.item_name.clone().unwrap_or_else(|| "value".into()).into(),
                next_link_name: next.to_string().into(),
            })
    })
}

/// What an action returned.
#[derive(Debug)]
pub enum Outcome {
    /// The items of every page of a pageable action.
    Items(Vec<Value>),
    /// The body of the response (of the last poll of a long-running action).
    Body(Vec<u8>),
}

/// Sends `call` (the call of `op`) the way `op` is sent: through its pages, polled to the end
/// when long-running, else once.
pub async fn run_action(
    client: &connector_sdk::Client,
    call: Call,
    op: &Operation,
    long_running: bool,
) -> Result<Outcome, connector_sdk::Error> {
    match paging_of(op) {
        Some(paging) => {
            let items: Vec<Result<Value, connector_sdk::Error>> =
                client.items(call, paging).collect().await;
            items
                .into_iter()
                .collect::<Result<_, _>>()
                .map(Outcome::Items)
        }
        None => {
            let response = if long_running {
                client.send_long_running(call).await
            } else {
                client.send(call).await
            };
            response.map(|r| Outcome::Body(r.body))
        }
    }
}

/// Sends `op` once with no parameters but its defaults, through `conn` and the connector's
/// policies: how a new connection is tested.
pub async fn send_once(c: &Connector, op: &Operation, conn: Connection) -> Result<(), Error> {
    let call = build(c, op, &[], None)?;
    let policies = policies_of(c)?;
    let client = connector_sdk::Client::new(conn, &c.name)
        .map_err(Error::Sdk)?
        .with_policies(policies);
    client.send(call).await.map(|_| ()).map_err(Error::Sdk)
}
