//! Running one trigger: which operation is a trigger and how it is polled, the schedule, the
//! durable state, a fixed number of polls, and a webhook trigger's subscription and deliveries.

use super::call::{build, policies_of};
use super::Error;
use crate::model::*;
use crate::plan::notification_target;
use connector_sdk::runtime::{DynamicTrigger, Every, Poller, SqliteStore};
use connector_sdk::{Call, Recurrence, TriggerKind, TriggerSpec};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// How a trigger of the connector runs.
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerRun {
    /// Polled, its events in this mode.
    Polling(TriggerMode),
    /// Subscribed to; the service sends notifications.
    Webhook,
}

/// Whether the connector's policies include a `pollingtrigger` for `operation`.
pub fn has_polling_policy(c: &Connector, operation: &str) -> bool {
    policies_of(c).is_ok_and(|p| p.polling(operation).is_some())
}

/// The trigger `id` of `c` and how it runs. A GET action is polled when `polls_action` (the
/// caller says what is new in it: a field to deduplicate on, or a cursor).
pub fn find_trigger<'c>(
    c: &'c Connector,
    id: &str,
    polls_action: bool,
) -> Result<(&'c Operation, TriggerRun), Error> {
    let Some(op) = c.operations.iter().find(|o| o.id == id) else {
        let triggers: Vec<String> = c
            .operations
            .iter()
            .filter(|o| {
                !matches!(o.kind, OperationKind::Action { .. }) || has_polling_policy(c, &o.id)
            })
            .map(|o| o.id.clone())
            .collect();
        return Err(Error::NoTrigger {
            id: id.to_string(),
            connector: c.name.clone(),
            triggers,
        });
    };
    let run = match &op.kind {
        OperationKind::PollingTrigger { mode } => TriggerRun::Polling(mode.clone()),
        OperationKind::WebhookTrigger { .. } => TriggerRun::Webhook,
        // An action that a `pollingtrigger` policy makes a trigger.
        OperationKind::Action { .. } if has_polling_policy(c, &op.id) => {
            TriggerRun::Polling(TriggerMode::Batch)
        }
        // A GET action polled for what is new (a Postman collection has no triggers of its own).
        OperationKind::Action { .. } if op.method == Method::Get && polls_action => {
            TriggerRun::Polling(TriggerMode::Batch)
        }
        OperationKind::Action { .. } => return Err(Error::IsAction(op.id.clone())),
    };
    Ok((op, run))
}

/// The polling trigger of `op` in `mode`, its call made with `params`. A batch trigger's
/// events are the items of an array body, or of its `value`.
pub fn polling_trigger(
    c: &Connector,
    op: &Operation,
    mode: &TriggerMode,
    params: &[String],
) -> Result<DynamicTrigger, Error> {
    let batch = *mode == TriggerMode::Batch;
    let array_body = op
        .responses
        .iter()
        .find(|r| r.status.is_success())
        .and_then(|r| r.schema())
        .is_some_and(|s| c.types.get(c.types.resolve(s)).types == [SchemaType::Array]);
    let call = build(c, op, params, None)?;
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
    Ok(DynamicTrigger { spec, call })
}

/// The schedule: a recurrence (the workflow JSON form), else an interval (`30s`, `5m`, `1h`,
/// `PT15M`; 3 minutes when none is given).
pub fn schedule(recurrence: Option<&str>, every: Option<&str>) -> Result<Every, Error> {
    if let Some(json) = recurrence {
        let v: Value =
            serde_json::from_str(json).map_err(|e| Error::RecurrenceNotJson(e.to_string()))?;
        return Recurrence::from_config(&v)
            .map(Every::Recurrence)
            .map_err(Error::Sdk);
    }
    duration(every.unwrap_or("3m")).map(Every::Interval)
}

/// A duration above zero (`30s`, `5m`, `1h`, `PT15M`): `--every`, and the durations of a host
/// configuration.
pub fn duration(text: &str) -> Result<Duration, Error> {
    let d: jiff::SignedDuration = text.parse().map_err(|e: jiff::Error| Error::Every {
        text: text.to_string(),
        why: e.to_string(),
    })?;
    let d = Duration::try_from(d).map_err(|_| Error::EveryNegative(text.to_string()))?;
    if d.is_zero() {
        return Err(Error::EveryZero);
    }
    Ok(d)
}

