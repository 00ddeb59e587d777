//! The PostgreSQL state store: what several runtime instances on several machines share —
//! trigger state, delivered ids, runs, the webhook inbox, subscriptions, the signing key — and
//! the leases that give each trigger one owner at a time. Times of leases and heartbeats are the
//! server's (`now()`), so the instances' clocks need not agree.
//!
//! The [`StateStore`] trait is synchronous (SQLite answers from the calling thread); this store
//! runs its connections on a thread of its own with a small tokio runtime, and each call waits
//! for its answer there, so it may be called from async code as the SQLite store is.

use super::{
    fenced, DeadLetter, Fence, Instance, Lease, NewDeadLetter, Run, StateStore, Subscription,
    TriggerState,
};
use crate::Error;
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use jiff::Timestamp;
use std::future::Future;
use std::time::Duration;
use tokio_postgres::NoTls;

/// The schema, one step per version; `schema_migrations` records what was applied. Steps run
/// under an advisory lock, so instances starting at once apply each step once.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE trigger_state (
        trigger TEXT PRIMARY KEY, location TEXT, baselined BOOLEAN NOT NULL, cursor TEXT,
        updated TIMESTAMPTZ NOT NULL DEFAULT now());
    CREATE TABLE delivered (
        trigger TEXT NOT NULL, event_id TEXT NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (trigger, event_id));
    CREATE TABLE runs (
        id BIGSERIAL PRIMARY KEY, trigger TEXT NOT NULL, started TIMESTAMPTZ NOT NULL,
        duration_ms BIGINT NOT NULL, events BIGINT NOT NULL, error TEXT, owner TEXT,
        token BIGINT, from_state TEXT);
    CREATE INDEX runs_trigger ON runs (trigger, id);
    CREATE TABLE inbox (
        id BIGSERIAL PRIMARY KEY, trigger TEXT NOT NULL, body TEXT NOT NULL,
        received TIMESTAMPTZ NOT NULL DEFAULT now(), delivered BOOLEAN NOT NULL DEFAULT false);
    CREATE INDEX inbox_pending ON inbox (trigger, id) WHERE NOT delivered;
    CREATE TABLE subscriptions (
        trigger TEXT PRIMARY KEY, callback_url TEXT NOT NULL, location TEXT, origin TEXT,
        created TIMESTAMPTZ NOT NULL DEFAULT now());
    CREATE TABLE meta (name TEXT PRIMARY KEY, value BYTEA NOT NULL);
    CREATE TABLE leases (
        trigger TEXT PRIMARY KEY, owner TEXT, token BIGINT NOT NULL, expires TIMESTAMPTZ NOT NULL);
    CREATE TABLE instances (id TEXT PRIMARY KEY, seen TIMESTAMPTZ NOT NULL);
    CREATE TABLE dead_letters (
        id BIGSERIAL PRIMARY KEY, trigger TEXT NOT NULL, event_id TEXT NOT NULL,
        event TEXT NOT NULL, error TEXT NOT NULL, attempts INTEGER NOT NULL,
        at TIMESTAMPTZ NOT NULL DEFAULT now());
    CREATE INDEX dead_letters_trigger ON dead_letters (trigger, id);
"];

/// The advisory lock migrations run under (any constant the project owns).
const MIGRATION_LOCK: i64 = 0x636f_6e6e_6563_746f;

/// A timestamp column as milliseconds since the epoch.
macro_rules! ms {
    ($col:literal) => {
        concat!("(extract(epoch FROM ", $col, ") * 1000)::int8")
    };
}

fn pg(e: impl std::fmt::Display) -> Error {
    Error::State {
        message: format!("the PostgreSQL state store failed: {e}"),
    }
}

