//! Code generation: the model → Rust source of a connector crate.

pub mod client;
pub mod crate_files;
pub mod docs;
pub mod names;
pub mod types;
