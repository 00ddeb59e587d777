//! The host: every instance of a fleet runs this loop on the same configuration and store.
//!
//! Each `renew` interval an instance says it is alive (a heartbeat row), renews the leases it
//! holds, and compares what it holds with its fair share — the triggers divided by the
//! instances alive, rounded up. Above it, it gives leases back (their triggers stop here and
//! are taken by an instance below its share at its next look); below it, it takes free or
//! expired leases, each with a new fencing token. A trigger runs only on the instance holding
//! its lease, and every write of its state carries the token: once another instance took the
//! trigger over, the old owner's writes are refused, and its run ends.
//!
//! A dead instance's leases run out after `ttl`; the others see it gone (its heartbeat is as
//! old) and take them at their next look: a hand-over within `ttl + renew`. SIGTERM gives every
//! lease back at once, so a restart hands over within one `renew`.

use super::config::{At, ConfigError, HostConfig, LeaseTimes, TriggerConfig};
use super::metrics::Metrics;
use super::sink::{backoff, Sink};
use crate::run::call::{client_for, load_one};
use crate::run::watch::{find_trigger, polling_trigger, subscribe_call, TriggerRun};
use connector_sdk::runtime::{DynamicTrigger, Fence, NewDeadLetter, Poller, StateStore};
use connector_sdk::webhook::{notification, Signer, Subscription};
use connector_sdk::{Call, Client, Error};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How a prepared trigger runs.
pub enum Kind {
    /// Polled on its schedule.
    Polling(DynamicTrigger),
    /// Subscribed to once; notifications arrive at the listener.
    Webhook {
        /// The subscribe request, the callback URL in it.
        call: Call,
        /// The listener's path for it.
        path: String,
        /// The callback URL.
        callback: String,
    },
}

/// A trigger ready to run: its connector loaded, its request built, its sink set up.
pub struct Prepared {
    /// Its configuration.
    pub cfg: TriggerConfig,
    /// How it runs.
    pub kind: Kind,
    /// Its client (connection, retry policy, policies).
    pub client: Client,
    /// Where its events go.
    pub sink: Sink,
}

/// What a subscription row keeps so that any instance can delete it once its trigger is gone
/// from the configuration.
#[derive(serde::Serialize, serde::Deserialize)]
struct Origin {
    connector: std::path::PathBuf,
    operation: String,
    connection: Option<std::path::PathBuf>,
    retry: Option<String>,
}

/// The listener's path of trigger `name`.
pub fn hook_path(name: &str) -> String {
    format!("/hooks/{name}")
}

fn at(cfg: &HostConfig, place: At, message: String) -> ConfigError {
    ConfigError {
        file: cfg.file.clone(),
        line: place.line,
        column: place.column,
        message,
    }
}

