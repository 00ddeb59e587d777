//! `connector-gen watch`: runs a polling trigger of a definition through the SDK runtime,
//! printing one JSON line per event, with durable state in SQLite.

use super::call::client_for;
use connector_gen::model::*;
use connector_gen::run::watch::{self as w, TriggerRun};
use connector_gen::run::Error;
use connector_sdk::runtime::{PollFailure, Poller, StateStore};
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// Definition file or connector folder.
    path: PathBuf,
    /// The operationId of the trigger.
    trigger_id: String,
    /// A parameter value of the trigger, `name=value` (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// The connection: a stored connection's name, or a connection file.
    #[arg(long, value_name = "NAME|FILE")]
    connection: Option<PathBuf>,
    /// The state database (SQLite); default: `watch.db` in the store directory.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Poll at this interval (`30s`, `5m`, `1h`, `PT15M`); default 3 minutes, the platform's
    /// default for polling triggers.
    #[arg(long, value_name = "DURATION")]
    every: Option<String>,
    /// Poll on a recurrence instead, as JSON (`{"frequency":"Day","interval":1,
    /// "startTime":"2026-11-23T08:00:00","timeZone":"W. Europe Standard Time",
    /// "schedule":{"hours":[8,17]}}`).
    #[arg(long, value_name = "JSON", conflicts_with = "every")]
    recurrence: Option<String>,
    /// For triggers whose polls return everything each time: the event property that
    /// identifies an event; events already delivered are skipped, and the first poll only
    /// records what exists (the baseline).
    #[arg(long, value_name = "FIELD")]
    dedupe_on: Option<String>,
    /// For triggers with a "since" query parameter: `PARAM=FIELD` sends PARAM = the largest
    /// FIELD of the events so far; the first poll only records it (the baseline).
    #[arg(long, value_name = "PARAM=FIELD")]
    cursor: Option<String>,
    /// The retry policy of each request: `none`, `default`, or the workflow form as JSON (see
    /// `call --retry`).
    #[arg(long, value_name = "POLICY")]
    retry: Option<String>,
    /// Stop after this many polls (default: run until interrupted).
    #[arg(long, value_name = "N")]
    polls: Option<usize>,
    /// Webhook triggers: where the embedded listener listens (e.g. 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    /// Webhook triggers: the URL under which the service reaches the listener (e.g. a tunnel's
    /// https://... address); default: http://ADDR.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Webhook triggers: connections the listener serves at once (default 1024, or fewer when
    /// the process may open fewer files); at the cap, the connection that has waited longest
    /// for its request is closed to make room.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_connections: Option<u64>,
    /// Stop (and unsubscribe a webhook) after this many events.
    #[arg(long, value_name = "N")]
    max_events: Option<usize>,
    #[command(flatten)]
    limits: super::call::ServerLimits,
}

/// Failed polls are said at most once in this long.
const FAILURE_LINE_EVERY: Duration = Duration::from_secs(30);

fn usage(message: impl std::fmt::Display) -> ExitCode {
    say!("error: {message}");
    ExitCode::from(2)
}

/// The state database (see [`w::open_state`]): a file that is not one is a usage error (exit
/// 2), one that cannot be opened a failure (exit 1).
fn open_state(args: &Args) -> Result<connector_sdk::runtime::SqliteStore, ExitCode> {
    w::open_state(args.state.as_deref()).map_err(|e| match e {
        Error::StateFile(_) => usage(e),
        e => {
            say!("error: {e}");
            ExitCode::from(1)
        }
    })
}

/// Writes one event line and flushes it: then the event is handled.
fn print_event(trigger: &str, event: &Value) -> Result<(), connector_sdk::Error> {
    let line = w::event_line(trigger, event);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|_| out.flush())
        .map_err(|e| connector_sdk::Error::Request {
            operation: "watch".into(),
            message: format!("cannot write the event: {e}"),
        })
}

