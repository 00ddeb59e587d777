//! `connector-gen watch`: runs a polling trigger of a definition through the SDK runtime,
//! printing one JSON line per event, with durable state in SQLite.

use super::call::{build, client_for};
use connector_gen::model::*;
use connector_sdk::runtime::{DynamicTrigger, Every, PollFailure, Poller, SqliteStore, StateStore};
use connector_sdk::{Recurrence, TriggerKind, TriggerSpec};
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

fn every(args: &Args) -> Result<Every, String> {
    if let Some(json) = &args.recurrence {
        let v: Value =
            serde_json::from_str(json).map_err(|e| format!("--recurrence is not JSON: {e}"))?;
        return Recurrence::from_config(&v)
            .map(Every::Recurrence)
            .map_err(|e| e.to_string());
    }
    let text = args.every.as_deref().unwrap_or("3m");
    let d: jiff::SignedDuration = text
        .parse()
        .map_err(|e| format!("--every `{text}` is not a duration (30s, 5m, 1h, PT15M): {e}"))?;
    let d = Duration::try_from(d).map_err(|_| format!("--every `{text}` is negative"))?;
    if d.is_zero() {
        return Err("--every must be more than zero".into());
    }
    Ok(Every::Interval(d))
}

/// The state database: `--state`, else `watch.db` in the store directory. An existing file
/// that is not a state database (empty, a link, a device) is refused with exit 2.
fn open_state(args: &Args) -> Result<SqliteStore, ExitCode> {
    let path = match &args.state {
        Some(p) => p.clone(),
        None => connector_sdk::Store::default_dir()
            .map(|d| d.join("watch.db"))
            .map_err(usage)?,
    };
    connector_sdk::runtime::check_state_file(&path).map_err(usage)?;
    SqliteStore::open(&path).map_err(|e| {
        say!("error: {e}");
        ExitCode::from(1)
    })
}

