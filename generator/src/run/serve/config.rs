//! The host configuration of `connector-gen serve`: TOML, read strictly (an unknown key is an
//! error, not ignored), every mistake reported at its line and column.
//!
//! ```toml
//! [state]
//! url = "sqlite:///var/lib/connectors/state.db"   # or "postgres://user@db:5432/connectors"
//!
//! [listener]                                      # webhooks, /healthz, /metrics
//! addr = "127.0.0.1:8080"
//! public_url = "https://hooks.example.com"
//!
//! [lease]                                         # how long a trigger stays with a silent owner
//! ttl = "10s"
//! renew = "3s"
//!
//! [[trigger]]
//! name = "new-items"
//! connector = "connectors/feed"                   # relative to this file
//! operation = "OnNewItems"
//! connection = "feed.json"                        # a connection file, or a stored connection's name
//! every = "30s"                                   # or recurrence = { frequency = "Day", interval = 1, ... }
//! params = { folder = "inbox" }
//! sink = { type = "http", url = "https://sink.example/events", secret_env = "SINK_SECRET" }
//! ```

use connector_sdk::runtime::Every;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;

/// A mistake in the configuration, at its place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", file.display())]
pub struct ConfigError {
    /// The configuration file.
    pub file: PathBuf,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
    /// What is wrong and what to write instead.
    pub message: String,
}

/// Why a configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigErrors {
    /// The file cannot be read.
    #[error("cannot read {}: {source}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// Why.
        source: crate::fs::InputError,
    },
    /// The file is not TOML of the configuration's shape (the first mistake: the parser
    /// stops there).
    #[error("{0}")]
    Syntax(ConfigError),
    /// Values that are wrong: every one found.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<ConfigError>),
}

/// Where the state is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateUrl {
    /// One SQLite file (one machine).
    Sqlite(PathBuf),
    /// A PostgreSQL database (many machines): the URL as given.
    Postgres(String),
}

/// The listener: webhooks, `/healthz`, `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    /// Where it listens.
    pub addr: String,
    /// Where services reach it (default `http://ADDR`).
    pub public_url: String,
    /// Connections served at once.
    pub max_connections: Option<usize>,
}

/// Lease times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseTimes {
    /// How long a lease lasts unless renewed: a dead owner's triggers move after this, plus
    /// one renewal interval.
    pub ttl: Duration,
    /// How often owners renew (and instances look for triggers to take).
    pub renew: Duration,
}

impl Default for LeaseTimes {
    fn default() -> Self {
        LeaseTimes {
            ttl: Duration::from_secs(15),
            renew: Duration::from_secs(5),
        }
    }
}

/// Where a trigger's events go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkConfig {
    /// One JSON line per event on standard output.
    Stdout,
    /// `POST` of each event as JSON.
    Http {
        /// Where.
        url: String,
        /// The environment variable holding the HMAC key of the signature header (the key
        /// itself never stands in the configuration).
        secret_env: Option<String>,
        /// How long one attempt may take.
        timeout: Duration,
    },
    /// A program that reads the event on its standard input; exit 0 accepts it.
    Command {
        /// The program (no shell).
        program: PathBuf,
        /// Its arguments.
        args: Vec<String>,
        /// How long one attempt may take.
        timeout: Duration,
    },
}

/// The place of a value in the configuration, for errors found later (the connector).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct At {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// One trigger the host runs.
#[derive(Debug, Clone)]
pub struct TriggerConfig {
    /// Its name: the key of its state, lease and listener path.
    pub name: String,
    /// The definition file or connector folder.
    pub connector: PathBuf,
    /// The trigger's operationId.
    pub operation: String,
    /// A stored connection's name, or a connection file.
    pub connection: Option<PathBuf>,
    /// When it is polled.
    pub schedule: Every,
    /// Its parameters, `name=value`.
    pub params: Vec<String>,
    /// The event property that identifies an event (see `watch --dedupe-on`).
    pub dedupe_on: Option<String>,
    /// `PARAM=FIELD` (see `watch --cursor`).
    pub cursor: Option<(String, String)>,
    /// The retry policy of its requests (see `call --retry`).
    pub retry: Option<String>,
    /// Where its events go.
    pub sink: SinkConfig,
    /// Attempts of the sink before an event becomes a dead letter.
    pub attempts: u32,
    /// Places of its values, for the errors of `--check`.
    pub at: TriggerPlaces,
}

