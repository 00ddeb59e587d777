//! Triggers as values: what a generated trigger type tells the runtime, and one poll.
//!
//! A generated crate has one type per trigger, holding the trigger's parameters and
//! implementing [`Trigger`]; the runtime (polling on a schedule, or subscribing a webhook and
//! receiving its notifications) runs any `Trigger`.

use crate::http::call::{Call, Name, OperationSpec};
use crate::http::client::Client;
use crate::http::paging::{decode_at, decode_items};
use crate::http::response::Response;
use crate::http::retry::retry_after;
use crate::Error;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// How the runtime learns of new data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerKind {
    /// The runtime calls the operation on a schedule.
    Polling,
    /// The runtime registers a callback URL with the operation and is called.
    Webhook,
}

/// How a response becomes events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerMode {
    /// One event per response (or notification).
    Single,
    /// One event per item of the response.
    Batch,
}

/// What the runtime needs to know of a trigger: `&'static str`s in generated code (the
/// default), [`Name`]s for a trigger built at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriggerSpec<S = &'static str> {
    /// The operation that polls or subscribes.
    pub operation: OperationSpec<S>,
    /// Polling or webhook.
    pub kind: TriggerKind,
    /// Single or batch.
    pub mode: TriggerMode,
    /// For batch triggers whose response is an object: the property holding the items
    /// (`None`: the response is the array of items).
    pub split_on: Option<S>,
}

impl From<TriggerSpec> for TriggerSpec<Name> {
    fn from(s: TriggerSpec) -> Self {
        TriggerSpec {
            operation: s.operation.into(),
            kind: s.kind,
            mode: s.mode,
            split_on: s.split_on.map(Name::Borrowed),
        }
    }
}

/// A trigger with its parameters, ready to run.
pub trait Trigger: Send + Sync {
    /// One event: the response (single) or an item of it (batch) of a polling trigger, or the
    /// `x-ms-notification-content` of a webhook.
    type Event: DeserializeOwned + Send + 'static;

    /// What kind of trigger it is.
    fn spec(&self) -> TriggerSpec;

    /// The request that polls or subscribes. `callback_url` is where a webhook's notifications
    /// go; it is placed in the `x-ms-notification-url` parameter. Polling triggers ignore it.
    fn request(&self, callback_url: Option<&str>) -> Result<Call, Error>;
}

/// A trigger as the runtime runs it: every [`Trigger`] (what generated crates implement), and
/// triggers built at run time whose names are not `'static`
/// (`runtime::DynamicTrigger`).
pub trait RunnableTrigger: Send + Sync {
    /// One event (see [`Trigger::Event`]).
    type Event: DeserializeOwned + Send + 'static;

    /// What kind of trigger it is.
    fn trigger_spec(&self) -> TriggerSpec<Name>;

    /// The request that polls or subscribes (see [`Trigger::request`]).
    fn trigger_request(&self, callback_url: Option<&str>) -> Result<Call, Error>;
}

impl<T: Trigger> RunnableTrigger for T {
    type Event = T::Event;

    fn trigger_spec(&self) -> TriggerSpec<Name> {
        self.spec().into()
    }

    fn trigger_request(&self, callback_url: Option<&str>) -> Result<Call, Error> {
        self.request(callback_url)
    }
}

/// The outcome of one poll.
#[derive(Debug, Clone, PartialEq)]
pub struct Poll<E> {
    /// New events (empty when the service answered 202: nothing new).
    pub events: Vec<E>,
    /// The `Location` to request next time (the trigger's state travels in it).
    pub location: Option<String>,
    /// When to poll again, if the service said (`Retry-After`).
    pub retry_after: Option<Duration>,
}

/// The events of a trigger's response or notification body.
pub fn events<E: DeserializeOwned>(
    spec: &TriggerSpec<impl AsRef<str>>,
    operation: &str,
    body: Value,
) -> Result<Vec<E>, Error> {
    match (spec.mode, spec.split_on.as_ref().map(AsRef::as_ref), body) {
        (TriggerMode::Batch, _, Value::Null) => Ok(Vec::new()),
        (TriggerMode::Batch, None, body @ Value::Array(_)) => decode_items(operation, body, ""),
        (TriggerMode::Batch, Some(name), body @ Value::Object(_)) => {
            decode_items(operation, body, name)
        }
        // A single trigger, or a batch whose body has no items to split: one event.
        (_, _, body) => Ok(vec![decode_at(operation, body, "")?]),
    }
}

