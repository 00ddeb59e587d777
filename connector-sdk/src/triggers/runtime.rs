//! Running triggers with durable state (feature `runtime`).
//!
//! [`StateStore`] keeps what a trigger must not lose — its polling state (the last `Location`),
//! delivered event ids, and a run history — and [`SqliteStore`] is the embedded default (WAL
//! mode, one file). The trait has no SQLite in it, so a PostgreSQL store shared by several
//! runtime instances can implement it too.
//!
//! Delivery is at least once: a poll's events go to the handler first, and the state advances
//! (the new `Location` is committed) only after every one of them was handled. A process killed
//! at any moment restarts from the last committed state, so events are repeated — at most the
//! batch that was in flight — but never lost.

use crate::http::call::Name;
use crate::triggers::trigger::{RunnableTrigger, TriggerSpec};
use crate::{Call, Client, Error, Recurrence};
use jiff::Timestamp;
use serde_json::Value;
use std::future::Future;
use std::time::Duration;

pub use super::state::postgres::{check_url as check_postgres_url, redact_url, PostgresStore};
pub use super::state::sqlite::SqliteStore;
pub use super::state::{
    check_state_file, DeadLetter, Fence, Instance, Lease, NewDeadLetter, Run, StateStore,
    TriggerState,
};

/// The larger of a cursor and an event's value: numbers as numbers, else as text.
fn larger(current: Option<String>, v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match current {
        None => text,
        Some(cur) => {
            let bigger = match (cur.parse::<f64>(), text.parse::<f64>()) {
                (Ok(a), Ok(b)) => b > a,
                _ => text > cur,
            };
            if bigger {
                text
            } else {
                cur
            }
        }
    }
}

/// A trigger built at run time (for `connector-gen watch`): its spec and its request; events
/// are JSON values.
#[derive(Debug, Clone)]
pub struct DynamicTrigger {
    /// What it is.
    pub spec: TriggerSpec<Name>,
    /// Its request, parameters filled in.
    pub call: Call,
}

impl RunnableTrigger for DynamicTrigger {
    type Event = Value;

    fn trigger_spec(&self) -> TriggerSpec<Name> {
        self.spec.clone()
    }

    fn trigger_request(&self, _callback_url: Option<&str>) -> Result<Call, Error> {
        Ok(self.call.clone())
    }
}

/// What one poll leaves: the next state, the ids delivered, how many events were handled, and
/// the service's `Retry-After`.
type Polled = (TriggerState, Vec<String>, usize, Option<Duration>);

/// When to poll.
#[derive(Debug, Clone)]
pub enum Every {
    /// A fixed interval.
    Interval(Duration),
    /// A recurrence schedule.
    Recurrence(Recurrence),
}

impl Every {
    /// The run after one at `last`: an interval later, or the recurrence's next time after it
    /// (`started`: when the schedule started, for recurrences without a start time).
    pub fn next_after(&self, last: Timestamp, started: Timestamp) -> Timestamp {
        match self {
            Every::Interval(d) => last
                .checked_add(jiff::SignedDuration::try_from(*d).unwrap_or_default())
                .unwrap_or(last),
            Every::Recurrence(r) => r.next_after(last, started),
        }
    }
}

/// Runs a polling trigger: polls on its schedule (or at once when the service says
/// `Retry-After: 0`), hands every event to the handler, and commits the new state only after
/// the handler accepted them all.
pub struct Poller<'a, T: RunnableTrigger> {
    client: &'a Client,
    trigger: T,
    name: String,
    store: &'a dyn StateStore,
    every: Every,
    /// An event property whose value identifies it: events already delivered are skipped
    /// (for plain OpenAPI definitions whose polls return everything each time).
    dedupe_on: Option<String>,
    /// A query parameter set to the largest value of an event field seen so far (for plain
    /// OpenAPI definitions with a "since" parameter): (parameter, field).
    cursor: Option<(String, String)>,
    /// Told of every failed poll.
    on_failure: Option<FailureObserver<'a>>,
    /// Told of every poll committed, with its number of events.
    on_polled: Option<PolledObserver<'a>>,
    /// The lease the poller runs under: its commits are refused once another instance took
    /// the trigger over.
    fence: Option<Fence>,
}

/// What [`Poller::on_failure`] keeps.
type FailureObserver<'a> = Box<dyn Fn(&PollFailure) + Send + Sync + 'a>;

/// What [`Poller::on_polled`] keeps.
type PolledObserver<'a> = Box<dyn Fn(usize) + Send + Sync + 'a>;

/// A poll that failed, for whoever shows it: the runtime retries it at `next`.
#[derive(Debug, Clone)]
pub struct PollFailure {
    /// The trigger's name.
    pub trigger: String,
    /// What went wrong.
    pub error: String,
    /// When the poll is made again.
    pub next: Timestamp,
    /// Polls that failed in a row, this one included.
    pub consecutive: u32,
}