/// Where a trigger's values stand in the file.
#[derive(Debug, Clone, Copy, Default)]
pub struct TriggerPlaces {
    /// The `[[trigger]]`'s `name`.
    pub name: At,
    /// `connector`.
    pub connector: At,
    /// `operation`.
    pub operation: At,
    /// `connection`.
    pub connection: At,
    /// `params` (or the name, without them).
    pub params: At,
}

/// A read configuration.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// The file it was read from.
    pub file: PathBuf,
    /// Where the state is.
    pub state: StateUrl,
    /// The listener, if any.
    pub listener: Option<Listener>,
    /// Lease times.
    pub lease: LeaseTimes,
    /// Logs as JSON lines (else for people).
    pub log_json: bool,
    /// The triggers.
    pub triggers: Vec<TriggerConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    state: Option<Spanned<RawState>>,
    listener: Option<RawListener>,
    lease: Option<RawLease>,
    log: Option<RawLog>,
    #[serde(default)]
    trigger: Vec<Spanned<RawTrigger>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawState {
    url: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawListener {
    addr: Spanned<String>,
    public_url: Option<Spanned<String>>,
    max_connections: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLease {
    ttl: Option<Spanned<String>>,
    renew: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLog {
    format: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrigger {
    name: Spanned<String>,
    connector: Spanned<String>,
    operation: Spanned<String>,
    connection: Option<Spanned<String>>,
    every: Option<Spanned<String>>,
    recurrence: Option<Spanned<toml::Value>>,
    #[serde(default)]
    params: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    dedupe_on: Option<String>,
    cursor: Option<Spanned<String>>,
    retry: Option<Spanned<String>>,
    sink: Option<Spanned<RawSink>>,
    attempts: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSink {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    url: Option<Spanned<String>>,
    secret_env: Option<Spanned<String>>,
    program: Option<Spanned<String>>,
    #[serde(default)]
    args: Vec<String>,
    timeout: Option<Spanned<String>>,
}

/// Line and column of byte `offset` of `text`.
pub fn place(text: &str, offset: usize) -> At {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    At {
        line,
        column: before[start..].chars().count() + 1,
    }
}

/// Collects errors at spans of one file.
struct Errors<'a> {
    file: &'a Path,
    text: &'a str,
    found: Vec<ConfigError>,
}

impl Errors<'_> {
    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let At { line, column } = place(self.text, span.start);
        self.found.push(ConfigError {
            file: self.file.to_path_buf(),
            line,
            column,
            message: message.into(),
        });
    }
}

/// A duration as the configuration writes it (`30s`, `5m`, `1h`, `PT15M`), above zero (the
/// parser of `watch --every`).
pub fn duration(text: &str) -> Result<Duration, String> {
    super::super::watch::duration(text).map_err(|e| match e {
        super::super::Error::Every { text, why } => {
            format!("`{text}` is not a duration (`30s`, `5m`, `PT15M`): {why}")
        }
        _ => format!("`{text}`: a duration above zero is needed"),
    })
}

/// A TOML value as a parameter's text (strings as they are, numbers and booleans written).
fn param_text(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// Reads the configuration at `file`.
pub fn read(file: &Path) -> Result<HostConfig, ConfigErrors> {
    let text = crate::fs::read_text(file).map_err(|source| ConfigErrors::Read {
        file: file.to_path_buf(),
        source,
    })?;
    parse(file, &text)
}

/// Reads a configuration's `text` (from `file`: relative paths in it are relative to its
/// folder).
pub fn parse(file: &Path, text: &str) -> Result<HostConfig, ConfigErrors> {
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let At { line, column } = place(text, e.span().map_or(0, |s| s.start));
        ConfigErrors::Syntax(ConfigError {
            file: file.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        })
    })?;
    let base = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut errs = Errors {
        file,
        text,
        found: Vec::new(),
    };
    let state = match &raw.state {
        None => {
            errs.at(
                0..0,
                "no [state]: add `[state]` with `url = \"sqlite:///path/state.db\"` or `url = \"postgres://user@host/db\"`",
            );
            None
        }
        Some(s) => state_url(&base, &s.get_ref().url, &mut errs),
    };
    let listener = raw.listener.as_ref().and_then(|l| listener(l, &mut errs));
    let lease = lease(raw.lease.as_ref(), &mut errs);
    let log_json = match raw.log.as_ref().map(|l| &l.format) {
        None => false,
        Some(f) => match f.get_ref().as_str() {
            "human" => false,
            "json" => true,
            other => {
                errs.at(
                    f.span(),
                    format!("log format `{other}`: write \"human\" or \"json\""),
                );
                false
            }
        },
    };
    let mut triggers = Vec::new();
    let mut names: BTreeMap<String, At> = BTreeMap::new();
    for t in &raw.trigger {
        let name = &t.get_ref().name;
        if let Some(first) = names.get(name.get_ref()) {
            errs.at(
                name.span(),
                format!(
                    "a second trigger named `{}` (the first is at line {}): names must differ, they key the state",
                    name.get_ref(),
                    first.line
                ),
            );
            continue;
        }
        names.insert(name.get_ref().clone(), place(text, name.span().start));
        if let Some(t) = trigger(&base, t, listener.is_some(), &mut errs) {
            triggers.push(t);
        }
    }
    if raw.trigger.is_empty() {
        errs.at(
            text.len()..text.len(),
            "no [[trigger]]: a host runs at least one (name, connector, operation, schedule, sink)",
        );
    }
    match state {
        Some(state) if errs.found.is_empty() => Ok(HostConfig {
            file: file.to_path_buf(),
            state,
            listener,
            lease,
            log_json,
            triggers,
        }),
        _ => Err(ConfigErrors::Invalid(errs.found)),
    }
}

fn state_url(base: &Path, url: &Spanned<String>, errs: &mut Errors<'_>) -> Option<StateUrl> {
    let text = url.get_ref();
    if let Some(path) = text.strip_prefix("sqlite://") {
        if path.is_empty() {
            errs.at(url.span(), "`sqlite://` needs a path: `sqlite:///var/lib/connectors/state.db` (absolute) or `sqlite://state.db` (beside this file)");
            return None;
        }
        return Some(StateUrl::Sqlite(base.join(path)));
    }
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        return match connector_sdk::runtime::check_postgres_url(text) {
            Ok(()) => Some(StateUrl::Postgres(text.clone())),
            Err(e) => {
                errs.at(url.span(), e.to_string());
                None
            }
        };
    }
    errs.at(
        url.span(),
        "the state URL starts with `sqlite://` (one machine) or `postgres://` (several)",
    );
    None
}