/// Loads every trigger's connector and builds its request, client and sink; what cannot be is
/// reported at the configuration value it comes from. `signer` signs webhook callback URLs
/// (`--check` passes any: nothing is subscribed). Warnings (policy templates not applied) are
/// returned beside.
pub fn prepare(
    cfg: &HostConfig,
    signer: &Signer,
    load: &crate::load::LoadOptions,
) -> (Vec<Prepared>, Vec<ConfigError>, Vec<String>) {
    let (mut ready, mut errors, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    for t in &cfg.triggers {
        let c = match load_one(&t.connector, load) {
            Ok(c) => c,
            Err(e) => {
                errors.push(at(cfg, t.at.connector, format!("connector: {e}")));
                continue;
            }
        };
        let polls_action = t.dedupe_on.is_some() || t.cursor.is_some();
        let (op, run) = match find_trigger(&c, &t.operation, polls_action) {
            Ok(found) => found,
            Err(e) => {
                errors.push(at(cfg, t.at.operation, e.to_string()));
                continue;
            }
        };
        let kind = match run {
            TriggerRun::Polling(mode) => {
                polling_trigger(&c, op, &mode, &t.params).map(Kind::Polling)
            }
            TriggerRun::Webhook => {
                let Some(listener) = &cfg.listener else {
                    errors.push(at(
                        cfg,
                        t.at.operation,
                        format!("`{}` is a webhook trigger: add a [listener] with `addr` (and `public_url`, where services reach it)", op.id),
                    ));
                    continue;
                };
                let path = hook_path(&t.name);
                let callback = signer.callback_url(&listener.public_url, &path);
                subscribe_call(&c, op, &t.params, &callback).map(|call| Kind::Webhook {
                    call,
                    path,
                    callback,
                })
            }
        };
        let kind = match kind {
            Ok(k) => k,
            Err(e) => {
                errors.push(at(cfg, t.at.params, e.to_string().replace("--param ", "")));
                continue;
            }
        };
        let client = match client_for(&c, t.connection.as_deref(), t.retry.as_deref()) {
            Ok((client, not_applied)) => {
                for what in not_applied {
                    warnings.push(format!(
                        "{}: policy template {what}; it is not applied",
                        t.name
                    ));
                }
                client
            }
            Err(e) => {
                errors.push(at(cfg, t.at.connection, format!("connection: {e}")));
                continue;
            }
        };
        let sink = match Sink::new(&t.sink) {
            Ok(s) => s,
            Err(e) => {
                errors.push(at(cfg, t.at.name, e.to_string()));
                continue;
            }
        };
        ready.push(Prepared {
            cfg: t.clone(),
            kind,
            client,
            sink,
        });
    }
    (ready, errors, warnings)
}

/// The id of an event: its `dedupe_on` value, else a digest of the trigger and the event (a
/// repeated delivery of the same event carries the same id).
pub fn event_id(trigger: &str, dedupe_on: Option<&str>, event: &Value) -> String {
    if let Some(v) = dedupe_on.and_then(|f| event.get(f)) {
        return match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
    }
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(trigger.as_bytes());
    h.update([0]);
    h.update(event.to_string().as_bytes());
    super::sink::hex(&h.finalize()[..16])
}

/// Hands one event to the trigger's sink, its attempts spaced out; after the last refusal the
/// event is kept as a dead letter. `Err` only when the dead letter cannot be kept either: then
/// the event is not delivered and its poll is not committed.
async fn deliver(
    p: &Prepared,
    store: &dyn StateStore,
    metrics: &Metrics,
    id: &str,
    event: &Value,
    since: Instant,
) -> Result<(), Error> {
    let name = &p.cfg.name;
    let mut line = crate::run::watch::event_line(name, event);
    line["id"] = Value::from(id);
    let line = line.to_string();
    let label = Metrics::of(name);
    let mut last = String::new();
    for attempt in 1..=p.cfg.attempts {
        if attempt > 1 {
            tokio::time::sleep(backoff(attempt)).await;
        }
        match p.sink.deliver_once(&line, id).await {
            Ok(()) => {
                metrics.events.get_or_create(&label).inc();
                metrics
                    .delivery_latency
                    .get_or_create(&label)
                    .observe(since.elapsed().as_secs_f64());
                return Ok(());
            }
            Err(e) => {
                metrics.delivery_failures.get_or_create(&label).inc();
                tracing::warn!(trigger = %name, event = %id, attempt, of = p.cfg.attempts, error = %e, "the sink refused an event");
                last = e;
            }
        }
    }
    store.dead_letter(
        name,
        &NewDeadLetter {
            event_id: id,
            event: &event.to_string(),
            error: &last,
            attempts: p.cfg.attempts,
        },
    )?;
    metrics.dead_letters.get_or_create(&label).inc();
    tracing::error!(trigger = %name, event = %id, error = %last, "the sink refused the event {} times: kept as a dead letter (`connector-gen serve status`)", p.cfg.attempts);
    Ok(())
}

/// How a trigger's run on this instance ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Asked to stop.
    Stopped,
    /// Its lease went to another instance (a write was refused).
    Lost,
}

async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Waits `d`, or less when stopped; true when stopped.
async fn pause(d: Duration, stop: &watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => false,
        _ = stopped(stop.clone()) => true,
    }
}

