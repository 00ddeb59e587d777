//! `--config FILE`: per-rule severity overrides and ignores, in TOML.
//!
//! ```toml
//! [rules]
//! PP0301 = "off"              # by code or by name; "error" | "warning" | "info" | "off"
//! summary-missing = "error"
//!
//! roots = ["../common"]      # folders whose files definitions may read too (relative to
//!                             # this file), as with --root
//!
//! [[ignore]]                  # drop findings that match every key given
//! rules = ["PP0305"]          # codes or names (all rules when absent)
//! paths = ["legacy/**"]       # globs over the file path
//! pointers = ["/paths/~1internal*/**"]   # globs over the JSON pointer
//! ```

use super::find_rule;
use crate::diagnostics::{Diagnostic, Severity};
use globset::{GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    roots: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    rules: Option<Vec<String>>,
    paths: Option<Vec<String>>,
    pointers: Option<Vec<String>>,
}

/// A severity override: a level, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Report with this severity.
    On(Severity),
    /// Do not report.
    Off,
}

struct Ignore {
    rules: Option<Vec<&'static str>>,
    paths: Option<GlobSet>,
    pointers: Option<GlobSet>,
}

/// A loaded configuration.
#[derive(Default)]
pub struct Config {
    levels: BTreeMap<&'static str, Level>,
    ignores: Vec<Ignore>,
    /// Folders whose files definitions may read besides their own (`roots`, relative to the
    /// configuration file).
    pub roots: Vec<std::path::PathBuf>,
}

/// Why a configuration file was refused; each names the file (and the line and column where
/// the TOML is wrong).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// It could not be read.
    #[error(transparent)]
    Read(#[from] crate::fs::InputError),
    /// It is not TOML of the configuration's shape.
    #[error("{}{}: {message}", file.display(), at.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
    Toml {
        /// The file.
        file: std::path::PathBuf,
        /// Line and column.
        at: Option<(usize, usize)>,
        /// What the parser said.
        message: String,
    },
    /// A rule that does not exist.
    #[error("{}: unknown rule `{name}` (see `connector-gen rules`)", file.display())]
    UnknownRule {
        /// The file.
        file: std::path::PathBuf,
        /// The name given.
        name: String,
    },
    /// A level that does not exist.
    #[error("{}: `{rule}` = \"{level}\": expected \"error\", \"warning\", \"info\" or \"off\"", file.display())]
    Level {
        /// The file.
        file: std::path::PathBuf,
        /// The rule.
        rule: String,
        /// The level given.
        level: String,
    },
    /// A glob that does not parse.
    #[error("{}: invalid glob `{glob}`: {source}", file.display())]
    Glob {
        /// The file.
        file: std::path::PathBuf,
        /// The glob.
        glob: String,
        /// Why.
        source: globset::Error,
    },
    /// A set of globs that cannot be built.
    #[error("{}: {source}", file.display())]
    Globs {
        /// The file.
        file: std::path::PathBuf,
        /// Why.
        source: globset::Error,
    },
}

fn globs(file: &Path, list: Option<Vec<String>>) -> Result<Option<GlobSet>, ConfigError> {
    let Some(list) = list else { return Ok(None) };
    let mut b = GlobSetBuilder::new();
    for g in list {
        let glob = globset::GlobBuilder::new(&g)
            .literal_separator(false)
            .build()
            .map_err(|source| ConfigError::Glob {
                file: file.to_path_buf(),
                glob: g.clone(),
                source,
            })?;
        b.add(glob);
    }
    b.build().map(Some).map_err(|source| ConfigError::Globs {
        file: file.to_path_buf(),
        source,
    })
}

fn rule_code(file: &Path, name: &str) -> Result<&'static str, ConfigError> {
    find_rule(name)
        .map(|m| m.code)
        .ok_or_else(|| ConfigError::UnknownRule {
            file: file.to_path_buf(),
            name: name.to_string(),
        })
}

impl Config {
    /// Reads a TOML configuration file; errors name the file, line and column.
    pub fn load(file: &Path) -> Result<Config, ConfigError> {
        let text = crate::fs::read_text(file)?;
        Self::parse(file, &text)
    }