fn listener(l: &RawListener, errs: &mut Errors<'_>) -> Option<Listener> {
    let addr = l.addr.get_ref().clone();
    let mut ok = true;
    if let Err(e) = super::super::watch::check_listen(&addr) {
        errs.at(l.addr.span(), e.to_string().replace("--listen ", "addr "));
        ok = false;
    }
    let public_url = match &l.public_url {
        Some(p) => {
            if let Err(e) = super::super::watch::check_public_url(p.get_ref()) {
                errs.at(
                    p.span(),
                    e.to_string().replace("--public-url ", "public_url "),
                );
                ok = false;
            }
            p.get_ref().clone()
        }
        None => format!("http://{addr}"),
    };
    let max_connections = match &l.max_connections {
        Some(n) if !(1..=1_000_000).contains(n.get_ref()) => {
            errs.at(n.span(), "max_connections is from 1 to 1000000");
            ok = false;
            None
        }
        Some(n) => Some(*n.get_ref() as usize),
        None => None,
    };
    ok.then_some(Listener {
        addr,
        public_url,
        max_connections,
    })
}

fn lease(l: Option<&RawLease>, errs: &mut Errors<'_>) -> LeaseTimes {
    let mut times = LeaseTimes::default();
    let Some(l) = l else { return times };
    let mut get = |v: &Option<Spanned<String>>, into: &mut Duration| {
        if let Some(v) = v {
            match duration(v.get_ref()) {
                Ok(d) => *into = d,
                Err(e) => errs.at(v.span(), e),
            }
        }
    };
    get(&l.ttl, &mut times.ttl);
    get(&l.renew, &mut times.renew);
    if times.renew >= times.ttl {
        let span = l
            .renew
            .as_ref()
            .or(l.ttl.as_ref())
            .map_or(0..0, |v| v.span());
        errs.at(
            span,
            format!(
                "renew ({:?}) must be shorter than ttl ({:?}): an owner renews before its lease runs out (a third of it is usual)",
                times.renew, times.ttl
            ),
        );
    }
    times
}

