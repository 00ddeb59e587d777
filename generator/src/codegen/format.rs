//! Formatting generated code: token streams → `prettyplease` text, a file at a time or in
//! pieces formatted in parallel and put back together ([`Section`], [`assemble`]).

use super::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// Why generated code could not be formatted.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FormatError {
    /// The generated tokens are not Rust (a bug of the generator).
    #[error("generated code does not parse: {0}")]
    Parse(String),
    /// The path a module or connector is placed at is not a Rust path.
    #[error("invalid module path `{path}`: {message}")]
    ModulePath {
        /// The path.
        path: String,
        /// What the parser said.
        message: String,
    },
    /// The path a connector is placed at (`crate`, `crate::name`) is not a Rust path.
    #[error("invalid path `{path}`: {message}")]
    Path {
        /// The path.
        path: String,
        /// What the parser said.
        message: String,
    },
    /// `prettyplease` printed a wrapper in a way the assembly does not know.
    #[error("unexpected formatting of `{0}`")]
    Unexpected(String),
}

/// Formats a token stream as a Rust file.
pub fn format_file(tokens: TokenStream) -> Result<String, FormatError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| FormatError::Parse(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// What encloses the items of a [`Section`].
#[derive(Debug, Clone, Copy)]
pub enum Wrapper {
    /// Top-level items.
    None,
    /// `/// doc` `pub mod name { .. }`.
    Module {
        /// The module's doc line (with its leading space).
        doc: &'static str,
        /// The module's name.
        name: &'static str,
    },
    /// `impl Type { .. }`.
    Impl(&'static str),
}

impl Wrapper {
    /// The first line of the wrapper as prettyplease prints it, without its doc.
    fn open(&self) -> Option<String> {
        match self {
            Wrapper::None => None,
            Wrapper::Module { name, .. } => Some(format!("pub mod {name} {{\n")),
            Wrapper::Impl(name) => Some(format!("impl {name} {{\n")),
        }
    }

    fn wrap(&self, body: TokenStream) -> TokenStream {
        match self {
            Wrapper::None => body,
            Wrapper::Module { name, .. } => {
                let m = ident(name);
                quote! { pub mod #m { #body } }
            }
            Wrapper::Impl(name) => {
                let t = ident(name);
                quote! { impl #t { #body } }
            }
        }
    }
}

/// A part of a generated file: top-level items, or the items of a module or an impl block.
pub struct Section {
    /// What encloses the items.
    pub wrapper: Wrapper,
    /// The items.
    pub items: Vec<TokenStream>,
}

impl Section {
    /// The whole section as one token stream: its module's doc, the wrapper and every item.
    pub fn whole(&self) -> TokenStream {
        let items = &self.items;
        let body = self.wrapper.wrap(quote! { #(#items)* });
        match self.wrapper {
            Wrapper::Module { doc, .. } => quote! { #[doc = #doc] #body },
            _ => body,
        }
    }
}

/// Items per formatting piece: small enough to share out between threads, large enough that
/// the per-piece cost stays small.
const PIECE: usize = 24;

fn unparse(text: &str) -> Result<String, FormatError> {
    let file: syn::File = syn::parse_str(text).map_err(|e| FormatError::Parse(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// The source text of the pieces of `sections` (every section, or only section `only`): the
/// unit of parallel formatting, as (section index, text).
pub fn to_pieces(sections: &[Section], only: Option<usize>) -> Vec<(usize, String)> {
    let mut pieces = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        if only.is_some_and(|o| o != i) {
            continue;
        }
        for chunk in s.items.chunks(PIECE) {
            pieces.push((i, s.wrapper.wrap(quote! { #(#chunk)* }).to_string()));
        }
    }
    pieces
}

/// Formats pieces in parallel (token streams are not `Send`; their text is).
pub fn format_pieces(pieces: &[(usize, String)]) -> Vec<Result<String, FormatError>> {
    use rayon::prelude::*;
    pieces.par_iter().map(|(_, text)| unparse(text)).collect()
}

/// Puts formatted pieces (any order of sections; in order within a section) together into the
/// file the sections make. prettyplease prints the items of a file, module or impl block one
/// after another, so this is the text the whole file would give (a test checks it).
pub fn assemble(
    wrappers: &[Wrapper],
    mut pieces: Vec<(usize, Result<String, FormatError>)>,
) -> Result<String, FormatError> {
    pieces.sort_by_key(|(i, _)| *i);
    let mut out = vec![String::new(); wrappers.len()];
    for (i, text) in pieces {
        let text = text?;
        match wrappers[i].open() {
            Some(open) => {
                let inner = text
                    .strip_prefix(&open)
                    .and_then(|t| t.strip_suffix("}\n"))
                    .ok_or_else(|| FormatError::Unexpected(open.trim_end().to_string()))?;
                out[i].push_str(inner);
            }
            None => out[i].push_str(&text),
        }
    }
    let mut file = String::new();
    for (w, text) in wrappers.iter().zip(out) {
        if let Wrapper::Module { doc, .. } = w {
            file.push_str(&format!("///{doc}\n"));
        }
        match w.open() {
            Some(open) if text.is_empty() => {
                file.push_str(&format!("{}}}\n", open.trim_end()));
            }
            Some(open) => file.push_str(&format!("{open}{text}}}\n")),
            None => file.push_str(&text),
        }
    }
    Ok(file)
}
