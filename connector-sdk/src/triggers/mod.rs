//! Triggers: what a trigger is ([`trigger`]), when it runs ([`recurrence`]), and (feature
//! `runtime`) the poller ([`runtime`]), durable state ([`state`]), webhooks ([`webhook`]) and
//! the listener's bounded HTTP server.

pub mod recurrence;
#[cfg(feature = "runtime")]
pub mod runtime;
#[cfg(feature = "runtime")]
pub(crate) mod server;
#[cfg(feature = "runtime")]
pub mod state;
pub mod trigger;
#[cfg(feature = "runtime")]
pub mod webhook;