/// The recurrence table as the workflow JSON it stands for.
fn recurrence_json(v: &toml::Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

fn trigger(
    base: &Path,
    t: &Spanned<RawTrigger>,
    listener: bool,
    errs: &mut Errors<'_>,
) -> Option<TriggerConfig> {
    let before = errs.found.len();
    let r = t.get_ref();
    let at = |s: Range<usize>| place(errs.text, s.start);
    let name = r.name.get_ref().clone();
    if !is_name(&name) {
        errs.at(
            r.name.span(),
            format!("trigger name `{name}`: letters, digits, `-`, `_` and `.`, at most 100"),
        );
    }
    let schedule = match (&r.every, &r.recurrence) {
        (Some(_), Some(rec)) => {
            errs.at(rec.span(), "give `every` or `recurrence`, not both");
            None
        }
        (Some(every), None) => match duration(every.get_ref()) {
            Ok(d) => Some(Every::Interval(d)),
            Err(e) => {
                errs.at(every.span(), e);
                None
            }
        },
        (None, Some(rec)) => {
            match connector_sdk::Recurrence::from_config(&recurrence_json(rec.get_ref())) {
                Ok(r) => Some(Every::Recurrence(r)),
                Err(e) => {
                    errs.at(rec.span(), format!("recurrence: {e}"));
                    None
                }
            }
        }
        // The platform's default for polling triggers.
        (None, None) => Some(Every::Interval(Duration::from_secs(180))),
    };
    let mut params = Vec::new();
    if let Some(p) = &r.params {
        for (k, v) in p.get_ref() {
            match param_text(v.get_ref()) {
                Some(text) => params.push(format!("{k}={text}")),
                None => errs.at(
                    v.span(),
                    format!("parameter `{k}`: a string, number or boolean"),
                ),
            }
        }
    }
    let cursor =
        r.cursor
            .as_ref()
            .and_then(|c| match super::super::watch::parse_cursor(c.get_ref()) {
                Ok((p, f)) => Some((p.to_string(), f.to_string())),
                Err(_) => {
                    errs.at(
                        c.span(),
                        format!("cursor `{}`: write \"PARAM=FIELD\"", c.get_ref()),
                    );
                    None
                }
            });
    if let Some(retry) = &r.retry {
        if let Err(e) = super::super::call::retry_policy(retry.get_ref()) {
            errs.at(retry.span(), e.to_string().replace("--retry", "retry"));
        }
    }
    let attempts = match &r.attempts {
        Some(n) if !(1..=100).contains(n.get_ref()) => {
            errs.at(n.span(), "attempts is from 1 to 100");
            5
        }
        Some(n) => *n.get_ref() as u32,
        None => 5,
    };
    let sink = match &r.sink {
        None => Some(SinkConfig::Stdout),
        Some(s) => sink(base, s, errs),
    };
    let _ = listener;
    if errs.found.len() > before {
        return None;
    }
    Some(TriggerConfig {
        name,
        connector: base.join(r.connector.get_ref()),
        operation: r.operation.get_ref().clone(),
        connection: r.connection.as_ref().map(|c| {
            let given = Path::new(c.get_ref());
            // A file beside the configuration, else a stored connection's name.
            if base.join(given).is_file() {
                base.join(given)
            } else {
                given.to_path_buf()
            }
        }),
        schedule: schedule?,
        params,
        dedupe_on: r.dedupe_on.clone(),
        cursor,
        retry: r.retry.as_ref().map(|r| r.get_ref().clone()),
        sink: sink?,
        attempts,
        at: TriggerPlaces {
            name: at(r.name.span()),
            connector: at(r.connector.span()),
            operation: at(r.operation.span()),
            connection: r
                .connection
                .as_ref()
                .map_or(at(r.name.span()), |c| at(c.span())),
            params: r
                .params
                .as_ref()
                .map_or(at(r.name.span()), |p| at(p.span())),
        },
    })
}

fn sink(base: &Path, s: &Spanned<RawSink>, errs: &mut Errors<'_>) -> Option<SinkConfig> {
    let r = s.get_ref();
    let timeout = match &r.timeout {
        Some(t) => match duration(t.get_ref()) {
            Ok(d) => d,
            Err(e) => {
                errs.at(t.span(), e);
                return None;
            }
        },
        None => Duration::from_secs(30),
    };
    let misplaced = |errs: &mut Errors<'_>, what: &str, v: Option<Range<usize>>| {
        if let Some(span) = v {
            errs.at(
                span,
                format!(
                    "`{what}` belongs to another sink type than `{}`",
                    r.kind.get_ref()
                ),
            );
        }
    };
    match r.kind.get_ref().as_str() {
        "stdout" => {
            misplaced(errs, "url", r.url.as_ref().map(Spanned::span));
            misplaced(errs, "program", r.program.as_ref().map(Spanned::span));
            Some(SinkConfig::Stdout)
        }
        "http" => {
            misplaced(errs, "program", r.program.as_ref().map(Spanned::span));
            let Some(url) = &r.url else {
                errs.at(s.span(), "an http sink needs `url = \"https://...\"`");
                return None;
            };
            match url::Url::parse(url.get_ref()) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => {
                    if !u.username().is_empty() || u.password().is_some() {
                        errs.at(url.span(), "the sink URL holds credentials: give the signing key with `secret_env` instead");
                        return None;
                    }
                }
                _ => {
                    errs.at(
                        url.span(),
                        format!("`{}` is not an http(s) URL", url.get_ref()),
                    );
                    return None;
                }
            }
            let secret_env = r.secret_env.as_ref().map(|e| e.get_ref().clone());
            if let Some(e) = &r.secret_env {
                if e.get_ref().is_empty() || e.get_ref().contains('=') {
                    errs.at(e.span(), "secret_env names an environment variable");
                    return None;
                }
            }
            Some(SinkConfig::Http {
                url: url.get_ref().clone(),
                secret_env,
                timeout,
            })
        }
        "command" => {
            misplaced(errs, "url", r.url.as_ref().map(Spanned::span));
            let Some(program) = &r.program else {
                errs.at(
                    s.span(),
                    "a command sink needs `program = \"/path/to/program\"`",
                );
                return None;
            };
            let given = Path::new(program.get_ref());
            // A path with a folder is relative to this file; a bare name is found on PATH.
            let program_path = if given.components().count() > 1 {
                base.join(given)
            } else {
                given.to_path_buf()
            };
            Some(SinkConfig::Command {
                program: program_path,
                args: r.args.clone(),
                timeout,
            })
        }
        other => {
            errs.at(
                r.kind.span(),
                format!("sink type `{other}`: write \"stdout\", \"http\" or \"command\""),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<HostConfig, ConfigErrors> {
        parse(Path::new("dir/host.toml"), text)
    }

    const TRIGGER: &str = "[[trigger]]\nname = \"a\"\nconnector = \"c\"\noperation = \"Op\"\n";

    #[test]
    fn a_full_configuration_reads_with_paths_beside_it() {
        let text = format!(
            "[state]\nurl = \"postgres://u@db:5432/fleet\"\n[listener]\naddr = \"127.0.0.1:8080\"\n{TRIGGER}recurrence = {{ frequency = \"Day\", interval = 1, schedule = {{ hours = [8, 17] }} }}\nparams = {{ top = 5, all = true, q = \"x\" }}\ncursor = \"since=id\"\nsink = {{ type = \"command\", program = \"bin/handle\", args = [\"-v\"] }}\n"
        );
        let cfg = parse_text(&text).unwrap();
        assert_eq!(
            cfg.state,
            StateUrl::Postgres("postgres://u@db:5432/fleet".into())
        );
        assert_eq!(cfg.listener.unwrap().public_url, "http://127.0.0.1:8080");
        assert_eq!(cfg.lease, LeaseTimes::default());
        let t = &cfg.triggers[0];
        assert_eq!(t.connector, Path::new("dir/c"));
        assert!(matches!(t.schedule, Every::Recurrence(_)));
        assert_eq!(t.params, ["all=true", "q=x", "top=5"]);
        assert_eq!(t.cursor, Some(("since".into(), "id".into())));
        assert_eq!(
            t.sink,
            SinkConfig::Command {
                program: "dir/bin/handle".into(),
                args: vec!["-v".into()],
                timeout: Duration::from_secs(30)
            }
        );
        assert_eq!(
            t.at.operation,
            At {
                line: 8,
                column: 13
            }
        );
    }

    #[test]
    fn mistakes_are_found_together_at_their_places() {
        let text = format!(
            "[state]\nurl = \"sqlite://\"\n{TRIGGER}every = \"5m\"\nrecurrence = {{ frequency = \"Day\" }}\n{TRIGGER}params = {{ x = [1] }}\nsink = {{ type = \"stdout\", url = \"http://x\" }}\n"
        );
        let ConfigErrors::Invalid(errs) = parse_text(&text).unwrap_err() else {
            panic!("not Invalid");
        };
        let at: Vec<(usize, usize, &str)> = errs
            .iter()
            .map(|e| (e.line, e.column, e.message.split(':').next().unwrap()))
            .collect();
        assert_eq!(
            at,
            [
                (2, 7, "`sqlite"),
                (8, 14, "give `every` or `recurrence`, not both"),
                (10, 8, "a second trigger named `a` (the first is at line 4)"),
            ],
            "{errs:#?}"
        );
        // Without [state] and triggers: both said.
        let ConfigErrors::Invalid(errs) = parse_text("").unwrap_err() else {
            panic!("not Invalid");
        };
        assert_eq!(errs.len(), 2, "{errs:#?}");
        assert!(errs[0].message.starts_with("no [state]"));
        assert!(errs[1].message.starts_with("no [[trigger]]"));
    }
}