pub fn run(args: Args) -> ExitCode {
    let c = match super::call::load_one(&args.path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let c = &c;
    let Some(op) = c.operations.iter().find(|o| o.id == args.trigger_id) else {
        let triggers: Vec<&str> = c
            .operations
            .iter()
            .filter(|o| {
                !matches!(o.kind, OperationKind::Action { .. }) || has_polling_policy(c, &o.id)
            })
            .map(|o| o.id.as_str())
            .collect();
        return usage(format!(
            "no trigger `{}` in {} (triggers: {})",
            args.trigger_id,
            c.name,
            if triggers.is_empty() {
                "none".to_string()
            } else {
                triggers.join(", ")
            }
        ));
    };
    let mode = match &op.kind {
        OperationKind::PollingTrigger { mode } => mode.clone(),
        OperationKind::WebhookTrigger { .. } => return webhook(&args, c, op),
        // An action that a `pollingtrigger` policy makes a trigger.
        OperationKind::Action { .. } if has_polling_policy(c, &op.id) => TriggerMode::Batch,
        // A GET action polled for what is new, which --dedupe-on or --cursor defines (a Postman
        // collection has no triggers of its own).
        OperationKind::Action { .. }
            if op.method == Method::Get && (args.dedupe_on.is_some() || args.cursor.is_some()) =>
        {
            TriggerMode::Batch
        }
        OperationKind::Action { .. } => {
            return usage(format!(
                "`{}` is an action; run it with `connector-gen call`, or poll a GET action for new items with --dedupe-on FIELD or --cursor PARAM=FIELD",
                op.id
            ))
        }
    };
    let batch = mode == TriggerMode::Batch;
    // A batch trigger's events are the items of an array body, or of its `value`.
    let array_body = op
        .responses
        .iter()
        .find(|r| r.status.is_success())
        .and_then(|r| r.schema())
        .is_some_and(|s| c.types.get(c.types.resolve(s)).types == [SchemaType::Array]);
    let call = match build(c, op, &args.params, None) {
        Ok(call) => call,
        Err(e) => return usage(e),
    };
    let spec = TriggerSpec {
        operation: call.spec.clone(),
        kind: TriggerKind::Polling,
        mode: if batch {
            connector_sdk::TriggerMode::Batch
        } else {
            connector_sdk::TriggerMode::Single
        },
        split_on: (batch && !array_body).then_some("value".into()),
    };
    let schedule = match every(&args) {
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
    let trigger = DynamicTrigger { spec, call };
    let name = format!("{}/{}", c.name, op.id);
    let pause = match &schedule {
        Every::Interval(d) => *d,
        Every::Recurrence(_) => Duration::ZERO,
    };
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
        match spec.split_once('=') {
            Some((param, field)) if !param.is_empty() && !field.is_empty() => {
                poller = poller.cursor(param, field);
            }
            _ => return usage(format!("--cursor `{spec}`: expected PARAM=FIELD")),
        }
    }
    let runtime = match super::call::runtime() {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    let trigger_id = op.id.clone();
    // An event is handled once its line is written and flushed: then the state may advance.
    let handler = |event: Value| {
        let line = serde_json::json!({
            "trigger": trigger_id,
            "received": jiff::Timestamp::now().to_string(),
            "event": event,
        });
        let written = {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{line}").and_then(|_| out.flush())
        };
        async move {
            written.map_err(|e| connector_sdk::Error::Request {
                operation: "watch".into(),
                message: format!("cannot write the event: {e}"),
            })
        }
    };
    let outcome = runtime.block_on(async {
        match args.polls {
            Some(n) => {
                let mut handler = handler;
                let started = jiff::Timestamp::now();
                for i in 0..n {
                    let (_, retry_after) = poller.poll_once(&mut handler).await?;
                    if i + 1 == n {
                        break;
                    }
                    // The service's Retry-After (0: at once), else the schedule.
                    let wait = retry_after.unwrap_or_else(|| match &schedule {
                        Every::Recurrence(r) => {
                            let now = jiff::Timestamp::now();
                            r.next_after(now, started)
                                .duration_since(now)
                                .try_into()
                                .unwrap_or_default()
                        }
                        Every::Interval(_) => pause,
                    });
                    tokio::time::sleep(wait).await;
                }
                Ok(())
            }
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
fn interrupt() -> impl std::future::Future<Output = ()> {
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

/// `--listen`: an address and port to listen on (`127.0.0.1:8080`, `[::1]:8080`,
/// `localhost:8080`).
fn check_listen(listen: &str) -> Result<(), String> {
    use std::net::ToSocketAddrs;
    match listen.to_socket_addrs().map(|mut a| a.next()) {
        Ok(Some(_)) => Ok(()),
        _ => Err(format!(
            "--listen `{listen}`: expected ADDRESS:PORT to listen on, such as 127.0.0.1:8080"
        )),
    }
}

/// `--public-url`: where the service sends notifications, an http(s) URL with a host and no
/// query, fragment or credentials (the listener adds its path and signature).
fn check_public_url(url: &str) -> Result<(), String> {
    let bad = |why: &str| {
        Err(format!(
            "--public-url `{url}`: {why}; give the http(s) URL under which the service reaches the listener, such as https://hooks.example.com"
        ))
    };
    let Ok(parsed) = url::Url::parse(url) else {
        return bad("not a URL");
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return bad("not http or https");
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return bad("no host");
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return bad("it holds a query or a fragment");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return bad("it holds credentials");
    }
    Ok(())
}

/// Whether the connector's policies include a `pollingtrigger` for `operation`.
fn has_polling_policy(c: &Connector, operation: &str) -> bool {
    super::call::policies_of(c).is_ok_and(|p| p.polling(operation).is_some())
}

fn print_event(trigger: &str, event: &Value) -> Result<(), connector_sdk::Error> {
    let line = serde_json::json!({
        "trigger": trigger,
        "received": jiff::Timestamp::now().to_string(),
        "event": event,
    });
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|_| out.flush())
        .map_err(|e| connector_sdk::Error::Request {
            operation: "watch".into(),
            message: format!("cannot write the event: {e}"),
        })
}

/// A webhook trigger: the listener started, the subscription made (or kept from the last run
/// when its callback URL is the same), stored notifications delivered in order, and on stop
/// the subscription deleted.
fn webhook(args: &Args, c: &Connector, op: &Operation) -> ExitCode {
    use connector_sdk::oauth::slug;
    use connector_sdk::webhook::{listener_with, notification, Inbox, Signer, Subscription};
    let Some(listen) = args.listen.as_deref() else {
        return usage(format!(
            "`{}` is a webhook trigger: give --listen ADDR (and --public-url URL when the service cannot reach ADDR)",
            op.id
        ));
    };
    if let Err(e) = check_listen(listen) {
        return usage(e);
    }
    let public = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{listen}"));
    if let Err(e) = check_public_url(&public) {
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
    // The subscribe request: the trigger's parameters, and the callback URL where the
    // definition's x-ms-notification-url says.
    let mut params = args.params.clone();
    let target = connector_gen::codegen::client::notification_target(op);
    if let Some((param, rest)) = &target {
        if rest.is_empty() {
            params.push(format!("{param}={callback}"));
        }
    }
    // A callback URL inside the body: the body starts empty and gets it below.
    let body = target
        .as_ref()
        .filter(|(_, rest)| !rest.is_empty())
        .map(|_| "{}");
    let mut call = match build(c, op, &params, body) {
        Ok(call) => call,
        Err(e) => return usage(e),
    };
    if let Some((_, rest)) = target.filter(|(_, r)| !r.is_empty()) {
        let path: Vec<&str> = rest.iter().map(String::as_str).collect();
        call.set_body_field(&path, &callback);
    }
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
    let operation = call.spec.id.clone();
    let outcome: Result<(), connector_sdk::Error> = runtime.block_on(async {
        // Listening for Ctrl-C from the start: a stop during the subscription still unsubscribes.
        let mut stop = std::pin::pin!(interrupt());
        let socket = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
            connector_sdk::Error::Request {
                operation: "watch".into(),
                message: format!("cannot listen on {listen}: {e}"),
            }
        })?;
        let inbox = Inbox::start(store.clone());
        let app = listener_with(signer, inbox, name.clone(), path.clone(), &limits);
        let server = tokio::spawn(async move {
            let _ = connector_sdk::webhook::serve_with(socket, app, limits).await;
        });
        say!("Listening on {listen} for {path}");
        // Subscribe, unless the last run's subscription has this callback URL.
        let kept = store.subscription(&name)?;
        let subscription = match kept {
            Some(s) if s.callback_url == callback => {
                say!("Subscribed (kept from the last run)");
                s
            }
            old => {
                if let Some(location) = old.and_then(|o| o.location) {
                    let _ = client.unsubscribe(operation.clone(), &location).await;
                }
                let response = client.send(call).await?;
                let s = Subscription {
                    callback_url: callback.clone(),
                    location: response.header("location").map(str::to_string),
                };
                store.set_subscription(&name, Some(&s))?;
                say!("Subscribed");
                s
            }
        };
        let mut delivered = 0usize;
        let result = loop {
            if args.max_events.is_some_and(|m| delivered >= m) {
                break Ok(());
            }
            let batch = match store.pending(&name, 256) {
                Ok(b) => b,
                Err(e) => break Err(e),
            };
            if batch.is_empty() {
                tokio::select! {
                    _ = stop.as_mut() => {
                        say!("stopping");
                        break Ok(());
                    }
                    _ = tokio::time::sleep(Duration::from_millis(20)) => continue,
                }
            }
            // Delivered (printed) first, acknowledged after, a batch at a time: at least once,
            // a crash repeats at most the batch.
            let mut done = Vec::new();
            let mut failed = None;
            for (id, body) in batch {
                if let Err(e) = print_event(&op.id, &notification(&body)) {
                    failed = Some(e);
                    break;
                }
                done.push(id);
                delivered += 1;
                if args.max_events.is_some_and(|m| delivered >= m) {
                    break;
                }
            }
            if let Err(e) = store.ack(&done) {
                break Err(e);
            }
            if let Some(e) = failed {
                break Err(e);
            }
        };
        // Stop: the subscription is deleted where the service gave a Location.
        if let Some(location) = &subscription.location {
            match client.unsubscribe(operation.clone(), location).await {
                Ok(()) => say!("Unsubscribed"),
                Err(e) => say!("warning: could not unsubscribe: {e}"),
            }
        }
        store.set_subscription(&name, None)?;
        server.abort();
        result
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(1)
        }
    }
}
