//! The SQLite state store: one file, WAL journal, synchronous commits.

use super::{check_state_file, Run, StateStore, Subscription, TriggerState};
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
    fn subscription(&self, trigger: &str) -> Result<Option<Subscription>, Error> {
        let conn = self.conn();
        let found = conn.query_row(
            "SELECT callback_url, location FROM subscriptions WHERE trigger = ?1",
            [trigger],
            |r| {
                Ok(Subscription {
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
        subscription: Option<&Subscription>,
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
