//! What `/metrics` shows, in Prometheus' text format: per trigger, the polls, failures, events
//! delivered, their delivery latency, dead letters and lease changes; per instance, the leases
//! held and the store's failures.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// A trigger.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TriggerLabel {
    /// Its name.
    pub trigger: String,
}

/// A lease change of a trigger.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LeaseLabel {
    /// Its name.
    pub trigger: String,
    /// `acquired`, `lost` or `released`.
    pub change: String,
}

fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// The host's metrics.
pub struct Metrics {
    registry: Registry,
    /// Polls whose state was committed.
    pub polls: Family<TriggerLabel, Counter>,
    /// Polls that failed (the service, the network, the handler).
    pub poll_failures: Family<TriggerLabel, Counter>,
    /// Events their sink accepted.
    pub events: Family<TriggerLabel, Counter>,
    /// Sink attempts refused.
    pub delivery_failures: Family<TriggerLabel, Counter>,
    /// Events kept as dead letters.
    pub dead_letters: Family<TriggerLabel, Counter>,
    /// From the poll's start (or the notification's storing) to the sink's acceptance.
    pub delivery_latency: Family<TriggerLabel, Histogram, fn() -> Histogram>,
    /// Leases acquired, lost and released.
    pub lease_changes: Family<LeaseLabel, Counter>,
    /// Leases this instance holds.
    pub leases_held: Gauge,
    /// Calls to the state store that failed.
    pub store_errors: Counter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut m = Metrics {
            registry: Registry::with_prefix("connector"),
            polls: Family::default(),
            poll_failures: Family::default(),
            events: Family::default(),
            delivery_failures: Family::default(),
            dead_letters: Family::default(),
            delivery_latency: Family::new_with_constructor(latency),
            lease_changes: Family::default(),
            leases_held: Gauge::default(),
            store_errors: Counter::default(),
        };
        let registry = &mut m.registry;
        registry.register("polls", "Polls whose state was committed", m.polls.clone());
        registry.register(
            "poll_failures",
            "Polls that failed",
            m.poll_failures.clone(),
        );
        registry.register(
            "events_delivered",
            "Events their sink accepted",
            m.events.clone(),
        );
        registry.register(
            "delivery_failures",
            "Sink attempts that were refused",
            m.delivery_failures.clone(),
        );
        registry.register(
            "dead_letters",
            "Events kept as dead letters",
            m.dead_letters.clone(),
        );
        registry.register(
            "delivery_latency_seconds",
            "From the poll's start or the notification's arrival to the sink's acceptance",
            m.delivery_latency.clone(),
        );
        registry.register(
            "lease_changes",
            "Leases acquired, lost and released",
            m.lease_changes.clone(),
        );
        registry.register(
            "leases_held",
            "Leases this instance holds",
            m.leases_held.clone(),
        );
        registry.register(
            "store_errors",
            "Calls to the state store that failed",
            m.store_errors.clone(),
        );
        m
    }
}

impl Metrics {
    /// The label of `trigger`.
    pub fn of(trigger: &str) -> TriggerLabel {
        TriggerLabel {
            trigger: trigger.to_string(),
        }
    }

    /// Counts a lease change.
    pub fn lease(&self, trigger: &str, change: &str) {
        self.lease_changes
            .get_or_create(&LeaseLabel {
                trigger: trigger.to_string(),
                change: change.to_string(),
            })
            .inc();
    }

    /// The text format.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}
