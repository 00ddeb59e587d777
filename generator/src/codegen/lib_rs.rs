//! A generated crate's `lib.rs`: the client, its methods, the models, options, responses,
//! triggers and auth modules put together in one file, formatted in pieces in parallel.

use super::client::{client_items, ClientItems};
use super::format::{
    assemble, format_file, format_pieces, to_pieces, FormatError, Section, Wrapper,
};
use super::types::ModelsGen;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// Index of the `models` section in [`sections`].
const MODELS: usize = 2;

/// The sections of a connector crate's `lib.rs` (client, impl, models, options, responses,
/// triggers and auth) for the connector placed at `root` (`crate`, or `crate::name` when
/// several share a crate). The models section is left empty and its generator returned: its
/// items are only known when every other section has named the types it uses.
fn early_sections<'c>(
    c: &'c Connector,
    root: &str,
) -> Result<(Vec<Section>, ModelsGen<'c>), FormatError> {
    let root_path: syn::Path = syn::parse_str(root).map_err(|e| FormatError::Path {
        path: root.to_string(),
        message: e.to_string(),
    })?;
    let root_tokens = quote! { #root_path };
    let mut models = ModelsGen::connector(c, quote! { #root_path::models });
    let items = client_items(c, &mut models, &root_tokens);
    let auth = super::auth::auth_items(c, &root_tokens);
    let ClientItems {
        client,
        members,
        options,
        responses,
        triggers,
    } = items;
    let module = |doc: &'static str, name: &'static str, items: Vec<TokenStream>| Section {
        wrapper: Wrapper::Module { doc, name },
        items,
    };
    let mut sections = vec![
        Section {
            wrapper: Wrapper::None,
            items: vec![client],
        },
        Section {
            wrapper: Wrapper::Impl("Client"),
            items: members,
        },
        module(
            " Types of the connector's requests and responses.",
            "models",
            Vec::new(),
        ),
        module(
            " Optional parameters of the client's methods.",
            "options",
            options,
        ),
    ];
    if !responses.is_empty() {
        sections.push(module(
            " Results of actions with several typed success responses.",
            "responses",
            responses,
        ));
    }
    sections.push(module(
        " The connector's triggers, as values the connector-sdk trigger runtime runs.",
        "triggers",
        triggers,
    ));
    sections.push(module(
        " Connections matching the connector's authentication.",
        "auth",
        vec![auth],
    ));
    Ok((sections, models))
}

/// The Rust source of a connector crate's `lib.rs` (client, models, options, responses,
/// triggers and auth in one file) for the connector placed at `root` (`crate`, or
/// `crate::name` when several share a crate). Formatted in pieces, in parallel: the pieces of
/// the client are formatted while the models are generated.
pub fn crate_source(c: &Connector, root: &str) -> Result<String, FormatError> {
    let (mut sections, models) = early_sections(c, root)?;
    let early = to_pieces(&sections, None);
    // In this thread's pool (no thread of its own): the client's pieces are formatted by
    // another worker while this one generates the models.
    let mut early_done = Vec::new();
    let mut late = Vec::new();
    let mut late_done = Vec::new();
    rayon::in_place_scope(|scope| {
        scope.spawn(|_| early_done = format_pieces(&early));
        sections[MODELS].items = models.finish();
        late = to_pieces(&sections, Some(MODELS));
        late_done = format_pieces(&late);
    });
    let wrappers: Vec<Wrapper> = sections.iter().map(|s| s.wrapper).collect();
    let pieces = early
        .iter()
        .map(|(i, _)| *i)
        .zip(early_done)
        .chain(late.iter().map(|(i, _)| *i).zip(late_done))
        .collect();
    assemble(&wrappers, pieces)
}

/// [`crate_source`] formatted as one file in one piece: the text [`crate_source`] must equal.
pub fn crate_source_whole(c: &Connector, root: &str) -> Result<String, FormatError> {
    let (mut sections, models) = early_sections(c, root)?;
    sections[MODELS].items = models.finish();
    let parts = sections.iter().map(Section::whole);
    format_file(quote! { #(#parts)* })
}
