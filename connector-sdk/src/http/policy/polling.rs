//! The `pollingtrigger` policy: an action polled as a trigger, its events and the query of its
//! next poll computed by expressions over the last answer.

use super::expressions::{eval, parse_expr, render, ExpressionError, Scope};
use super::{Policies, Rule};
use crate::auth::connection::Connection;
use serde_json::Value;

/// A `pollingtrigger` policy: the operation becomes a polling trigger whose events are the items
/// at `data_path` of each answer, and whose state is the query parameters `config` computes from
/// the last answer with data (e.g. `after` = `@{triggerBody().files[0].created}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollingTemplate {
    /// Query parameters of the next poll: name → template over `triggerBody()`.
    pub config: Vec<(String, String)>,
    /// Where the events are in the answer (`@triggerBody().data`).
    pub data_path: String,
}

impl PollingTemplate {
    /// The events of an answer: the items at the data path (a single value is one event; absent
    /// or null, none).
    pub fn events(&self, body: &Value) -> Result<Vec<Value>, ExpressionError> {
        let conn = Connection::new("");
        let scope = Scope {
            body: Some(body),
            ..Scope::new(&conn, "GET")
        };
        let t = self.data_path.trim();
        let inner = t.strip_prefix('@').unwrap_or(t);
        let inner = inner
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(inner);
        let bad = || ExpressionError::BadDataPath(t.to_string());
        let (e, n) = parse_expr(inner).ok_or_else(bad)?;
        if n != inner.len() {
            return Err(bad());
        }
        Ok(match eval(&e, &scope)? {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            other => vec![other],
        })
    }

    /// The query parameters of the next poll, computed from an answer with data.
    pub fn next_query(&self, body: &Value) -> Result<Vec<(String, String)>, ExpressionError> {
        let conn = Connection::new("");
        let scope = Scope {
            body: Some(body),
            ..Scope::new(&conn, "GET")
        };
        self.config
            .iter()
            .map(|(k, t)| render(t, &scope, false).map(|v| (k.clone(), v)))
            .collect()
    }
}

impl Policies {
    /// The `pollingtrigger` policy of `operation`, if it has one.
    pub fn polling(&self, operation: &str) -> Option<&PollingTemplate> {
        self.instances
            .iter()
            .filter(|i| i.applies_to(operation))
            .find_map(|i| match &i.rule {
                Rule::Polling(p) => Some(p),
                _ => None,
            })
    }
}