/// `PARAM=FIELD` of a cursor.
pub fn parse_cursor(spec: &str) -> Result<(&str, &str), Error> {
    match spec.split_once('=') {
        Some((param, field)) if !param.is_empty() && !field.is_empty() => Ok((param, field)),
        _ => Err(Error::Cursor(spec.to_string())),
    }
}

/// The state database: `path`, else `watch.db` in the store directory. An existing file that
/// is not a state database (empty, a link, a device) is refused ([`Error::StateFile`]).
pub fn open_state(path: Option<&Path>) -> Result<SqliteStore, Error> {
    let path = match path {
        Some(p) => p.to_path_buf(),
        None => connector_sdk::Store::default_dir()
            .map(|d| d.join("watch.db"))
            .map_err(Error::StateFile)?,
    };
    connector_sdk::runtime::check_state_file(&path).map_err(Error::StateFile)?;
    SqliteStore::open(&path).map_err(Error::Sdk)
}

/// Polls `n` times: after each poll the service's Retry-After (0: at once), else the
/// schedule's next time, is waited for.
pub async fn poll_times<F, Fut>(
    poller: &Poller<'_, DynamicTrigger>,
    n: usize,
    schedule: &Every,
    mut handler: F,
) -> Result<(), connector_sdk::Error>
where
    F: FnMut(Value) -> Fut,
    Fut: std::future::Future<Output = Result<(), connector_sdk::Error>>,
{
    let started = jiff::Timestamp::now();
    for i in 0..n {
        let (_, retry_after) = poller.poll_once(&mut handler).await?;
        if i + 1 == n {
            break;
        }
        let wait = retry_after.unwrap_or_else(|| {
            let now = jiff::Timestamp::now();
            schedule
                .next_after(now, started)
                .duration_since(now)
                .try_into()
                .unwrap_or_default()
        });
        tokio::time::sleep(wait).await;
    }
    Ok(())
}

/// `--listen`: an address and port to listen on (`127.0.0.1:8080`, `[::1]:8080`,
/// `localhost:8080`).
pub fn check_listen(listen: &str) -> Result<(), Error> {
    use std::net::ToSocketAddrs;
    match listen.to_socket_addrs().map(|mut a| a.next()) {
        Ok(Some(_)) => Ok(()),
        _ => Err(Error::Listen(listen.to_string())),
    }
}

/// `--public-url`: where the service sends notifications, an http(s) URL with a host and no
/// query, fragment or credentials (the listener adds its path and signature).
pub fn check_public_url(url: &str) -> Result<(), Error> {
    let bad = |why: &'static str| {
        Err(Error::PublicUrl {
            url: url.to_string(),
            why,
        })
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

/// The subscribe request of a webhook trigger: its parameters, and the callback URL where the
/// definition's `x-ms-notification-url` says (a parameter, or a field of the body).
pub fn subscribe_call(
    c: &Connector,
    op: &Operation,
    params: &[String],
    callback: &str,
) -> Result<Call, Error> {
    let mut params = params.to_vec();
    let target = notification_target(op);
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
    let mut call = build(c, op, &params, body)?;
    if let Some((_, rest)) = target.filter(|(_, r)| !r.is_empty()) {
        let path: Vec<&str> = rest.iter().map(String::as_str).collect();
        call.set_body_field(&path, callback);
    }
    Ok(call)
}

/// One event as the line `watch` prints: the trigger, when it was received, the event.
pub fn event_line(trigger: &str, event: &Value) -> Value {
    serde_json::json!({
        "trigger": trigger,
        "received": jiff::Timestamp::now().to_string(),
        "event": event,
    })
}

/// A webhook trigger ready to run: where it listens, the subscription it makes, where its
/// notifications are kept.
pub struct Webhook<'a> {
    /// The client that subscribes and unsubscribes.
    pub client: &'a connector_sdk::Client,
    /// The subscribe request (see [`subscribe_call`]).
    pub call: Call,
    /// The state database: notifications and the subscription.
    pub store: std::sync::Arc<SqliteStore>,
    /// The trigger's name in the state (`connector/operation`).
    pub name: String,
    /// The address to listen on.
    pub listen: &'a str,
    /// The listener's path for this trigger.
    pub path: String,
    /// The callback URL the subscription gives the service.
    pub callback: String,
    /// Signs and checks the callback URL.
    pub signer: connector_sdk::webhook::Signer,
    /// Limits of the listener.
    pub limits: connector_sdk::webhook::ListenerLimits,
    /// Stop after this many events.
    pub max_events: Option<usize>,
}