impl Client {
    /// One poll of a polling trigger by the platform's contract: the first request (or the
    /// `Location` of the last poll) is sent; 200 = new data (one event, or one per item for a
    /// batch trigger), 202 = nothing new; the answer's `Location` (else the same one) is where
    /// to poll next and its `Retry-After` when.
    pub async fn poll<T: RunnableTrigger>(
        &self,
        trigger: &T,
        location: Option<&str>,
    ) -> Result<Poll<T::Event>, Error> {
        let operation = trigger.trigger_spec().operation.id;
        let raw = self.poll_values(trigger, location).await?;
        let events = raw
            .events
            .into_iter()
            .enumerate()
            .map(|(i, v)| decode_at(&operation, v, &format!("[{i}]")))
            .collect::<Result<_, _>>()?;
        Ok(Poll {
            events,
            location: raw.location,
            retry_after: raw.retry_after,
        })
    }

    /// [`Client::poll`] with the events as JSON values (what the runtime stores and dedupes).
    pub async fn poll_values<T: RunnableTrigger>(
        &self,
        trigger: &T,
        location: Option<&str>,
    ) -> Result<Poll<Value>, Error> {
        self.poll_with(trigger, location, |_| {}).await
    }

    /// [`Client::poll_values`], with `adjust` applied to the first request (e.g. a cursor
    /// query parameter) when there is no `Location` to follow.
    pub async fn poll_with<T: RunnableTrigger>(
        &self,
        trigger: &T,
        location: Option<&str>,
        adjust: impl FnOnce(&mut Call),
    ) -> Result<Poll<Value>, Error> {
        let spec = trigger.trigger_spec();
        let response = match location {
            Some(link) => self.follow(spec.operation.id.clone(), link).await?,
            None => {
                let mut call = trigger.trigger_request(None)?;
                adjust(&mut call);
                self.send_raw(call).await?
            }
        };
        let next = response.header("location").map(str::to_string);
        let wait = retry_after(&response, SystemTime::now());
        let response: Response = response.success()?;
        let events = if response.status == 202 || response.status == 204 {
            Vec::new()
        } else {
            events(&spec, &spec.operation.id, response.json()?)?
        };
        Ok(Poll {
            events,
            location: next.or_else(|| location.map(str::to_string)),
            retry_after: wait,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: OperationSpec = OperationSpec {
        id: "OnNewItems",
        method: "GET",
        path: "/items",
    };

    fn spec(mode: TriggerMode, split_on: Option<&'static str>) -> TriggerSpec {
        TriggerSpec {
            operation: OP,
            kind: TriggerKind::Polling,
            mode,
            split_on,
        }
    }

    #[test]
    fn single_triggers_yield_the_body_and_batch_triggers_its_items() {
        let body = serde_json::json!({"value": [1, 2, 3]});
        let single: Vec<Value> =
            events(&spec(TriggerMode::Single, None), "OnNewItems", body.clone()).unwrap();
        assert_eq!(single, std::slice::from_ref(&body));
        let batch: Vec<u32> =
            events(&spec(TriggerMode::Batch, Some("value")), "OnNewItems", body).unwrap();
        assert_eq!(batch, [1, 2, 3]);
        let array: Vec<u32> = events(
            &spec(TriggerMode::Batch, None),
            "OnNewItems",
            serde_json::json!([4, 5]),
        )
        .unwrap();
        assert_eq!(array, [4, 5]);
        let empty: Vec<u32> = events(
            &spec(TriggerMode::Batch, Some("value")),
            "OnNewItems",
            serde_json::json!({}),
        )
        .unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn a_bad_event_names_its_place() {
        let e = events::<u32>(
            &spec(TriggerMode::Batch, Some("value")),
            "OnNewItems",
            serde_json::json!({"value": [1, "x"]}),
        )
        .unwrap_err();
        assert!(
            matches!(&e, Error::Decode { path, .. } if path.starts_with("value[1]")),
            "{e:?}"
        );
    }
}
