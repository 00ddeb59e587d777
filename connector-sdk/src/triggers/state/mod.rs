//! Durable state of triggers (feature `runtime`): what a trigger must not lose — its polling
//! state (the last `Location`), delivered event ids, a run history, webhook notifications and
//! subscriptions — behind [`StateStore`], with [`sqlite::SqliteStore`] the embedded default. The
//! trait has no SQLite in it: [`postgres::PostgresStore`] is the store several runtime
//! instances share, with leases (one owner per trigger) and fencing tokens that refuse the
//! writes of an owner that lost its lease.

pub mod postgres;
pub mod sqlite;
#[cfg(test)]
mod suite;

use crate::Error;
use jiff::Timestamp;
use std::path::Path;
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
    /// The lease it ran under: a commit under a lease that is no longer the trigger's (a
    /// newer token was given out) is refused with [`Error::Fenced`]. `None`: no lease (one
    /// process, `connector-gen watch`).
    pub fence: Option<Fence>,
    /// The state the poll started from (its `Location`, or its cursor), for the history.
    pub from: Option<String>,
}

/// A lease held: who holds it and the fencing token it was given (it grows on every
/// acquisition, so a write with an older token is known stale).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// The instance that holds it.
    pub owner: String,
    /// The token of this acquisition.
    pub token: i64,
}

/// A trigger's lease, as the store holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The trigger.
    pub trigger: String,
    /// The instance holding it (`None`: released).
    pub owner: Option<String>,
    /// The token of the last acquisition.
    pub token: i64,
    /// When it runs out unless renewed.
    pub expires: Timestamp,
}

/// An instance that said it is alive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// Its id.
    pub id: String,
    /// When it last said so.
    pub seen: Timestamp,
}

/// An event its sink refused too often, kept for a person to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    /// Its row.
    pub id: i64,
    /// The trigger.
    pub trigger: String,
    /// The event's id (the sink's idempotency key).
    pub event_id: String,
    /// The event, as JSON text.
    pub event: String,
    /// The last refusal.
    pub error: String,
    /// How many times it was tried.
    pub attempts: u32,
    /// When it was given up on.
    pub at: Timestamp,
}

/// Durable state of triggers.
pub trait StateStore: Send + Sync {
    /// The state of `trigger`, if it ran before.
    fn load(&self, trigger: &str) -> Result<Option<TriggerState>, Error>;
    /// Advances `trigger` to `state`, marks `delivered` ids as delivered and records `run`,
    /// all at once or not at all; refused with [`Error::Fenced`] when `run.fence` is not the
    /// trigger's current lease.
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
    /// How many stored notifications of `trigger` are not yet delivered.
    fn backlog(&self, trigger: &str) -> Result<u64, Error>;
    /// Marks stored notifications of `trigger` delivered; refused with [`Error::Fenced`] when
    /// `fence` is not the trigger's current lease.
    fn ack(&self, trigger: &str, ids: &[i64], fence: Option<&Fence>) -> Result<(), Error>;
    /// The key that signs callback URLs (made on first use, then kept).
    fn signing_key(&self) -> Result<[u8; 32], Error>;
    /// The webhook subscription of `trigger`.
    fn subscription(&self, trigger: &str) -> Result<Option<Subscription>, Error>;
    /// Keeps (`Some`) or forgets (`None`) the subscription of `trigger`; refused with
    /// [`Error::Fenced`] when `fence` is not the trigger's current lease.
    fn set_subscription(
        &self,
        trigger: &str,
        subscription: Option<&Subscription>,
        fence: Option<&Fence>,
    ) -> Result<(), Error>;
    /// Every kept subscription, by trigger.
    fn subscriptions(&self) -> Result<Vec<(String, Subscription)>, Error>;

    /// Takes the lease of `trigger` for `owner` for `ttl` when nobody holds it (or its holder
    /// let it run out): the new token, one more than the last. `None` when another holds it.
    fn acquire(&self, trigger: &str, owner: &str, ttl: Duration) -> Result<Option<Fence>, Error>;
    /// Extends a held lease by `ttl`; false when it is no longer held under `fence`.
    fn renew(&self, trigger: &str, fence: &Fence, ttl: Duration) -> Result<bool, Error>;
    /// Gives a held lease up at once (another instance may take it at its next look).
    fn release(&self, trigger: &str, fence: &Fence) -> Result<(), Error>;
    /// Every lease.
    fn leases(&self) -> Result<Vec<Lease>, Error>;
    /// Says `owner` is alive (for `ttl`); returns the instances seen within `ttl`, itself always
    /// included.
    fn heartbeat(&self, owner: &str, ttl: Duration) -> Result<Vec<Instance>, Error>;
    /// Says `owner` is gone.
    fn leave(&self, owner: &str) -> Result<(), Error>;

    /// Keeps an event its sink refused `attempts` times.
    fn dead_letter(&self, trigger: &str, letter: &NewDeadLetter<'_>) -> Result<(), Error>;
    /// The last `n` dead letters of `trigger`, newest first, and how many it has in all.
    fn dead_letters(&self, trigger: &str, n: usize) -> Result<(Vec<DeadLetter>, u64), Error>;
}

/// An event to keep as a dead letter.
#[derive(Debug, Clone, Copy)]
pub struct NewDeadLetter<'a> {
    /// The event's id.
    pub event_id: &'a str,
    /// The event, as JSON text.
    pub event: &'a str,
    /// The last refusal.
    pub error: &'a str,
    /// How many times it was tried.
    pub attempts: u32,
}

/// A new signing key: 32 bytes from the operating system's generator.
pub(crate) fn fresh_key() -> [u8; 32] {
    use chacha20poly1305::aead::{KeyInit, OsRng};
    chacha20poly1305::XChaCha20Poly1305::generate_key(&mut OsRng).into()
}

/// The error of a write under a lease that is no longer the trigger's.
pub fn fenced(trigger: &str, fence: &Fence) -> Error {
    Error::Fenced {
        trigger: trigger.to_string(),
        owner: fence.owner.clone(),
        token: fence.token,
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

/// A subscription the service created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The callback URL it calls.
    pub callback_url: String,
    /// Its `Location`, to delete it.
    pub location: Option<String>,
    /// What the host needs to delete it once the trigger is gone from its configuration
    /// (opaque to the store; `None` for `connector-gen watch`).
    pub origin: Option<String>,
}