/// Runs a webhook trigger: the listener started, the subscription made (or kept from the last
/// run when its callback URL is the same), stored notifications delivered in order (each
/// acknowledged once `deliver` returns), and on `stop` the subscription deleted. `note` hears
/// what happens (`Listening on …`, `Subscribed`, …).
pub async fn run_webhook(
    w: Webhook<'_>,
    stop: impl std::future::Future<Output = ()>,
    mut deliver: impl FnMut(&Value) -> Result<(), connector_sdk::Error>,
    mut note: impl FnMut(&str),
) -> Result<(), connector_sdk::Error> {
    use connector_sdk::runtime::StateStore;
    use connector_sdk::webhook::{listener_with, notification, Inbox, Subscription};
    let Webhook {
        client,
        call,
        store,
        name,
        listen,
        path,
        callback,
        signer,
        limits,
        max_events,
    } = w;
    let operation = call.spec.id.clone();
    let mut stop = std::pin::pin!(stop);
    let socket =
        tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| connector_sdk::Error::Request {
                operation: "watch".into(),
                message: format!("cannot listen on {listen}: {e}"),
            })?;
    let inbox = Inbox::start(store.clone());
    let app = listener_with(signer, inbox, name.clone(), path.clone(), &limits);
    let server = tokio::spawn(async move {
        let _ = connector_sdk::webhook::serve_with(socket, app, limits).await;
    });
    note(&format!("Listening on {listen} for {path}"));
    // Subscribe, unless the last run's subscription has this callback URL.
    let kept = store.subscription(&name)?;
    let subscription = match kept {
        Some(s) if s.callback_url == callback => {
            note("Subscribed (kept from the last run)");
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
                origin: None,
            };
            store.set_subscription(&name, Some(&s), None)?;
            note("Subscribed");
            s
        }
    };
    let mut delivered = 0usize;
    let result = loop {
        if max_events.is_some_and(|m| delivered >= m) {
            break Ok(());
        }
        let batch = match store.pending(&name, 256) {
            Ok(b) => b,
            Err(e) => break Err(e),
        };
        if batch.is_empty() {
            tokio::select! {
                _ = stop.as_mut() => {
                    note("stopping");
                    break Ok(());
                }
                _ = tokio::time::sleep(Duration::from_millis(20)) => continue,
            }
        }
        // Delivered first, acknowledged after, a batch at a time: at least once, a crash
        // repeats at most the batch.
        let mut done = Vec::new();
        let mut failed = None;
        for (id, body) in batch {
            if let Err(e) = deliver(&notification(&body)) {
                failed = Some(e);
                break;
            }
            done.push(id);
            delivered += 1;
            if max_events.is_some_and(|m| delivered >= m) {
                break;
            }
        }
        if let Err(e) = store.ack(&name, &done, None) {
            break Err(e);
        }
        if let Some(e) = failed {
            break Err(e);
        }
    };
    // Stop: the subscription is deleted where the service gave a Location.
    if let Some(location) = &subscription.location {
        match client.unsubscribe(operation.clone(), location).await {
            Ok(()) => note("Unsubscribed"),
            Err(e) => note(&format!("warning: could not unsubscribe: {e}")),
        }
    }
    store.set_subscription(&name, None, None)?;
    server.abort();
    result
}
