//! Who a connection is: the credential it sends ([`connection`]), secrets that never print
//! ([`secret`]), OAuth 2.0 sign-in and tokens that refresh themselves ([`oauth`]), and stored
//! connections, encrypted at rest ([`store`]).

pub mod connection;
pub mod oauth;
pub mod secret;
pub mod store;
