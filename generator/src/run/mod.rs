//! Running connectors from their definitions, without generating code: [`call`] builds an
//! action's call from the model and the given values, picks the credential and the retry policy
//! and sends it; [`connect`] works out what a connection needs and signs in; [`watch`] runs a
//! trigger: its schedule, its durable state, a webhook's subscription. The `call`, `connect`
//! and `watch` commands are these functions with arguments and output around them.

pub mod call;
pub mod connect;
pub mod serve;
pub mod watch;

use std::path::PathBuf;

/// Why a connector cannot be run as asked. The messages name the command-line flag a value
/// came from, as users of the commands give them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path holds more than one connector.
    #[error("{} holds {count} connectors; give one", path.display())]
    SeveralConnectors {
        /// The path given.
        path: PathBuf,
        /// How many it holds.
        count: usize,
    },
    /// Nothing loadable at the path.
    #[error(transparent)]
    Discover(#[from] crate::load::DiscoverError),
    /// The definition could not be read at all.
    #[error("{}: the definition cannot be read (see `connector-gen validate`)", .0.display())]
    Unreadable(PathBuf),
    /// The async runtime did not start.
    #[error("cannot start the runtime: {0}")]
    Runtime(std::io::Error),
    /// No operation of that id.
    #[error("no operation `{id}` in {connector}{}", near.as_ref().map(|n| format!("; did you mean `{n}`?")).unwrap_or_default())]
    NoOperation {
        /// The id asked for.
        id: String,
        /// The connector.
        connector: String,
        /// The nearest id, when one is near.
        near: Option<String>,
    },
    /// The operation is a trigger, not an action.
    #[error("`{0}` is a trigger; run it with `connector-gen watch`")]
    IsTrigger(String),
    /// A parameter argument without `=`.
    #[error("`--param {0}`: expected NAME=VALUE")]
    ParamSyntax(String),
    /// A parameter the operation does not have.
    #[error("`{operation}` has no parameter `{name}` (it has: {})", known.join(", "))]
    UnknownParam {
        /// The operation.
        operation: String,
        /// The name given.
        name: String,
        /// Its parameters.
        known: Vec<String>,
    },
    /// Required values not given.
    #[error("`{operation}` needs {}", missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "))]
    MissingParams {
        /// The operation.
        operation: String,
        /// What is missing.
        missing: Vec<String>,
    },
    /// The body file could not be read.
    #[error("--body @{0}: {1}")]
    BodyFile(String, crate::fs::InputError),
    /// The body is not JSON.
    #[error("--body is not JSON: {0}")]
    BodyNotJson(String),
    /// A file parameter's file could not be read.
    #[error("--param {0}: {1}")]
    ParamFile(String, connector_sdk::files::ReadError),
    /// The retry policy is not JSON.
    #[error("--retry is not JSON: {0}")]
    RetryNotJson(String),
    /// The retry count does not fit.
    #[error("--retry: retry count {0} is outside 1–{max}", max = connector_sdk::retry::MAX_RETRIES)]
    RetryCount(u64),
    /// The retry count is not a whole number.
    #[error("--retry `count` must be a whole number, not {0}")]
    RetryCountNotWhole(String),
    /// The retry policy is not one the runtime has.
    #[error("--retry: {0}")]
    Retry(connector_sdk::retry::RetryConfigError),
    /// The connection file could not be read.
    #[error(transparent)]
    Read(crate::fs::InputError),
    /// The connection file is JSON but not an object.
    #[error("{}: a connection file is a JSON object", .0.display())]
    ConnectionNotObject(PathBuf),
    /// The connection file is not JSON.
    #[error("{}: {why}", .0.display(), why = .1)]
    ConnectionJson(PathBuf, String),
    /// No host, in the definition or the connection.
    #[error("{0} declares no host: give `base_url` in the connection file")]
    NoHost(String),
    /// The connection values fill no way to connect.
    #[error("the connection file fits none of the ways {connector} connects: {}", expected.join("; "))]
    ConnectionFits {
        /// The connector.
        connector: String,
        /// What each way needs.
        expected: Vec<String>,
    },
    /// The policy templates cannot be read.
    #[error(transparent)]
    Policies(connector_sdk::Error),
    /// The runtime refused (a stored connection, a client, a request).
    #[error(transparent)]
    Sdk(connector_sdk::Error),
    /// No trigger of that id.
    #[error("no trigger `{id}` in {connector} (triggers: {})", if triggers.is_empty() { "none".to_string() } else { triggers.join(", ") })]
    NoTrigger {
        /// The id asked for.
        id: String,
        /// The connector.
        connector: String,
        /// Its triggers.
        triggers: Vec<String>,
    },
    /// The operation is an action that cannot be polled as asked.
    #[error("`{0}` is an action; run it with `connector-gen call`, or poll a GET action for new items with --dedupe-on FIELD or --cursor PARAM=FIELD")]
    IsAction(String),
    /// The recurrence is not JSON.
    #[error("--recurrence is not JSON: {0}")]
    RecurrenceNotJson(String),
    /// The interval is not a duration.
    #[error("--every `{text}` is not a duration (30s, 5m, 1h, PT15M): {why}")]
    Every {
        /// As given.
        text: String,
        /// Why not.
        why: String,
    },
    /// The interval is negative.
    #[error("--every `{0}` is negative")]
    EveryNegative(String),
    /// The interval is zero.
    #[error("--every must be more than zero")]
    EveryZero,
    /// A cursor that is not `PARAM=FIELD`.
    #[error("--cursor `{0}`: expected PARAM=FIELD")]
    Cursor(String),
    /// The state file is not a state database (or has no place).
    #[error(transparent)]
    StateFile(connector_sdk::Error),
    /// Not an address to listen on.
    #[error("--listen `{0}`: expected ADDRESS:PORT to listen on, such as 127.0.0.1:8080")]
    Listen(String),
    /// Not a URL the service can send notifications to.
    #[error("--public-url `{url}`: {why}; give the http(s) URL under which the service reaches the listener, such as https://hooks.example.com")]
    PublicUrl {
        /// As given.
        url: String,
        /// Why not.
        why: &'static str,
    },
    /// No parameter set of that name.
    #[error("no connection parameter set `{name}` (sets: {})", sets.join(", "))]
    NoParameterSet {
        /// The name given.
        name: String,
        /// The sets there are.
        sets: Vec<String>,
    },
    /// No OAuth client id, in the definition or given.
    #[error("the OAuth client id is missing: give --param client_id=...")]
    NoClientId,
    /// Connection values not given.
    #[error("{connector} needs {}: give --param NAME=VALUE or set {}", names.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "), names.iter().map(|m| connect::env_name(m)).collect::<Vec<_>>().join(", "))]
    MissingValues {
        /// The connector.
        connector: String,
        /// The values, once each.
        names: Vec<String>,
    },
    /// A value could not be read from the terminal.
    #[error("cannot read {name}: {source}")]
    Prompt {
        /// The value.
        name: String,
        /// Why.
        source: std::io::Error,
    },
    /// The sign-in's redirect listener failed.
    #[error("cannot listen: {0}")]
    RedirectListen(std::io::Error),
    /// No sign-in in time.
    #[error("no sign-in after {seconds} s{}; run connect again (or raise --timeout)", match refused { 0 => String::new(), n => format!(" ({n} redirect(s) with a wrong state were refused)") })]
    NoSignIn {
        /// The time waited.
        seconds: u64,
        /// Redirects refused for their state.
        refused: usize,
    },
    /// The redirect could not be accepted.
    #[error("cannot accept the redirect: {0}")]
    Accept(std::io::Error),
    /// The provider refused the sign-in.
    #[error("{0}")]
    Refused(String),
    /// The redirect carried no code.
    #[error("the redirect carried no `code`")]
    NoCode,
}
