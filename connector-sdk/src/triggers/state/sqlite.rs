//! The SQLite state store: one file, WAL journal, synchronous commits. Several processes on one
//! machine may share the file: leases and fencing work as on PostgreSQL, timed by this
//! machine's clock.

use super::{
    check_state_file, fenced, DeadLetter, Fence, Instance, Lease, NewDeadLetter, Run, StateStore,
    Subscription, TriggerState,
};
use crate::Error;
use jiff::Timestamp;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

fn db(e: rusqlite::Error) -> Error {
    Error::State {
        message: format!("the trigger state store failed: {e}"),
    }
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
        // A file another process is creating this moment is empty for a few milliseconds (its
        // header comes with the first write): looked at again for up to a second before it is
        // refused as empty.
        let mut tries = 0;
        while let Err(e) = check_state_file(path) {
            let empty = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0);
            if !empty || tries == 20 {
                return Err(e);
            }
            tries += 1;
            std::thread::sleep(Duration::from_millis(50));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::State {
                message: format!("cannot create {}: {e}", dir.display()),
            })?;
        }
        let mut conn = rusqlite::Connection::open(path).map_err(db)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA busy_timeout = 5000;",
        )
        .map_err(db)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, rusqlite::Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The schema, one step per version (`PRAGMA user_version` says which were applied); a step
/// runs in the transaction that records it, under SQLite's write lock, so processes opening
/// the file at once apply each step once.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS trigger_state (
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
    "ALTER TABLE runs ADD COLUMN owner TEXT;
     ALTER TABLE runs ADD COLUMN token INTEGER;
     ALTER TABLE runs ADD COLUMN from_state TEXT;
     CREATE INDEX runs_trigger ON runs (trigger, id);
     ALTER TABLE subscriptions ADD COLUMN origin TEXT;
     CREATE TABLE leases (
         trigger TEXT PRIMARY KEY, owner TEXT, token INTEGER NOT NULL, expires_ms INTEGER NOT NULL);
     CREATE TABLE instances (id TEXT PRIMARY KEY, seen_ms INTEGER NOT NULL);
     CREATE TABLE dead_letters (
         id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL, event_id TEXT NOT NULL,
         event TEXT NOT NULL, error TEXT NOT NULL, attempts INTEGER NOT NULL, at TEXT NOT NULL);
     CREATE INDEX dead_letters_trigger ON dead_letters (trigger, id);",
];

fn migrate(conn: &mut rusqlite::Connection) -> Result<(), Error> {
    for (i, step) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        let applied: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)?;
        if applied >= version {
            continue;
        }
        tx.execute_batch(step).map_err(db)?;
        tx.execute_batch(&format!("PRAGMA user_version = {version}"))
            .map_err(db)?;
        tx.commit().map_err(db)?;
    }
    Ok(())
}

fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn timestamp_ms(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Whether `fence` is the current lease of `trigger` (no fence: always).
fn holds(tx: &rusqlite::Connection, trigger: &str, fence: Option<&Fence>) -> Result<(), Error> {
    let Some(f) = fence else { return Ok(()) };
    let held = tx
        .prepare_cached("SELECT 1 FROM leases WHERE trigger = ?1 AND owner = ?2 AND token = ?3")
        .and_then(|mut s| s.exists(rusqlite::params![trigger, f.owner, f.token]))
        .map_err(db)?;
    if held {
        Ok(())
    } else {
        Err(fenced(trigger, f))
    }
}

fn insert_run(tx: &rusqlite::Connection, trigger: &str, run: &Run) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO runs (trigger, started, duration_ms, events, error, owner, token, from_state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            trigger,
            run.started.to_string(),
            run.duration.as_millis() as i64,
            run.events as i64,
            run.error,
            run.fence.as_ref().map(|f| &f.owner),
            run.fence.as_ref().map(|f| f.token),
            run.from,
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
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        holds(&tx, trigger, run.fence.as_ref())?;
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
                "SELECT started, duration_ms, events, error, owner, token, from_state FROM runs
                 WHERE trigger = ?1 ORDER BY id DESC LIMIT ?2",
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
                    fence: match (row.get::<_, Option<String>>(4)?, row.get(5)?) {
                        (Some(owner), Some(token)) => Some(Fence { owner, token }),
                        _ => None,
                    },
                    from: row.get(6)?,
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

    fn backlog(&self, trigger: &str) -> Result<u64, Error> {
        self.conn()
            .query_row(
                "SELECT count(*) FROM inbox WHERE trigger = ?1 AND delivered = 0",
                [trigger],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(db)
    }

    /// Marks stored notifications delivered, in one transaction.
    fn ack(&self, trigger: &str, ids: &[i64], fence: Option<&Fence>) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        holds(&tx, trigger, fence)?;
        {
            let mut stmt = tx
                .prepare_cached("UPDATE inbox SET delivered = 1 WHERE id = ?1 AND trigger = ?2")
                .map_err(db)?;
            for id in ids {
                stmt.execute(rusqlite::params![id, trigger]).map_err(db)?;
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
        let key = super::fresh_key();
        conn.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('webhook-key', ?1)",
            [key.to_vec()],
        )
        .map_err(db)?;
        Ok(key)
    }

    /// The stored subscription of `trigger`.
    fn subscription(&self, trigger: &str) -> Result<Option<Subscription>, Error> {
        let conn = self.conn();
        let found = conn.query_row(
            "SELECT callback_url, location, origin FROM subscriptions WHERE trigger = ?1",
            [trigger],
            |r| {
                Ok(Subscription {
                    callback_url: r.get(0)?,
                    location: r.get(1)?,
                    origin: r.get(2)?,
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
        subscription: Option<&Subscription>,
        fence: Option<&Fence>,
    ) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        holds(&tx, trigger, fence)?;
        match subscription {
            Some(s) => tx.execute(
                "INSERT OR REPLACE INTO subscriptions (trigger, callback_url, location, created, origin)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    trigger,
                    s.callback_url,
                    s.location,
                    Timestamp::now().to_string(),
                    s.origin
                ],
            ),
            None => tx.execute("DELETE FROM subscriptions WHERE trigger = ?1", [trigger]),
        }
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    fn subscriptions(&self) -> Result<Vec<(String, Subscription)>, Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT trigger, callback_url, location, origin FROM subscriptions ORDER BY trigger",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    Subscription {
                        callback_url: r.get(1)?,
                        location: r.get(2)?,
                        origin: r.get(3)?,
                    },
                ))
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    fn acquire(&self, trigger: &str, owner: &str, ttl: Duration) -> Result<Option<Fence>, Error> {
        let now = now_ms();
        let conn = self.conn();
        let token: Option<i64> = conn
            .query_row(
                "INSERT INTO leases (trigger, owner, token, expires_ms) VALUES (?1, ?2, 1, ?3)
                 ON CONFLICT (trigger) DO UPDATE SET owner = ?2, token = leases.token + 1,
                     expires_ms = ?3
                 WHERE leases.owner IS NULL OR leases.expires_ms <= ?4
                 RETURNING token",
                rusqlite::params![trigger, owner, now.saturating_add(ms(ttl)), now],
                |r| r.get(0),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(db(e)),
            })?;
        Ok(token.map(|token| Fence {
            owner: owner.to_string(),
            token,
        }))
    }

    fn renew(&self, trigger: &str, fence: &Fence, ttl: Duration) -> Result<bool, Error> {
        let changed = self
            .conn()
            .execute(
                "UPDATE leases SET expires_ms = ?4 WHERE trigger = ?1 AND owner = ?2 AND token = ?3",
                rusqlite::params![
                    trigger,
                    fence.owner,
                    fence.token,
                    now_ms().saturating_add(ms(ttl))
                ],
            )
            .map_err(db)?;
        Ok(changed == 1)
    }

    fn release(&self, trigger: &str, fence: &Fence) -> Result<(), Error> {
        self.conn()
            .execute(
                "UPDATE leases SET owner = NULL, expires_ms = ?4
                 WHERE trigger = ?1 AND owner = ?2 AND token = ?3",
                rusqlite::params![trigger, fence.owner, fence.token, now_ms()],
            )
            .map(|_| ())
            .map_err(db)
    }

    fn leases(&self) -> Result<Vec<Lease>, Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT trigger, owner, token, expires_ms FROM leases ORDER BY trigger")
            .map_err(db)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Lease {
                    trigger: r.get(0)?,
                    owner: r.get(1)?,
                    token: r.get(2)?,
                    expires: timestamp_ms(r.get(3)?),
                })
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    fn heartbeat(&self, owner: &str, ttl: Duration) -> Result<Vec<Instance>, Error> {
        let now = now_ms();
        let conn = self.conn();
        conn.execute(
            "INSERT INTO instances (id, seen_ms) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET seen_ms = ?2",
            rusqlite::params![owner, now],
        )
        .map_err(db)?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, seen_ms FROM instances WHERE seen_ms > ?1 OR id = ?2 ORDER BY id",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(rusqlite::params![now.saturating_sub(ms(ttl)), owner], |r| {
                Ok(Instance {
                    id: r.get(0)?,
                    seen: timestamp_ms(r.get(1)?),
                })
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    fn leave(&self, owner: &str) -> Result<(), Error> {
        self.conn()
            .execute("DELETE FROM instances WHERE id = ?1", [owner])
            .map(|_| ())
            .map_err(db)
    }

    fn dead_letter(&self, trigger: &str, letter: &NewDeadLetter<'_>) -> Result<(), Error> {
        self.conn()
            .execute(
                "INSERT INTO dead_letters (trigger, event_id, event, error, attempts, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    trigger,
                    letter.event_id,
                    letter.event,
                    letter.error,
                    letter.attempts,
                    Timestamp::now().to_string()
                ],
            )
            .map(|_| ())
            .map_err(db)
    }

    fn dead_letters(&self, trigger: &str, n: usize) -> Result<(Vec<DeadLetter>, u64), Error> {
        let conn = self.conn();
        let total: i64 = conn
            .query_row(
                "SELECT count(*) FROM dead_letters WHERE trigger = ?1",
                [trigger],
                |r| r.get(0),
            )
            .map_err(db)?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, event_id, event, error, attempts, at FROM dead_letters
                 WHERE trigger = ?1 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(rusqlite::params![trigger, n as i64], |r| {
                Ok(DeadLetter {
                    id: r.get(0)?,
                    trigger: trigger.to_string(),
                    event_id: r.get(1)?,
                    event: r.get(2)?,
                    error: r.get(3)?,
                    attempts: r.get(4)?,
                    at: r
                        .get::<_, String>(5)?
                        .parse()
                        .unwrap_or(Timestamp::UNIX_EPOCH),
                })
            })
            .map_err(db)?;
        let letters = rows.collect::<Result<_, _>>().map_err(db)?;
        Ok((letters, total as u64))
    }
}