pub fn run(args: Args) -> ExitCode {
    let c = match super::call::load_one(&args.path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let c = &c;
    let polls_action = args.dedupe_on.is_some() || args.cursor.is_some();
    let (op, mode) = match w::find_trigger(c, &args.trigger_id, polls_action) {
        Ok((op, TriggerRun::Webhook)) => return webhook(&args, c, op),
        Ok((op, TriggerRun::Polling(mode))) => (op, mode),
        Err(e) => return usage(e),
    };
    let trigger = match w::polling_trigger(c, op, &mode, &args.params) {
        Ok(t) => t,
        Err(e) => return usage(e),
    };
    let schedule = match w::schedule(args.recurrence.as_deref(), args.every.as_deref()) {
        Ok(e) => e,
        Err(e) => return usage(e),
    };
    let client = match client_for(
        c,
        args.connection.as_ref(),
        args.retry.as_deref(),
        &args.limits,
    ) {
        Ok(client) => client,
        Err(e) => return usage(e),
    };
    let store = match open_state(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let name = format!("{}/{}", c.name, op.id);
    // Each failed poll is said on stderr, at most one line every 30 s (with how many were not
    // shown): a watcher that only fails must not look like one with nothing to report.
    let said: std::sync::Mutex<(Option<std::time::Instant>, u32)> = Default::default();
    let mut poller = Poller::new(&client, trigger, name, &store, schedule.clone()).on_failure(
        move |f: &PollFailure| {
            let Ok(mut said) = said.lock() else { return };
            let now = std::time::Instant::now();
            if said
                .0
                .is_some_and(|t| now.duration_since(t) < FAILURE_LINE_EVERY)
            {
                said.1 += 1;
                return;
            }
            let unshown = match said.1 {
                0 => String::new(),
                n => format!(" ({n} more failed poll(s) since the last line)"),
            };
            // One line: the error's own lines (an error body) joined.
            let error: Vec<&str> = f.error.lines().map(str::trim).collect();
            say!(
                "warning: {}: poll failed ({} in a row): {}; next attempt at {}{unshown}",
                f.trigger,
                f.consecutive,
                error.join(" "),
                f.next
            );
            *said = (Some(now), 0);
        },
    );
    if let Some(field) = &args.dedupe_on {
        poller = poller.dedupe_on(field.clone());
    }
    if let Some(spec) = &args.cursor {
        match w::parse_cursor(spec) {
            Ok((param, field)) => poller = poller.cursor(param, field),
            Err(e) => return usage(e),
        }
    }
    let runtime = match connector_gen::run::call::runtime() {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    let trigger_id = op.id.clone();
    // An event is handled once its line is written and flushed: then the state may advance.
    let handler = |event: Value| {
        let written = print_event(&trigger_id, &event);
        async move { written }
    };
    let outcome = runtime.block_on(async {
        match args.polls {
            Some(n) => w::poll_times(&poller, n, &schedule, handler).await,
            None => {
                let interrupted = interrupt();
                let stop = async {
                    interrupted.await;
                    say!("stopping");
                };
                poller.run(handler, stop).await
            }
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM. The handlers are installed when this is called, not
/// when it is first awaited, so a signal arriving in between is not lost (nor fatal).
pub(super) fn interrupt() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let int = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        async move {
            match (int, term) {
                (Ok(mut i), Ok(mut t)) => {
                    tokio::select! {
                        _ = i.recv() => {}
                        _ = t.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// A webhook trigger (see [`w::run_webhook`]), its events printed as lines, what happens said
/// on stderr.
fn webhook(args: &Args, c: &Connector, op: &Operation) -> ExitCode {
    use connector_sdk::oauth::slug;
    use connector_sdk::webhook::Signer;
    let Some(listen) = args.listen.as_deref() else {
        return usage(format!(
            "`{}` is a webhook trigger: give --listen ADDR (and --public-url URL when the service cannot reach ADDR)",
            op.id
        ));
    };
    if let Err(e) = w::check_listen(listen) {
        return usage(e);
    }
    let public = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{listen}"));
    if let Err(e) = w::check_public_url(&public) {
        return usage(e);
    }
    let mut limits = connector_sdk::webhook::ListenerLimits::default();
    if let Some(n) = args.max_connections {
        limits.max_connections = n as usize;
    }
    let store = match open_state(args) {
        Ok(s) => std::sync::Arc::new(s),
        Err(code) => return code,
    };
    let key = match store.signing_key() {
        Ok(k) => k,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let signer = Signer::new(key);
    let name = format!("{}/{}", c.name, op.id);
    let path = format!("/hooks/{}/{}", slug(&c.name), slug(&op.id));
    let callback = signer.callback_url(&public, &path);
    let call = match w::subscribe_call(c, op, &args.params, &callback) {
        Ok(call) => call,
        Err(e) => return usage(e),
    };
    let client = match client_for(
        c,
        args.connection.as_ref(),
        args.retry.as_deref(),
        &args.limits,
    ) {
        Ok(client) => client,
        Err(e) => return usage(e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return usage(format!("cannot start the runtime: {e}")),
    };
    let webhook = w::Webhook {
        client: &client,
        call,
        store,
        name,
        listen,
        path,
        callback,
        signer,
        limits,
        max_events: args.max_events,
    };
    let outcome = runtime.block_on(async {
        // Listening for Ctrl-C from the start: a stop during the subscription still unsubscribes.
        let stop = interrupt();
        w::run_webhook(
            webhook,
            stop,
            |event| print_event(&op.id, event),
            |note| say!("{note}"),
        )
        .await
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(1)
        }
    }
}
