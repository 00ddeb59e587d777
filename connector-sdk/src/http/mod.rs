//! Running operations over HTTP: the request of an operation ([`call`]), sending it with the
//! connection's credential, redirects and limits ([`client`]), what came back ([`response`]),
//! retries ([`retry`]), the connector's policy templates ([`policy`]), next links
//! ([`paging`]) and the 202 pattern ([`long_running`]).

pub mod call;
pub mod client;
mod exchange;
pub use exchange::transport_message;
pub mod long_running;
pub mod paging;
pub mod policy;
pub mod response;
pub mod retry;
