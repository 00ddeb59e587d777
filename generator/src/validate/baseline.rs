//! `--baseline FILE` / `--write-baseline FILE`: adopt the validator on an old repository and fail
//! only on new findings.
//!
//! A finding is known when the baseline has one with the same rule code, file and JSON pointer
//! (messages may be reworded between versions; positions move when lines are added above).
//! Matching counts: two identical findings need two entries.

use super::report::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// One known finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct Entry {
    /// Rule code.
    pub code: String,
    /// File path as reported.
    pub file: String,
    /// JSON pointer (empty when none).
    pub pointer: String,
    /// The message when written (for people reading the file).
    pub message: String,
}

/// A baseline file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// Known findings.
    pub findings: Vec<Entry>,
}

fn entry(f: &Finding) -> Entry {
    Entry {
        code: f.code.to_string(),
        file: f.file.replace('\\', "/"),
        pointer: f.pointer.clone().unwrap_or_default(),
        message: f.message.clone(),
    }
}

/// Why a baseline could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file could not be read.
    #[error(transparent)]
    Read(#[from] crate::fs::InputError),
    /// It is not a baseline file.
    #[error("{}:{}:{}: not a baseline file: {source}", path.display(), source.line(), source.column())]
    NotBaseline {
        /// The file.
        path: std::path::PathBuf,
        /// What the JSON reader said.
        source: serde_json::Error,
    },
    /// A version this reader does not know.
    #[error("{}: baseline version {version} is not supported (expected 1)", path.display())]
    Version {
        /// The file.
        path: std::path::PathBuf,
        /// Its version.
        version: u32,
    },
    /// The baseline could not be written as JSON.
    #[error("{0}")]
    Json(serde_json::Error),
    /// The file could not be written.
    #[error("{0}")]
    Write(crate::fs::WriteError),
}

impl Baseline {
    /// A baseline of these findings, sorted (stable files for version control).
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut findings: Vec<Entry> = findings.iter().map(entry).collect();
        findings.sort();
        Baseline {
            version: 1,
            findings,
        }
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = crate::fs::read_text(path)?;
        let b: Baseline =
            serde_json::from_str(&text).map_err(|source| BaselineError::NotBaseline {
                path: path.to_path_buf(),
                source,
            })?;
        if b.version != 1 {
            return Err(BaselineError::Version {
                path: path.to_path_buf(),
                version: b.version,
            });
        }
        Ok(b)
    }

    /// Writes the baseline as pretty JSON, atomically.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let text = serde_json::to_string_pretty(self).map_err(BaselineError::Json)? + "\n";
        crate::fs::write_atomic(path, text.as_bytes()).map_err(BaselineError::Write)
    }

    /// Keeps the findings the baseline does not know; returns how many were known.
    pub fn filter(&self, findings: &mut Vec<Finding>) -> usize {
        let mut budget: HashMap<(String, String, String), usize> = HashMap::new();
        for e in &self.findings {
            *budget
                .entry((e.code.clone(), e.file.clone(), e.pointer.clone()))
                .or_default() += 1;
        }
        let before = findings.len();
        findings.retain(|f| {
            let key = (
                f.code.to_string(),
                f.file.replace('\\', "/"),
                f.pointer.clone().unwrap_or_default(),
            );
            match budget.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - findings.len()
    }
}
