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

use crate::trigger::{Trigger, TriggerSpec};
use crate::{Call, Client, Error, Recurrence};
use jiff::Timestamp;
use serde_json::Value;
use std::future::Future;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// What a polling trigger keeps between polls.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TriggerState {
    /// The `Location` to poll next (the trigger's state travels in it).
    pub location: Option<String>,
    /// Whether the first poll (the baseline) was made.
    pub baselined: bool,
    /// For a `pollingtrigger` policy: the query parameters of the next poll (JSON object).
    pub cursor: Option<String>,
}

/// One run of a trigger, for the history.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// When the poll started.
    pub started: Timestamp,
    /// How long it took, handler included.
    pub duration: Duration,
    /// Events delivered.
    pub events: usize,
    /// The error, if the run failed (never a secret: errors carry none).
    pub error: Option<String>,
}

/// Durable state of triggers.
pub trait StateStore: Send + Sync {
    /// The state of `trigger`, if it ran before.
    fn load(&self, trigger: &str) -> Result<Option<TriggerState>, Error>;
    /// Advances `trigger` to `state`, marks `delivered` ids as delivered and records `run`,
    /// all at once or not at all.
    fn commit(
        &self,
        trigger: &str,
        state: &TriggerState,
        delivered: &[String],
        run: &Run,
    ) -> Result<(), Error>;
    /// Records a failed run without touching the state.
    fn record(&self, trigger: &str, run: &Run) -> Result<(), Error>;
    /// Whether the event `id` of `trigger` was delivered.
    fn delivered(&self, trigger: &str, id: &str) -> Result<bool, Error>;
    /// The last `n` runs of `trigger`, newest first.
    fn history(&self, trigger: &str, n: usize) -> Result<Vec<Run>, Error>;
    /// Stores webhook notifications `(trigger, body)` durably, all at once.
    fn enqueue(&self, items: &[(&str, &str)]) -> Result<(), Error>;
    /// Up to `limit` stored notifications of `trigger` not yet delivered, oldest first.
    fn pending(&self, trigger: &str, limit: usize) -> Result<Vec<(i64, String)>, Error>;
    /// Marks stored notifications delivered.
    fn ack(&self, ids: &[i64]) -> Result<(), Error>;
    /// The key that signs callback URLs (made on first use, then kept).
    fn signing_key(&self) -> Result<[u8; 32], Error>;
    /// The webhook subscription of `trigger`.
    fn subscription(&self, trigger: &str) -> Result<Option<crate::webhook::Subscription>, Error>;
    /// Keeps (`Some`) or forgets (`None`) the subscription of `trigger`.
    fn set_subscription(
        &self,
        trigger: &str,
        subscription: Option<&crate::webhook::Subscription>,
    ) -> Result<(), Error>;
}

fn db(e: rusqlite::Error) -> Error {
    Error::State {
        message: format!("the trigger state store failed: {e}"),
    }
}

/// Checks a state file before it is opened: it does not exist (it is created), or it is a
/// regular file with contents. An empty file is refused rather than taken for a new store
/// (the trigger would silently start over); so are a symbolic link, a device or a FIFO (SQLite
/// would write through them).
pub fn check_state_file(path: &Path) -> Result<(), Error> {
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Error::State {
                message: format!("cannot read the state file {}: {e}", path.display()),
            })
        }
        Ok(m) => m,
    };
    if let Some(kind) = crate::files::special_kind(&meta) {
        return Err(Error::State {
            message: format!(
                "the state file {} is {kind}, not a regular file; give the path of a state database (--state FILE)",
                path.display()
            ),
        });
    }
    if meta.len() == 0 {
        return Err(Error::State {
            message: format!(
                "the state file {} is empty (0 bytes): it is not a state database, and taking it for a new one would start the trigger over. Restore it from a copy, or remove it to start over from the beginning (`rm {}`)",
                path.display(),
                path.display()
            ),
        });
    }
    Ok(())
}

/// The SQLite store: one file, WAL journal, synchronous commits.
pub struct SqliteStore {
    conn: Mutex<rusqlite::Connection>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating) the store at `path`; an existing file must be a state database (see
    /// [`check_state_file`]).
    pub fn open(path: &Path) -> Result<SqliteStore, Error> {
        check_state_file(path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::State {
                message: format!("cannot create {}: {e}", dir.display()),
            })?;
        }
        let conn = rusqlite::Connection::open(path).map_err(db)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA busy_timeout = 5000;
             CREATE TABLE IF NOT EXISTS trigger_state (
                 trigger TEXT PRIMARY KEY, location TEXT, baselined INTEGER NOT NULL,
                 cursor TEXT, updated TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS delivered (
                 trigger TEXT NOT NULL, event_id TEXT NOT NULL, at TEXT NOT NULL,
                 PRIMARY KEY (trigger, event_id));
             CREATE TABLE IF NOT EXISTS runs (
                 id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL, started TEXT NOT NULL,
                 duration_ms INTEGER NOT NULL, events INTEGER NOT NULL, error TEXT);
             CREATE TABLE IF NOT EXISTS inbox (
                 id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL, body TEXT NOT NULL,
                 received TEXT NOT NULL, delivered INTEGER NOT NULL DEFAULT 0);
             CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (trigger, delivered, id);
             CREATE TABLE IF NOT EXISTS subscriptions (
                 trigger TEXT PRIMARY KEY, callback_url TEXT NOT NULL, location TEXT,
                 created TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);",
        )
        .map_err(db)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, rusqlite::Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn insert_run(tx: &rusqlite::Connection, trigger: &str, run: &Run) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO runs (trigger, started, duration_ms, events, error) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![
            trigger,
            run.started.to_string(),
            run.duration.as_millis() as i64,
            run.events as i64,
            run.error
        ],
    )
}