impl<'a, T: RunnableTrigger> Poller<'a, T>
where
    T::Event: serde::Serialize,
{
    /// A poller of `trigger`, its state kept in `store` under `name`.
    pub fn new(
        client: &'a Client,
        trigger: T,
        name: impl Into<String>,
        store: &'a dyn StateStore,
        every: Every,
    ) -> Self {
        Poller {
            client,
            trigger,
            name: name.into(),
            store,
            every,
            dedupe_on: None,
            cursor: None,
            on_failure: None,
            on_polled: None,
            fence: None,
        }
    }

    /// Commits under `fence` (see [`StateStore::commit`]): once the trigger's lease went to
    /// another instance, the poll's commit fails with [`Error::Fenced`] and the run ends.
    pub fn fenced(mut self, fence: Fence) -> Self {
        self.fence = Some(fence);
        self
    }

    /// Calls `observer` with every failed poll (the poll is made again at its next time; a
    /// program says so where its user sees it).
    pub fn on_failure(mut self, observer: impl Fn(&PollFailure) + Send + Sync + 'a) -> Self {
        self.on_failure = Some(Box::new(observer));
        self
    }

    /// Calls `observer` after every poll whose state was committed, with how many events it
    /// delivered (for metrics).
    pub fn on_polled(mut self, observer: impl Fn(usize) + Send + Sync + 'a) -> Self {
        self.on_polled = Some(Box::new(observer));
        self
    }

    /// Sends the query parameter `param` = the largest `field` of the events delivered so far
    /// (numbers compared as numbers, anything else as text); the first poll is the baseline.
    pub fn cursor(mut self, param: impl Into<String>, field: impl Into<String>) -> Self {
        self.cursor = Some((param.into(), field.into()));
        self
    }

    /// Skips events whose `field` value was delivered before (and records the values).
    pub fn dedupe_on(mut self, field: impl Into<String>) -> Self {
        self.dedupe_on = Some(field.into());
        self
    }

    /// One poll: events handled, state committed. Returns how many events were handled and
    /// how long the service asked to wait (`Retry-After`).
    pub async fn poll_once<F, Fut>(
        &self,
        handler: &mut F,
    ) -> Result<(usize, Option<Duration>), Error>
    where
        F: FnMut(T::Event) -> Fut,
        Fut: Future<Output = Result<(), Error>>,
    {
        let started = Timestamp::now();
        let clock = std::time::Instant::now();
        let state = self.store.load(&self.name)?.unwrap_or_default();
        let outcome = self.poll_and_handle(&state, handler).await;
        let from = state.location.clone().or_else(|| state.cursor.clone());
        let run = |events, error: Option<String>| Run {
            started,
            duration: clock.elapsed(),
            events,
            error,
            fence: self.fence.clone(),
            from: from.clone(),
        };
        match outcome {
            Ok((next, delivered, handled, wait)) => {
                // The events were handled: a state that cannot be committed would hand them out
                // again at every poll. That is no failed poll but a broken store: said as such.
                self.store
                    .commit(&self.name, &next, &delivered, &run(handled, None))
                    .map_err(|e| match e {
                        e @ Error::Fenced { .. } => e,
                        e => Error::State {
                        message: format!(
                            "{}: {handled} event(s) were delivered but the new state cannot be recorded ({e}); stopped so that they are not delivered again and again. Free the disk (or fix the state file) and start again: the next run repeats at most those events",
                            self.name
                        ),
                        },
                    })?;
                if let Some(observer) = &self.on_polled {
                    observer(handled);
                }
                Ok((handled, wait))
            }
            Err(e) => {
                let _ = self.store.record(&self.name, &run(0, Some(e.to_string())));
                Err(e)
            }
        }
    }

    async fn poll_and_handle<F, Fut>(
        &self,
        state: &TriggerState,
        handler: &mut F,
    ) -> Result<Polled, Error>
    where
        F: FnMut(T::Event) -> Fut,
        Fut: Future<Output = Result<(), Error>>,
    {
        let spec = self.trigger.trigger_spec();
        if let Some(template) = self.client.policies().polling(&spec.operation.id).cloned() {
            return self.poll_template(&template, state, handler).await;
        }
        let since = state.cursor.clone();
        let poll = self
            .client
            .poll_with(&self.trigger, state.location.as_deref(), |call| {
                if let (Some((param, _)), Some(value)) = (&self.cursor, &since) {
                    call.set_query(param, value);
                }
            })
            .await?;
        let mut cursor = state.cursor.clone();
        let mut delivered = Vec::new();
        let mut handled = 0;
        for value in poll.events {
            let id = self
                .dedupe_on
                .as_deref()
                .and_then(|f| value.get(f))
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
            if let Some(id) = &id {
                if self.store.delivered(&self.name, id)? || delivered.contains(id) {
                    continue;
                }
            }
            if let Some(v) = self.cursor.as_ref().and_then(|(_, f)| value.get(f)) {
                cursor = Some(larger(cursor.take(), v));
            }
            // With dedupe or a cursor, the first poll only records what exists (the baseline).
            let baseline = (self.dedupe_on.is_some() || self.cursor.is_some()) && !state.baselined;
            if !baseline {
                let event: T::Event =
                    crate::http::paging::decode_at(&spec.operation.id, value, "")?;
                handler(event).await?;
                handled += 1;
            }
            delivered.extend(id);
        }
        let next = TriggerState {
            location: poll.location,
            baselined: true,
            cursor,
        };
        Ok((next, delivered, handled, poll.retry_after))
    }

    /// A poll by the connector's `pollingtrigger` policy: the request with the query
    /// parameters computed from the last answer with data; the events at the data path; the
    /// first poll only computes them (the baseline).
    async fn poll_template<F, Fut>(
        &self,
        template: &crate::http::policy::PollingTemplate,
        state: &TriggerState,
        handler: &mut F,
    ) -> Result<Polled, Error>
    where
        F: FnMut(T::Event) -> Fut,
        Fut: Future<Output = Result<(), Error>>,
    {
        let spec = self.trigger.trigger_spec();
        let fail = |e: crate::http::policy::ExpressionError| Error::Policy {
            operation: spec.operation.id.to_string(),
            template: "pollingtrigger".into(),
            message: e.to_string(),
        };
        let mut call = self.trigger.trigger_request(None)?;
        let cursor: Vec<(String, String)> = state
            .cursor
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
            .unwrap_or_default();
        for (k, v) in &cursor {
            call.set_query(k, v);
        }
        let response = self.client.send(call).await?;
        let wait = crate::http::retry::retry_after(&response, std::time::SystemTime::now());
        let body: Value = response.json()?;
        let items = template.events(&body).map_err(fail)?;
        let mut handled = 0;
        if state.baselined {
            for item in items.iter().cloned() {
                let event: T::Event = crate::http::paging::decode_at(&spec.operation.id, item, "")?;
                handler(event).await?;
                handled += 1;
            }
        }
        let cursor = if items.is_empty() {
            state.cursor.clone()
        } else {
            let next = template.next_query(&body).map_err(fail)?;
            Some(serde_json::to_string(&next).unwrap_or_default())
        };
        let next = TriggerState {
            location: None,
            baselined: true,
            cursor,
        };
        Ok((next, Vec::new(), handled, wait))
    }

    /// Polls until `stop` resolves: on the schedule, at once after `Retry-After: 0`, after the
    /// service's `Retry-After` when it gives one. A failed poll (or handler) is recorded, told
    /// to the [`Poller::on_failure`] observer, and retried at the next time; the state does not
    /// advance. A state that cannot be read or committed ([`Error::State`]) ends the run with
    /// that error.
    pub async fn run<F, Fut>(
        &self,
        mut handler: F,
        stop: impl Future<Output = ()>,
    ) -> Result<(), Error>
    where
        F: FnMut(T::Event) -> Fut,
        Fut: Future<Output = Result<(), Error>>,
    {
        let started = Timestamp::now();
        let mut next = match &self.every {
            Every::Interval(_) => started,
            Every::Recurrence(r) => r.first_run(started),
        };
        let mut stop = std::pin::pin!(stop);
        let mut failures = 0u32;
        loop {
            let wait = next
                .duration_since(Timestamp::now())
                .try_into()
                .unwrap_or(Duration::ZERO);
            let sleep = std::pin::pin!(tokio::time::sleep(wait));
            if let futures_util::future::Either::Left(_) =
                futures_util::future::select(stop.as_mut(), sleep).await
            {
                return Ok(());
            }
            let polled = self.poll_once(&mut handler).await;
            let polled_ok = polled.is_ok();
            let now = Timestamp::now();
            let scheduled = self.every.next_after(now, started);
            next = match polled {
                // The service decides when there is more: Retry-After (0 = at once).
                Ok((_, Some(after))) => now
                    .checked_add(jiff::SignedDuration::try_from(after).unwrap_or_default())
                    .unwrap_or(now)
                    .min(scheduled),
                Ok((_, None)) => scheduled,
                Err(e @ (Error::State { .. } | Error::Fenced { .. })) => return Err(e),
                Err(e) => {
                    failures += 1;
                    tracing::warn!(trigger = %self.name, error = %e, "poll failed; retried at the next time");
                    if let Some(observer) = &self.on_failure {
                        observer(&PollFailure {
                            trigger: self.name.clone(),
                            error: e.to_string(),
                            next: scheduled,
                            consecutive: failures,
                        });
                    }
                    scheduled
                }
            };
            if polled_ok {
                failures = 0;
            }
        }
    }
}