    /// Parses configuration text (`file` is used in messages).
    pub fn parse(file: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| {
                let line = text[..s.start].matches('\n').count() + 1;
                let col = text[..s.start]
                    .rsplit('\n')
                    .next()
                    .map_or(0, |l| l.chars().count())
                    + 1;
                (line, col)
            });
            ConfigError::Toml {
                file: file.to_path_buf(),
                at,
                message: e.message().to_string(),
            }
        })?;
        let mut config = Config::default();
        let base = file.parent().unwrap_or(Path::new(""));
        config.roots = raw.roots.iter().map(|r| base.join(r)).collect();
        for (rule, level) in raw.rules {
            let code = rule_code(file, &rule)?;
            let level = match level.to_ascii_lowercase().as_str() {
                "error" => Level::On(Severity::Error),
                "warning" | "warn" => Level::On(Severity::Warning),
                "info" | "note" => Level::On(Severity::Info),
                "off" | "ignore" | "none" => Level::Off,
                other => {
                    return Err(ConfigError::Level {
                        file: file.to_path_buf(),
                        rule: rule.clone(),
                        level: other.to_string(),
                    })
                }
            };
            config.levels.insert(code, level);
        }
        for ig in raw.ignore {
            let rules = match ig.rules {
                Some(list) => Some(
                    list.iter()
                        .map(|r| rule_code(file, r))
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                None => None,
            };
            config.ignores.push(Ignore {
                rules,
                paths: globs(file, ig.paths)?,
                pointers: globs(file, ig.pointers)?,
            });
        }
        Ok(config)
    }

    /// Applies overrides and ignores to one diagnostic: `None` drops it. `file` is its file's
    /// path as shown in reports.
    pub fn apply(&self, mut d: Diagnostic, file: &str) -> Option<Diagnostic> {
        match self.levels.get(d.code) {
            Some(Level::Off) => return None,
            Some(Level::On(s)) => d.severity = *s,
            None => {}
        }
        let ignored = self.ignores.iter().any(|ig| {
            ig.rules.as_ref().is_none_or(|r| r.contains(&d.code))
                && ig
                    .paths
                    .as_ref()
                    .is_none_or(|g| g.is_match(file) || g.is_match(file.trim_start_matches("./")))
                && ig
                    .pointers
                    .as_ref()
                    .is_none_or(|g| d.pointer.as_deref().is_some_and(|p| g.is_match(p)))
        });
        (!ignored).then_some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::codes;

    #[test]
    fn overrides_and_ignores() {
        let c = Config::parse(
            Path::new("c.toml"),
            "[rules]\nPP0003 = \"off\"\nduplicate-key = \"error\"\n\n[[ignore]]\nrules = [\"PP0002\"]\npaths = [\"legacy/**\"]\n\n[[ignore]]\npointers = [\"/paths/*/get/**\"]\n",
        )
        .unwrap();
        let d = |code| Diagnostic::new(code, "m");
        assert!(c.apply(d(&codes::TRAILING_COMMA), "a.json").is_none());
        assert_eq!(
            c.apply(d(&codes::DUPLICATE_KEY), "a.json")
                .unwrap()
                .severity,
            Severity::Error
        );
        assert!(c.apply(d(&codes::UTF8_BOM), "legacy/x/a.json").is_none());
        assert!(c.apply(d(&codes::UTF8_BOM), "new/a.json").is_some());
        assert!(c
            .apply(
                d(&codes::UNRESOLVED_REF).pointer("/paths/~1a/get/responses/200"),
                "a.json"
            )
            .is_none());
        assert!(c
            .apply(
                d(&codes::UNRESOLVED_REF).pointer("/paths/~1a/post"),
                "a.json"
            )
            .is_some());
    }

    #[test]
    fn errors_name_the_place() {
        let e = Config::parse(Path::new("c.toml"), "[rules]\nPP9999 = \"off\"\n")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("unknown rule `PP9999`"), "{e}");
        let e = Config::parse(Path::new("c.toml"), "[rules]\nPP0003 = \"loud\"\n")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("expected \"error\""), "{e}");
        let e = Config::parse(Path::new("c.toml"), "[rules\n")
            .err()
            .unwrap()
            .to_string();
        assert!(e.starts_with("c.toml:1:"), "{e}");
        let e = Config::parse(Path::new("c.toml"), "[rulez]\n")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("unknown field"), "{e}");
    }
}