impl StateStore for SqliteStore {
    fn load(&self, trigger: &str) -> Result<Option<TriggerState>, Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT location, baselined, cursor FROM trigger_state WHERE trigger = ?1",
            )
            .map_err(db)?;
        let mut rows = stmt.query([trigger]).map_err(db)?;
        match rows.next().map_err(db)? {
            Some(row) => Ok(Some(TriggerState {
                location: row.get(0).map_err(db)?,
                baselined: row.get::<_, i64>(1).map_err(db)? != 0,
                cursor: row.get(2).map_err(db)?,
            })),
            None => Ok(None),
        }
    }

    fn commit(
        &self,
        trigger: &str,
        state: &TriggerState,
        delivered: &[String],
        run: &Run,
    ) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db)?;
        let now = Timestamp::now().to_string();
        tx.execute(
            "INSERT INTO trigger_state (trigger, location, baselined, cursor, updated)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(trigger) DO UPDATE SET location = ?2, baselined = ?3, cursor = ?4, updated = ?5",
            rusqlite::params![trigger, state.location, state.baselined as i64, state.cursor, now],
        )
        .map_err(db)?;
        for id in delivered {
            tx.execute(
                "INSERT OR IGNORE INTO delivered (trigger, event_id, at) VALUES (?1, ?2, ?3)",
                rusqlite::params![trigger, id, now],
            )
            .map_err(db)?;
        }
        insert_run(&tx, trigger, run).map_err(db)?;
        tx.commit().map_err(db)
    }

    fn record(&self, trigger: &str, run: &Run) -> Result<(), Error> {
        insert_run(&self.conn(), trigger, run)
            .map(|_| ())
            .map_err(db)
    }

    fn delivered(&self, trigger: &str, id: &str) -> Result<bool, Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT 1 FROM delivered WHERE trigger = ?1 AND event_id = ?2")
            .map_err(db)?;
        stmt.exists([trigger, id]).map_err(db)
    }

    fn history(&self, trigger: &str, n: usize) -> Result<Vec<Run>, Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT started, duration_ms, events, error FROM runs WHERE trigger = ?1
                 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(rusqlite::params![trigger, n as i64], |row| {
                Ok(Run {
                    started: row
                        .get::<_, String>(0)?
                        .parse()
                        .unwrap_or(Timestamp::UNIX_EPOCH),
                    duration: Duration::from_millis(row.get::<_, i64>(1)? as u64),
                    events: row.get::<_, i64>(2)? as usize,
                    error: row.get(3)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// Stores notifications `(trigger, body)` in one transaction (one fsync for all).
    fn enqueue(&self, items: &[(&str, &str)]) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db)?;
        {
            let now = Timestamp::now().to_string();
            let mut stmt = tx
                .prepare_cached("INSERT INTO inbox (trigger, body, received) VALUES (?1, ?2, ?3)")
                .map_err(db)?;
            for (trigger, body) in items {
                stmt.execute(rusqlite::params![trigger, body, now])
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)
    }

    /// Up to `limit` stored notifications of `trigger` not yet delivered, oldest first.
    fn pending(&self, trigger: &str, limit: usize) -> Result<Vec<(i64, String)>, Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, body FROM inbox WHERE trigger = ?1 AND delivered = 0 ORDER BY id LIMIT ?2",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(rusqlite::params![trigger, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// Marks stored notifications delivered, in one transaction.
    fn ack(&self, ids: &[i64]) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db)?;
        {
            let mut stmt = tx
                .prepare_cached("UPDATE inbox SET delivered = 1 WHERE id = ?1")
                .map_err(db)?;
            for id in ids {
                stmt.execute([id]).map_err(db)?;
            }
        }
        tx.commit().map_err(db)
    }

    /// The webhook signing key (32 random bytes, made on first use).
    fn signing_key(&self) -> Result<[u8; 32], Error> {
        let conn = self.conn();
        let existing: Option<Vec<u8>> = conn
            .query_row(
                "SELECT value FROM meta WHERE name = 'webhook-key'",
                [],
                |r| r.get(0),
            )
            .ok();
        if let Some(k) = existing.and_then(|k| <[u8; 32]>::try_from(k).ok()) {
            return Ok(k);
        }
        // 32 bytes from the operating system's generator.
        use chacha20poly1305::aead::{KeyInit, OsRng};
        let key: [u8; 32] = chacha20poly1305::XChaCha20Poly1305::generate_key(&mut OsRng).into();
        conn.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('webhook-key', ?1)",
            [key.to_vec()],
        )
        .map_err(db)?;
        Ok(key)
    }

    /// The stored subscription of `trigger`.
    fn subscription(&self, trigger: &str) -> Result<Option<crate::webhook::Subscription>, Error> {
        let conn = self.conn();
        let found = conn.query_row(
            "SELECT callback_url, location FROM subscriptions WHERE trigger = ?1",
            [trigger],
            |r| {
                Ok(crate::webhook::Subscription {
                    callback_url: r.get(0)?,
                    location: r.get(1)?,
                })
            },
        );
        match found {
            Ok(s) => Ok(Some(s)),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(db(e)),
        }
    }

    /// Keeps (`Some`) or forgets (`None`) the subscription of `trigger`.
    fn set_subscription(
        &self,
        trigger: &str,
        subscription: Option<&crate::webhook::Subscription>,
    ) -> Result<(), Error> {
        let conn = self.conn();
        match subscription {
            Some(s) => conn.execute(
                "INSERT OR REPLACE INTO subscriptions (trigger, callback_url, location, created)
                 VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![
                    trigger,
                    s.callback_url,
                    s.location,
                    Timestamp::now().to_string()
                ],
            ),
            None => conn.execute("DELETE FROM subscriptions WHERE trigger = ?1", [trigger]),
        }
        .map(|_| ())
        .map_err(db)
    }
}

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
    pub spec: TriggerSpec,
    /// Its request, parameters filled in.
    pub call: Call,
}

