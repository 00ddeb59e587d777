//! `connector-gen`: read custom connector definitions (Swagger 2.0, OpenAPI 3.0/3.1, Postman
//! collections) into one model, and inspect, validate, generate, convert and run them.
//!
//! The data flow: [`load`] reads files into trees with a source map, [`lower`] turns them into a
//! [`model::Connector`], and every output reads only the model.
#![deny(missing_docs)]

pub mod codegen;
pub mod convert;
pub mod diagnostics;
pub mod diff;
pub mod docs;
pub mod fs;
#[doc(hidden)]
pub mod fuzzing;
pub mod init;
pub mod inspect;
pub mod load;
pub mod location;
pub mod lower;
pub mod model;
pub mod package;
pub mod pipeline;
pub mod plan;
pub mod release;
#[cfg(feature = "run")]
pub mod run;
pub mod text;
pub mod validate;
