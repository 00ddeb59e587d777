//! Where an operation is sent: the connector's base URL and an operation's own server.

use crate::model::*;

/// The URL of an operation's own server (with its variables' defaults), when it has one that
/// is complete (a server with a variable that has no value is left to the connection).
pub fn operation_server(op: &Operation) -> Option<String> {
    let s = op.rare().servers.first()?;
    let complete = s
        .variables
        .iter()
        .all(|v| v.default.as_deref().is_some_and(|d| !d.is_empty()));
    let url = s.url_with_defaults();
    (complete && url.contains("://") && !url.contains(['{', '}'])).then_some(url)
}

/// The first server's URL with its variables' defaults.
pub fn base_url(c: &Connector) -> String {
    c.servers
        .first()
        .map(Server::url_with_defaults)
        .unwrap_or_default()
}
