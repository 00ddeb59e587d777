//! Durable state of triggers (feature `runtime`): what a trigger must not lose — its polling
//! state (the last `Location`), delivered event ids, a run history, webhook notifications and
//! subscriptions — behind [`StateStore`], with [`sqlite::SqliteStore`] the embedded default. The
//! trait has no SQLite in it, so a store shared by several runtime instances can implement it.

pub mod sqlite;

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
    fn subscription(&self, trigger: &str) -> Result<Option<Subscription>, Error>;
    /// Keeps (`Some`) or forgets (`None`) the subscription of `trigger`.
    fn set_subscription(
        &self,
        trigger: &str,
        subscription: Option<&Subscription>,
    ) -> Result<(), Error>;
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
}
