//! `validate --fix`: the fixes findings offer, applied to the text and checked again until
//! nothing more changes.
//!
//! Each round loads the connector (with the edited files read from memory, not disk),
//! validates it, and applies every offered fix whose edits touch nothing another fix of the
//! round touches; the rest wait for the next round, made against the edited text. Nothing is
//! written here: the caller gets each changed file's bytes before and after, and writes them
//! (or prints a diff).

use super::edit::apply;
use super::{validate, Profile};
use crate::diagnostics::fix::{Edit, Safety};
use crate::diagnostics::{codes, Diagnostic};
use crate::load::source::SourceFile;
use crate::load::{Input, LoadOptions};
use crate::pipeline::{self, Loaded};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// Rounds after which fixes that keep offering more are given up on.
pub const MAX_ROUNDS: usize = 12;

/// Which fixes are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicability {
    /// Safe fixes only.
    Safe,
    /// Safe and unsafe fixes.
    Unsafe,
}

impl Applicability {
    /// Whether a fix of `safety` is applied.
    pub fn allows(self, safety: Safety) -> bool {
        safety == Safety::Safe || self == Applicability::Unsafe
    }
}

/// A file the fixes changed.
#[derive(Debug, Clone)]
pub struct Change {
    /// The path as the loader names it.
    pub path: PathBuf,
    /// Its bytes as read.
    pub before: Vec<u8>,
    /// Its bytes with the fixes.
    pub after: Vec<u8>,
}

/// What fixing one connector did.
#[derive(Debug)]
pub struct Fixed {
    /// The connector as the fixes leave it.
    pub loaded: Loaded,
    /// Its findings (what the fixes did not mend, and anything they brought).
    pub diagnostics: Vec<Diagnostic>,
    /// The files changed, in the order first changed.
    pub changes: Vec<Change>,
    /// Fixes applied, by rule code.
    pub applied: BTreeMap<&'static str, usize>,
    /// Fixes were still being offered after [`MAX_ROUNDS`].
    pub unsettled: bool,
}

/// Why fixes were not kept.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    /// A file that read as JSON (or YAML) did not after the edits: nothing is kept.
    #[error("{}: the fixes would make the file unreadable ({message}); nothing was changed", path.display())]
    Broken {
        /// The file.
        path: PathBuf,
        /// What the reader said.
        message: String,
    },
}

/// The bytes of a file as on disk, when its fixes can be made (UTF-8, with or without a
/// byte-order mark).
fn disk_bytes(src: &SourceFile) -> Option<Vec<u8>> {
    src.is_utf8().then(|| src.bytes())
}

/// Applies the fixes `which` allows to one connector, round after round, until none is left
/// (or [`MAX_ROUNDS`]). `keep` says which findings count (those a configuration turns off are
/// neither reported nor fixed).
pub fn fix(
    input: &Input,
    opts: &LoadOptions,
    profile: Profile,
    which: Applicability,
    keep: &(dyn Fn(&Diagnostic, &Loaded) -> bool + Sync),
) -> Result<Fixed, FixError> {
    // Files given in memory (`opts.overlay`) are read from there, as in every round after.
    let mut overlay: HashMap<PathBuf, Vec<u8>> =
        opts.overlay.as_deref().cloned().unwrap_or_default();
    let mut before: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut applied: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut round = 0;
    // Files that could not be read to begin with: their findings are not the fixes' doing.
    let mut unreadable: Vec<PathBuf> = Vec::new();
    loop {
        let o = LoadOptions {
            overlay: (!overlay.is_empty()).then(|| Arc::new(overlay.clone())),
            ..opts.clone()
        };
        let loaded = pipeline::load(input, &o);
        let diagnostics: Vec<Diagnostic> = validate(&loaded, profile)
            .into_iter()
            .filter(|d| keep(d, &loaded))
            .collect();
        if round == 0 {
            unreadable = syntax_errors(&loaded).map(|(p, _)| p.clone()).collect();
        }
        round += 1;
        let chosen = choose(&loaded, &diagnostics, which, &mut applied);
        let settled = chosen.is_empty();
        if settled || round > MAX_ROUNDS {
            check_readable(&loaded, &before, &unreadable)?;
            let changes = before
                .into_iter()
                .filter_map(|(path, before)| {
                    let after = overlay.remove(&path)?;
                    (after != before).then_some(Change {
                        path,
                        before,
                        after,
                    })
                })
                .collect();
            return Ok(Fixed {
                loaded,
                diagnostics,
                changes,
                applied,
                unsettled: !settled,
            });
        }
        let mut by_file: BTreeMap<_, Vec<&Edit>> = BTreeMap::new();
        for e in &chosen {
            by_file.entry(e.file).or_default().push(e);
        }
        for (file, edits) in by_file {
            let src = loaded.sources.get(file);
            let Some(bytes) = disk_bytes(src) else {
                continue;
            };
            if !before.iter().any(|(p, _)| *p == src.path) {
                before.push((src.path.clone(), bytes.clone()));
            }
            overlay.insert(src.path.clone(), apply(&bytes, &edits));
        }
    }
}

/// The edits of this round: every allowed fix whose edits meet no edit of a fix chosen before
/// it (in source order); a fix whose edits are all chosen already (one shared element reported
/// twice) counts as applied too.
fn choose(
    loaded: &Loaded,
    diagnostics: &[Diagnostic],
    which: Applicability,
    applied: &mut BTreeMap<&'static str, usize>,
) -> Vec<Edit> {
    let mut chosen: Vec<Edit> = Vec::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        if !which.allows(fix.safety) || fix.edits.is_empty() {
            continue;
        }
        if fix
            .edits
            .iter()
            .any(|e| !loaded.sources.get(e.file).is_utf8())
        {
            continue;
        }
        if fix.edits.iter().all(|e| chosen.contains(e)) {
            *applied.entry(d.code).or_default() += 1;
            continue;
        }
        if fix
            .edits
            .iter()
            .any(|e| chosen.iter().any(|c| c.overlaps(e)))
        {
            continue;
        }
        chosen.extend(fix.edits.iter().cloned());
        *applied.entry(d.code).or_default() += 1;
    }
    chosen
}

/// The files of a loaded connector that did not read, with what the reader said.
fn syntax_errors(loaded: &Loaded) -> impl Iterator<Item = (&PathBuf, &str)> {
    loaded.diagnostics.iter().filter_map(|d| {
        let file = d.file.filter(|_| d.code == codes::INVALID_SYNTAX.code)?;
        Some((&loaded.sources.get(file).path, d.message.as_str()))
    })
}

/// Refuses edits after which a changed file that read before no longer does.
fn check_readable(
    loaded: &Loaded,
    changed: &[(PathBuf, Vec<u8>)],
    unreadable: &[PathBuf],
) -> Result<(), FixError> {
    for (path, message) in syntax_errors(loaded) {
        if changed.iter().any(|(p, _)| p == path) && !unreadable.contains(path) {
            return Err(FixError::Broken {
                path: path.clone(),
                message: message.to_string(),
            });
        }
    }
    Ok(())
}
