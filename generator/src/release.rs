//! Versions of generated crates. A crate generated again where one was generated before gets
//! its version from the change between the definition it was generated from (the copy in its
//! `definition/` folder) and the new one: the diff's verdict ([`crate::diff`]) is the bump, as
//! cargo reads versions ([`Bump::apply`]).

use crate::codegen::crate_files::{copy_path, first_version, DEFINITION_DIR, MANIFEST};
use crate::diff::report::{bump, Bump};
use crate::diff::Change;
use crate::load::input::{connector_folder, Input};
use crate::load::LoadOptions;
use crate::pipeline::{self, Loaded};
use semver::Version;
use std::path::Path;

/// A crate generated before, in the directory a new generation writes to.
#[derive(Debug, Clone)]
pub struct Previous {
    /// Its version (`None`: its `Cargo.toml` is missing or names no version cargo accepts).
    pub version: Option<Version>,
    /// The copy of the definition it was generated from (`None`: its folder is missing, or is
    /// a link, which would have a file outside the crate read).
    pub definition: Option<Input>,
}

/// Why the version is what it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The first generation.
    New,
    /// The definition is the same, file for file: the version stays.
    Unchanged,
    /// The definition changed: what changed, as `connector-gen diff` reports it (possibly
    /// nothing a rule reports), whose [`bump`] is the version's.
    Changed(Vec<Change>),
    /// The previous definition could not be read, so the change cannot be known: treated as
    /// breaking, so that no user's `^` requirement takes it unseen.
    PreviousUnreadable,
    /// The previous crate's version could not be read: the crate starts again at 0.1.0.
    VersionUnreadable,
}

impl Reason {
    /// The bump it calls for: none for a new or unchanged crate (patch, unused), the changes'
    /// for a changed one, major when what changed cannot be known.
    pub fn bump(&self) -> Bump {
        match self {
            Reason::New | Reason::Unchanged => Bump::Patch,
            Reason::Changed(changes) => bump(changes),
            Reason::PreviousUnreadable | Reason::VersionUnreadable => Bump::Major,
        }
    }

    /// Whether users of the previous version must not get the new one.
    pub fn breaking(&self) -> bool {
        !matches!(self, Reason::New | Reason::Unchanged) && self.bump() == Bump::Major
    }
}

/// A crate's new version and why.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The version to write.
    pub version: Version,
    /// The version generated before, when there was one and it could be read.
    pub previous: Option<Version>,
    /// Why.
    pub reason: Reason,
}

/// The crate generated before in `dir`, if `dir` holds one (it has connector-gen's record of
/// generated files). The old definition is looked for where `new` would put its copy.
pub fn previous(dir: &Path, new: &Input) -> Option<Previous> {
    if !dir.join(MANIFEST).is_file() {
        return None;
    }
    let version = crate::fs::read_text(&dir.join("Cargo.toml"))
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| {
            t.get("package")?
                .get("version")?
                .as_str()
                .map(str::to_owned)
        })
        .and_then(|v| Version::parse(&v).ok());
    let copy = dir.join(DEFINITION_DIR);
    let real_folder = std::fs::symlink_metadata(&copy).is_ok_and(|m| m.is_dir());
    let definition = real_folder.then(|| match &new.folder {
        Some(_) => connector_folder(&copy).unwrap_or_else(|| file_input(&copy, new)),
        None => file_input(&copy, new),
    });
    Some(Previous {
        version,
        definition,
    })
}

/// The copy of a single definition file: by the name the new one has, else the one definition
/// the copy holds (the file was renamed).
fn file_input(copy: &Path, new: &Input) -> Input {
    let named = copy.join(new.definition.file_name().unwrap_or_default());
    if !named.is_file() {
        if let Ok(mut found) = crate::load::discover(copy) {
            if found.len() == 1 {
                return found.remove(0);
            }
        }
    }
    Input {
        definition: named,
        properties: None,
        settings: None,
        folder: None,
    }
}

/// The version of a crate generated from `new`, given what was generated before in its
/// directory (`None`: nothing). The previous definition is read with `opts`' limits, confined
/// to its copy.
pub fn decide(previous: Option<&Previous>, new: &Loaded, opts: &LoadOptions) -> Decision {
    let Some(prev) = previous else {
        return Decision {
            version: first_version(),
            previous: None,
            reason: Reason::New,
        };
    };
    let Some(version) = prev.version.clone() else {
        return Decision {
            version: first_version(),
            previous: None,
            reason: Reason::VersionUnreadable,
        };
    };
    let confined = LoadOptions {
        roots: Vec::new(),
        ..opts.clone()
    };
    let old = prev
        .definition
        .as_ref()
        .map(|input| pipeline::load(input, &confined));
    let reason = match old.as_ref().map(|old| (old, crate::diff::diff(old, new))) {
        None | Some((_, Err(_))) => Reason::PreviousUnreadable,
        Some((old, Ok(changes))) if changes.is_empty() && same_files(old, new) => Reason::Unchanged,
        Some((_, Ok(changes))) => Reason::Changed(changes),
    };
    let next = match &reason {
        Reason::Unchanged => version.clone(),
        r => r.bump().apply(&version),
    };
    Decision {
        version: next,
        previous: Some(version),
        reason,
    }
}

/// Whether two loaded definitions are the same files with the same text (their paths below
/// their own folders).
fn same_files(old: &Loaded, new: &Loaded) -> bool {
    listing(old) == listing(new)
}

/// A loaded definition's files: where each goes in a crate's copy, and text, in path order.
fn listing(l: &Loaded) -> Vec<(Option<String>, &str)> {
    let root = l.input.root();
    let mut files: Vec<(Option<String>, &str)> = l
        .sources
        .iter()
        .map(|(_, f)| (copy_path(&root, &f.path), f.text.as_str()))
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn bumps_follow_cargo() {
        let cases = [
            ("1.2.3", Bump::Major, "2.0.0"),
            ("1.2.3", Bump::Minor, "1.3.0"),
            ("1.2.3", Bump::Patch, "1.2.4"),
            ("0.3.1", Bump::Major, "0.4.0"),
            ("0.3.1", Bump::Minor, "0.3.2"),
            ("0.3.1", Bump::Patch, "0.3.2"),
            ("0.0.4", Bump::Major, "0.0.5"),
            ("0.0.4", Bump::Patch, "0.0.5"),
            ("1.0.0-beta.2", Bump::Patch, "1.0.1"),
        ];
        for (from, b, to) in cases {
            assert_eq!(b.apply(&v(from)), v(to), "{from} {b:?}");
        }
    }
}
