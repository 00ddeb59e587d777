//! `connector-gen serve status`: each configured trigger as the store has it — its owner and
//! token, its last poll, its next run, how far behind it is, its failures in a row, its dead
//! letters and waiting notifications.

use super::config::HostConfig;
use connector_sdk::runtime::StateStore;
use connector_sdk::Error;
use jiff::Timestamp;
use std::time::Duration;

/// One trigger's state.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TriggerStatus {
    /// Its name.
    pub trigger: String,
    /// The instance holding its lease (`None`: nobody, or the lease ran out).
    pub owner: Option<String>,
    /// The fencing token of the last acquisition.
    pub token: Option<i64>,
    /// When its last poll started.
    pub last_poll: Option<String>,
    /// The last poll's error, when it failed.
    pub last_error: Option<String>,
    /// When it runs next (by its schedule, from the last poll).
    pub next_run: Option<String>,
    /// Seconds since its last successful poll.
    pub lag_seconds: Option<u64>,
    /// Failed polls in a row (the latest ones).
    pub failures: usize,
    /// Events kept as dead letters.
    pub dead_letters: u64,
    /// Webhook notifications stored and not yet delivered.
    pub pending: u64,
}

/// The state of every trigger of `cfg` in `store`.
pub fn status(cfg: &HostConfig, store: &dyn StateStore) -> Result<Vec<TriggerStatus>, Error> {
    let leases = store.leases()?;
    let now = Timestamp::now();
    let mut out = Vec::new();
    for t in &cfg.triggers {
        let lease = leases.iter().find(|l| l.trigger == t.name);
        let history = store.history(&t.name, 100)?;
        let failures = history.iter().take_while(|r| r.error.is_some()).count();
        let last_ok = history.iter().find(|r| r.error.is_none());
        let (_, dead_letters) = store.dead_letters(&t.name, 0)?;
        let pending = store.backlog(&t.name)?;
        out.push(TriggerStatus {
            trigger: t.name.clone(),
            owner: lease
                .filter(|l| l.expires > now)
                .and_then(|l| l.owner.clone()),
            token: lease.map(|l| l.token),
            last_poll: history.first().map(|r| r.started.to_string()),
            last_error: history.first().and_then(|r| r.error.clone()),
            next_run: history
                .first()
                .map(|r| t.schedule.next_after(r.started, r.started).to_string()),
            lag_seconds: last_ok.map(|r| {
                Duration::try_from(now.duration_since(r.started))
                    .unwrap_or_default()
                    .as_secs()
            }),
            failures,
            dead_letters,
            pending,
        });
    }
    Ok(out)
}

/// The status as a table for people.
pub fn table(rows: &[TriggerStatus]) -> String {
    let header = [
        "TRIGGER",
        "OWNER",
        "TOKEN",
        "LAST POLL",
        "NEXT RUN",
        "LAG",
        "FAILURES",
        "DEAD",
        "PENDING",
    ];
    let cells: Vec<[String; 9]> = rows
        .iter()
        .map(|r| {
            [
                r.trigger.clone(),
                r.owner.clone().unwrap_or_else(|| "-".into()),
                r.token.map_or("-".into(), |t| t.to_string()),
                r.last_poll.clone().unwrap_or_else(|| "never".into()),
                r.next_run.clone().unwrap_or_else(|| "-".into()),
                r.lag_seconds.map_or("-".into(), |s| format!("{s}s")),
                r.failures.to_string(),
                r.dead_letters.to_string(),
                r.pending.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cols: &[String]| {
        let mut s = String::new();
        for (i, (c, w)) in cols.iter().zip(widths).enumerate() {
            if i + 1 == cols.len() {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  "));
            }
        }
        s.trim_end().to_string()
    };
    let mut text = line(&header.map(String::from));
    text.push('\n');
    for row in &cells {
        text.push_str(&line(row));
        text.push('\n');
    }
    for r in rows.iter().filter(|r| r.last_error.is_some()) {
        text.push_str(&format!(
            "{}: last poll failed: {}\n",
            r.trigger,
            r.last_error.as_deref().unwrap_or_default()
        ));
    }
    text
}