/// A store call failed (the database is down or cut off): said, counted, and the caller waits
/// the growing pause before trying again.
fn store_failed(metrics: &Metrics, trigger: &str, e: &Error, wait: Duration) {
    metrics.store_errors.inc();
    tracing::warn!(trigger = %trigger, error = %e, retry_in = ?wait, "the state store failed; trying again");
}

/// Runs a polling trigger under `fence` until stopped or fenced off.
async fn run_polling(
    p: Arc<Prepared>,
    trigger: DynamicTrigger,
    store: Arc<dyn StateStore>,
    fence: Fence,
    stop: watch::Receiver<bool>,
    metrics: Arc<Metrics>,
) -> End {
    let name = p.cfg.name.clone();
    let mut wait = Duration::from_secs(1);
    loop {
        let failures = metrics.clone();
        let polled = metrics.clone();
        let label = Metrics::of(&name);
        let label2 = label.clone();
        let mut poller = Poller::new(
            &p.client,
            trigger.clone(),
            name.clone(),
            &*store,
            p.cfg.schedule.clone(),
        )
        .fenced(fence.clone())
        .on_failure(move |f| {
            failures.poll_failures.get_or_create(&label).inc();
            tracing::warn!(trigger = %f.trigger, consecutive = f.consecutive, next = %f.next, error = %f.error, "poll failed");
        })
        .on_polled(move |_| {
            polled.polls.get_or_create(&label2).inc();
        });
        if let Some(f) = &p.cfg.dedupe_on {
            poller = poller.dedupe_on(f.clone());
        }
        if let Some((param, field)) = &p.cfg.cursor {
            poller = poller.cursor(param.clone(), field.clone());
        }
        let started = Instant::now();
        let handler = |event: Value| {
            let (p, store, metrics) = (p.clone(), store.clone(), metrics.clone());
            async move {
                let id = event_id(&p.cfg.name, p.cfg.dedupe_on.as_deref(), &event);
                deliver(&p, &*store, &metrics, &id, &event, started).await
            }
        };
        match poller.run(handler, stopped(stop.clone())).await {
            Ok(()) => return End::Stopped,
            Err(Error::Fenced { .. }) => return End::Lost,
            Err(e) => {
                store_failed(&metrics, &name, &e, wait);
                if pause(wait, &stop).await {
                    return End::Stopped;
                }
                wait = (wait * 2).min(Duration::from_secs(30));
            }
        }
    }
}

/// Makes (or keeps) the subscription of a webhook trigger: one per trigger, whichever
/// instance holds it; `Err(End)` when stopped or fenced off first.
async fn subscribe(
    p: &Prepared,
    call: &Call,
    callback: &str,
    store: &dyn StateStore,
    fence: &Fence,
    stop: &watch::Receiver<bool>,
    metrics: &Metrics,
) -> Result<(), End> {
    let name = &p.cfg.name;
    let origin = serde_json::to_string(&Origin {
        connector: std::path::absolute(&p.cfg.connector).unwrap_or(p.cfg.connector.clone()),
        operation: p.cfg.operation.clone(),
        connection: p.cfg.connection.clone(),
        retry: p.cfg.retry.clone(),
    })
    .ok();
    let mut wait = Duration::from_secs(1);
    loop {
        let attempt: Result<(), Error> = async {
            match store.subscription(name)? {
                Some(s) if s.callback_url == callback => {
                    tracing::info!(trigger = %name, "subscribed (kept)");
                    return Ok(());
                }
                Some(old) => {
                    if let Some(location) = &old.location {
                        let _ = p.client.unsubscribe(call.spec.id.clone(), location).await;
                    }
                }
                None => {}
            }
            let response = p.client.send(call.clone()).await?;
            let s = Subscription {
                callback_url: callback.to_string(),
                location: response.header("location").map(str::to_string),
                origin: origin.clone(),
            };
            store.set_subscription(name, Some(&s), Some(fence))?;
            tracing::info!(trigger = %name, "subscribed");
            Ok(())
        }
        .await;
        match attempt {
            Ok(()) => return Ok(()),
            Err(Error::Fenced { .. }) => return Err(End::Lost),
            Err(e) => {
                metrics
                    .poll_failures
                    .get_or_create(&Metrics::of(name))
                    .inc();
                tracing::warn!(trigger = %name, error = %e, retry_in = ?wait, "cannot subscribe; trying again");
                if pause(wait, stop).await {
                    return Err(End::Stopped);
                }
                wait = (wait * 2).min(Duration::from_secs(60));
            }
        }
    }
}

