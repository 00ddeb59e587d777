//! Accepting known changes: a configuration file that sets rules' levels (or turns them off)
//! and accepts changes by rule and operation, and a baseline of changes already reviewed, as
//! `validate` has them.
//!
//! ```toml
//! [rules]
//! parameter-default-changed = "off"     # or "breaking", "warning", "info"; code or name
//!
//! [[accept]]
//! rules = ["PC0101"]                    # every rule when left out
//! operations = ["Legacy*"]              # operation ids (globs); every operation when left out
//! ```

use super::{all_change_rules, Change, Level};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Why a configuration or baseline file was refused; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// It could not be read.
    #[error(transparent)]
    Read(#[from] crate::fs::InputError),
    /// It is not TOML of the configuration's shape.
    #[error("{}: {message}", file.display())]
    Toml {
        /// The file.
        file: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// A rule that does not exist.
    #[error("{}: unknown change rule `{name}` (see `connector-gen rules --changes`)", file.display())]
    UnknownRule {
        /// The file.
        file: PathBuf,
        /// The name given.
        name: String,
    },
    /// A level that does not exist.
    #[error("{}: `{rule}` = \"{level}\": expected \"breaking\", \"warning\", \"info\" or \"off\"", file.display())]
    Level {
        /// The file.
        file: PathBuf,
        /// The rule.
        rule: String,
        /// The level given.
        level: String,
    },
    /// A glob that does not parse.
    #[error("{}: invalid glob `{glob}`: {source}", file.display())]
    Glob {
        /// The file.
        file: PathBuf,
        /// The glob.
        glob: String,
        /// Why.
        source: globset::Error,
    },
    /// Not a baseline of changes.
    #[error("{}: not a diff baseline: {source}", file.display())]
    Baseline {
        /// The file.
        file: PathBuf,
        /// What the JSON reader said.
        source: serde_json::Error,
    },
    /// The baseline could not be written.
    #[error("{0}")]
    Write(crate::fs::WriteError),
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    accept: Vec<RawAccept>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccept {
    rules: Option<Vec<String>>,
    operations: Option<Vec<String>>,
}

struct Accept {
    rules: Option<Vec<&'static str>>,
    operations: Option<GlobSet>,
}

/// A configuration of `diff`.
#[derive(Default)]
pub struct DiffConfig {
    levels: HashMap<&'static str, Option<Level>>,
    accept: Vec<Accept>,
}

fn rule_code(file: &Path, name: &str) -> Result<&'static str, AcceptError> {
    all_change_rules()
        .iter()
        .map(|r| r.meta())
        .find(|m| m.code.eq_ignore_ascii_case(name) || m.name == name)
        .map(|m| m.code)
        .ok_or_else(|| AcceptError::UnknownRule {
            file: file.to_path_buf(),
            name: name.to_string(),
        })
}

impl DiffConfig {
    /// Reads a TOML configuration file.
    pub fn load(file: &Path) -> Result<DiffConfig, AcceptError> {
        let text = crate::fs::read_text(file)?;
        Self::parse(file, &text)
    }

    /// Parses configuration text (`file` is named in messages).
    pub fn parse(file: &Path, text: &str) -> Result<DiffConfig, AcceptError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| AcceptError::Toml {
            file: file.to_path_buf(),
            message: e.message().to_string(),
        })?;
        let mut config = DiffConfig::default();
        for (rule, level) in raw.rules {
            let code = rule_code(file, &rule)?;
            let level = match level.to_ascii_lowercase().as_str() {
                "breaking" => Some(Level::Breaking),
                "warning" | "warn" => Some(Level::Warning),
                "info" | "note" => Some(Level::Info),
                "off" | "ignore" | "none" => None,
                other => {
                    return Err(AcceptError::Level {
                        file: file.to_path_buf(),
                        rule,
                        level: other.to_string(),
                    })
                }
            };
            config.levels.insert(code, level);
        }
        for a in raw.accept {
            let rules = a
                .rules
                .map(|list| {
                    list.iter()
                        .map(|r| rule_code(file, r))
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?;
            let operations = match a.operations {
                None => None,
                Some(list) => {
                    let mut b = GlobSetBuilder::new();
                    for g in list {
                        let glob = Glob::new(&g).map_err(|source| AcceptError::Glob {
                            file: file.to_path_buf(),
                            glob: g.clone(),
                            source,
                        })?;
                        b.add(glob);
                    }
                    Some(b.build().map_err(|source| AcceptError::Glob {
                        file: file.to_path_buf(),
                        glob: String::new(),
                        source,
                    })?)
                }
            };
            config.accept.push(Accept { rules, operations });
        }
        Ok(config)
    }

    /// Applies levels and acceptances: the changes that remain, with their configured levels.
    pub fn apply(&self, changes: Vec<Change>) -> Vec<Change> {
        changes
            .into_iter()
            .filter_map(|mut c| {
                if let Some(level) = self.levels.get(c.code) {
                    c.level = (*level)?;
                }
                let accepted = self.accept.iter().any(|a| {
                    a.rules.as_ref().is_none_or(|r| r.contains(&c.code))
                        && a.operations
                            .as_ref()
                            .is_none_or(|g| c.operation.as_deref().is_some_and(|op| g.is_match(op)))
                });
                (!accepted).then_some(c)
            })
            .collect()
    }
}

/// One reviewed change: its rule, its operation and its message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
struct Entry {
    code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    operation: String,
    message: String,
}

/// Changes already reviewed: `diff --baseline` reports only the others, each known one once.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DiffBaseline {
    version: u32,
    changes: Vec<Entry>,
}

impl DiffBaseline {
    /// A baseline of these changes, sorted.
    pub fn of(changes: &[Change]) -> DiffBaseline {
        let mut entries: Vec<Entry> = changes
            .iter()
            .map(|c| Entry {
                code: c.code.to_string(),
                operation: c.operation.clone().unwrap_or_default(),
                message: c.message.clone(),
            })
            .collect();
        entries.sort();
        DiffBaseline {
            version: 1,
            changes: entries,
        }
    }

    /// Reads a baseline file.
    pub fn load(file: &Path) -> Result<DiffBaseline, AcceptError> {
        let text = crate::fs::read_text(file)?;
        serde_json::from_str(&text).map_err(|source| AcceptError::Baseline {
            file: file.to_path_buf(),
            source,
        })
    }

    /// Writes the baseline as pretty JSON, atomically.
    pub fn write(&self, file: &Path) -> Result<(), AcceptError> {
        let text = serde_json::to_string_pretty(self).unwrap_or_default() + "\n";
        crate::fs::write_atomic(file, text.as_bytes()).map_err(AcceptError::Write)
    }

    /// Keeps the changes the baseline does not know (each entry accepts one change); returns
    /// how many were known.
    pub fn filter(&self, changes: &mut Vec<Change>) -> usize {
        let mut budget: HashMap<(String, String, String), usize> = HashMap::new();
        for e in &self.changes {
            *budget
                .entry((e.code.clone(), e.operation.clone(), e.message.clone()))
                .or_default() += 1;
        }
        let before = changes.len();
        changes.retain(|c| {
            let key = (
                c.code.to_string(),
                c.operation.clone().unwrap_or_default(),
                c.message.clone(),
            );
            match budget.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - changes.len()
    }
}