/// A `tokio_postgres` error with the server's message, when it sent one.
fn pge(e: tokio_postgres::Error) -> Error {
    match e.as_db_error() {
        Some(d) => pg(format!("{}: {}", d.code().code(), d.message())),
        None => pg(e),
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn timestamp_ms(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The store shared by the instances of a fleet.
pub struct PostgresStore {
    pool: Pool,
    handle: tokio::runtime::Handle,
    /// Ends the connections' thread when the store is dropped.
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

/// A `postgres://` URL without its password, to show.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "(a PostgreSQL URL that does not parse)".into(),
    }
}

/// Whether `url` is a PostgreSQL URL the store can use (nothing is connected to).
pub fn check_url(url: &str) -> Result<(), Error> {
    url.parse::<tokio_postgres::Config>()
        .map(|_| ())
        .map_err(|e| Error::State {
            message: format!("{} is not a PostgreSQL URL: {e}", redact_url(url)),
        })
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/db`), applies the migrations not
    /// yet applied, and returns the store. A server that does not answer within 5 s is an error
    /// that names the URL (without its password).
    pub fn connect(url: &str) -> Result<PostgresStore, Error> {
        let shown = redact_url(url);
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| Error::State {
            message: format!("{shown} is not a PostgreSQL URL: {e}"),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.application_name("connector-gen");
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(pg)?;
        let handle = runtime.handle().clone();
        let pool = {
            let _entered = runtime.enter();
            Pool::builder(manager)
                .max_size(16)
                .runtime(deadpool_postgres::Runtime::Tokio1)
                .wait_timeout(Some(Duration::from_secs(10)))
                .create_timeout(Some(Duration::from_secs(5)))
                .build()
                .map_err(pg)?
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("postgres-store".into())
            .spawn(move || {
                runtime.block_on(async {
                    let _ = stopped.await;
                })
            })
            .map_err(pg)?;
        let store = PostgresStore {
            pool,
            handle,
            _stop: stop,
        };
        store.migrate().map_err(|e| Error::State {
            message: format!("cannot use the state database {shown}: {e}"),
        })?;
        Ok(store)
    }

    /// Runs `fut` on the store's thread and waits for it.
    fn block<T, Fut>(&self, fut: Fut) -> Result<T, Error>
    where
        T: Send + 'static,
        Fut: Future<Output = Result<T, Error>> + Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.handle.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv().map_err(|_| pg("the connection thread stopped"))?
    }

    fn migrate(&self) -> Result<(), Error> {
        let pool = self.pool.clone();
        self.block(async move {
            let mut client = pool.get().await.map_err(pg)?;
            client
                .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
                .await
                .map_err(pge)?;
            let applied = async {
                client
                    .batch_execute(
                        "CREATE TABLE IF NOT EXISTS schema_migrations (
                             version INTEGER PRIMARY KEY,
                             applied TIMESTAMPTZ NOT NULL DEFAULT now())",
                    )
                    .await
                    .map_err(pge)?;
                let row = client
                    .query_one(
                        "SELECT coalesce(max(version), 0) FROM schema_migrations",
                        &[],
                    )
                    .await
                    .map_err(pge)?;
                let done: i32 = row.get(0);
                for (i, step) in MIGRATIONS.iter().enumerate() {
                    let version = i as i32 + 1;
                    if version <= done {
                        continue;
                    }
                    let tx = client.transaction().await.map_err(pge)?;
                    tx.batch_execute(step).await.map_err(pge)?;
                    tx.execute(
                        "INSERT INTO schema_migrations (version) VALUES ($1)",
                        &[&version],
                    )
                    .await
                    .map_err(pge)?;
                    tx.commit().await.map_err(pge)?;
                }
                Ok::<_, Error>(())
            }
            .await;
            let _ = client
                .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
                .await;
            applied
        })
    }

    /// The versions of the schema applied, in order.
    pub fn migrations(&self) -> Result<Vec<i32>, Error> {
        let pool = self.pool.clone();
        self.block(async move {
            let client = pool.get().await.map_err(pg)?;
            let rows = client
                .query(
                    "SELECT version FROM schema_migrations ORDER BY version",
                    &[],
                )
                .await
                .map_err(pge)?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }
}

/// Refused unless `fence` is the current lease of `trigger`; the lease row stays locked until the
/// transaction ends, so a takeover waits for this write (and the write sees the takeover).
async fn holds(
    tx: &deadpool_postgres::Transaction<'_>,
    trigger: &str,
    fence: Option<&Fence>,
) -> Result<(), Error> {
    let Some(f) = fence else { return Ok(()) };
    let row = tx
        .query_opt(
            "SELECT 1 FROM leases WHERE trigger = $1 AND owner = $2 AND token = $3 FOR SHARE",
            &[&trigger, &f.owner, &f.token],
        )
        .await
        .map_err(pge)?;
    match row {
        Some(_) => Ok(()),
        None => Err(fenced(trigger, f)),
    }
}

async fn insert_run(
    c: &impl GenericClient,
    trigger: &str,
    run: &Run,
) -> Result<(), tokio_postgres::Error> {
    let started = run.started.as_millisecond();
    let duration = i64::try_from(run.duration.as_millis()).unwrap_or(i64::MAX);
    let events = run.events as i64;
    let owner = run.fence.as_ref().map(|f| f.owner.clone());
    let token = run.fence.as_ref().map(|f| f.token);
    c.execute(
        "INSERT INTO runs (trigger, started, duration_ms, events, error, owner, token, from_state)
         VALUES ($1, to_timestamp($2::int8 / 1000.0), $3, $4, $5, $6, $7, $8)",
        &[
            &trigger, &started, &duration, &events, &run.error, &owner, &token, &run.from,
        ],
    )
    .await
    .map(|_| ())
}

impl StateStore for PostgresStore {
    fn load(&self, trigger: &str) -> Result<Option<TriggerState>, Error> {
        let (pool, trigger) = (self.pool.clone(), trigger.to_string());
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let row = c
                .query_opt(
                    "SELECT location, baselined, cursor FROM trigger_state WHERE trigger = $1",
                    &[&trigger],
                )
                .await
                .map_err(pge)?;
            Ok(row.map(|r| TriggerState {
                location: r.get(0),
                baselined: r.get(1),
                cursor: r.get(2),
            }))
        })
    }

    fn commit(
        &self,
        trigger: &str,
        state: &TriggerState,
        delivered: &[String],
        run: &Run,
    ) -> Result<(), Error> {
        let (pool, trigger, state, delivered, run) = (
            self.pool.clone(),
            trigger.to_string(),
            state.clone(),
            delivered.to_vec(),
            run.clone(),
        );
        self.block(async move {
            let mut c = pool.get().await.map_err(pg)?;
            let tx = c.transaction().await.map_err(pge)?;
            holds(&tx, &trigger, run.fence.as_ref()).await?;
            tx.execute(
                "INSERT INTO trigger_state (trigger, location, baselined, cursor, updated)
                 VALUES ($1, $2, $3, $4, now())
                 ON CONFLICT (trigger) DO UPDATE SET location = $2, baselined = $3, cursor = $4,
                     updated = now()",
                &[&trigger, &state.location, &state.baselined, &state.cursor],
            )
            .await
            .map_err(pge)?;
            if !delivered.is_empty() {
                tx.execute(
                    "INSERT INTO delivered (trigger, event_id) SELECT $1, unnest($2::text[])
                     ON CONFLICT DO NOTHING",
                    &[&trigger, &delivered],
                )
                .await
                .map_err(pge)?;
            }
            insert_run(&tx, &trigger, &run).await.map_err(pge)?;
            tx.commit().await.map_err(pge)
        })
    }

    fn record(&self, trigger: &str, run: &Run) -> Result<(), Error> {
        let (pool, trigger, run) = (self.pool.clone(), trigger.to_string(), run.clone());
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            insert_run(&c, &trigger, &run).await.map_err(pge)
        })
    }

    fn delivered(&self, trigger: &str, id: &str) -> Result<bool, Error> {
        let (pool, trigger, id) = (self.pool.clone(), trigger.to_string(), id.to_string());
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let row = c
                .query_opt(
                    "SELECT 1 FROM delivered WHERE trigger = $1 AND event_id = $2",
                    &[&trigger, &id],
                )
                .await
                .map_err(pge)?;
            Ok(row.is_some())
        })
    }

    fn history(&self, trigger: &str, n: usize) -> Result<Vec<Run>, Error> {
        let (pool, trigger) = (self.pool.clone(), trigger.to_string());
        let n = n as i64;
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let rows = c
                .query(
                    concat!(
                        "SELECT ",
                        ms!("started"),
                        ", duration_ms, events, error, owner, token, from_state FROM runs
                         WHERE trigger = $1 ORDER BY id DESC LIMIT $2"
                    ),
                    &[&trigger, &n],
                )
                .await
                .map_err(pge)?;
            Ok(rows
                .iter()
                .map(|r| Run {
                    started: timestamp_ms(r.get(0)),
                    duration: Duration::from_millis(r.get::<_, i64>(1).max(0) as u64),
                    events: r.get::<_, i64>(2).max(0) as usize,
                    error: r.get(3),
                    fence: match (r.get::<_, Option<String>>(4), r.get(5)) {
                        (Some(owner), Some(token)) => Some(Fence { owner, token }),
                        _ => None,
                    },
                    from: r.get(6),
                })
                .collect())
        })
    }

    /// Stores notifications in one statement and one transaction (one WAL flush for all).
    fn enqueue(&self, items: &[(&str, &str)]) -> Result<(), Error> {
        let triggers: Vec<String> = items.iter().map(|(t, _)| t.to_string()).collect();
        let bodies: Vec<String> = items.iter().map(|(_, b)| b.to_string()).collect();
        let pool = self.pool.clone();
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let stmt = c
                .prepare_cached(
                    "INSERT INTO inbox (trigger, body) SELECT * FROM unnest($1::text[], $2::text[])",
                )
                .await
                .map_err(pge)?;
            c.execute(&stmt, &[&triggers, &bodies])
                .await
                .map(|_| ())
                .map_err(pge)
        })
    }

    fn pending(&self, trigger: &str, limit: usize) -> Result<Vec<(i64, String)>, Error> {
        let (pool, trigger) = (self.pool.clone(), trigger.to_string());
        let limit = limit as i64;
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let rows = c
                .query(
                    "SELECT id, body FROM inbox WHERE trigger = $1 AND NOT delivered
                     ORDER BY id LIMIT $2",
                    &[&trigger, &limit],
                )
                .await
                .map_err(pge)?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        })
    }

    fn backlog(&self, trigger: &str) -> Result<u64, Error> {
        let (pool, trigger) = (self.pool.clone(), trigger.to_string());
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let n: i64 = c
                .query_one(
                    "SELECT count(*) FROM inbox WHERE trigger = $1 AND NOT delivered",
                    &[&trigger],
                )
                .await
                .map_err(pge)?
                .get(0);
            Ok(n.max(0) as u64)
        })
    }

    fn ack(&self, trigger: &str, ids: &[i64], fence: Option<&Fence>) -> Result<(), Error> {
        let (pool, trigger, ids, fence) = (
            self.pool.clone(),
            trigger.to_string(),
            ids.to_vec(),
            fence.cloned(),
        );
        self.block(async move {
            let mut c = pool.get().await.map_err(pg)?;
            let tx = c.transaction().await.map_err(pge)?;
            holds(&tx, &trigger, fence.as_ref()).await?;
            tx.execute(
                "UPDATE inbox SET delivered = true WHERE trigger = $1 AND id = ANY($2)",
                &[&trigger, &ids],
            )
            .await
            .map_err(pge)?;
            tx.commit().await.map_err(pge)
        })
    }

    /// The key every instance signs callback URLs with: the first instance makes it, the others
    /// read it (a race between two makers keeps one).
    fn signing_key(&self) -> Result<[u8; 32], Error> {
        let fresh = super::fresh_key();
        let pool = self.pool.clone();
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            c.execute(
                "INSERT INTO meta (name, value) VALUES ('webhook-key', $1) ON CONFLICT DO NOTHING",
                &[&fresh.to_vec()],
            )
            .await
            .map_err(pge)?;
            let row = c
                .query_one("SELECT value FROM meta WHERE name = 'webhook-key'", &[])
                .await
                .map_err(pge)?;
            let key: Vec<u8> = row.get(0);
            <[u8; 32]>::try_from(key).map_err(|_| pg("the stored signing key is not 32 bytes"))
        })
    }

    fn subscription(&self, trigger: &str) -> Result<Option<Subscription>, Error> {
        let (pool, trigger) = (self.pool.clone(), trigger.to_string());
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let row = c
                .query_opt(
                    "SELECT callback_url, location, origin FROM subscriptions WHERE trigger = $1",
                    &[&trigger],
                )
                .await
                .map_err(pge)?;
            Ok(row.map(|r| Subscription {
                callback_url: r.get(0),
                location: r.get(1),
                origin: r.get(2),
            }))
        })
    }

    fn set_subscription(
        &self,
        trigger: &str,
        subscription: Option<&Subscription>,
        fence: Option<&Fence>,
    ) -> Result<(), Error> {
        let (pool, trigger, subscription, fence) = (
            self.pool.clone(),
            trigger.to_string(),
            subscription.cloned(),
            fence.cloned(),
        );
        self.block(async move {
            let mut c = pool.get().await.map_err(pg)?;
            let tx = c.transaction().await.map_err(pge)?;
            holds(&tx, &trigger, fence.as_ref()).await?;
            match subscription {
                Some(s) => tx
                    .execute(
                        "INSERT INTO subscriptions (trigger, callback_url, location, origin)
                         VALUES ($1, $2, $3, $4)
                         ON CONFLICT (trigger) DO UPDATE SET callback_url = $2, location = $3,
                             origin = $4, created = now()",
                        &[&trigger, &s.callback_url, &s.location, &s.origin],
                    )
                    .await
                    .map_err(pge)?,
                None => tx
                    .execute("DELETE FROM subscriptions WHERE trigger = $1", &[&trigger])
                    .await
                    .map_err(pge)?,
            };
            tx.commit().await.map_err(pge)
        })
    }

    fn subscriptions(&self) -> Result<Vec<(String, Subscription)>, Error> {
        let pool = self.pool.clone();
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let rows = c
                .query(
                    "SELECT trigger, callback_url, location, origin FROM subscriptions
                     ORDER BY trigger",
                    &[],
                )
                .await
                .map_err(pge)?;
            Ok(rows
                .iter()
                .map(|r| {
                    (
                        r.get(0),
                        Subscription {
                            callback_url: r.get(1),
                            location: r.get(2),
                            origin: r.get(3),
                        },
                    )
                })
                .collect())
        })
    }

    fn acquire(&self, trigger: &str, owner: &str, ttl: Duration) -> Result<Option<Fence>, Error> {
        let (pool, trigger, owner) = (self.pool.clone(), trigger.to_string(), owner.to_string());
        let ttl = millis(ttl);
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let row = c
                .query_opt(
                    "INSERT INTO leases (trigger, owner, token, expires)
                     VALUES ($1, $2, 1, now() + $3::float8 * interval '1 millisecond')
                     ON CONFLICT (trigger) DO UPDATE SET owner = EXCLUDED.owner,
                         token = leases.token + 1, expires = EXCLUDED.expires
                     WHERE leases.owner IS NULL OR leases.expires <= now()
                     RETURNING token",
                    &[&trigger, &owner, &ttl],
                )
                .await
                .map_err(pge)?;
            Ok(row.map(|r| Fence {
                owner,
                token: r.get(0),
            }))
        })
    }

    fn renew(&self, trigger: &str, fence: &Fence, ttl: Duration) -> Result<bool, Error> {
        let (pool, trigger, fence) = (self.pool.clone(), trigger.to_string(), fence.clone());
        let ttl = millis(ttl);
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let n = c
                .execute(
                    "UPDATE leases SET expires = now() + $4::float8 * interval '1 millisecond'
                     WHERE trigger = $1 AND owner = $2 AND token = $3",
                    &[&trigger, &fence.owner, &fence.token, &ttl],
                )
                .await
                .map_err(pge)?;
            Ok(n == 1)
        })
    }

    fn release(&self, trigger: &str, fence: &Fence) -> Result<(), Error> {
        let (pool, trigger, fence) = (self.pool.clone(), trigger.to_string(), fence.clone());
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            c.execute(
                "UPDATE leases SET owner = NULL, expires = now()
                 WHERE trigger = $1 AND owner = $2 AND token = $3",
                &[&trigger, &fence.owner, &fence.token],
            )
            .await
            .map(|_| ())
            .map_err(pge)
        })
    }

    fn leases(&self) -> Result<Vec<Lease>, Error> {
        let pool = self.pool.clone();
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let rows = c
                .query(
                    concat!(
                        "SELECT trigger, owner, token, ",
                        ms!("expires"),
                        " FROM leases ORDER BY trigger"
                    ),
                    &[],
                )
                .await
                .map_err(pge)?;
            Ok(rows
                .iter()
                .map(|r| Lease {
                    trigger: r.get(0),
                    owner: r.get(1),
                    token: r.get(2),
                    expires: timestamp_ms(r.get(3)),
                })
                .collect())
        })
    }

    fn heartbeat(&self, owner: &str, ttl: Duration) -> Result<Vec<Instance>, Error> {
        let (pool, owner) = (self.pool.clone(), owner.to_string());
        let ttl = millis(ttl);
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            c.execute(
                "INSERT INTO instances (id, seen) VALUES ($1, now())
                 ON CONFLICT (id) DO UPDATE SET seen = now()",
                &[&owner],
            )
            .await
            .map_err(pge)?;
            let rows = c
                .query(
                    concat!(
                        "SELECT id, ",
                        ms!("seen"),
                        " FROM instances
                         WHERE seen > now() - $1::float8 * interval '1 millisecond' OR id = $2
                         ORDER BY id"
                    ),
                    &[&ttl, &owner],
                )
                .await
                .map_err(pge)?;
            Ok(rows
                .iter()
                .map(|r| Instance {
                    id: r.get(0),
                    seen: timestamp_ms(r.get(1)),
                })
                .collect())
        })
    }

    fn leave(&self, owner: &str) -> Result<(), Error> {
        let (pool, owner) = (self.pool.clone(), owner.to_string());
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            c.execute("DELETE FROM instances WHERE id = $1", &[&owner])
                .await
                .map(|_| ())
                .map_err(pge)
        })
    }

    fn dead_letter(&self, trigger: &str, letter: &NewDeadLetter<'_>) -> Result<(), Error> {
        let pool = self.pool.clone();
        let (trigger, event_id, event, error) = (
            trigger.to_string(),
            letter.event_id.to_string(),
            letter.event.to_string(),
            letter.error.to_string(),
        );
        let attempts = i32::try_from(letter.attempts).unwrap_or(i32::MAX);
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            c.execute(
                "INSERT INTO dead_letters (trigger, event_id, event, error, attempts)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&trigger, &event_id, &event, &error, &attempts],
            )
            .await
            .map(|_| ())
            .map_err(pge)
        })
    }

    fn dead_letters(&self, trigger: &str, n: usize) -> Result<(Vec<DeadLetter>, u64), Error> {
        let (pool, trigger) = (self.pool.clone(), trigger.to_string());
        let n = n as i64;
        self.block(async move {
            let c = pool.get().await.map_err(pg)?;
            let total: i64 = c
                .query_one(
                    "SELECT count(*) FROM dead_letters WHERE trigger = $1",
                    &[&trigger],
                )
                .await
                .map_err(pge)?
                .get(0);
            let rows = c
                .query(
                    concat!(
                        "SELECT id, event_id, event, error, attempts, ",
                        ms!("at"),
                        " FROM dead_letters WHERE trigger = $1 ORDER BY id DESC LIMIT $2"
                    ),
                    &[&trigger, &n],
                )
                .await
                .map_err(pge)?;
            let letters = rows
                .iter()
                .map(|r| DeadLetter {
                    id: r.get(0),
                    trigger: trigger.clone(),
                    event_id: r.get(1),
                    event: r.get(2),
                    error: r.get(3),
                    attempts: r.get::<_, i32>(4).max(0) as u32,
                    at: timestamp_ms(r.get(5)),
                })
                .collect();
            Ok((letters, total.max(0) as u64))
        })
    }
}