/// Runs a webhook trigger under `fence`: its subscription, then its stored notifications
/// delivered in order and acknowledged under the fence, a batch at a time.
async fn run_webhook(
    p: Arc<Prepared>,
    store: Arc<dyn StateStore>,
    fence: Fence,
    stop: watch::Receiver<bool>,
    metrics: Arc<Metrics>,
) -> End {
    let Kind::Webhook { call, callback, .. } = &p.kind else {
        return End::Stopped;
    };
    if let Err(end) = subscribe(&p, call, callback, &*store, &fence, &stop, &metrics).await {
        return end;
    }
    let name = &p.cfg.name;
    let mut wait = Duration::from_millis(500);
    loop {
        if *stop.borrow() {
            return End::Stopped;
        }
        let batch = match store.pending(name, 256) {
            Ok(b) => b,
            Err(e) => {
                store_failed(&metrics, name, &e, wait);
                if pause(wait, &stop).await {
                    return End::Stopped;
                }
                wait = (wait * 2).min(Duration::from_secs(30));
                continue;
            }
        };
        if batch.is_empty() {
            if pause(Duration::from_millis(20), &stop).await {
                return End::Stopped;
            }
            continue;
        }
        let since = Instant::now();
        let mut done = Vec::with_capacity(batch.len());
        let mut failed = None;
        for (id, body) in &batch {
            let event = notification(body);
            let event_id = format!("{name}:{id}");
            match deliver(&p, &*store, &metrics, &event_id, &event, since).await {
                Ok(()) => done.push(*id),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        match store.ack(name, &done, Some(&fence)) {
            Ok(()) => {}
            Err(Error::Fenced { .. }) => return End::Lost,
            Err(e) => failed = Some(e),
        }
        if let Some(e) = failed {
            store_failed(&metrics, name, &e, wait);
            if pause(wait, &stop).await {
                return End::Stopped;
            }
            wait = (wait * 2).min(Duration::from_secs(30));
        } else {
            wait = Duration::from_millis(500);
        }
    }
}

/// A trigger this instance runs.
struct Held {
    fence: Fence,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<End>,
}

/// The host of one instance.
pub struct Host {
    /// The triggers of the configuration.
    pub prepared: Vec<Arc<Prepared>>,
    /// The shared store.
    pub store: Arc<dyn StateStore>,
    /// This instance's id (in leases, heartbeats and runs).
    pub owner: String,
    /// Lease times.
    pub lease: LeaseTimes,
    /// Its metrics.
    pub metrics: Arc<Metrics>,
    /// When the store last answered (milliseconds since the epoch), for `/healthz`.
    pub healthy: Arc<AtomicI64>,
}

/// Runs `f` on the store from a thread that may block (a database that does not answer must
/// not stall the listener).
async fn blocking<T: Send + 'static>(
    store: &Arc<dyn StateStore>,
    f: impl FnOnce(&dyn StateStore) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(&*store))
        .await
        .unwrap_or_else(|e| {
            Err(Error::State {
                message: format!("a store call did not finish: {e}"),
            })
        })
}

/// An instance id: the host name, the process id and a random part.
pub fn instance_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    // RandomState is seeded from the operating system's generator.
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish() as u16;
    format!("{host}-{}-{random:04x}", std::process::id())
}