impl Trigger for DynamicTrigger {
    type Event = Value;

    fn spec(&self) -> TriggerSpec {
        self.spec
    }

    fn request(&self, _callback_url: Option<&str>) -> Result<Call, Error> {
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

/// Runs a polling trigger: polls on its schedule (or at once when the service says
/// `Retry-After: 0`), hands every event to the handler, and commits the new state only after
/// the handler accepted them all.
pub struct Poller<'a, T: Trigger> {
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
}

/// What [`Poller::on_failure`] keeps.
type FailureObserver<'a> = Box<dyn Fn(&PollFailure) + Send + Sync + 'a>;

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

impl<'a, T: Trigger> Poller<'a, T>
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
        }
    }

    /// Calls `observer` with every failed poll (the poll is made again at its next time; a
    /// program says so where its user sees it).
    pub fn on_failure(mut self, observer: impl Fn(&PollFailure) + Send + Sync + 'a) -> Self {
        self.on_failure = Some(Box::new(observer));
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
        let run = |events, error: Option<String>| Run {
            started,
            duration: clock.elapsed(),
            events,
            error,
        };
        match outcome {
            Ok((next, delivered, handled, wait)) => {
                // The events were handled: a state that cannot be committed would hand them out
                // again at every poll. That is no failed poll but a broken store: said as such.
                self.store
                    .commit(&self.name, &next, &delivered, &run(handled, None))
                    .map_err(|e| Error::State {
                        message: format!(
                            "{}: {handled} event(s) were delivered but the new state cannot be recorded ({e}); stopped so that they are not delivered again and again. Free the disk (or fix the state file) and start again: the next run repeats at most those events",
                            self.name
                        ),
                    })?;
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
        let spec = self.trigger.spec();
        if let Some(template) = self.client.policies().polling(spec.operation.id).cloned() {
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
                let event: T::Event = crate::paging::decode_at(spec.operation.id, value, "")?;
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
        template: &crate::policy::PollingTemplate,
        state: &TriggerState,
        handler: &mut F,
    ) -> Result<Polled, Error>
    where
        F: FnMut(T::Event) -> Fut,
        Fut: Future<Output = Result<(), Error>>,
    {
        let spec = self.trigger.spec();
        let fail = |message: String| Error::Policy {
            operation: spec.operation.id.to_string(),
            template: "pollingtrigger".into(),
            message,
        };
        let mut call = self.trigger.request(None)?;
        let cursor: Vec<(String, String)> = state
            .cursor
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
            .unwrap_or_default();
        for (k, v) in &cursor {
            call.set_query(k, v);
        }
        let response = self.client.send(call).await?;
        let wait = crate::retry::retry_after(&response, std::time::SystemTime::now());
        let body: Value = response.json()?;
        let items = template.events(&body).map_err(fail)?;
        let mut handled = 0;
        if state.baselined {
            for item in items.iter().cloned() {
                let event: T::Event = crate::paging::decode_at(spec.operation.id, item, "")?;
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
            let scheduled = match &self.every {
                Every::Interval(d) => now
                    .checked_add(jiff::SignedDuration::try_from(*d).unwrap_or_default())
                    .unwrap_or(now),
                Every::Recurrence(r) => r.next_after(now, started),
            };
            next = match polled {
                // The service decides when there is more: Retry-After (0 = at once).
                Ok((_, Some(after))) => now
                    .checked_add(jiff::SignedDuration::try_from(after).unwrap_or_default())
                    .unwrap_or(now)
                    .min(scheduled),
                Ok((_, None)) => scheduled,
                Err(e @ Error::State { .. }) => return Err(e),
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
