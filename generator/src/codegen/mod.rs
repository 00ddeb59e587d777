//! Code generation: the model → Rust source of a connector crate.

pub mod auth;
pub mod client;
pub mod crate_files;
pub mod docs;
pub mod format;
pub mod lib_rs;
pub mod names;
pub mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier from a name made by [`names`] (`r#type` becomes a raw identifier).
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc]` attributes from doc-comment lines (see [`docs::combine`]).
fn docs(lines: Vec<String>) -> TokenStream {
    let lines = lines.into_iter().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}
