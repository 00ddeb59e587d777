//! `connector-gen serve`: many triggers in one process, and many such processes on one store.
//! [`config`] reads the host configuration; [`host`] runs the triggers this instance holds the
//! lease of; [`sink`] hands events on; [`metrics`] counts; [`status`] reads a fleet's state.

pub mod config;
pub mod host;
pub mod metrics;
pub mod sink;
pub mod status;

use config::{Listener, StateUrl};
use connector_sdk::runtime::{PostgresStore, SqliteStore, StateStore};
use connector_sdk::webhook::{listener_with, Inbox, ListenerLimits, Signer};
use host::{Kind, Prepared};
use metrics::Metrics;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Opens the store the configuration names (PostgreSQL: connects and applies migrations). With
/// `create` false, a SQLite file that does not exist yet is an error (`serve status` reads a
/// host's state; it does not make one).
pub fn open_store(
    state: &StateUrl,
    create: bool,
) -> Result<Arc<dyn StateStore>, connector_sdk::Error> {
    Ok(match state {
        StateUrl::Sqlite(path) if !create && !path.exists() => {
            return Err(connector_sdk::Error::State {
                message: format!(
                    "no state at {} yet: the host has not run with this configuration",
                    path.display()
                ),
            })
        }
        StateUrl::Sqlite(path) => Arc::new(SqliteStore::open(path)?),
        StateUrl::Postgres(url) => Arc::new(PostgresStore::connect(url)?),
    })
}

/// The listener: `POST /hooks/NAME` for each webhook trigger (stored in the shared inbox,
/// then 202), `GET /healthz` (200 while the store answered within `ttl`, else 503) and
/// `GET /metrics`.
pub fn router(
    prepared: &[Arc<Prepared>],
    signer: &Signer,
    inbox: &Inbox,
    limits: &ListenerLimits,
    metrics: Arc<Metrics>,
    healthy: Arc<AtomicI64>,
    ttl: Duration,
) -> axum::Router {
    use axum::http::StatusCode;
    let mut app = axum::Router::new();
    for p in prepared {
        if let Kind::Webhook { path, .. } = &p.kind {
            app = app.merge(listener_with(
                signer.clone(),
                inbox.clone(),
                p.cfg.name.clone(),
                path.clone(),
                limits,
            ));
        }
    }
    let health = move || {
        let healthy = healthy.clone();
        async move {
            let last = healthy.load(Ordering::Relaxed);
            let age = jiff::Timestamp::now().as_millisecond() - last;
            if last > 0 && age <= ttl.as_millis() as i64 {
                (StatusCode::OK, "ok\n".to_string())
            } else if last == 0 {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "starting: the state store has not answered yet\n".to_string(),
                )
            } else {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!("the state store has not answered for {} s\n", age / 1000),
                )
            }
        }
    };
    let metrics_page = move || {
        let metrics = metrics.clone();
        async move {
            (
                [(
                    "content-type",
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                )],
                metrics.encode(),
            )
        }
    };
    app.route("/healthz", axum::routing::get(health))
        .route("/metrics", axum::routing::get(metrics_page))
}

/// The listener's limits from the configuration.
pub fn limits(listener: &Listener) -> ListenerLimits {
    let mut limits = ListenerLimits::default();
    if let Some(n) = listener.max_connections {
        limits.max_connections = n;
    }
    limits
}
