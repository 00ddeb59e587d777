//! Load, then lower: what every command runs first. [`load`] reads one input's files and lowers
//! them into the model; [`load_path`] does it for everything under a path, in parallel; the
//! loader pool and thread give loading the stack that deeply nested documents need.

use crate::diagnostics::{sort_diagnostics, Diagnostic};
use crate::load::source::Sources;
use crate::load::{
    add_file, discover, read_file, read_referenced_files, unreadable_diagnostic, DiscoverError,
    Input, LoadOptions, Roots, LOADER_STACK_BYTES,
};
use crate::model::Connector;
use std::path::Path;

/// A loaded connector: its files, its model (when one could be built) and what was found.
#[derive(Debug)]
pub struct Loaded {
    /// What was loaded.
    pub input: Input,
    /// Every file read, with its text and tree (the source map).
    pub sources: Sources,
    /// The model, unless the definition could not be read at all.
    pub connector: Option<Connector>,
    /// When there is no model: what `apiProperties.json` and `settings.json` say on their own.
    pub connection_only: Option<crate::model::ConnectionFiles>,
    /// Everything found while loading and lowering, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The connector folder's custom code (`script.csx`), read as text, when it has one.
    pub script: Option<crate::location::FileId>,
    /// The connector folder's `readme.md`, read as text, when it has one.
    pub readme: Option<crate::location::FileId>,
    /// The connector folder's `icon.png`, when it has one (not read).
    pub icon: Option<std::path::PathBuf>,
}

/// Loads one input: reads its files, follows references into other files, and lowers the model.
pub fn load(input: &Input, opts: &LoadOptions) -> Loaded {
    load_with(input, opts, None, None)
}

/// Loads one input whose definition (and `apiProperties.json`, when given) are bytes in memory
/// rather than files; `input` names them (for messages and relative references). Used by the
/// fuzz targets and by tools that receive definitions over the network.
pub fn load_bytes(
    input: &Input,
    definition: Vec<u8>,
    properties: Option<Vec<u8>>,
    opts: &LoadOptions,
) -> Loaded {
    load_with(input, opts, Some(definition), properties)
}

fn load_with(
    input: &Input,
    opts: &LoadOptions,
    definition: Option<Vec<u8>>,
    properties: Option<Vec<u8>>,
) -> Loaded {
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    let mut connection_only = None;
    let roots = Roots::new(&input.root(), &opts.roots);
    let def = match definition {
        Some(bytes) => add_file(&mut sources, &input.definition, bytes, opts, &mut diags),
        None => read_file(&mut sources, &input.definition, opts, &roots, &mut diags),
    };
    let connector = match def {
        Err(e) => {
            diags.push(unreadable_diagnostic(&input.definition, &e));
            None
        }
        Ok(def) => {
            let unreadable = read_referenced_files(&mut sources, def, opts, &roots, &mut diags);
            // An unreadable apiProperties.json or settings.json is said, not fatal.
            let mut add = |path: &Path, bytes: Option<Vec<u8>>, diags: &mut Vec<Diagnostic>| {
                let added = match bytes {
                    Some(b) => add_file(&mut sources, path, b, opts, diags),
                    None => read_file(&mut sources, path, opts, &roots, diags),
                };
                added
                    .map_err(|e| diags.push(unreadable_diagnostic(path, &e)))
                    .ok()
            };
            let props = input
                .properties
                .as_deref()
                .and_then(|p| add(p, properties, &mut diags));
            let settings = input
                .settings
                .as_deref()
                .and_then(|p| add(p, None, &mut diags));
            let files = crate::lower::Files {
                definition: def,
                properties: props,
                settings,
            };
            let connector = crate::lower::lower(&sources, &unreadable, input, files, &mut diags);
            if connector.is_none() && (props.is_some() || settings.is_some()) {
                connection_only = Some(crate::lower::lower_connection_files(
                    &sources,
                    &unreadable,
                    files,
                    &mut diags,
                ));
            }
            connector
        }
    };
    // Read last, so that the definition and its files keep their ids.
    let mut text_file = |path: Option<std::path::PathBuf>| {
        let path = path?;
        crate::load::read_text_file(&mut sources, &path, opts, &roots)
            .map_err(|e| diags.push(unreadable_diagnostic(&path, &e)))
            .ok()
    };
    let folder = input.folder.as_deref();
    use crate::load::input::{folder_file, ICON_FILE, README_FILE, SCRIPT_FILE};
    let script = text_file(folder.and_then(|f| folder_file(f, SCRIPT_FILE)));
    let readme = text_file(folder.and_then(|f| folder_file(f, README_FILE)));
    let icon = folder.and_then(|f| folder_file(f, ICON_FILE));
    sort_diagnostics(&mut diags);
    Loaded {
        input: input.clone(),
        sources,
        connector,
        connection_only,
        diagnostics: diags,
        script,
        readme,
        icon,
    }
}

/// Runs `f` on a thread pool whose threads have [`LOADER_STACK_BYTES`] of stack, so that
/// documents nested up to [`MAX_DEPTH_LIMIT`] levels load without overflowing the stack.
pub fn with_loader_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match rayon::ThreadPoolBuilder::new()
        .stack_size(LOADER_STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(f),
        // No pool (threads refused): run here; the default depth limit fits any normal stack.
        Err(_) => f(),
    }
}

/// Runs `f` on one thread with [`LOADER_STACK_BYTES`] of stack: for commands that load one
/// definition, where a pool of threads would only cost start-up time.
pub fn with_loader_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    match std::thread::Builder::new()
        .stack_size(LOADER_STACK_BYTES)
        .spawn(f)
    {
        Ok(handle) => match handle.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        },
        // No thread (refused): the closure is gone with the error; nothing to run it on.
        Err(e) => panic!("cannot start the loader thread: {e}"),
    }
}

/// Discovers and loads everything under `path`, in parallel, in a stable order.
pub fn load_path(path: &Path, opts: &LoadOptions) -> Result<Vec<Loaded>, DiscoverError> {
    use rayon::prelude::*;
    let inputs = discover(path)?;
    if inputs.len() == 1 {
        // One definition: no thread pool to start.
        return Ok(inputs.iter().map(|i| load(i, opts)).collect());
    }
    Ok(inputs.par_iter().map(|i| load(i, opts)).collect())
}
