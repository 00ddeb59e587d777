//! The one error type of the runtime.

/// What went wrong when running an operation. Messages name the operation and say what happened;
/// credentials never appear in them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request could not be sent or the response not read (DNS, connection, TLS, timeout).
    #[error("{operation} failed: cannot reach {host}: {message}")]
    Transport {
        /// Operation id.
        operation: String,
        /// Host the request was for.
        host: String,
        /// What the HTTP client reported.
        message: String,
    },
    /// The service answered with a status that is not a success.
    #[error("{operation} failed: HTTP {status} from {host}\n  body: {body}")]
    Status {
        /// Operation id.
        operation: String,
        /// HTTP status code.
        status: u16,
        /// Host that answered.
        host: String,
        /// The response body (at most 4 KiB, as text).
        body: String,
    },
    /// The response body does not match the type the definition declares.
    #[error("{operation}: the response does not match the definition at `{path}`: {message}")]
    Decode {
        /// Operation id.
        operation: String,
        /// JSON path where decoding failed, e.g. `value[3].due`.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// Waiting took longer than allowed.
    #[error("{operation} failed: gave up after {after:?} waiting for {waiting_for}")]
    Timeout {
        /// Operation id.
        operation: String,
        /// The limit that was reached.
        after: std::time::Duration,
        /// What was awaited.
        waiting_for: String,
    },
    /// A policy template of the connector could not be applied (e.g. a connection parameter it
    /// reads is missing).
    #[error("{operation}: policy template `{template}`: {message}")]
    Policy {
        /// Operation id.
        operation: String,
        /// `templateId` of the policy.
        template: String,
        /// What was wrong.
        message: String,
    },
    /// Signing in or refreshing a token failed, or a stored connection cannot be used.
    #[error("{message}")]
    Auth {
        /// What went wrong and what to do.
        message: String,
    },
    /// The service redirected to a place the runtime does not follow: from `https` to `http`,
    /// to a scheme that is not HTTP, or with the request's body to another origin.
    #[error("{operation} failed: {host} redirected to {target}, which is not followed: {reason}")]
    Redirect {
        /// Operation id.
        operation: String,
        /// The host that redirected.
        host: String,
        /// Where it redirected to (without its query string).
        target: String,
        /// Why it is not followed.
        reason: String,
    },
    /// A limit on what a service can make the runtime do was reached: the size of a response,
    /// the longest `Retry-After` honoured, the number of redirects or pages. The message names
    /// the setting that raises it.
    #[error("{operation}: {message}")]
    Limit {
        /// Operation id.
        operation: String,
        /// Which limit, its value and how to change it.
        message: String,
    },
    /// Durable state could not be read or written: the trigger state (the disk is full, the
    /// file is read-only, or it is not a state database).
    #[error("{message}")]
    State {
        /// What failed and what to do.
        message: String,
    },
    /// A write under a lease that is no longer the trigger's: another instance took the trigger
    /// over (this one was paused, or cut off, past its lease), so the write is refused.
    #[error("{trigger}: the lease (token {token}, held by {owner}) was taken over; the write is refused")]
    Fenced {
        /// The trigger.
        trigger: String,
        /// The instance that wrote.
        owner: String,
        /// Its stale token.
        token: i64,
    },
    /// The request could not be built from the values given.
    #[error("{operation}: {message}")]
    Request {
        /// Operation id.
        operation: String,
        /// What was wrong.
        message: String,
    },
}

impl Error {
    /// The HTTP status, for [`Error::Status`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}