impl Host {
    fn spawn(&self, p: &Arc<Prepared>, fence: Fence) -> Held {
        let (stop, stopped) = watch::channel(false);
        let (p, store, metrics) = (p.clone(), self.store.clone(), self.metrics.clone());
        let f = fence.clone();
        let task = match &p.kind {
            Kind::Polling(t) => {
                let t = t.clone();
                tokio::spawn(run_polling(p, t, store, f, stopped, metrics))
            }
            Kind::Webhook { .. } => tokio::spawn(run_webhook(p, store, f, stopped, metrics)),
        };
        Held { fence, stop, task }
    }

    /// Stops a held trigger and waits (a little) for its run to end.
    async fn stop_one(held: Held) {
        let _ = held.stop.send(true);
        let mut task = held.task;
        if tokio::time::timeout(Duration::from_secs(10), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }

    /// Deletes the subscriptions of webhook triggers no longer in the configuration (one
    /// instance does it: it holds the gone trigger's lease meanwhile).
    async fn remove_gone(&self, load: &crate::load::LoadOptions) {
        let names: Vec<&str> = self.prepared.iter().map(|p| p.cfg.name.as_str()).collect();
        let subs = match blocking(&self.store, |s| s.subscriptions()).await {
            Ok(s) => s,
            Err(e) => {
                store_failed(&self.metrics, "-", &e, Duration::ZERO);
                return;
            }
        };
        for (trigger, sub) in subs {
            if names.contains(&trigger.as_str()) {
                continue;
            }
            let (t, owner, ttl) = (trigger.clone(), self.owner.clone(), self.lease.ttl);
            let Ok(Some(fence)) = blocking(&self.store, move |s| s.acquire(&t, &owner, ttl)).await
            else {
                continue;
            };
            let origin: Option<Origin> = sub
                .origin
                .as_deref()
                .and_then(|o| serde_json::from_str(o).ok());
            let deleted = match (&origin, &sub.location) {
                (_, None) => Ok(()),
                (None, Some(_)) => {
                    Err("its subscription row does not say how to reach the service".to_string())
                }
                (Some(o), Some(location)) => {
                    match load_one(&o.connector, load)
                        .map_err(|e| e.to_string())
                        .and_then(|c| {
                            client_for(&c, o.connection.as_deref(), o.retry.as_deref())
                                .map(|(client, _)| client)
                                .map_err(|e| e.to_string())
                        }) {
                        Ok(client) => client
                            .unsubscribe(o.operation.clone(), location)
                            .await
                            .map_err(|e| e.to_string()),
                        Err(e) => Err(e),
                    }
                }
            };
            match deleted {
                Ok(()) => {
                    let (t, f) = (trigger.clone(), fence.clone());
                    let _ = blocking(&self.store, move |s| s.set_subscription(&t, None, Some(&f)))
                        .await;
                    tracing::info!(trigger = %trigger, "the trigger left the configuration: its subscription was deleted");
                }
                Err(e) => {
                    tracing::warn!(trigger = %trigger, error = %e, "the trigger left the configuration but its subscription could not be deleted; tried again at the next start")
                }
            }
            let t = trigger.clone();
            let _ = blocking(&self.store, move |s| s.release(&t, &fence)).await;
        }
    }

    /// Runs until `stop` resolves: then every trigger stops, every lease is given back and the
    /// instance says it is gone.
    pub async fn run(self, stop: impl Future<Output = ()>, load: &crate::load::LoadOptions) {
        let mut stop = std::pin::pin!(stop);
        let mut held: BTreeMap<String, Held> = BTreeMap::new();
        let by_name: HashMap<String, Arc<Prepared>> = self
            .prepared
            .iter()
            .map(|p| (p.cfg.name.clone(), p.clone()))
            .collect();
        let total = self.prepared.len();
        // Each instance looks at the triggers from its own place in the list, so that
        // instances starting together do not all race for the same leases first.
        let offset = self
            .owner
            .bytes()
            .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize))
            % total.max(1);
        let mut removed_checked = false;
        let mut first = true;
        loop {
            if !first {
                tokio::select! {
                    _ = stop.as_mut() => break,
                    _ = tokio::time::sleep(self.lease.renew) => {}
                }
            }
            first = false;
            // Runs that ended by themselves: their lease was taken over.
            let ended: Vec<String> = held
                .iter()
                .filter(|(_, h)| h.task.is_finished())
                .map(|(n, _)| n.clone())
                .collect();
            for name in ended {
                if let Some(h) = held.remove(&name) {
                    let end = h.task.await.unwrap_or(End::Lost);
                    if end == End::Lost {
                        self.metrics.lease(&name, "lost");
                        tracing::warn!(trigger = %name, token = h.fence.token, "the lease was taken over; the trigger stopped here");
                    }
                }
            }
            let (owner, ttl) = (self.owner.clone(), self.lease.ttl);
            let alive = match blocking(&self.store, move |s| s.heartbeat(&owner, ttl)).await {
                Ok(a) => a.len().max(1),
                Err(e) => {
                    store_failed(&self.metrics, "-", &e, self.lease.renew);
                    continue;
                }
            };
            self.healthy
                .store(jiff::Timestamp::now().as_millisecond(), Ordering::Relaxed);
            if !removed_checked {
                self.remove_gone(load).await;
                removed_checked = true;
            }
            // Renew what is held; what cannot be renewed was taken over.
            let names: Vec<String> = held.keys().cloned().collect();
            for name in names {
                let fence = held[&name].fence.clone();
                let (n, ttl) = (name.clone(), self.lease.ttl);
                match blocking(&self.store, move |s| s.renew(&n, &fence, ttl)).await {
                    Ok(true) => {}
                    Ok(false) => {
                        if let Some(h) = held.remove(&name) {
                            Self::stop_one(h).await;
                        }
                        self.metrics.lease(&name, "lost");
                        tracing::warn!(trigger = %name, "the lease was taken over; the trigger stopped here");
                    }
                    Err(e) => store_failed(&self.metrics, &name, &e, self.lease.renew),
                }
            }
            let fair = total.div_ceil(alive);
            // Above the fair share: give the last ones back.
            while held.len() > fair {
                let Some(name) = held.keys().next_back().cloned() else {
                    break;
                };
                if let Some(h) = held.remove(&name) {
                    let fence = h.fence.clone();
                    Self::stop_one(h).await;
                    let n = name.clone();
                    let _ = blocking(&self.store, move |s| s.release(&n, &fence)).await;
                    self.metrics.lease(&name, "released");
                    tracing::info!(trigger = %name, alive, fair, "lease given back to balance the instances");
                }
            }
            // Below it: take free or expired leases.
            for i in 0..total {
                if held.len() >= fair {
                    break;
                }
                let p = &self.prepared[(offset + i) % total];
                if held.contains_key(&p.cfg.name) {
                    continue;
                }
                let (n, owner, ttl) = (p.cfg.name.clone(), self.owner.clone(), self.lease.ttl);
                match blocking(&self.store, move |s| s.acquire(&n, &owner, ttl)).await {
                    Ok(Some(fence)) => {
                        self.metrics.lease(&p.cfg.name, "acquired");
                        tracing::info!(trigger = %p.cfg.name, token = fence.token, "lease acquired; the trigger runs here");
                        held.insert(p.cfg.name.clone(), self.spawn(&by_name[&p.cfg.name], fence));
                    }
                    Ok(None) => {}
                    Err(e) => {
                        store_failed(&self.metrics, &p.cfg.name, &e, self.lease.renew);
                        break;
                    }
                }
            }
            self.metrics.leases_held.set(held.len() as i64);
        }
        // Stop: every run ends, every lease goes back at once (a fast hand-over).
        tracing::info!(leases = held.len(), "stopping: giving every lease back");
        for (name, h) in std::mem::take(&mut held) {
            let fence = h.fence.clone();
            Self::stop_one(h).await;
            let n = name.clone();
            if let Err(e) = blocking(&self.store, move |s| s.release(&n, &fence)).await {
                tracing::warn!(trigger = %name, error = %e, "cannot give the lease back; it runs out by itself");
            }
        }
        let owner = self.owner.clone();
        let _ = blocking(&self.store, move |s| s.leave(&owner)).await;
    }
}
